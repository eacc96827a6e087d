// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "compare.h"
#include "rank.h"
#include "results.h"
#include "run.h"
#include "util.h"
#include "workload-json.h"

#define MAX_STRATEGIES 16

/* A per-cycle number, found at @path inside each cycles.json entry. */
static const struct metric {
	const char *name;
	const char *path;
} metrics[] = {
	{ "apply time", "duration_ns.apply" },
	{ "revert time", "duration_ns.revert" },
	{ "target: max latency in apply", "workloads.target.apply.max_ns" },
	{ "target: max latency in revert", "workloads.target.revert.max_ns" },
	{ "target: max latency in baseline", "workloads.target.baseline.max_ns" },
	{ "stall: largest gap in apply", "workloads.stall.apply.max_ns" },
	{ "stall: largest gap in revert", "workloads.stall.revert.max_ns" },
	{ "stall: largest gap in baseline", "workloads.stall.baseline.max_ns" },
	/* Zero for the strategies that never stop: no ratio then, medians only. */
	{ "longest stop (kernel) in apply", "apply_stats.stop_max_total_ns" },
	{ "longest stop (kernel) in revert", "revert_stats.stop_max_total_ns" },
	{ "CPU time stopped (probe) in apply", "probes.stop.apply.sum_ns" },
	{ "CPU time stopped (probe) in revert", "probes.stop.revert.sum_ns" },
	{ "sched: max wakeup in apply", "probes.sched.apply.max_ns" },
	{ "sched: max wakeup in baseline", "probes.sched.baseline.max_ns" },
};

#define NR_METRICS (sizeof(metrics) / sizeof(metrics[0]))

/* Values of @m for strategy @s over its complete cycles. */
static size_t gather(const struct json_value *cycles, const char *s,
		     const struct metric *m, double *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < cycles->n && n < max; i++) {
		const struct json_value *c = cycles->items[i];
		const struct json_value *name = json_get(c, "strategy");
		const struct json_value *done = json_get(c, "complete");
		const struct json_value *refused = json_get(c, "refused");
		uint64_t v;

		if (!name || name->type != JSON_STRING || strcmp(name->str, s) ||
		    !done || done->type != JSON_BOOL || !done->b)
			continue;
		/* An apply that was refused is not a transition to compare. */
		if (refused && refused->type == JSON_BOOL && refused->b)
			continue;
		if (json_get_u64(c, m->path, &v))
			continue;
		out[n++] = (double)v;
	}
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, size_t n)
{
	double *s = malloc(n * sizeof(*s)), m;

	if (!s || !n) {
		free(s);
		return NAN;
	}
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	/* Nearest rank, as the bootstrap's estimate: the columns divide. */
	m = s[pct_rank(50, n) - 1];
	free(s);
	return m;
}

static void fmt(char *buf, size_t len, double ns)
{
	if (isnan(ns))
		snprintf(buf, len, "-");
	else
		fmt_ns(buf, len, (uint64_t)ns);
}

int compare_results(const char *dir, const char *baseline, uint64_t seed,
		    FILE *f, char *err, size_t len)
{
	struct bootstrap_opts bo = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 2000,
		.confidence = 0.95, .seed = seed,
	};
	const char *names[MAX_STRATEGIES];
	struct json_value *sum = NULL, *cyc = NULL;
	const struct json_value *strats;
	FILE *jf = NULL, *cf = NULL;
	struct results res;
	double *a = NULL, *b = NULL;
	size_t ns = 0, i, m, cap;
	struct json j;
	int ret;

	snprintf(res.dir, sizeof(res.dir), "%s", dir);
	ret = results_load_json(dir, "summary.json", &sum, err, len);
	if (!ret)
		ret = results_load_json(dir, "cycles.json", &cyc, err, len);
	if (ret)
		goto out;
	strats = json_get(sum, "strategies");
	if (!strats || strats->type != JSON_OBJECT || cyc->type != JSON_ARRAY) {
		snprintf(err, len, "%s: not a bench run results directory", dir);
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < strats->n && ns < MAX_STRATEGIES; i++)
		names[ns++] = strats->keys[i];
	if (!json_get(strats, baseline)) {
		snprintf(err, len, "%s holds no results for %s, the baseline",
			 dir, baseline);
		ret = -ENOENT;
		goto out;
	}
	cap = cyc->n + 1;
	a = calloc(cap, sizeof(*a));
	b = calloc(cap, sizeof(*b));
	jf = results_open(&res, "compare.json");
	cf = results_open(&res, "compare.csv");
	if (!a || !b || !jf || !cf) {
		snprintf(err, len, "%s: cannot write the comparison", dir);
		ret = -EIO;
		goto out;
	}
	fprintf(cf, "metric,strategy,n,median_ns,baseline,baseline_n,baseline_median_ns,ratio,ci_lo,ci_hi\n");
	json_init(&j, jf);
	json_obj_begin(&j, NULL);
	json_str(&j, "baseline", baseline);
	json_str(&j, "statistic", "median of per-cycle values");
	json_double(&j, "confidence", bo.confidence);
	json_u64(&j, "resamples", bo.resamples);
	json_u64(&j, "seed", seed);
	json_arr_begin(&j, "rows");
	fprintf(f, "\nEach strategy against %s: median of per-cycle values, ratio with a 95%% bootstrap CI\n",
		baseline);
	fprintf(f, "%-34s %-13s %4s %10s %10s %24s\n", "metric", "strategy",
		"n", "median", baseline, "ratio [95% CI]");
	for (m = 0; m < NR_METRICS; m++) {
		size_t nb = gather(cyc, baseline, &metrics[m], b, cap);

		if (!nb)
			continue;
		for (i = 0; i < ns; i++) {
			struct bootstrap_ci ci = { NAN, NAN, NAN };
			char ma[32], mb[32], r[64];
			size_t na;
			int bret = -ENODATA;

			if (!strcmp(names[i], baseline))
				continue;
			na = gather(cyc, names[i], &metrics[m], a, cap);
			if (na)
				bret = bootstrap_ratio_ci(a, na, b, nb, &bo, &ci);
			fmt(ma, sizeof(ma), na ? median(a, na) : NAN);
			fmt(mb, sizeof(mb), median(b, nb));
			if (!bret)
				snprintf(r, sizeof(r), "%.2fx [%.2f, %.2f]",
					 ci.estimate, ci.lo, ci.hi);
			else
				snprintf(r, sizeof(r), "%s",
					 bret == -EDOM ? "baseline is 0" :
					 "no data");
			fprintf(f, "%-34s %-13s %4zu %10s %10s %24s\n",
				metrics[m].name, names[i], na, ma, mb, r);
			fprintf(cf, "%s,%s,%zu,%.0f,%s,%zu,%.0f,%g,%g,%g\n",
				metrics[m].name, names[i], na,
				na ? median(a, na) : NAN, baseline, nb,
				median(b, nb), ci.estimate, ci.lo, ci.hi);
			json_obj_begin(&j, NULL);
			json_str(&j, "metric", metrics[m].name);
			json_str(&j, "path", metrics[m].path);
			json_str(&j, "strategy", names[i]);
			json_u64(&j, "n", na);
			json_u64(&j, "baseline_n", nb);
			if (!bret) {
				json_double(&j, "median_ns", median(a, na));
				json_double(&j, "baseline_median_ns",
					    median(b, nb));
				json_double(&j, "ratio", ci.estimate);
				json_double(&j, "ci_lo", ci.lo);
				json_double(&j, "ci_hi", ci.hi);
			}
			json_obj_end(&j);
		}
	}
	json_arr_end(&j);
	json_obj_end(&j);
	fputc('\n', jf);
	ret = results_close(&res, "compare.json", jf);
	jf = NULL;
	ret = results_close(&res, "compare.csv", cf) ?: ret;
	cf = NULL;
	if (ret)
		snprintf(err, len, "%s: cannot write the comparison", dir);
out:
	/* Never a half-written comparison in place of a good one. */
	if (jf)
		results_discard(&res, "compare.json", jf);
	if (cf)
		results_discard(&res, "compare.csv", cf);
	free(a);
	free(b);
	json_free(sum);
	json_free(cyc);
	return ret;
}
