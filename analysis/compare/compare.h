/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparing strategies measured in one run (bench compare): per-cycle
 * numbers of each strategy against a baseline (reference) strategy, as
 * differences and ratios of medians with bootstrap confidence intervals
 * (cycles are the independent samples: one cycle = one apply and one
 * revert), a verdict per (metric, strategy) and a sentence saying it.
 */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include <stdint.h>
#include <stdio.h>

/* Twice the cycles a CI needs (COMPARE_MIN_N), per strategy. */
#define COMPARE_DEFAULT_CYCLES	10
/* For a results directory that recorded no seed. */
#define COMPARE_DEFAULT_SEED	1

/*
 * Read @dir (summary.json, cycles.json), print the table to @f and write
 * compare.json and compare.csv into @dir. 0, or -errno with @err set.
 */
int compare_results(const char *dir, const char *baseline, uint64_t seed,
		    FILE *f, char *err, size_t len);

#endif
