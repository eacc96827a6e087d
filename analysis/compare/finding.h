/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One finding of bench compare: a per-cycle metric of one strategy against
 * the reference strategy, as the difference of medians (strategy minus
 * reference) with a 95% percentile-bootstrap CI, the ratio of medians with
 * its own, a verdict, and what it would take to see more. Larger is worse
 * for every metric here (times, latencies, gaps, stops).
 */
#ifndef BENCH_COMPARE_FINDING_H
#define BENCH_COMPARE_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/stats/bootstrap.h"
#include "lib/json.h"

/* Cycles per side below which no CI or verdict is given. */
#define COMPARE_MIN_N		5
#define COMPARE_RESAMPLES	2000
#define COMPARE_CONFIDENCE	0.95

/* What a metric measures: picks the words of its sentences. */
enum compare_kind {
	CK_DURATION,		/* a transition's time */
	CK_LATENCY,		/* the target workload's worst operation */
	CK_LOST,		/* stall time lost over the baseline rate */
	CK_MACHINE,		/* every workload CPU stalled at once */
	CK_MACHINE_EXCESS,	/* the same over the baseline rate */
	CK_GAP,			/* the stall workload's largest gap */
	CK_STOP,		/* the kernel's longest stop */
	CK_STOPPED_CPU,		/* CPU time the stop probe saw stopped */
	CK_WAKEUP,		/* the sched probe's worst wake-up */
	CK_REQUEST,		/* a server's request latency in a cycle */
	CK_REQUEST_EXCESS,	/* its summed delay over the baseline rate */
};

struct compare_metric {
	const char *name;	/* the table's words */
	const char *path;	/* inside each cycles.json entry */
	const char *phase;	/* apply, revert or baseline */
	enum compare_kind kind;
	bool difference_only;	/* can be negative: no ratio of medians */
	const char *subject;	/* CK_REQUEST: "redis's p99 request latency" */
};

extern const struct compare_metric compare_metrics[];
extern const size_t compare_nr_metrics;

enum compare_verdict {
	CV_TOO_SMALL,		/* n < COMPARE_MIN_N on a side */
	CV_WORSE,		/* the CI is above 0 */
	CV_BETTER,		/* the CI is below 0 */
	CV_SAME,		/* the CI holds 0: not distinguishable */
};

struct compare_finding {
	const struct compare_metric *m;
	const char *strategy, *reference;
	size_t n, ref_n;
	double median, ref_median;	/* nearest rank, as the bootstrap's */
	struct bootstrap_ci diff;	/* lo, hi, se NaN when too small */
	struct bootstrap_ci ratio;
	int ratio_err;			/* -EDOM: the reference's median is 0 */
	enum compare_verdict verdict;
	double min_detectable;		/* 1.96 SE of the difference; or NaN */
	/* The strategy's own median stop in the phase, 0 when none. */
	double stop_ns;
	const char *stop_source;	/* which numbers it came from */
	double cycles_needed;		/* to detect stop_ns, at least
				 * COMPARE_MIN_N; NaN if not sized */
};

const char *compare_verdict_name(enum compare_verdict v);
/* Values of @path for strategy @s over its complete, unrefused cycles. */
size_t compare_gather(const json_t *cycles, const char *s,
		      const char *path, double *out, size_t max);
double compare_median(const double *v, size_t n);
/*
 * Compare @m of @strategy against @reference over @cycles, with @a and @b
 * (@cap values each) as scratch. 0, -ENODATA when the reference has no
 * values of @m (no row then), -ENOMEM.
 */
int compare_finding(const json_t *cycles,
		    const struct compare_metric *m, const char *strategy,
		    const char *reference, uint64_t seed, double *a, double *b,
		    size_t cap, struct compare_finding *f);

#endif
