/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparing strategies measured in one run (bench compare): per-cycle
 * numbers of each strategy against a baseline strategy, as ratios of
 * medians with bootstrap confidence intervals (cycles are the independent
 * samples: one cycle = one apply and one revert).
 */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include <stdint.h>
#include <stdio.h>

/*
 * Read @dir (summary.json, cycles.json), print the table to @f and write
 * compare.json and compare.csv into @dir. 0, or -errno with @err set.
 */
int compare_results(const char *dir, const char *baseline, uint64_t seed,
		    FILE *f, char *err, size_t len);

#endif
