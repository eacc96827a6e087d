// SPDX-License-Identifier: GPL-2.0
/* bench/options.c: each option type, the usage errors, the help's layout. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bench/options.h"

struct args {
	bool flag, seen;
	const char *str;
	unsigned int u;
	uint64_t big, ns;
	const char *items[3];
	unsigned int nr_items;
	int cb;
};

#define A(f)	offsetof(struct args, f)

static int even_opt(const struct opt *o, const char *arg, void *base,
		    char *err, size_t len)
{
	(void)o;
	if (strcmp(arg, "2") && strcmp(arg, "4")) {
		snprintf(err, len, "--even wants 2 or 4, not '%s'", arg);
		return -EINVAL;
	}
	((struct args *)base)->cb = arg[0] - '0';
	return 0;
}

static const struct opt more[] = {
	OPT_UINT(0, "num", A(u), 1, 10, "<n>", "overridden before"),
	OPT_CALLBACK(0, "even", even_opt, "<e>", "2 or 4"),
	OPT_STRING(0, "hidden", A(str), "<h>", NULL),
	OPT_END(),
};

static const struct opt table[] = {
	OPT_FLAG('f', "flag", A(flag), "a flag", OPT_SEEN(A(seen))),
	OPT_STRING('s', "str", A(str), "<s>", "a string"),
	OPT_UINT(0, "num", A(u), 1, 10, "<n>", "a number from 1 to 10"),
	OPT_U64(0, "ms", A(big), 1, 1000, "<ms>", "milliseconds", .scale = 1000000),
	OPT_SECONDS(0, "time", A(ns), 1000, 10000000000ULL, "<s>",
		    "seconds, decimals allowed; a long help text that has to be "
		    "wrapped at eighty columns, more than once if need be, "
		    "at word boundaries"),
	OPT_LIST(0, "list", A(items), A(nr_items), 3, "<a,...>", "a list"),
	OPT_INCLUDE(more),
	OPT_END(),
};

static char out[8192];

static void usage(FILE *f)
{
	fprintf(f, "usage: test [<options>]\n\n");
	opts_help(f, table);
}

/* Parse a space-separated line; stdout and stderr go to out[]. */
static int parse(const char *line, struct args *a, bool stop)
{
	const struct opts_cmd cmd = {
		.name = "test", .opts = table, .usage = usage,
		.stop_at_operand = stop,
	};
	static char buf[512];
	char *argv[32], *save = NULL, *w;
	FILE *so = stdout, *se = stderr, *tmp = tmpfile();
	int argc = 0, ret;
	size_t n;

	memset(a, 0, sizeof(*a));
	snprintf(buf, sizeof(buf), "test %s", line);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	stdout = stderr = tmp;
	ret = opts_parse(&cmd, a, argc, argv);
	fflush(tmp);
	stdout = so;
	stderr = se;
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return ret;
}

static void test_types(void **state)
{
	struct args a;

	(void)state;
	assert_int_equal(parse("-f -s x --num 7 --ms 3 --time 1.5 --list a,b op", &a, false), 12);
	assert_true(a.flag);
	assert_true(a.seen);
	assert_string_equal(a.str, "x");
	assert_int_equal(a.u, 7);
	assert_int_equal(a.big, 3000000);
	assert_int_equal(a.ns, 1500000000ULL);
	assert_int_equal(a.nr_items, 2);
	assert_string_equal(a.items[1], "b");
	assert_int_equal(parse("--str=y --even 4 --hidden h", &a, false), 6);
	assert_string_equal(a.str, "h");
	assert_int_equal(a.cb, 4);
	assert_false(a.seen);
	/* Operands are permuted to the end, unless options stop at one. */
	assert_int_equal(parse("op -f", &a, false), 2);
	assert_true(a.flag);
	assert_int_equal(parse("op -f", &a, true), 1);
	assert_false(a.flag);
}

static void test_errors(void **state)
{
	static const char *const bad[][2] = {
		{ "--num 0", "test: invalid value '0' for --num (1-10)" },
		{ "--num x", "test: invalid value 'x' for --num (1-10)" },
		{ "--ms 1001", "test: invalid value '1001' for --ms (1-1000)" },
		{ "--time 0.0000001", "test: invalid value '0.0000001' for --time\n" },
		{ "--list a,b,c,d", "invalid value 'a,b,c,d' for --list\n" },
		{ "--list ,", "invalid value ',' for --list\n" },
		{ "--even 3", "test: --even wants 2 or 4, not '3'\n" },
		{ "--bogus", "test: unknown option '--bogus'\n" },
		{ "-x", "test: unknown option '-x'\n" },
		{ "--num", "test: option '--num' needs a value\n" },
		{ "-s", "test: option '--str' needs a value\n" },
	};
	struct args a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i][0], &a, false), OPTS_ERROR);
		if (!strstr(out, bad[i][1]))
			fail_msg("'%s': no '%s' in '%s'", bad[i][0], bad[i][1],
				 out);
		/* The usage follows every error. */
		assert_non_null(strstr(out, "usage: test"));
	}
}

static void test_help(void **state)
{
	struct args a;
	char *line, *save = NULL;

	(void)state;
	assert_int_equal(parse("--help", &a, false), OPTS_HELP);
	assert_non_null(strstr(out, "usage: test [<options>]\n\n"
				"    -f, --flag          a flag\n"
				"    -s, --str <s>       a string\n"
				"        --num <n>       a number from 1 to 10\n"));
	/* Wrapped at word boundaries, continued at the help column. */
	assert_non_null(strstr(out,
		"        --time <s>      seconds, decimals allowed; a long help text that has to\n"
		"                        be wrapped at eighty columns, more than once if need\n"
		"                        be, at word boundaries\n"));
	assert_null(strstr(out, "overridden before"));
	assert_null(strstr(out, "--hidden"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) < 80);
	assert_int_equal(parse("-h", &a, false), OPTS_HELP);
	assert_non_null(strstr(out, "usage: test"));
	/* Every option, hidden ones too, once, for scripts and tests. */
	assert_int_equal(parse("--list-opts", &a, false), OPTS_HELP);
	assert_string_equal(out, "--flag\n--str\n--num\n--ms\n--time\n--list\n"
			    "--even\n--hidden\n");
	assert_non_null(opts_find(table, "even"));
	assert_null(opts_find(table, "nosuch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
