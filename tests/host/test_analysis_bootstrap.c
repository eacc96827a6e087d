// SPDX-License-Identifier: GPL-2.0
/*
 * Bootstrap intervals of one set, and ratio and difference intervals: equal to a brute-force
 * bootstrap replaying the documented draw order, equal to the exact
 * bootstrap distribution of a tiny case, covering a known true ratio or
 * difference, reproducible from the seed, narrowing as samples grow, and
 * refusing what it cannot answer.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/stats/bootstrap.h"
#include "analysis/stats/rng.h"
#include "analysis/stats/stats.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Exponential with the given mean: its quantiles scale with the mean. */
static double *exponential(uint64_t seed, size_t n, double mean)
{
	double *v = malloc(n * sizeof(*v));
	struct rng r;
	size_t i;

	assert_non_null(v);
	rng_seed(&r, seed);
	for (i = 0; i < n; i++)
		v[i] = -log(1 - rng_unit(&r)) * mean;
	return v;
}

/* Statistic of a resample built and sorted the slow way. */
static double brute_stat(const double *sorted, size_t n,
			 const struct bootstrap_opts *o, struct rng *r,
			 double *tmp)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = sorted[rng_below(r, n)];
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	if (o->stat == BOOTSTRAP_PERCENTILE)
		return stats_percentile_sorted(tmp, n, o->p);
	for (i = 0; i < n; i++)
		sum += tmp[i];
	return sum / (double)n;
}

/* What the brute force found: bounds and the spread of the resamples. */
struct brute {
	double lo, hi, se;
};

/* Percentile bootstrap written out plainly, same draws as bootstrap.h. */
static void brute_ci(const double *a, size_t na, const double *b, size_t nb,
		     const struct bootstrap_opts *o, bool diff,
		     struct brute *out)
{
	double *sa = malloc(na * sizeof(*sa)), *sb = malloc(nb * sizeof(*sb));
	double *tmp = malloc((na > nb ? na : nb) * sizeof(*tmp));
	double *vals = malloc(o->resamples * sizeof(*vals));
	double x, y, mean = 0, ss = 0;
	struct rng r;
	unsigned int i;

	memcpy(sa, a, na * sizeof(*a));
	memcpy(sb, b, nb * sizeof(*b));
	qsort(sa, na, sizeof(*sa), cmp_double);
	qsort(sb, nb, sizeof(*sb), cmp_double);
	rng_seed(&r, o->seed);
	for (i = 0; i < o->resamples; i++) {
		x = brute_stat(sa, na, o, &r, tmp);
		y = brute_stat(sb, nb, o, &r, tmp);
		vals[i] = diff ? x - y : x / y;
		mean += vals[i] / o->resamples;
	}
	for (i = 0; i < o->resamples; i++)
		ss += (vals[i] - mean) * (vals[i] - mean);
	out->se = sqrt(ss / (o->resamples - 1));
	qsort(vals, o->resamples, sizeof(*vals), cmp_double);
	out->lo = vals[(size_t)ceil(o->resamples * (1 - o->confidence) / 2 -
				    1e-9) - 1];
	out->hi = vals[(size_t)ceil(o->resamples * (1 + o->confidence) / 2 -
				    1e-9) - 1];
	free(sa);
	free(sb);
	free(tmp);
	free(vals);
}

typedef int (*interval_fn)(const double *a, size_t na, const double *b,
			   size_t nb, const struct bootstrap_opts *o,
			   struct bootstrap_ci *ci);

/* The same seed, the same interval to the bit; another seed, another. */
static void same_per_seed(interval_fn fn, const double *a, size_t na,
			  const double *b, size_t nb, double p)
{
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = p, .resamples = 2000,
		.confidence = 0.95, .seed = 7,
	};
	struct bootstrap_ci x, y, z;

	assert_int_equal(fn(a, na, b, nb, &o, &x), 0);
	assert_int_equal(fn(a, na, b, nb, &o, &y), 0);
	assert_memory_equal(&x, &y, sizeof(x));
	o.seed = 8;
	assert_int_equal(fn(a, na, b, nb, &o, &z), 0);
	assert_true(z.estimate == x.estimate);
	assert_true(z.lo != x.lo || z.hi != x.hi || z.se != x.se);
}

static void test_matches_brute_force(void **state)
{
	double *a = exponential(1, 37, 3), *b = exponential(2, 53, 1);
	struct bootstrap_opts o = {
		.resamples = 200, .confidence = 0.9, .seed = 99,
	};
	struct bootstrap_ci ci;
	struct brute bf;

	(void)state;
	o.stat = BOOTSTRAP_PERCENTILE;
	o.p = 90;
	assert_int_equal(bootstrap_ratio_ci(a, 37, b, 53, &o, &ci), 0);
	brute_ci(a, 37, b, 53, &o, false, &bf);
	assert_true(ci.lo == bf.lo && ci.hi == bf.hi);
	assert_true(ci.lo < ci.hi);

	o.stat = BOOTSTRAP_MEAN;
	assert_int_equal(bootstrap_ratio_ci(a, 37, b, 53, &o, &ci), 0);
	brute_ci(a, 37, b, 53, &o, false, &bf);
	/* sums in another order: equal up to rounding */
	assert_true(fabs(ci.lo - bf.lo) <= 1e-12 * bf.lo);
	assert_true(fabs(ci.hi - bf.hi) <= 1e-12 * bf.hi);
	free(a);
	free(b);
}

/* The difference of medians, bounds and standard error, draw for draw. */
static void test_diff_matches_brute_force(void **state)
{
	double *a = exponential(3, 12, 3), *b = exponential(4, 9, 1);
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 999,
		.confidence = 0.95, .seed = 42,
	};
	struct bootstrap_ci ci;
	struct brute bf;

	(void)state;
	assert_int_equal(bootstrap_diff_ci(a, 12, b, 9, &o, &ci), 0);
	brute_ci(a, 12, b, 9, &o, true, &bf);
	if (ci.lo != bf.lo || ci.hi != bf.hi)
		fail_msg("CI [%g, %g], brute force [%g, %g]", ci.lo, ci.hi,
			 bf.lo, bf.hi);
	if (fabs(ci.se - bf.se) > 1e-9 * bf.se)
		fail_msg("SE %.12g, brute force %.12g", ci.se, bf.se);
	assert_true(ci.lo < ci.estimate && ci.estimate < ci.hi);
	free(a);
	free(b);
}

/*
 * A = {1, 2, 3}, B = {0, 10}, medians by nearest rank (A's 2nd of 3, B's
 * 1st of 2). Exactly: median(A*) is 1 or 3 with 7/27 each, 2 with 13/27;
 * median(B*) is 0 with 3/4, 10 with 1/4. So P(diff = -9) = 7/108 > 2.5%,
 * P(diff <= 2) = 1/4 + 3/4 * 20/27 < 97.5%: the 95% CI is [-9, 3]. The SE
 * is the square root of the exact variance, computed here by enumeration.
 */
static void test_diff_exact_distribution(void **state)
{
	const double a[] = { 3, 1, 2 }, b[] = { 10, 0 };
	static const double pa[] = { 7 / 27.0, 13 / 27.0, 7 / 27.0 };
	static const double pb[] = { 0.75, 0.25 };
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 200000,
		.confidence = 0.95, .seed = 2026,
	};
	double mean = 0, var = 0, d;
	struct bootstrap_ci ci;
	int i, k;

	(void)state;
	for (i = 0; i < 3; i++)
		for (k = 0; k < 2; k++)
			mean += pa[i] * pb[k] * ((i + 1) - 10.0 * k);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 2; k++) {
			d = (i + 1) - 10.0 * k - mean;
			var += pa[i] * pb[k] * d * d;
		}
	assert_int_equal(bootstrap_diff_ci(a, 3, b, 2, &o, &ci), 0);
	assert_true(ci.estimate == 2);
	if (ci.lo != -9 || ci.hi != 3)
		fail_msg("expected CI [-9, 3], saw [%g, %g]", ci.lo, ci.hi);
	if (fabs(ci.se - sqrt(var)) > 0.01 * sqrt(var))
		fail_msg("expected SE %g, saw %g", sqrt(var), ci.se);
}

/* Constant sets: no spread, the interval is the difference itself. */
static void test_diff_known(void **state)
{
	const double a[] = { 7, 7, 7, 7, 7 }, b[] = { 3, 3, 3 };
	const double zeros[] = { 0, 0, 0, 0 };
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 300,
		.confidence = 0.95, .seed = 9,
	};
	struct bootstrap_ci ci;

	(void)state;
	assert_int_equal(bootstrap_diff_ci(a, 5, b, 3, &o, &ci), 0);
	assert_true(ci.estimate == 4 && ci.lo == 4 && ci.hi == 4);
	assert_true(ci.se == 0);
	/* A reference of zeros is fine for a difference (not for a ratio). */
	assert_int_equal(bootstrap_diff_ci(a, 5, zeros, 4, &o, &ci), 0);
	assert_true(ci.estimate == 7 && ci.lo == 7 && ci.hi == 7);
}

/* A = exp(mean 2), B = exp(mean 1): medians differ by ln 2. */
static void test_diff_contains_true(void **state)
{
	double *a = exponential(40, 3000, 2), *b = exponential(41, 3000, 1);
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 2000,
		.confidence = 0.95, .seed = 77,
	};
	struct bootstrap_ci ci;

	(void)state;
	assert_int_equal(bootstrap_diff_ci(a, 3000, b, 3000, &o, &ci), 0);
	if (!(ci.lo < M_LN2 && M_LN2 < ci.hi) || ci.lo <= 0)
		fail_msg("CI [%g, %g] should hold ln 2 and leave out 0", ci.lo,
			 ci.hi);
	/* The CI spans about 2 x 1.96 standard errors. */
	assert_true(fabs((ci.hi - ci.lo) / (2 * 1.96 * ci.se) - 1) < 0.2);
	free(a);
	free(b);
}

static void test_diff_deterministic(void **state)
{
	double *a = exponential(50, 10, 2), *b = exponential(51, 10, 1);

	(void)state;
	same_per_seed(bootstrap_diff_ci, a, 10, b, 10, 50);
	free(a);
	free(b);
}

static void test_diff_errors(void **state)
{
	const double a[] = { 1, 2, 3 }, nan[] = { 1, NAN };
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 100,
		.confidence = 0.95,
	};
	struct bootstrap_ci ci;

	(void)state;
	assert_int_equal(bootstrap_diff_ci(a, 0, a, 3, &o, &ci), -ENODATA);
	assert_int_equal(bootstrap_diff_ci(a, 3, a, 0, &o, &ci), -ENODATA);
	assert_int_equal(bootstrap_diff_ci(nan, 2, a, 3, &o, &ci), -EINVAL);
	o.resamples = 0;
	assert_int_equal(bootstrap_diff_ci(a, 3, a, 3, &o, &ci), -EINVAL);
}

static void test_estimate(void **state)
{
	const double a[] = { 5, 1, 3, 9, 7 }, b[] = { 2, 4, 1, 3 };
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 50,
		.confidence = 0.95, .seed = 1,
	};
	struct bootstrap_ci ci;

	(void)state;
	assert_int_equal(bootstrap_ratio_ci(a, 5, b, 4, &o, &ci), 0);
	assert_true(ci.estimate == 5.0 / 2);	/* rank 3 of 5, 2 of 4 */
	assert_true(ci.lo <= ci.hi);
	assert_int_equal(bootstrap_diff_ci(a, 5, b, 4, &o, &ci), 0);
	assert_true(ci.estimate == 5 - 2);
	o.stat = BOOTSTRAP_MEAN;
	assert_int_equal(bootstrap_ratio_ci(a, 5, b, 4, &o, &ci), 0);
	assert_true(ci.estimate == 5.0 / 2.5);
	assert_int_equal(bootstrap_diff_ci(a, 5, b, 4, &o, &ci), 0);
	assert_true(ci.estimate == 5 - 2.5);
}

/* B = exp(mean 1), A = exp(mean 2): every quantile and the mean double. */
static void test_contains_true_ratio(void **state)
{
	double *a = exponential(10, 5000, 2), *b = exponential(11, 5000, 1);
	static const double ps[] = { 50, 90, 99 };
	struct bootstrap_opts o = {
		.resamples = 2000, .confidence = 0.95, .seed = 12345,
	};
	struct bootstrap_ci ci;
	size_t i;

	(void)state;
	o.stat = BOOTSTRAP_MEAN;
	assert_int_equal(bootstrap_ratio_ci(a, 5000, b, 5000, &o, &ci), 0);
	assert_true(ci.lo < 2 && 2 < ci.hi);
	assert_true(ci.lo > 1.8 && ci.hi < 2.2);
	o.stat = BOOTSTRAP_PERCENTILE;
	for (i = 0; i < ARRAY_SIZE(ps); i++) {
		o.p = ps[i];
		assert_int_equal(bootstrap_ratio_ci(a, 5000, b, 5000, &o, &ci),
				 0);
		assert_true(ci.lo <= ci.estimate && ci.estimate <= ci.hi);
		assert_true(ci.lo < 2 && 2 < ci.hi);
		assert_true(ci.lo > 1 && ci.hi < 3);	/* 1 is ruled out */
	}
	free(a);
	free(b);
}

static void test_deterministic(void **state)
{
	double *a = exponential(20, 1000, 2), *b = exponential(21, 800, 1);

	(void)state;
	same_per_seed(bootstrap_ratio_ci, a, 1000, b, 800, 99);
	free(a);
	free(b);
}

static double width(size_t n, enum bootstrap_stat stat, double p)
{
	double *a = exponential(30 + n, n, 2), *b = exponential(31 + n, n, 1);
	struct bootstrap_opts o = {
		.stat = stat, .p = p, .resamples = 1000, .confidence = 0.95,
		.seed = 3,
	};
	struct bootstrap_ci ci;

	assert_int_equal(bootstrap_ratio_ci(a, n, b, n, &o, &ci), 0);
	free(a);
	free(b);
	return ci.hi - ci.lo;
}

/* Width goes as 1 / sqrt(n): 10x the samples, about 0.32x the width. */
static void test_narrows(void **state)
{
	double w1, w2, w3;

	(void)state;
	w1 = width(100, BOOTSTRAP_MEAN, 0);
	w2 = width(1000, BOOTSTRAP_MEAN, 0);
	w3 = width(10000, BOOTSTRAP_MEAN, 0);
	assert_true(w2 < 0.5 * w1 && w3 < 0.5 * w2);
	w1 = width(100, BOOTSTRAP_PERCENTILE, 90);
	w2 = width(1000, BOOTSTRAP_PERCENTILE, 90);
	w3 = width(10000, BOOTSTRAP_PERCENTILE, 90);
	assert_true(w2 < 0.5 * w1 && w3 < 0.5 * w2);
}

static void test_errors(void **state)
{
	const double a[] = { 1, 2, 3 }, zeros[] = { 0, 0, 0 };
	const double nan[] = { 1, NAN };
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_MEAN, .resamples = 100, .confidence = 0.95,
	};
	struct bootstrap_opts bad;
	struct bootstrap_ci ci;

	(void)state;
	assert_int_equal(bootstrap_ratio_ci(a, 0, a, 3, &o, &ci), -ENODATA);
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 0, &o, &ci), -ENODATA);
	assert_int_equal(bootstrap_ratio_ci(a, 3, zeros, 3, &o, &ci), -EDOM);
	assert_int_equal(bootstrap_ratio_ci(nan, 2, a, 3, &o, &ci), -EINVAL);
	assert_int_equal(bootstrap_ratio_ci(a, 3, nan, 2, &o, &ci), -EINVAL);
	bad = o;
	bad.resamples = 0;
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &bad, &ci), -EINVAL);
	bad = o;
	bad.confidence = 1;
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &bad, &ci), -EINVAL);
	bad.confidence = 0;
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &bad, &ci), -EINVAL);
	bad.confidence = NAN;
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &bad, &ci), -EINVAL);
	bad = o;
	bad.stat = BOOTSTRAP_PERCENTILE;
	bad.p = 101;
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &bad, &ci), -EINVAL);
	bad.p = NAN;
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &bad, &ci), -EINVAL);
	bad = o;
	bad.stat = 7;
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &bad, &ci), -EINVAL);
	/* a set against itself: the estimate is exactly 1 */
	assert_int_equal(bootstrap_ratio_ci(a, 3, a, 3, &o, &ci), 0);
	assert_true(ci.estimate == 1);
}

/* B's median is often 0 in a resample: the upper bound says so with inf. */
static void test_zero_denominator(void **state)
{
	const double a[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	const double b[] = { 0, 0, 0, 0, 1, 1, 1, 1, 1, 1 };
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 1000,
		.confidence = 0.95, .seed = 5,
	};
	struct bootstrap_ci ci;

	(void)state;
	assert_int_equal(bootstrap_ratio_ci(a, 10, b, 10, &o, &ci), 0);
	assert_true(ci.estimate == 1);
	assert_true(ci.lo == 1);
	assert_true(isinf(ci.hi) && ci.hi > 0);
}

/*
 * One set: the median of {1, 2, 3} resampled is 1 or 3 with 7/27 each
 * and 2 with 13/27, so its 95% CI is [1, 3]; a constant set has no
 * spread; 400 draws of exp(mean 1) hold the true median, ln 2.
 */
static void test_one_set(void **state)
{
	const double a[] = { 3, 1, 2 }, c[] = { 7, 7, 7, 7 }, bad[] = { 1, NAN };
	struct bootstrap_opts o = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50, .resamples = 20000,
		.confidence = 0.95, .seed = 5,
	};
	double *e = exponential(8, 400, 1);
	struct bootstrap_ci ci;

	(void)state;
	assert_int_equal(bootstrap_ci(a, 3, &o, &ci), 0);
	assert_true(ci.estimate == 2);
	if (ci.lo != 1 || ci.hi != 3)
		fail_msg("expected CI [1, 3], saw [%g, %g]", ci.lo, ci.hi);
	assert_int_equal(bootstrap_ci(c, 4, &o, &ci), 0);
	assert_true(ci.estimate == 7 && ci.lo == 7 && ci.hi == 7 && ci.se == 0);
	assert_int_equal(bootstrap_ci(e, 400, &o, &ci), 0);
	if (!(ci.lo < log(2) && log(2) < ci.hi && ci.hi - ci.lo < 0.4))
		fail_msg("CI [%g, %g] should hold ln 2 and be narrow", ci.lo,
			 ci.hi);
	assert_int_equal(bootstrap_ci(a, 0, &o, &ci), -ENODATA);
	assert_int_equal(bootstrap_ci(bad, 2, &o, &ci), -EINVAL);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_brute_force),
		cmocka_unit_test(test_estimate),
		cmocka_unit_test(test_contains_true_ratio),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_narrows),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_zero_denominator),
		cmocka_unit_test(test_diff_matches_brute_force),
		cmocka_unit_test(test_diff_exact_distribution),
		cmocka_unit_test(test_diff_known),
		cmocka_unit_test(test_diff_contains_true),
		cmocka_unit_test(test_diff_deterministic),
		cmocka_unit_test(test_diff_errors),
		cmocka_unit_test(test_one_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
