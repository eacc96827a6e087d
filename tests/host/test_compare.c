// SPDX-License-Identifier: GPL-2.0
/*
 * bench compare's arithmetic on a results directory made here: per-cycle
 * values of a strategy against kgraft, as a ratio of medians with a
 * bootstrap interval, written to compare.json and compare.csv.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "compare.h"
#include "results.h"
#include "workload-json.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* kgraft applies in 100..109 ms, slow in 300..327 ms (3x), one incomplete. */
static void make_results(void)
{
	char *buf = malloc(1 << 16);
	size_t n = 0;
	int i;

	assert_non_null(buf);
	strcpy(dir, "/tmp/test_compare_XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_file("summary.json",
		   "{\"status\": \"complete\", \"strategies\": {\"kgraft\": {}, \"slow\": {}}}\n");
	n += sprintf(buf + n, "[");
	for (i = 0; i < 10; i++) {
		n += sprintf(buf + n,
			     "%s{\"strategy\": \"kgraft\", \"complete\": true, \"duration_ns\": {\"apply\": %d},"
			     " \"apply_stats\": {\"stops\": 0, \"stop_max_total_ns\": 0},"
			     " \"workloads\": {\"stall\": {\"apply\": {\"max_ns\": 5000}}}},"
			     "{\"strategy\": \"slow\", \"complete\": true, \"duration_ns\": {\"apply\": %d},"
			     " \"apply_stats\": {\"stops\": 1, \"stop_max_total_ns\": %d},"
			     " \"probes\": {\"stop\": {\"apply\": {\"count\": 2, \"sum_ns\": %d, \"max_ns\": 1}}},"
			     " \"workloads\": {\"stall\": {\"apply\": {\"max_ns\": 0}}}}",
			     i ? "," : "", 100000000 + i * 1000000,
			     300000000 + i * 3000000, 2000000 + i, 4000000 + i);
	}
	n += sprintf(buf + n,
		     ",{\"strategy\": \"slow\", \"complete\": false, \"duration_ns\": {\"apply\": 1}}]\n");
	write_file("cycles.json", buf);
	free(buf);
}

static void test_ratio_and_files(void **state)
{
	char err[256], path[128], *text;
	struct json_value *v;
	const struct json_value *rows, *row = NULL;
	FILE *out = fopen("/dev/null", "w");
	double ratio, lo, hi;
	size_t i;

	(void)state;
	make_results();
	assert_int_equal(compare_results(dir, "kgraft", 1, out, err, sizeof(err)), 0);
	fclose(out);
	assert_int_equal(results_load_json(dir, "compare.json", &v, err, sizeof(err)), 0);
	rows = json_get(v, "rows");
	assert_non_null(rows);
	for (i = 0; i < rows->n; i++) {
		const struct json_value *m = json_get(rows->items[i], "metric");

		if (m && !strcmp(m->str, "apply time"))
			row = rows->items[i];
	}
	assert_non_null(row);
	/* Ten complete cycles each: the incomplete one is left out. */
	assert_string_equal(json_get(row, "n")->str, "10");
	ratio = json_get(row, "ratio")->num;
	lo = json_get(row, "ci_lo")->num;
	hi = json_get(row, "ci_hi")->num;
	if (ratio < 2.99 || ratio > 3.01)
		fail_msg("ratio of medians: expected 3, saw %g", ratio);
	if (!(lo <= ratio && ratio <= hi && lo > 2.5 && hi < 3.5))
		fail_msg("95%% CI [%g, %g] should hold 3 and be tight", lo, hi);
	json_free(v);
	/* A zero baseline has no ratio: the row says so and has none. */
	snprintf(path, sizeof(path), "%s/compare.csv", dir);
	text = calloc(1, 65536);
	out = fopen(path, "r");
	assert_non_null(out);
	assert_true(fread(text, 1, 65535, out) > 0);
	fclose(out);
	assert_non_null(strstr(text, "metric,strategy,n,median_ns"));
	assert_non_null(strstr(text, "apply time,slow,10,"));
	/*
	 * The kernel's longest stop: a median for the strategy that stops,
	 * none for a ratio against kgraft's zeros. The stop probe's CPU time
	 * is compared only where the baseline has it: kgraft has no probe
	 * numbers here, so no row.
	 */
	assert_non_null(strstr(text, "longest stop (kernel) in apply,slow,10,2000004,kgraft,10,0,"));
	assert_null(strstr(text, "CPU time stopped (probe) in apply"));
	free(text);
	snprintf(path, sizeof(path), "rm -r %s", dir);
	assert_int_equal(system(path), 0);
}

static void test_missing_baseline(void **state)
{
	char err[256], cmd[128];
	FILE *out = fopen("/dev/null", "w");

	(void)state;
	make_results();
	assert_true(compare_results(dir, "stop_machine", 1, out, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "no results for stop_machine"));
	fclose(out);
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_and_files),
		cmocka_unit_test(test_missing_baseline),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
