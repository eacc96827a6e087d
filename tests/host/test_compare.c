// SPDX-License-Identifier: GPL-2.0
/*
 * bench compare's arithmetic on results directories made here: per-cycle
 * values of a strategy against kgraft, as a ratio and a difference of
 * medians with bootstrap intervals, written to compare.json and
 * compare.csv; the verdicts (clear separations, overlaps), the n < 5 rule
 * and the sentences that say them.
 */
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analysis/compare/compare.h"
#include "analysis/stats/power.h"
#include "lib/results.h"
#include "lib/json.h"

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

/* A fresh results directory in @dir holding @summary. */
static void new_dir(const char *summary)
{
	strcpy(dir, "/tmp/test_compare_XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_file("status.json", "{\"status\": \"complete\"}\n");
	write_file("summary.json", summary);
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
	write_file("status.json", "{\"status\": \"complete\"}\n");
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

static double num(const json_t *f, const char *key)
{
	return json_number_value(json_object_get(f, key));
}

static void test_ratio_and_files(void **state)
{
	char err[256], path[128], *text;
	json_t *v, *rows, *row = NULL;
	FILE *out = fopen("/dev/null", "w");
	double ratio, lo, hi;
	size_t i;

	(void)state;
	make_results();
	assert_int_equal(compare_results(dir, "kgraft", 1, out, err, sizeof(err)), 0);
	fclose(out);
	assert_int_equal(results_load_json(dir, "compare.json", &v, err, sizeof(err)), 0);
	rows = json_object_get(v, "rows");
	assert_non_null(rows);
	for (i = 0; i < json_array_size(rows); i++) {
		json_t *m = json_object_get(json_array_get(rows, i), "metric");

		if (m && !strcmp(json_string_value(m), "apply time"))
			row = json_array_get(rows, i);
	}
	assert_non_null(row);
	/* Ten complete cycles each: the incomplete one is left out. */
	assert_int_equal(json_integer_value(json_object_get(row, "n")), 10);
	ratio = num(row, "ratio");
	lo = num(row, "ci_lo");
	hi = num(row, "ci_hi");
	if (ratio < 2.99 || ratio > 3.01)
		fail_msg("ratio of medians: expected 3, saw %g", ratio);
	if (!(lo <= ratio && ratio <= hi && lo > 2.5 && hi < 3.5))
		fail_msg("95%% CI [%g, %g] should hold 3 and be tight", lo, hi);
	json_decref(v);
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

/* One synthetic cycle: what bench compare reads of it, in ms. */
struct cyc {
	const char *s;
	double apply, revert, gap, stop_apply, stop_revert, cpu_apply;
};

static void write_cycles(const struct cyc *c, size_t n, const char *summary)
{
	char *buf = malloc(1 << 17);
	size_t i, o = 0;

	assert_non_null(buf);
	strcpy(dir, "/tmp/test_compare_XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_file("status.json", "{\"status\": \"complete\"}\n");
	write_file("summary.json", summary);
	o += sprintf(buf + o, "[");
	for (i = 0; i < n; i++)
		o += sprintf(buf + o,
			     "%s{\"strategy\": \"%s\", \"complete\": true,"
			     " \"duration_ns\": {\"apply\": %.0f, \"revert\": %.0f},"
			     " \"apply_stats\": {\"stop_max_total_ns\": %.0f},"
			     " \"revert_stats\": {\"stop_max_total_ns\": %.0f},"
			     " \"probes\": {\"stop\": {\"apply\": {\"sum_ns\": %.0f}}},"
			     " \"workloads\": {\"stall\": {\"apply\": {\"max_ns\": %.0f}}}}",
			     i ? "," : "", c[i].s, c[i].apply * 1e6,
			     c[i].revert * 1e6, c[i].stop_apply * 1e6,
			     c[i].stop_revert * 1e6, c[i].cpu_apply * 1e6,
			     c[i].gap * 1e6);
	strcpy(buf + o, "]\n");
	write_file("cycles.json", buf);
	free(buf);
}

/* Run the comparison; its printed text, to be freed. */
static char *compare_text(void)
{
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	if (compare_results(dir, "kgraft", 1, out, err, sizeof(err)))
		fail_msg("bench compare failed: %s", err);
	fclose(out);
	return text;
}

static json_t *finding(const json_t *v, const char *metric, const char *s)
{
	const json_t *fs = json_object_get(v, "findings");
	size_t i;

	assert_non_null(fs);
	for (i = 0; i < json_array_size(fs); i++) {
		json_t *f = json_array_get(fs, i);
		const char *m = json_string_value(json_object_get(f, "metric"));
		const char *n =
			json_string_value(json_object_get(f, "strategy"));

		if (!strcmp(m, metric) && !strcmp(n, s))
			return f;
	}
	fail_msg("no finding for %s of %s", metric, s);
	return NULL;
}

static void expect_str(const json_t *f, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(f, key));

	if (!v || strcmp(v, want))
		fail_msg("%s: expected \"%s\", saw \"%s\"", key, want,
			 v ? v : "(none)");
}

static void expect_in(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("expected the line \"%s\" in:\n%s", want, text);
}

/*
 * kgraft against: slow (apply 300 ms in every cycle, a 2 ms stop per
 * apply, 1 ms per revert), fast (apply 40 ms), and tiny (4 cycles only).
 * Reverts and stall gaps overlap for all: not distinguishable.
 */
static void make_verdicts(void)
{
	struct cyc c[64];
	size_t n = 0;
	int i;

	for (i = 0; i < 10; i++) {
		double gap = 5 + i * 0.1, rev = 100 + i;

		c[n++] = (struct cyc){ "kgraft", 100, rev, gap, 0, 0, 0 };
		c[n++] = (struct cyc){ "slow", 300, 100 + (i * 7) % 10,
				       gap + 0.05, 2, 1, 4 };
		c[n++] = (struct cyc){ "fast", 40, rev, gap, 0, 0, 0 };
		if (i < 4)
			c[n++] = (struct cyc){ "tiny", 500, rev, gap, 0, 0, 0 };
	}
	write_cycles(c, n, "{\"strategies\": {\"kgraft\": {}, \"slow\": {},"
			   " \"fast\": {}, \"tiny\": {}}}\n");
}

static void test_verdicts(void **state)
{
	char err[256];
	char *text;
	json_t *v;
	const json_t *f;
	double lo, hi;

	(void)state;
	make_verdicts();
	text = compare_text();
	assert_int_equal(results_load_json(dir, "compare.json", &v, err, sizeof(err)), 0);
	f = finding(v, "apply time", "slow");
	expect_str(f, "verdict", "worse");
	expect_str(f, "reference", "kgraft");
	expect_str(f, "unit", "ns");
	assert_true(num(f, "difference") == 200e6);
	assert_true(num(f, "ci_low") == 200e6);
	assert_true(num(f, "ci_high") == 200e6);
	assert_int_equal(json_integer_value(json_object_get(f, "n")), 10);
	expect_str(finding(v, "apply time", "fast"), "verdict", "better");
	expect_str(finding(v, "longest stop (kernel) in apply", "slow"),
		   "verdict", "worse");
	/* Both never stop: a CI of [0, 0] holds 0. */
	expect_str(finding(v, "longest stop (kernel) in apply", "fast"),
		   "verdict", "not distinguishable");
	f = finding(v, "stall: largest gap in apply", "slow");
	expect_str(f, "verdict", "not distinguishable");
	lo = num(f, "ci_low");
	hi = num(f, "ci_high");
	if (!(lo < 0 && hi > 0))
		fail_msg("overlapping gaps: the CI [%g, %g] should hold 0",
			 lo, hi);
	expect_str(finding(v, "revert time", "fast"), "verdict",
		   "not distinguishable");
	expect_str(finding(v, "apply time", "tiny"), "verdict", "n too small");
	assert_true(json_is_null(json_object_get(finding(v, "apply time",
							 "tiny"), "ci_low")));
	json_decref(v);
	free(text);
	snprintf(err, sizeof(err), "rm -r %s", dir);
	assert_int_equal(system(err), 0);
}

static void test_sentences(void **state)
{
	char err[256], want[256], *text;
	json_t *v;
	const json_t *f;
	double se;

	(void)state;
	make_verdicts();
	text = compare_text();
	expect_in(text, "  slow takes 200 ms [200, 200] longer to apply than kgraft (n=10).\n");
	expect_in(text, "  fast takes 60.0 ms [60.0, 60.0] less time to apply than kgraft (n=10).\n");
	expect_in(text, "  slow stops the machine 2.00 ms [2.00, 2.00] longer per apply than kgraft (n=10).\n");
	expect_in(text, "  slow loses 4.00 ms [4.00, 4.00] more CPU time per apply than kgraft (n=10).\n");
	expect_in(text, "  fast's longest stop in apply does not differ from kgraft's in any resample: both medians are 0 ns (n=10).\n");
	expect_in(text, "  slow's largest stall gap in apply is not distinguishable from kgraft's: +");
	expect_in(text, "  fast's revert time is not distinguishable from kgraft's: +0.00 ms [");
	expect_in(text, "(n=10); no stop of its own in revert to size a run by.\n");
	expect_in(text, "  tiny against kgraft: n too small for every metric (n=4 and 10; a CI needs 5 per side), no verdict.\n");
	expect_in(text, "Too few cycles for confidence intervals: tiny 4 ");
	/* The sizing: the rule applied to the SE the finding reports. */
	assert_int_equal(results_load_json(dir, "compare.json", &v, err, sizeof(err)), 0);
	f = finding(v, "revert time", "slow");
	expect_str(f, "verdict", "not distinguishable");
	se = num(f, "se");
	snprintf(want, sizeof(want),
		 "; a difference the size of its longest stop (kernel) in revert (1.00 ms) would take about %.0f cycles per strategy to detect, this run has 10.\n",
		 power_cycles_needed(se, 10, 1e6));
	expect_in(text, want);
	assert_true(num(f, "cycles_needed") ==
		    power_cycles_needed(se, 10, 1e6));
	/* The rule says 1 cycle for slow's 2 ms stop; a CI needs 5. */
	expect_in(text, "(2.00 ms) would take about 5 cycles per strategy to detect, this run has 10.\n");
	expect_in(text, "  stall: largest gap in apply        ");
	expect_in(text, "Cycles to detect a difference the size of a strategy's own stop: n = ((1.96 + 0.84) x sigma / delta)^2");
	json_decref(v);
	free(text);
	snprintf(err, sizeof(err), "rm -r %s", dir);
	assert_int_equal(system(err), 0);
}

/* Three cycles each: no CI anywhere, and the run says so first. */
static void test_too_few_cycles(void **state)
{
	char err[256], *text;
	json_t *v;
	const json_t *rows, *f;
	struct cyc c[6];
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		c[2 * i] = (struct cyc){ "kgraft", 100, 100, 5, 0, 0, 0 };
		c[2 * i + 1] = (struct cyc){ "slow", 300 + i, 100, 5, 2, 1, 4 };
	}
	write_cycles(c, 6, "{\"strategies\": {\"kgraft\": {}, \"slow\": {}}}\n");
	text = compare_text();
	expect_in(text, "\nToo few cycles for confidence intervals: kgraft 3, slow 3 (a CI needs 5 per side");
	expect_in(text, "  slow against kgraft: n too small for every metric (n=3; a CI needs 5 per side), no verdict.\n");
	expect_in(text, "Smallest difference this run tells from 0: n too small for every metric.\n");
	/* No interval printed: no "[" after the table's header line. */
	if (strchr(strstr(text, "verdict\n"), '['))
		fail_msg("a CI was printed at n = 3:\n%s", text);
	assert_int_equal(results_load_json(dir, "compare.json", &v, err, sizeof(err)), 0);
	f = finding(v, "apply time", "slow");
	expect_str(f, "verdict", "n too small");
	assert_true(json_is_null(json_object_get(f, "ci_low")));
	assert_true(json_is_null(json_object_get(f, "ci_high")));
	rows = json_object_get(v, "rows");
	assert_true(json_is_null(json_object_get(json_array_get(rows, 0),
						 "ci_lo")));
	json_decref(v);
	free(text);
	snprintf(err, sizeof(err), "rm -r %s", dir);
	assert_int_equal(system(err), 0);
}

/*
 * The stall metrics: excess lost time can be negative (a difference, no
 * ratio), machine-wide stall comes first among the stall rows, and the
 * stall-against-stop fraction of each apply is printed and written.
 */
static void test_stall_metrics(void **state)
{
	char *buf = malloc(1 << 16), err[256], *text;
	const json_t *f, *cov;
	double median, ref;
	json_t *v;
	size_t o = 0;
	int i;

	(void)state;
	assert_non_null(buf);
	new_dir("{\"strategies\": {\"kgraft\": {}, \"stop_machine\": {}}}\n");
	o += sprintf(buf + o, "[");
	for (i = 0; i < 6; i++)
		o += sprintf(buf + o,
			     "%s{\"strategy\": \"kgraft\", \"complete\": true,"
			     " \"workloads\": {\"stall\": {\"apply\": {\"excess_lost_ns\": %d,"
			     " \"machine_stall_ns\": 100, \"machine_stall_excess_ns\": -50,"
			     " \"stopped_source\": \"probe\"}}}},"
			     "{\"strategy\": \"stop_machine\", \"complete\": true,"
			     " \"workloads\": {\"stall\": {\"apply\": {\"excess_lost_ns\": %d,"
			     " \"machine_stall_ns\": %d, \"machine_stall_excess_ns\": %d,"
			     " \"stopped_source\": \"probe\", \"stop_coverage\": 0.%d}}}}",
			     i ? "," : "", -1000000 - i, 13000000 + i,
			     13000000 + i, 12000000 + i, 90 + i);
	strcpy(buf + o, "]\n");
	write_file("cycles.json", buf);
	free(buf);
	text = compare_text();
	expect_in(text, "stop_machine costs the spinning workload 14.0 ms [");
	expect_in(text, "stop_machine: machine-wide stall / stopped time per CPU (probe), per apply: 0.90 0.91 0.92 0.93 0.94 0.95 (median 0.92, least 0.90; n=6)");
	/* A negative median prints with its sign. */
	expect_in(text, " -1.00ms ");
	if (strstr(text, "stall: excess lost time in apply") >
	    strstr(text, "stall: machine-wide stall in apply"))
		fail_msg("excess lost time is not the first stall row:\n%s", text);
	assert_int_equal(results_load_json(dir, "compare.json", &v, err,
					   sizeof(err)), 0);
	f = finding(v, "stall: excess lost time in apply", "stop_machine");
	expect_str(f, "verdict", "worse");
	assert_true(json_is_null(json_object_get(f, "ratio")));
	/* Machine-wide stall over the baseline rate, not its raw total. */
	f = finding(v, "stall: machine-wide stall in apply", "stop_machine");
	median = json_number_value(json_object_get(f, "median"));
	ref = json_number_value(json_object_get(f, "reference_median"));
	if (median < 12000002 || median > 12000003 || ref != -50)
		fail_msg("machine-wide stall: median %f, kgraft's %f; want 12000002..12000003, -50",
			 median, ref);
	assert_true(json_is_null(json_object_get(f, "ratio")));
	expect_in(text, "stop_machine stalls every workload CPU at once 12.0 ms [");
	cov = json_path(v, "stall_coverage.stop_machine.per_apply");
	assert_non_null(cov);
	assert_int_equal(json_array_size(cov), 6);
	assert_null(json_path(v, "stall_coverage.kgraft"));
	json_decref(v);
	free(text);
	snprintf(err, sizeof(err), "rm -r %s", dir);
	assert_int_equal(system(err), 0);
}

/*
 * A server's requests: per-cycle p99 findings (stop_machine's apply p99 is
 * about 20 ms over kgraft's 2 ms; the baselines alike), and the per-phase
 * table of requests, rate, errors and percentiles from summary.json, in the
 * text, compare.json and requests.csv.
 */
static void test_requests(void **state)
{
	char *buf = malloc(1 << 16), err[256], path[160], *text;
	const json_t *f, *rows, *row;
	json_t *v;
	FILE *in;
	size_t o = 0;
	int i;

	(void)state;
	assert_non_null(buf);
	new_dir("{\"strategies\": {"
		"\"kgraft\": {\"workloads\": {\"redis\": {\"apply\": {\"duration_ns\": 2000000000,"
		" \"latency_ns\": {\"count\": 400, \"p50_ns\": 1000000, \"p99_ns\": 2000000,"
		" \"p99_9_ns\": 2500000, \"max_ns\": 3000000}}}}},"
		"\"stop_machine\": {\"workloads\": {\"redis\": {\"apply\": {\"duration_ns\": 4000000000, \"errors\": 1,"
		" \"latency_ns\": {\"count\": 800, \"p50_ns\": 1000000, \"p99_ns\": 20000000,"
		" \"p99_9_ns\": 25000000, \"max_ns\": 30000000}}}}}},"
		" \"workloads\": {\"redis\": {\"ops\": 1200, \"requests\": true}}}\n");
	/* The leftovers are where bench run writes them: the workload's file. */
	write_file("workload-redis.json",
		   "{\"workload\": {\"name\": \"redis\", \"unanswered\": 3,"
		   " \"unsent\": 1, \"timeouts\": 0}}\n");
	o += sprintf(buf + o, "[");
	for (i = 0; i < 6; i++)
		o += sprintf(buf + o,
			     "%s{\"strategy\": \"kgraft\", \"complete\": true,"
			     " \"workloads\": {\"redis\": {\"apply\": {\"ops\": 200, \"errors\": 0,"
			     " \"excess_delay_ns\": %d,"
			     " \"p50_ns\": 1000000, \"p99_ns\": %d, \"max_ns\": 3000000},"
			     " \"baseline\": {\"ops\": 200, \"errors\": 0, \"p50_ns\": 1000000,"
			     " \"p99_ns\": %d, \"max_ns\": 3000000}}}},"
			     "{\"strategy\": \"stop_machine\", \"complete\": true,"
			     " \"workloads\": {\"redis\": {\"apply\": {\"ops\": 200, \"errors\": %d,"
			     " \"excess_delay_ns\": %d,"
			     " \"p50_ns\": 1000000, \"p99_ns\": %d, \"max_ns\": 30000000},"
			     " \"baseline\": {\"ops\": 200, \"errors\": 0, \"p50_ns\": 1000000,"
			     " \"p99_ns\": %d, \"max_ns\": 3000000}}}}",
			     i ? "," : "", i * 100000 - 300000, 2000000 + i * 1000,
			     2000000 + i * 1000, i == 2, 50000000 + i * 100000,
			     20000000 + i * 1000, 2000000 + i * 1000);
	strcpy(buf + o, "]\n");
	write_file("cycles.json", buf);
	free(buf);
	text = compare_text();
	expect_in(text, "stop_machine raises redis's p99 request latency in apply 18.0 ms [");
	/* Excess delay: medians -0.1 ms (kgraft) and 50.2 ms (stop_machine). */
	expect_in(text, "stop_machine delays redis's requests 50.3 ms [");
	expect_in(text, "more per apply than kgraft, over the baseline rate (n=6)");
	expect_in(text, "Requests to redis per phase");
	/* 800 requests in 4 s; one failed request over the cycles. */
	expect_in(text, "  stop_machine  apply            800     200.0       1 ");
	expect_in(text, "redis over the whole run: 3 unanswered and 1 never sent at the end");
	assert_int_equal(results_load_json(dir, "compare.json", &v, err,
					   sizeof(err)), 0);
	f = finding(v, "redis: p99 request in apply", "stop_machine");
	expect_str(f, "verdict", "worse");
	f = finding(v, "redis: excess delay in apply", "stop_machine");
	expect_str(f, "verdict", "worse");
	/* A difference only: an excess can be negative, no ratio of it. */
	assert_true(json_is_null(json_object_get(f, "ratio")));
	f = finding(v, "redis: p99 request in baseline", "stop_machine");
	expect_str(f, "verdict", "not distinguishable");
	/* No memcached in the run: no memcached rows. */
	assert_null(strstr(text, "memcached"));
	rows = json_object_get(v, "requests");
	assert_int_equal(json_array_size(rows), 2);
	row = json_array_get(rows, 1);
	expect_str(row, "strategy", "stop_machine");
	assert_int_equal(json_integer_value(json_object_get(row, "p99_ns")),
			 20000000);
	json_decref(v);
	free(text);
	snprintf(path, sizeof(path), "%s/requests.csv", dir);
	text = calloc(1, 4096);
	in = fopen(path, "r");
	assert_non_null(in);
	assert_true(fread(text, 1, 4095, in) > 0);
	fclose(in);
	expect_in(text, "workload,strategy,phase,requests,duration_ns,rate_per_s,errors,");
	expect_in(text, "redis,stop_machine,apply,800,4000000000,200.000,1,1000000,20000000,25000000,30000000\n");
	free(text);
	snprintf(err, sizeof(err), "rm -r %s", dir);
	assert_int_equal(system(err), 0);
}

/* Two servers in one run: one table each, whatever the rows' order. */
static void test_requests_two_servers(void **state)
{
	char cmd[96], *text, *p;

#define PH "{\"apply\": {\"duration_ns\": 1000000000, \"latency_ns\":" \
	   " {\"count\": 100, \"p50_ns\": 1000, \"p99_ns\": 2000," \
	   " \"p99_9_ns\": 3000, \"max_ns\": 4000}}}"
#define CY(s) "{\"strategy\": \"" s "\", \"complete\": true," \
	      " \"workloads\": {\"redis\": {\"apply\": {\"ops\": 100," \
	      " \"p50_ns\": 1000}}, \"memcached\": {\"apply\": {\"ops\": 100," \
	      " \"p50_ns\": 1000}}}}"
	(void)state;
	new_dir("{\"strategies\": {"
		"\"kgraft\": {\"workloads\": {\"redis\": " PH ", \"memcached\": " PH "}},"
		"\"klp\": {\"workloads\": {\"redis\": " PH ", \"memcached\": " PH "}}},"
		" \"workloads\": {\"redis\": {\"requests\": true},"
		" \"memcached\": {\"requests\": true}}}\n");
	write_file("cycles.json", "[" CY("kgraft") ", " CY("klp") "]\n");
#undef PH
#undef CY
	text = compare_text();
	p = strstr(text, "Requests to redis");
	assert_non_null(p);
	assert_null(strstr(p + 1, "Requests to redis"));
	p = strstr(text, "Requests to memcached");
	assert_non_null(p);
	assert_null(strstr(p + 1, "Requests to memcached"));
	/* Both strategies under each server's heading. */
	p = strstr(text, "Requests to redis");
	assert_non_null(strstr(p, "  klp "));
	free(text);
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_and_files),
		cmocka_unit_test(test_missing_baseline),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_too_few_cycles),
		cmocka_unit_test(test_stall_metrics),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_requests_two_servers),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
