/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sets of half-open time intervals: normalising (sort, merge), the
 * intersection of two sets (when were two CPUs both stalled?), and what a
 * set holds within a window (total, count, longest), for stall gaps and
 * CPU stops that were recorded as (start, length) pairs.
 */
#ifndef ANALYSIS_INTERVAL_H
#define ANALYSIS_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

/* Times start <= t < end (empty when start == end). */
struct interval {
	int64_t start, end;
};

/*
 * A normalised set: ordered by start, no empty intervals, none touching or
 * overlapping another. Sorts and merges @v in place; returns its new size.
 */
size_t interval_normalize(struct interval *v, size_t n);

/*
 * The intersection of two normalised sets into @out (room for na + nb, the
 * most it can hold); returns its size. The result is normalised.
 */
size_t interval_intersect(const struct interval *a, size_t na,
			  const struct interval *b, size_t nb,
			  struct interval *out);

/* What a normalised set holds within [lo, hi), parts clipped to it. */
struct interval_sum {
	uint64_t total;		/* summed length */
	uint64_t count;		/* intervals that overlap the window */
	uint64_t longest;	/* the longest clipped part */
};

void interval_clip_sum(const struct interval *v, size_t n, int64_t lo,
		       int64_t hi, struct interval_sum *s);

#endif
