/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exact summaries of raw sample sets (transition times, per-cycle stall
 * maxima, window contents): n, mean, standard deviation, extremes and tail
 * percentiles by order statistics, no binning.
 *
 * Percentiles follow rank.h: nearest rank, no interpolation, so every
 * percentile is one of the samples: the smallest sample that p% of the
 * samples are at or below. The same rule as hist_percentile(), so a
 * histogram and the raw samples it was built from can be compared.
 */
#ifndef ANALYSIS_STATS_H
#define ANALYSIS_STATS_H

#include <stddef.h>

struct stats_summary {
	size_t n;
	double mean;
	double stddev;		/* sample (n - 1) form; 0 when n is 1 */
	double min, max;
	double p50, p90, p99, p999, p9999;
};

/* Sort ascending in place. */
void stats_sort(double *v, size_t n);
/* Percentile @p (0..100) of ascending @sorted; NaN when n is 0. */
double stats_percentile_sorted(const double *sorted, size_t n, double p);
/*
 * Summary of @n values (left untouched: a sorted copy is made). -ENODATA
 * when n is 0, -EINVAL when a value is NaN, -ENOMEM.
 */
int stats_summarize(const double *v, size_t n, struct stats_summary *s);
/* The same for values already sorted ascending (else -EINVAL), no copy. */
int stats_summarize_sorted(const double *sorted, size_t n,
			   struct stats_summary *s);

#endif
