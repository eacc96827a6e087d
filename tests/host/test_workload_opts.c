// SPDX-License-Identifier: GPL-2.0
/* 'bench workload' options: CPU lists, seconds, the whole command line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/builtin.h"
#include "bench/workload/cli.h"

static void test_cpu_list(void **state)
{
	int cpus[16];
	unsigned int n = 99;

	(void)state;
	assert_int_equal(parse_cpu_list("3", cpus, 16, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cpus[0], 3);
	assert_int_equal(parse_cpu_list("0-2,5,7-8", cpus, 16, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(cpus[0], 0);
	assert_int_equal(cpus[2], 2);
	assert_int_equal(cpus[3], 5);
	assert_int_equal(cpus[5], 8);
	n = 99;
	assert_int_equal(parse_cpu_list("", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list("1,", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list(",1", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list("3-1", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list("1-", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list("1,1", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list("a", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list("-1", cpus, 16, &n), -EINVAL);
	assert_int_equal(parse_cpu_list("0-20", cpus, 16, &n), -ERANGE);
	assert_int_equal(parse_cpu_list("99999", cpus, 16, &n), -ERANGE);
	assert_int_equal(n, 99);	/* untouched on error */
}

static void test_seconds(void **state)
{
	uint64_t ns = 7;

	(void)state;
	assert_int_equal(parse_seconds("2", 1, 10000000000ULL, &ns), 0);
	assert_int_equal(ns, 2000000000ULL);
	assert_int_equal(parse_seconds("0.25", 1, 10000000000ULL, &ns), 0);
	assert_int_equal(ns, 250000000ULL);
	assert_int_equal(parse_seconds("1.000000001", 1, 10000000000ULL, &ns), 0);
	assert_int_equal(ns, 1000000001ULL);
	ns = 7;
	assert_int_equal(parse_seconds("1.0000000001", 1, 10000000000ULL, &ns),
			 -EINVAL);
	assert_int_equal(parse_seconds(".5", 1, 10000000000ULL, &ns), -EINVAL);
	assert_int_equal(parse_seconds("5.", 1, 10000000000ULL, &ns), -EINVAL);
	assert_int_equal(parse_seconds("-1", 1, 10000000000ULL, &ns), -EINVAL);
	assert_int_equal(parse_seconds("1s", 1, 10000000000ULL, &ns), -EINVAL);
	assert_int_equal(parse_seconds("0", 1, 10000000000ULL, &ns), -ERANGE);
	assert_int_equal(parse_seconds("11", 1, 10000000000ULL, &ns), -ERANGE);
	assert_int_equal(ns, 7);
}

/* Run the parser on a command line given as one string. */
static int parse(const char *line, struct workload_cmd *c)
{
	static char buf[512];
	char *argv[32], *save = NULL, *tok;
	int argc = 0, ret;
	FILE *saved = stderr;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	/* The usage text on errors is expected; keep the test output clean. */
	stderr = fopen("/dev/null", "w");
	ret = workload_parse_args(argc, argv, c);
	fclose(stderr);
	stderr = saved;
	return ret;
}

static void test_defaults(void **state)
{
	struct workload_cmd c;

	(void)state;
	assert_int_equal(parse("workload wakeup", &c), 0);
	assert_string_equal(c.ops->name, "wakeup");
	assert_int_equal(c.opts.threads, 1);
	assert_int_equal(c.opts.rate_hz, 1000);
	assert_int_equal(c.opts.prio, 80);
	assert_int_equal(c.opts.duration_ns, 5000000000ULL);
	assert_int_equal(c.counters, 1);
	assert_int_equal(c.nr_probes, 0);
	assert_null(c.json);

	assert_int_equal(parse("workload target", &c), 0);
	assert_string_equal(c.opts.op, "ioctl");
	assert_int_equal(c.opts.rate_hz, 0);
	assert_int_equal(c.opts.prio, 0);
}

static void test_full_line(void **state)
{
	struct workload_cmd c;

	(void)state;
	assert_int_equal(parse("workload target -t 4 --cpus 0-1 --rate 500 --duration 1.5 --window 20 --op getppid --probes syscall,sched --json /tmp/x.json --counters system --all-tasks --mlock", &c), 0);
	assert_int_equal(c.opts.threads, 4);
	assert_int_equal(c.opts.nr_cpus, 2);
	assert_int_equal(c.opts.cpus[1], 1);
	assert_int_equal(c.opts.rate_hz, 500);
	assert_int_equal(c.opts.duration_ns, 1500000000ULL);
	assert_int_equal(c.opts.window_ns, 20000000ULL);
	assert_string_equal(c.opts.op, "getppid");
	assert_int_equal(c.nr_probes, 2);
	assert_string_equal(c.probe_names[0], "syscall");
	assert_string_equal(c.probe_names[1], "sched");
	assert_string_equal(c.json, "/tmp/x.json");
	assert_int_equal(c.counters, 2);
	assert_true(c.all_tasks);
	assert_true(c.mlock);

	assert_int_equal(parse("workload stall --threshold 50 -p all --counters none", &c), 0);
	assert_int_equal(c.opts.threshold_ns, 50000);
	assert_int_equal(c.nr_probes, 4);
	assert_int_equal(c.counters, 0);

	assert_int_equal(parse("workload population --tasks 8 --sleepers 2 --sleep-ms 5 -r 100 --kthread", &c), 0);
	assert_true(c.opts.kthread);
	assert_int_equal(c.opts.tasks, 8);
	assert_int_equal(c.opts.sleepers, 2);
	assert_int_equal(c.opts.sleep_ms, 5);
	assert_int_equal(c.opts.rate_hz, 100);
}

static void test_usage_errors(void **state)
{
	static const char *const bad[] = {
		"workload",				/* no name */
		"workload nosuch",			/* unknown workload */
		"workload -t 2 stall",			/* name not first */
		"workload stall extra",			/* stray argument */
		"workload stall --bogus",		/* unknown option */
		"workload stall -t 0",			/* out of range */
		"workload stall -t 257",
		"workload stall -t x",
		"workload stall --cpus 1-0",
		"workload stall --duration 0",
		"workload stall --duration abc",
		"workload stall --window 0",
		"workload stall --probes nosuch",
		"workload stall --probes syscall,syscall",
		"workload stall --probes ,",
		"workload stall --counters maybe",
		"workload stall --op getppid",		/* --op is target's */
		"workload wakeup --prio 100",
		"workload stall --rate -5",
		"workload population --sleep-ms 0",
		"workload stall --threads",		/* missing value */
		"workload stall --rate 10",		/* spins: no rate */
		"workload wakeup --rate 0",		/* needs a period */
		"workload stall -d 2000 -w 1",		/* too many windows */
		"workload stall --tasks 3",		/* population's */
		"workload target --kthread",		/* population's */
		"workload wakeup --threshold 5",	/* stall's */
	};
	struct workload_cmd c;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse(bad[i], &c);

		if (ret != EXIT_USAGE)
			fail_msg("'%s': expected %d, saw %d", bad[i], EXIT_USAGE,
				 ret);
	}
}

static void test_help(void **state)
{
	struct workload_cmd c;
	FILE *saved = stdout;
	char buf[8192];
	size_t n;

	(void)state;
	stdout = tmpfile();
	assert_non_null(stdout);
	assert_int_equal(parse("workload --help", &c), -1);
	assert_int_equal(parse("workload stall -h", &c), -1);
	rewind(stdout);
	n = fread(buf, 1, sizeof(buf) - 1, stdout);
	buf[n] = '\0';
	fclose(stdout);
	stdout = saved;
	assert_non_null(strstr(buf, "usage: bench workload <name>"));
	assert_non_null(strstr(buf, "population"));
	assert_non_null(strstr(buf, "--probes"));
}

/* The command itself: a usage error exits 2 before doing anything. */
static void test_cmd_exit_status(void **state)
{
	char a0[] = "workload", a1[] = "stall", a2[] = "--duration",
	     a3[] = "forever";
	char *argv[] = { a0, a1, a2, a3, NULL };
	FILE *saved = stderr;
	int ret;

	(void)state;
	stderr = fopen("/dev/null", "w");
	ret = cmd_workload(4, argv);
	fclose(stderr);
	stderr = saved;
	assert_int_equal(ret, EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_list),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_line),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_cmd_exit_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
