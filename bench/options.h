/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table per command declares each option once: its names, its help and
 * where its value goes. The getopt_long table, the option list of the help
 * and the usage errors all come from it (after perf's parse-options).
 *
 * Targets are offsets into the command's own argument struct, so a table
 * can be static const and printed by 'bench help <cmd>' without parsing.
 */
#ifndef BENCH_OPTIONS_H
#define BENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_type {
	OPT_T_END,
	OPT_T_FLAG,		/* bool = true */
	OPT_T_STRING,		/* const char * = the argument */
	OPT_T_UINT,		/* unsigned int in [min, max] */
	OPT_T_U64,		/* uint64_t in [min, max], times scale */
	OPT_T_SECONDS,		/* uint64_t ns; "1.5" seconds, ns in [min, max] */
	OPT_T_LIST,		/* const char *[max] split at ','; count at aux */
	OPT_T_CALLBACK,		/* cb(arg); arg NULL when noarg */
	OPT_T_INCLUDE,		/* another table; earlier names win */
};

struct opt;

/*
 * A callback returns 0 or a negative errno. It may say what is wrong in
 * @err; otherwise the generic "invalid value" message names the option.
 */
typedef int (*opt_cb)(const struct opt *o, const char *arg, void *base,
		      char *err, size_t len);

struct opt {
	enum opt_type type;
	int short_name;			/* 0: long only */
	const char *long_name;
	const char *argh;		/* "<n>"; NULL: no argument */
	const char *help;		/* NULL and no help_fn: hidden */
	/* Help known at run time only (a list of probes, say). */
	void (*help_fn)(char *buf, size_t len);
	size_t off;			/* target in the argument struct */
	size_t aux;			/* OPT_T_LIST: unsigned int count */
	uint64_t min, max, scale;
	opt_cb cb;
	const struct opt *table;	/* OPT_T_INCLUDE */
	bool has_seen;
	size_t seen;			/* bool set when given (OPT_SEEN) */
};

/* Set a bool in the argument struct when the option is given. */
#define OPT_SEEN(o)	.has_seen = true, .seen = (o)

#define OPT_FLAG(s, l, o, h, ...) \
	{ .type = OPT_T_FLAG, .short_name = (s), .long_name = (l), \
	  .off = (o), .help = (h), ##__VA_ARGS__ }
#define OPT_STRING(s, l, o, a, h, ...) \
	{ .type = OPT_T_STRING, .short_name = (s), .long_name = (l), \
	  .off = (o), .argh = (a), .help = (h), ##__VA_ARGS__ }
#define OPT_UINT(s, l, o, lo, hi, a, h, ...) \
	{ .type = OPT_T_UINT, .short_name = (s), .long_name = (l), \
	  .off = (o), .min = (lo), .max = (hi), .argh = (a), .help = (h), \
	  ##__VA_ARGS__ }
#define OPT_U64(s, l, o, lo, hi, a, h, ...) \
	{ .type = OPT_T_U64, .short_name = (s), .long_name = (l), \
	  .off = (o), .min = (lo), .max = (hi), .argh = (a), .help = (h), \
	  ##__VA_ARGS__ }
#define OPT_SECONDS(s, l, o, lo, hi, a, h, ...) \
	{ .type = OPT_T_SECONDS, .short_name = (s), .long_name = (l), \
	  .off = (o), .min = (lo), .max = (hi), .argh = (a), .help = (h), \
	  ##__VA_ARGS__ }
#define OPT_LIST(s, l, o, n, most, a, h, ...) \
	{ .type = OPT_T_LIST, .short_name = (s), .long_name = (l), \
	  .off = (o), .aux = (n), .max = (most), .argh = (a), .help = (h), \
	  ##__VA_ARGS__ }
#define OPT_CALLBACK(s, l, f, a, h, ...) \
	{ .type = OPT_T_CALLBACK, .short_name = (s), .long_name = (l), \
	  .cb = (f), .argh = (a), .help = (h), ##__VA_ARGS__ }
/* A callback without an argument: argh stays NULL. */
#define OPT_CALLBACK_NOARG(s, l, f, h, ...) \
	OPT_CALLBACK(s, l, f, NULL, h, ##__VA_ARGS__)
#define OPT_INCLUDE(t)	{ .type = OPT_T_INCLUDE, .table = (t) }
#define OPT_END()	{ .type = OPT_T_END }

/* The most options in one table, included ones counted. */
#define OPTS_MAX	64

/* opts_parse's results besides the index of the first operand. */
#define OPTS_HELP	(-1)	/* --help printed to stdout */
#define OPTS_ERROR	(-2)	/* usage error said, usage on stderr */

struct opts_cmd {
	const char *name;		/* prefix of messages: "bench vm" */
	const struct opt *opts;
	void (*usage)(FILE *f);		/* the whole help text */
	bool stop_at_operand;		/* options end at the first operand */
};

/*
 * Parse argv[1..] into @base. Returns the index of the first operand, or
 * OPTS_HELP after --help, or OPTS_ERROR after saying what is wrong on
 * stderr and printing the usage there. A hidden --list-opts prints every
 * long option, one a line, and returns OPTS_HELP (as perf's).
 */
int opts_parse(const struct opts_cmd *cmd, void *base, int argc,
	       char **argv);
/* The option list of a help text: aligned, wrapped at 80 columns. */
void opts_help(FILE *f, const struct opt *opts);
/* The option of @opts named @long_name, included tables searched. */
const struct opt *opts_find(const struct opt *opts, const char *long_name);

#endif
