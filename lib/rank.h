/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Percentile to rank: the one definition that the histogram, the exact
 * order statistics and the bootstrap share, so that they agree exactly.
 *
 * Nearest rank, no interpolation: percentile p of n samples is the r-th
 * smallest sample (1-based), r = ceil(p / 100 * n), at least 1. It is the
 * smallest sample x such that at least p% of the samples are <= x; p = 0
 * gives the minimum and p = 100 the maximum.
 */
#ifndef ANALYSIS_RANK_H
#define ANALYSIS_RANK_H

#include <stdint.h>

/*
 * Rank in 1..n of percentile @p among @n samples; 0 when n is 0. @p is
 * clamped to [0, 100] (NaN counts as 0).
 */
uint64_t pct_rank(double p, uint64_t n);

#endif
