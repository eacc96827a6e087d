// SPDX-License-Identifier: GPL-2.0
/*
 * bench sweep without a guest: value lists, the matrix, each cell's child
 * command line, the time-left estimate, and a whole sweep run twice with a
 * fake bench (a shell script) to check resume and the index.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/results.h"
#include "bench/host/sweep.h"
#include "lib/json.h"

static void test_parse_list(void **state)
{
	unsigned int v[4], n;
	char err[128];

	(void)state;
	assert_int_equal(sweep_parse_list("1,2,4", 1, 64, v, 4, &n, err,
					  sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], 2);
	assert_int_equal(v[2], 4);
	assert_int_equal(sweep_parse_list("10000", 0, 100000, v, 4, &n, err,
					  sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 10000);
	assert_int_equal(sweep_parse_list("0", 1, 64, v, 4, &n, err,
					  sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "1-64"));
	assert_int_equal(sweep_parse_list("1,1", 1, 64, v, 4, &n, err,
					  sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(sweep_parse_list("1,", 1, 64, v, 4, &n, err,
					  sizeof(err)), -EINVAL);
	assert_int_equal(sweep_parse_list("", 1, 64, v, 4, &n, err,
					  sizeof(err)), -EINVAL);
	assert_int_equal(sweep_parse_list("a", 1, 64, v, 4, &n, err,
					  sizeof(err)), -EINVAL);
	assert_int_equal(sweep_parse_list("-1", 0, 64, v, 4, &n, err,
					  sizeof(err)), -EINVAL);
	assert_int_equal(sweep_parse_list("1,2,3,4,5", 1, 64, v, 4, &n, err,
					  sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "at most 4"));
}

static void test_expand_and_argv(void **state)
{
	struct sweep sw = {
		.strategies = "kgraft,klp", .nr_strategies = 2,
		.cpus = { 1, 2 }, .ncpus = 2, .tasks = { 0, 100, 1000 },
		.ntasks = 3, .cycles = 3, .jobs = 2, .out = "/t",
		.bench = "/b/bench", .forward = { "--baseline=0.5" },
		.nr_forward = 1,
	};
	char buf[4096], *argv[32];
	size_t n;

	(void)state;
	assert_int_equal(sweep_expand(&sw), 0);
	assert_int_equal(sw.ncells, 6);
	/* cpus-major, in the order given */
	assert_string_equal(sw.cells[0].path, "cpus1-tasks0");
	assert_string_equal(sw.cells[2].path, "cpus1-tasks1000");
	assert_string_equal(sw.cells[3].path, "cpus2-tasks0");
	assert_int_equal(sw.cells[5].cpus, 2);
	assert_int_equal(sw.cells[5].tasks, 1000);

	n = sweep_argv(&sw, &sw.cells[4], argv, 32, buf, sizeof(buf));
	assert_int_equal(n, 9);
	assert_string_equal(argv[0], "/b/bench");
	assert_string_equal(argv[1], "compare");
	assert_string_equal(argv[2], "--strategies=kgraft,klp");
	assert_string_equal(argv[3], "--cpus=2");
	assert_string_equal(argv[4], "--tasks=100");
	assert_string_equal(argv[5], "--workload=target,stall,population");
	assert_string_equal(argv[6], "--cycles=3");
	assert_string_equal(argv[7], "--baseline=0.5");
	assert_string_equal(argv[8], "--out=/t/cpus2-tasks100");
	assert_null(argv[9]);

	/* one strategy: bench run; no tasks: the child's own workloads */
	sw.strategies = "kgraft";
	sw.nr_strategies = 1;
	sw.workload_given = false;
	n = sweep_argv(&sw, &sw.cells[0], argv, 32, buf, sizeof(buf));
	assert_int_equal(n, 7);
	assert_string_equal(argv[1], "run");
	assert_string_equal(argv[2], "--strategy=kgraft");
	assert_string_equal(argv[3], "--cpus=1");
	assert_string_equal(argv[4], "--cycles=3");
	/* a --workload of the user's replaces the sweep's choice */
	sw.workload_given = true;
	n = sweep_argv(&sw, &sw.cells[1], argv, 32, buf, sizeof(buf));
	assert_int_equal(n, 8);
	assert_string_equal(argv[4], "--tasks=100");
	assert_string_equal(argv[5], "--cycles=3");
	sweep_free(&sw);

	/* tasks outside the patch only: their option and their own cells */
	sw.tasks_opt = "tasks-outside";
	sw.tasks_word = "outside";
	assert_int_equal(sweep_expand(&sw), 0);
	assert_string_equal(sw.cells[2].path, "cpus1-outside1000");
	n = sweep_argv(&sw, &sw.cells[2], argv, 32, buf, sizeof(buf));
	assert_string_equal(argv[4], "--tasks-outside=1000");
	assert_string_equal(argv[n - 1], "--out=/t/cpus1-outside1000");
	sweep_free(&sw);
}

static void test_eta(void **state)
{
	(void)state;
	assert_true(sweep_eta(60, 0, 2) == 0);
	assert_true(sweep_eta(60, 1, 2) == 60);
	assert_true(sweep_eta(60, 2, 2) == 60);
	assert_true(sweep_eta(60, 3, 2) == 120);
	assert_true(sweep_eta(10, 5, 1) == 50);
	assert_true(sweep_eta(10, 5, 0) == 50);	/* jobs 0 taken as 1 */
}

/*
 * A fake bench: writes status.json in --out, complete unless the file
 * "fail-<cell>" exists beside it, and logs each call.
 */
static const char fake[] =
	"#!/bin/sh\n"
	"for a; do case $a in --out=*) out=${a#--out=};; esac; done\n"
	"dir=$(dirname \"$0\")\n"
	"echo \"$*\" >> \"$dir/calls\"\n"
	"mkdir -p \"$out\"\n"
	"if [ -e \"$dir/fail-$(basename \"$out\")\" ]; then\n"
	"  printf '{\"status\": \"incomplete\", \"reason\": \"fake failure\"}' > \"$out/status.json\"; exit 1\n"
	"fi\n"
	"printf '{\"status\": \"complete\"}' > \"$out/status.json\"\n";

static int count_lines(const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static const char *cell_str(const json_t *idx, size_t i, const char *key)
{
	const json_t *c = json_array_get(json_object_get(idx, "cells"), i);

	return json_string_value(json_object_get(c, key));
}

static const char *cell_status(const json_t *idx, size_t i)
{
	return cell_str(idx, i, "status");
}

static void test_run_resume_index(void **state)
{
	char dir[] = "/tmp/test-sweep-XXXXXX", path[512], tree[512];
	char bench[512], err[256], cmd[600];
	json_t *idx;
	struct sweep sw = {
		.strategies = "kgraft", .nr_strategies = 1,
		.cpus = { 1, 2 }, .ncpus = 2, .tasks = { 10, 100 },
		.ntasks = 2, .cycles = 3, .jobs = 2,
	};
	FILE *f, *progress;
	int lock;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(bench, sizeof(bench), "%s/fake-bench", dir);
	f = fopen(bench, "w");
	assert_non_null(f);
	fputs(fake, f);
	fclose(f);
	chmod(bench, 0755);
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	snprintf(path, sizeof(path), "%s/fail-cpus2-tasks10", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	sw.out = tree;
	sw.bench = bench;
	progress = fopen("/dev/null", "w");
	assert_non_null(progress);

	/* First sweep: four cells run, one fails. */
	assert_int_equal(sweep_expand(&sw), 0);
	assert_int_equal(sweep_run(&sw, progress), 1);
	snprintf(path, sizeof(path), "%s/calls", dir);
	assert_int_equal(count_lines(path), 4);
	assert_int_equal(results_load_json(tree, "index.json", &idx, err,
					   sizeof(err)), 0);
	assert_int_equal(json_array_size(json_object_get(idx, "cells")), 4);
	assert_string_equal(cell_status(idx, 0), "complete");
	assert_string_equal(cell_status(idx, 2), "incomplete");
	assert_string_equal(cell_str(idx, 2, "path"), "cpus2-tasks10");
	assert_string_equal(cell_str(idx, 2, "reason"), "fake failure");
	json_decref(idx);
	snprintf(path, sizeof(path), "%s/index.csv", tree);
	assert_int_equal(count_lines(path), 5);
	snprintf(path, sizeof(path), "%s/logs/cpus1-tasks10.log", tree);
	assert_int_equal(access(path, F_OK), 0);
	sweep_free(&sw);

	/* Second sweep: only the failed cell runs again, now complete. */
	snprintf(path, sizeof(path), "%s/fail-cpus2-tasks10", dir);
	unlink(path);
	assert_int_equal(sweep_expand(&sw), 0);
	assert_int_equal(sweep_run(&sw, progress), 0);
	snprintf(path, sizeof(path), "%s/calls", dir);
	assert_int_equal(count_lines(path), 5);
	assert_int_equal(results_load_json(tree, "index.json", &idx, err,
					   sizeof(err)), 0);
	assert_string_equal(cell_status(idx, 2), "complete");
	assert_string_equal(cell_status(idx, 0), "complete");
	/* the skipped cell keeps what the first sweep recorded */
	assert_non_null(json_path(idx, "cells.0.seconds"));
	assert_true(json_is_integer(json_path(idx, "cells.0.exit_status")));
	assert_int_equal(json_integer_value(json_path(idx,
						      "cells.0.exit_status")),
			 0);
	json_decref(idx);
	sweep_free(&sw);

	/* Third: nothing left to do, nothing runs. */
	assert_int_equal(sweep_expand(&sw), 0);
	assert_int_equal(sweep_run(&sw, progress), 0);
	assert_int_equal(count_lines(path), 5);
	sweep_free(&sw);

	/* A sweep already running on the tree: refused, nothing runs. */
	snprintf(cmd, sizeof(cmd), "%s/.sweep.lock", tree);
	lock = open(cmd, O_RDWR);
	assert_true(lock >= 0);
	assert_int_equal(flock(lock, LOCK_EX | LOCK_NB), 0);
	assert_int_equal(sweep_expand(&sw), 0);
	assert_int_equal(sweep_run(&sw, progress), -EBUSY);
	assert_int_equal(count_lines(path), 5);
	sweep_free(&sw);
	close(lock);
	fclose(progress);
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_expand_and_argv),
		cmocka_unit_test(test_eta),
		cmocka_unit_test(test_run_resume_index),
	};

	return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
