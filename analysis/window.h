/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Windows of a time series: the samples within given time intervals, for
 * per-phase statistics (each cycle's baseline, transition, settled phase,
 * as long as each one lasted) and event-aligned ones (a fixed offset range
 * around every apply or revert), and baseline against transition.
 */
#ifndef ANALYSIS_WINDOW_H
#define ANALYSIS_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "interval.h"
#include "series.h"
#include "stats.h"

/* Offsets from an event: times event + start <= t < event + end. */
struct window {
	int64_t start, end;
};

/* Index range [*lo, *hi) of the samples in @iv. */
void window_range(const struct series_point *s, size_t n, struct interval iv,
		  size_t *lo, size_t *hi);

/*
 * Values of the samples in any of the intervals, in time order; a sample in
 * two overlapping intervals is taken once. The series must be valid
 * (series.h) and the intervals ordered by start with start <= end, else
 * -EINVAL. *@vals is malloc'd, NULL when no sample matched; -ENOMEM.
 */
int window_gather(const struct series_point *s, size_t n,
		  const struct interval *iv, size_t niv,
		  double **vals, size_t *nvals);

/*
 * The intervals of window @w around each of @events (non-decreasing, else
 * -EINVAL; -EINVAL too when w.start > w.end). Times past the int64 range
 * are cut at its ends. *@iv is malloc'd (NULL when nev is 0); -ENOMEM.
 */
int window_around(const int64_t *events, size_t nev, struct window w,
		  struct interval **iv);

/* Transition intervals against baseline intervals. */
struct window_cmp {
	struct stats_summary base, trans;
	/* trans / base, plain IEEE division (inf when the baseline's is 0) */
	double ratio_mean, ratio_p50, ratio_p99, ratio_p999, ratio_max;
};

/*
 * Summaries of the samples in the @base and in the @trans intervals, and
 * their ratios. -ENODATA when either holds no sample; other errors as
 * window_gather().
 */
int window_compare(const struct series_point *s, size_t n,
		   const struct interval *base, size_t nbase,
		   const struct interval *trans, size_t ntrans,
		   struct window_cmp *c);

#endif
