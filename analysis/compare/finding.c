// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/finding.h"
#include "analysis/stats/power.h"
#include "lib/rank.h"
#include "analysis/stats/stats.h"

#define REQUEST_METRIC(wl, stat, key, phase)				\
	{ wl ": " stat " request in " phase,				\
	  "workloads." wl "." phase "." key, phase, CK_REQUEST, false,	\
	  wl "'s " stat " request latency" }
#define REQUEST_EXCESS(wl, phase)					\
	{ wl ": excess delay in " phase,				\
	  "workloads." wl "." phase ".excess_delay_ns", phase,		\
	  CK_REQUEST_EXCESS, true, wl "'s requests" }
#define REQUEST_PHASE(wl, phase)					\
	REQUEST_METRIC(wl, "p50", "p50_ns", phase),			\
	REQUEST_METRIC(wl, "p99", "p99_ns", phase),			\
	REQUEST_METRIC(wl, "max", "max_ns", phase)
/* The excess first: it survives phases of unequal length; tails do not. */
#define REQUEST_METRICS(wl)						\
	REQUEST_EXCESS(wl, "apply"), REQUEST_EXCESS(wl, "revert"),	\
	REQUEST_PHASE(wl, "apply"), REQUEST_PHASE(wl, "revert"),	\
	REQUEST_PHASE(wl, "baseline")

const struct compare_metric compare_metrics[] = {
	{ "apply time", "duration_ns.apply", "apply", CK_DURATION, false, NULL },
	{ "revert time", "duration_ns.revert", "revert", CK_DURATION, false, NULL },
	{ "target: max latency in apply", "workloads.target.apply.max_ns",
	  "apply", CK_LATENCY, false, NULL },
	{ "target: max latency in revert", "workloads.target.revert.max_ns",
	  "revert", CK_LATENCY, false, NULL },
	{ "target: max latency in baseline",
	  "workloads.target.baseline.max_ns", "baseline", CK_LATENCY, false, NULL },
	/* Time lost and simultaneous stalls survive emulation; maxima do not. */
	{ "stall: excess lost time in apply",
	  "workloads.stall.apply.excess_lost_ns", "apply", CK_LOST, true, NULL },
	/*
	 * Over the baseline rate: a raw total grows with the window, and the
	 * strategies' windows differ by up to 10x.
	 */
	{ "stall: machine-wide stall in apply",
	  "workloads.stall.apply.machine_stall_excess_ns", "apply",
	  CK_MACHINE_EXCESS, true, NULL },
	{ "stall: excess lost time in revert",
	  "workloads.stall.revert.excess_lost_ns", "revert", CK_LOST, true, NULL },
	{ "stall: machine-wide stall in revert",
	  "workloads.stall.revert.machine_stall_excess_ns", "revert",
	  CK_MACHINE_EXCESS, true, NULL },
	{ "stall: machine-wide stall in baseline",
	  "workloads.stall.baseline.machine_stall_ns", "baseline",
	  CK_MACHINE, false, NULL },
	{ "stall: largest gap in apply", "workloads.stall.apply.max_ns",
	  "apply", CK_GAP, false, NULL },
	{ "stall: largest gap in revert", "workloads.stall.revert.max_ns",
	  "revert", CK_GAP, false, NULL },
	{ "stall: largest gap in baseline", "workloads.stall.baseline.max_ns",
	  "baseline", CK_GAP, false, NULL },
	/* Zero for the strategies that never stop: a difference, no ratio. */
	{ "longest stop (kernel) in apply", "apply_stats.stop_max_total_ns",
	  "apply", CK_STOP, false, NULL },
	{ "longest stop (kernel) in revert", "revert_stats.stop_max_total_ns",
	  "revert", CK_STOP, false, NULL },
	{ "CPU time stopped (probe) in apply", "probes.stop.apply.sum_ns",
	  "apply", CK_STOPPED_CPU, false, NULL },
	{ "CPU time stopped (probe) in revert", "probes.stop.revert.sum_ns",
	  "revert", CK_STOPPED_CPU, false, NULL },
	{ "sched: max wakeup in apply", "probes.sched.apply.max_ns", "apply",
	  CK_WAKEUP, false, NULL },
	{ "sched: max wakeup in baseline", "probes.sched.baseline.max_ns",
	  "baseline", CK_WAKEUP, false, NULL },
	/*
	 * A server's requests, per cycle: the median, p99 and worst request of
	 * each phase. p99.9 is left to the per-phase table over all cycles: a
	 * phase of a cycle holds too few requests for it.
	 */
	REQUEST_METRICS("redis"),
	REQUEST_METRICS("memcached"),
};

const size_t compare_nr_metrics =
	sizeof(compare_metrics) / sizeof(compare_metrics[0]);

const char *compare_verdict_name(enum compare_verdict v)
{
	switch (v) {
	case CV_WORSE:
		return "worse";
	case CV_BETTER:
		return "better";
	case CV_SAME:
		return "not distinguishable";
	default:
		return "n too small";
	}
}

size_t compare_gather(const json_t *cycles, const char *s,
		      const char *path, double *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < json_array_size(cycles) && n < max; i++) {
		const json_t *c = json_array_get(cycles, i);
		const char *name =
			json_string_value(json_object_get(c, "strategy"));
		int64_t v;

		if (!name || strcmp(name, s) ||
		    !json_is_true(json_object_get(c, "complete")))
			continue;
		/* An apply that was refused is not a transition to compare. */
		if (json_is_true(json_object_get(c, "refused")))
			continue;
		if (json_get_i64(c, path, &v))
			continue;
		out[n++] = (double)v;
	}
	return n;
}

double compare_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	stats_sort(s, n);
	/* Nearest rank, as the bootstrap's estimate: the columns agree. */
	m = s[pct_rank(50, n) - 1];
	free(s);
	return m;
}

/*
 * The strategy's own stop in @phase, the size of difference worth seeing:
 * the kernel's longest stop (what a spinning thread can lose at once),
 * else the CPU time the probe saw stopped. Medians over its cycles.
 */
static void own_stop(const json_t *cycles, const char *strategy,
		     const char *phase, double *tmp, size_t cap,
		     struct compare_finding *f)
{
	char path[96];
	size_t n;

	f->stop_ns = 0;
	f->stop_source = NULL;
	snprintf(path, sizeof(path), "%s_stats.stop_max_total_ns", phase);
	n = compare_gather(cycles, strategy, path, tmp, cap);
	if (n && compare_median(tmp, n) > 0) {
		f->stop_ns = compare_median(tmp, n);
		f->stop_source = "longest stop (kernel)";
		return;
	}
	snprintf(path, sizeof(path), "probes.stop.%s.sum_ns", phase);
	n = compare_gather(cycles, strategy, path, tmp, cap);
	if (n && compare_median(tmp, n) > 0) {
		f->stop_ns = compare_median(tmp, n);
		f->stop_source = "CPU time stopped (probe)";
	}
}

static enum compare_verdict verdict(const struct bootstrap_ci *d)
{
	if (d->lo > 0)
		return CV_WORSE;
	if (d->hi < 0)
		return CV_BETTER;
	return CV_SAME;
}

/* The CI, verdict and sizes, for sides large enough to have them. */
static int judge(const double *a, const double *b,
		 const struct bootstrap_opts *bo, double *tmp, size_t cap,
		 const json_t *cycles, struct compare_finding *f)
{
	int err = bootstrap_diff_ci(a, f->n, b, f->ref_n, bo, &f->diff);

	if (err)
		return err;
	f->verdict = verdict(&f->diff);
	f->min_detectable = power_min_detectable(f->diff.se);
	if (f->verdict != CV_SAME)
		return 0;
	own_stop(cycles, f->strategy, f->m->phase, tmp, cap, f);
	f->cycles_needed = power_cycles_needed(f->diff.se,
					       power_n_eff(f->n, f->ref_n),
					       f->stop_ns);
	/* Never fewer than a CI needs, whatever the rule says. */
	if (f->cycles_needed < COMPARE_MIN_N)
		f->cycles_needed = COMPARE_MIN_N;
	return 0;
}

int compare_finding(const json_t *cycles,
		    const struct compare_metric *m, const char *strategy,
		    const char *reference, uint64_t seed, double *a, double *b,
		    size_t cap, struct compare_finding *f)
{
	struct bootstrap_opts bo = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50,
		.resamples = COMPARE_RESAMPLES,
		.confidence = COMPARE_CONFIDENCE, .seed = seed,
	};
	const struct bootstrap_ci none = { NAN, NAN, NAN, NAN };
	double *tmp;
	int err;

	memset(f, 0, sizeof(*f));
	f->m = m;
	f->strategy = strategy;
	f->reference = reference;
	f->diff = f->ratio = none;
	f->min_detectable = f->cycles_needed = NAN;
	f->verdict = CV_TOO_SMALL;
	f->ref_n = compare_gather(cycles, reference, m->path, b, cap);
	if (!f->ref_n)
		return -ENODATA;
	f->n = compare_gather(cycles, strategy, m->path, a, cap);
	f->ref_median = compare_median(b, f->ref_n);
	f->median = compare_median(a, f->n);
	f->diff.estimate = f->median - f->ref_median;
	f->ratio_err = !f->n ? -ENODATA : m->difference_only ? -ERANGE :
		       bootstrap_ratio_ci(a, f->n, b, f->ref_n, &bo, &f->ratio);
	if (f->n < COMPARE_MIN_N || f->ref_n < COMPARE_MIN_N)
		return 0;
	tmp = malloc(cap * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	err = judge(a, b, &bo, tmp, cap, cycles, f);
	free(tmp);
	return err;
}
