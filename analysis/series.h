/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A time series as bench's timelines record it: (time in ns, value)
 * samples in non-decreasing time order. The unit of t is whatever the
 * caller uses consistently (CLOCK_MONOTONIC ns in bench).
 */
#ifndef ANALYSIS_SERIES_H
#define ANALYSIS_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct series_point {
	int64_t t;
	double v;
};

/* Times non-decreasing and no value NaN. */
bool series_valid(const struct series_point *s, size_t n);
/* Index of the first sample with time >= @t (n when there is none). */
size_t series_lower_bound(const struct series_point *s, size_t n, int64_t t);

#endif
