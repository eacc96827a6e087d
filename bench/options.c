// SPDX-License-Identifier: GPL-2.0
/* options.c - parse a command line from its option table (options.h). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bench/options.h"
#include "bench/workload/workload.h"
#include "lib/util.h"

/* getopt_long values of long-only options: above every char. */
#define VAL_LONG	256
#define VAL_HELP	(VAL_LONG + OPTS_MAX)
#define VAL_LIST_OPTS	(VAL_HELP + 1)

static bool listed(const struct opt **out, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(out[i]->long_name, name))
			return true;
	return false;
}

/*
 * Included tables in place: one flat list of pointers; its length. An
 * option named before overrides an included one of the same name.
 */
static size_t flatten(const struct opt *t, const struct opt **out, size_t n)
{
	for (; t->type != OPT_T_END; t++) {
		if (t->type == OPT_T_INCLUDE)
			n = flatten(t->table, out, n);
		else if (n < OPTS_MAX && !listed(out, n, t->long_name))
			out[n++] = t;
	}
	return n;
}

const struct opt *opts_find(const struct opt *opts, const char *long_name)
{
	const struct opt *all[OPTS_MAX];
	size_t i, n = flatten(opts, all, 0);

	for (i = 0; i < n; i++)
		if (!strcmp(all[i]->long_name, long_name))
			return all[i];
	return NULL;
}

static bool takes_arg(const struct opt *o)
{
	return o->type != OPT_T_FLAG && o->argh;
}

/* getopt_long's two tables, --help and --list-opts added. */
static void getopt_tables(const struct opt **all, size_t n, bool stop,
			  struct option *lo, char *so)
{
	size_t i;

	so += sprintf(so, "%s:h", stop ? "+" : "");
	for (i = 0; i < n; i++) {
		lo[i] = (struct option){ all[i]->long_name,
			takes_arg(all[i]) ? required_argument : no_argument,
			NULL, all[i]->short_name ?: VAL_LONG + (int)i };
		if (all[i]->short_name)
			so += sprintf(so, "%c%s", all[i]->short_name,
				      takes_arg(all[i]) ? ":" : "");
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, VAL_HELP };
	lo[n++] = (struct option){ "list-opts", no_argument, NULL,
				   VAL_LIST_OPTS };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
}

static int split_list(const struct opt *o, const char *arg, char *base)
{
	const char **items = (const char **)(base + o->off);
	unsigned int *count = (unsigned int *)(base + o->aux);
	char *save = NULL, *w, *copy = strdup(arg);

	/* The copy stays: the items point into it for the program's life. */
	if (!copy)
		return -ENOMEM;
	*count = 0;
	for (w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (*count == o->max)
			return -E2BIG;
		items[(*count)++] = w;
	}
	return *count ? 0 : -EINVAL;
}

/* Store one option's value; 0 or a negative errno. */
static int store(const struct opt *o, const char *arg, char *base,
		 char *err, size_t len)
{
	uint64_t v;
	int e;

	if (o->has_seen)
		*(bool *)(base + o->seen) = true;
	switch (o->type) {
	case OPT_T_FLAG:
		*(bool *)(base + o->off) = true;
		return 0;
	case OPT_T_STRING:
		*(const char **)(base + o->off) = arg;
		return 0;
	case OPT_T_UINT:
		return parse_uint(arg, (unsigned int)o->min,
				  (unsigned int)o->max,
				  (unsigned int *)(base + o->off));
	case OPT_T_U64:
		e = parse_u64(arg, o->min, o->max, &v);
		if (!e)
			*(uint64_t *)(base + o->off) = v * (o->scale ?: 1);
		return e;
	case OPT_T_SECONDS:
		return parse_seconds(arg, o->min, o->max,
				     (uint64_t *)(base + o->off));
	case OPT_T_LIST:
		return split_list(o, arg, base);
	case OPT_T_CALLBACK:
		return o->cb(o, arg, base, err, len);
	default:
		return -EINVAL;
	}
}

/* "invalid value", with the range when it helps to know it. */
static void say_invalid(const char *name, const struct opt *o,
			const char *arg)
{
	fprintf(stderr, "%s: invalid value '%s' for --%s", name, arg,
		o->long_name);
	if ((o->type == OPT_T_UINT || o->type == OPT_T_U64) &&
	    o->max < UINT32_MAX)
		fprintf(stderr, " (%" PRIu64 "-%" PRIu64 ")", o->min, o->max);
	fputc('\n', stderr);
}

static int usage_error(const struct opts_cmd *cmd)
{
	cmd->usage(stderr);
	return OPTS_ERROR;
}

static const struct opt *by_val(const struct opt **all, size_t n, int c)
{
	size_t i;

	if (c >= VAL_LONG && c < VAL_LONG + (int)n)
		return all[c - VAL_LONG];
	for (i = 0; i < n; i++)
		if (all[i]->short_name == c)
			return all[i];
	return NULL;
}

/* getopt_long's '?' or ':' as a sentence. */
static int bad_option(const struct opts_cmd *cmd, int c, char **argv,
		      const struct opt **all, size_t n)
{
	const struct opt *o = by_val(all, n, optopt);

	if (c == ':' && o)
		fprintf(stderr, "%s: option '--%s' needs a value\n", cmd->name,
			o->long_name);
	else if (optopt && optopt < VAL_LONG)
		fprintf(stderr, "%s: unknown option '-%c'\n", cmd->name,
			optopt);
	else
		fprintf(stderr, "%s: unknown option '%s'\n", cmd->name,
			argv[optind - 1]);
	return usage_error(cmd);
}

static void list_opts(const struct opt **all, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("--%s\n", all[i]->long_name);
}

int opts_parse(const struct opts_cmd *cmd, void *base, int argc,
	       char **argv)
{
	const struct opt *all[OPTS_MAX], *o;
	struct option lo[OPTS_MAX + 3];
	char so[3 * OPTS_MAX + 4], err[256];
	size_t n = flatten(cmd->opts, all, 0);
	int c;

	getopt_tables(all, n, cmd->stop_at_operand, lo, so);
	optind = 0;	/* glibc: full re-initialisation, for repeated calls */
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == 'h' || c == VAL_HELP) {
			cmd->usage(stdout);
			return OPTS_HELP;
		}
		if (c == VAL_LIST_OPTS) {
			list_opts(all, n);
			return OPTS_HELP;
		}
		o = c == '?' || c == ':' ? NULL : by_val(all, n, c);
		if (!o)
			return bad_option(cmd, c, argv, all, n);
		err[0] = '\0';
		if (!store(o, optarg, base, err, sizeof(err)))
			continue;
		if (err[0])
			fprintf(stderr, "%s: %s\n", cmd->name, err);
		else
			say_invalid(cmd->name, o, optarg ?: "");
		return usage_error(cmd);
	}
	return optind;
}

/* Help rendering: the option column, then the help wrapped beside it. */
#define HELP_INDENT	4
#define HELP_SPEC_MAX	20	/* wider names push their help along */
#define HELP_WIDTH	80

static int spec(const struct opt *o, bool shorts, char *buf, size_t len)
{
	char s[8] = "";

	if (shorts)
		snprintf(s, sizeof(s), o->short_name ? "-%c, " : "    ",
			 o->short_name);
	return snprintf(buf, len, "%s--%s%s%s", s, o->long_name,
			o->argh ? " " : "", o->argh ?: "");
}

static bool hidden(const struct opt *o)
{
	return !o->help && !o->help_fn;
}

/*
 * Words of @text from column @at, lines broken before @HELP_WIDTH and
 * continued at column @col. Lines after a '\n' in @text are kept as they
 * are, each at @col: a small table under the option.
 */
static void wrap(FILE *f, const char *p, int at, int col)
{
	const char *nl = strchr(p, '\n');
	const char *end = nl ?: p + strlen(p);
	bool fresh = true;	/* no space before the next word */

	while (p < end) {
		int w = (int)strcspn(p, " \n");

		if (!fresh && at + 1 + w >= HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
			fresh = true;
		}
		if (!fresh) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", w, p);
		at += w;
		for (p += w, fresh = false; *p == ' '; p++)
			;
	}
	fputc('\n', f);
	for (p = nl; p && *p; p = nl) {
		nl = strchr(++p, '\n');
		fprintf(f, "%*s%.*s\n", col, "",
			(int)(nl ? nl - p : (long)strlen(p)), p);
	}
}

/* The help column: after the widest name, unless that one is too wide. */
static int help_column(const struct opt **all, size_t n, bool shorts)
{
	int width = 0, most = HELP_SPEC_MAX + (shorts ? 4 : 0);
	char buf[128];
	size_t i;

	for (i = 0; i < n; i++) {
		int w = hidden(all[i]) ? 0 :
			spec(all[i], shorts, buf, sizeof(buf));

		if (w > width)
			width = w;
	}
	return HELP_INDENT + (width < most ? width : most) + 2;
}

void opts_help(FILE *f, const struct opt *opts)
{
	const struct opt *all[OPTS_MAX];
	size_t i, n = flatten(opts, all, 0);
	char buf[128], text[2048];
	bool shorts = false;
	int col, at;

	for (i = 0; i < n; i++)
		shorts |= !hidden(all[i]) && all[i]->short_name;
	col = help_column(all, n, shorts);
	for (i = 0; i < n; i++) {
		const char *help = all[i]->help;

		if (hidden(all[i]))
			continue;
		spec(all[i], shorts, buf, sizeof(buf));
		at = fprintf(f, "%*s%s", HELP_INDENT, "", buf);
		at += fprintf(f, "%*s", at + 2 <= col ? col - at : 2, "");
		if (all[i]->help_fn) {
			all[i]->help_fn(text, sizeof(text));
			help = text;
		}
		wrap(f, help, at, col);
	}
}
