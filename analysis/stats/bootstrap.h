/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bootstrap confidence intervals for the ratio or the difference of a
 * statistic between two independent sample sets, e.g. p99 latency under
 * strategy A over (or minus) p99 under kgraft: is "A is 3x worse" or "A
 * stalls 2 ms longer" more than noise?
 *
 * Percentile method: draw both sets again with replacement, each to its
 * own size, take the ratio (or difference) of the statistic, repeat; the interval is the
 * middle @confidence of those ratios, cut at the nearest ranks (rank.h) of
 * (1 - confidence) / 2 and (1 + confidence) / 2. Reproducible: everything
 * comes from one rng.h generator seeded with @seed. Draw order, fixed so
 * results can be checked: per resample, na indices into the ascending
 * sorted copy of A, then nb into that of B, each from rng_below().
 *
 * The bootstrap assumes independent samples. Operations of one run are
 * not (a stall delays many in a row): resample per-cycle values (each
 * cycle's p99, each transition's time) rather than single operations.
 * Cost: O(resamples * (na + nb)) time, O(na + nb + resamples) memory.
 */
#ifndef ANALYSIS_BOOTSTRAP_H
#define ANALYSIS_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

enum bootstrap_stat {
	BOOTSTRAP_MEAN,
	BOOTSTRAP_PERCENTILE,	/* nearest-rank percentile bootstrap_opts.p */
};

struct bootstrap_opts {
	enum bootstrap_stat stat;
	double p;		/* 0..100, for BOOTSTRAP_PERCENTILE */
	unsigned int resamples;	/* 1000 to 10000 is usual */
	double confidence;	/* in (0, 1), e.g. 0.95 */
	uint64_t seed;
};

struct bootstrap_ci {
	double estimate;	/* stat(A) / stat(B), or stat(A) - stat(B),
				 * on the samples as given */
	double lo, hi;
	/*
	 * Standard error: the standard deviation of the resampled ratios or
	 * differences (n - 1 form); inf or NaN when a ratio was infinite.
	 */
	double se;
};

/*
 * Interval for stat(@a) / stat(@b). A resample whose B statistic is 0
 * gives +inf (or 1 when A's is 0 too), so a bound at inf says B's
 * statistic can be 0. -ENODATA when a set is empty, -EDOM when stat(B) on
 * the samples as given is 0, -EINVAL for NaN values or bad options,
 * -ENOMEM.
 */
int bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
		       const struct bootstrap_opts *o, struct bootstrap_ci *ci);

/*
 * Interval for stat(@a) itself (estimate: on the samples as given), from
 * the same draws of @a as the two-set intervals. -ENODATA when @a is
 * empty, -EINVAL for NaN values or bad options, -ENOMEM.
 */
int bootstrap_ci(const double *a, size_t na, const struct bootstrap_opts *o,
		 struct bootstrap_ci *ci);

/*
 * Interval for stat(@a) - stat(@b), same draws as the ratio's, so the same
 * seed gives resamples that match one for one. -ENODATA when a set is
 * empty, -EINVAL for NaN values or bad options, -ENOMEM.
 */
int bootstrap_diff_ci(const double *a, size_t na, const double *b, size_t nb,
		      const struct bootstrap_opts *o, struct bootstrap_ci *ci);

#endif
