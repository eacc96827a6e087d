// SPDX-License-Identifier: GPL-2.0
/*
 * Exact order statistics and summaries against brute force, and the
 * nearest-rank rule that the histogram and the bootstrap share.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/rank.h"
#include "analysis/stats/rng.h"
#include "analysis/stats/stats.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define assert_double_eq(seen, want) do {				\
	double s_ = (seen), w_ = (want);				\
	if (!(s_ == w_))						\
		fail_msg("%s = %.17g, expected %.17g", #seen, s_, w_);	\
} while (0)

#define assert_close(seen, want, rel) do {				\
	double s_ = (seen), w_ = (want);				\
	if (!(fabs(s_ - w_) <= (rel) * fabs(w_)))			\
		fail_msg("%s = %.17g, expected %.17g", #seen, s_, w_);	\
} while (0)

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest rank in integers, independent of rank.c: p = num / den percent. */
static uint64_t brute_rank(uint64_t n, uint64_t num, uint64_t den)
{
	uint64_t k;

	for (k = 1; k < n; k++)
		if ((__uint128_t)k * 100 * den >=
		    (__uint128_t)num * n)
			break;
	return k;
}

/* Mixed shapes: heavy tail, many duplicates, negative values. */
static double *random_doubles(uint64_t seed, size_t n)
{
	double *v = malloc((n ? n : 1) * sizeof(*v));
	struct rng r;
	size_t i;

	assert_non_null(v);
	rng_seed(&r, seed);
	for (i = 0; i < n; i++) {
		switch (i % 3) {
		case 0:
			v[i] = -log(1 - rng_unit(&r)) * 1e6;
			break;
		case 1:
			v[i] = (double)rng_below(&r, 20);
			break;
		default:
			v[i] = rng_unit(&r) * 2000 - 1000;
		}
	}
	return v;
}

static const uint64_t pcts[][2] = {
	{ 0, 1 }, { 1, 1 }, { 10, 1 }, { 50, 1 }, { 90, 1 }, { 99, 1 },
	{ 999, 10 }, { 9999, 100 }, { 99999, 1000 }, { 100, 1 }, { 1, 3 },
	{ 200, 3 }, { 12345, 1000 },
};

static void test_pct_rank(void **state)
{
	(void)state;
	assert_int_equal(pct_rank(50, 0), 0);
	assert_int_equal(pct_rank(0, 10), 1);
	assert_int_equal(pct_rank(-5, 10), 1);
	assert_int_equal(pct_rank(NAN, 10), 1);
	assert_int_equal(pct_rank(100, 10), 10);
	assert_int_equal(pct_rank(150, 10), 10);
	assert_int_equal(pct_rank(1e-300, 10), 1);
	assert_int_equal(pct_rank(50, 4), 2);
	assert_int_equal(pct_rank(50, 5), 3);
	/* decimal percentiles that land on whole ranks stay there */
	assert_int_equal(pct_rank(99.9, 1000), 999);
	assert_int_equal(pct_rank(99.9, 1001), 1000);
	assert_int_equal(pct_rank(99.99, 10000), 9999);
	assert_int_equal(pct_rank(99.9, 1000000000), 999000000);
	assert_int_equal(pct_rank(0.1, 1000), 1);
	assert_int_equal(pct_rank(0.1, 1001), 2);
}

/* Against the integer rule for every n up to 400 and some large ones. */
static void test_pct_rank_vs_brute(void **state)
{
	static const uint64_t big[] = { 1000, 4096, 10000, 99999, 100000,
					1000000, 123456789 };
	uint64_t n;
	size_t i, k;

	(void)state;
	for (n = 1; n <= 400; n++)
		for (i = 0; i < ARRAY_SIZE(pcts); i++)
			assert_int_equal(pct_rank((double)pcts[i][0] /
						  pcts[i][1], n),
					 brute_rank(n, pcts[i][0], pcts[i][1]));
	for (k = 0; k < ARRAY_SIZE(big); k++) {
		n = big[k];
		for (i = 0; i < ARRAY_SIZE(pcts); i++) {
			/* brute_rank is linear: check its answer, not scan */
			uint64_t r = pct_rank((double)pcts[i][0] / pcts[i][1],
					      n);
			__uint128_t need =
				(__uint128_t)pcts[i][0] * n;

			assert_true(r >= 1 && r <= n);
			assert_true(r == 1 || (__uint128_t)(r - 1) * 100 *
				    pcts[i][1] < need);
			assert_true(r == n || (__uint128_t)r * 100 *
				    pcts[i][1] >= need);
		}
	}
}

static void test_percentiles_vs_brute(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 10, 999, 1000, 1001, 20000 };
	size_t s, i;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];
		double *v = random_doubles(s + 1, n);

		stats_sort(v, n);
		for (i = 1; i < n; i++)
			assert_true(v[i - 1] <= v[i]);
		for (i = 0; i < ARRAY_SIZE(pcts); i++) {
			double p = (double)pcts[i][0] / pcts[i][1];
			uint64_t k = brute_rank(n, pcts[i][0], pcts[i][1]);

			assert_double_eq(stats_percentile_sorted(v, n, p),
					 v[k - 1]);
		}
		free(v);
	}
	assert_true(isnan(stats_percentile_sorted(NULL, 0, 50)));
}

static void test_summary_vs_brute(void **state)
{
	static const size_t sizes[] = { 1, 2, 17, 1000, 50000 };
	size_t s, i;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];
		double *v = random_doubles(100 + s, n);
		double *sorted = malloc(n * sizeof(*sorted));
		double *orig = malloc(n * sizeof(*orig));
		long double sum = 0, dev = 0;
		struct stats_summary sm;

		memcpy(sorted, v, n * sizeof(*v));
		memcpy(orig, v, n * sizeof(*v));
		qsort(sorted, n, sizeof(*sorted), cmp_double);
		for (i = 0; i < n; i++)
			sum += v[i];
		for (i = 0; i < n; i++)
			dev += (v[i] - sum / n) * (v[i] - sum / n);

		assert_int_equal(stats_summarize(v, n, &sm), 0);
		assert_memory_equal(v, orig, n * sizeof(*v));	/* untouched */
		assert_int_equal(sm.n, n);
		assert_double_eq(sm.min, sorted[0]);
		assert_double_eq(sm.max, sorted[n - 1]);
		assert_double_eq(sm.p50, sorted[brute_rank(n, 50, 1) - 1]);
		assert_double_eq(sm.p90, sorted[brute_rank(n, 90, 1) - 1]);
		assert_double_eq(sm.p99, sorted[brute_rank(n, 99, 1) - 1]);
		assert_double_eq(sm.p999, sorted[brute_rank(n, 999, 10) - 1]);
		assert_double_eq(sm.p9999,
				 sorted[brute_rank(n, 9999, 100) - 1]);
		assert_close(sm.mean, (double)(sum / n), 1e-9);
		if (n == 1)
			assert_double_eq(sm.stddev, 0);
		else
			assert_close(sm.stddev, sqrtl(dev / (n - 1)), 1e-9);
		free(v);
		free(sorted);
		free(orig);
	}
}

static void test_summary_known(void **state)
{
	const double v[] = { 4, 1, 3, 2, 10 };
	struct stats_summary sm;

	(void)state;
	assert_int_equal(stats_summarize(v, 5, &sm), 0);
	assert_double_eq(sm.mean, 4);
	assert_double_eq(sm.stddev, sqrt(12.5));	/* 50 / (5 - 1) */
	assert_double_eq(sm.p50, 3);
	assert_double_eq(sm.p90, 10);
	assert_double_eq(sm.min, 1);
	assert_double_eq(sm.max, 10);
}

static void test_summary_errors(void **state)
{
	const double with_nan[] = { 1, NAN, 3 };
	const double unsorted[] = { 1, 3, 2 };
	struct stats_summary sm;

	(void)state;
	assert_int_equal(stats_summarize(NULL, 0, &sm), -ENODATA);
	assert_int_equal(stats_summarize_sorted(NULL, 0, &sm), -ENODATA);
	assert_int_equal(stats_summarize(with_nan, 3, &sm), -EINVAL);
	assert_int_equal(stats_summarize_sorted(with_nan, 3, &sm), -EINVAL);
	assert_int_equal(stats_summarize_sorted(unsorted, 3, &sm), -EINVAL);
	assert_int_equal(stats_summarize(unsorted, 3, &sm), 0);
	assert_double_eq(sm.p50, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pct_rank),
		cmocka_unit_test(test_pct_rank_vs_brute),
		cmocka_unit_test(test_percentiles_vs_brute),
		cmocka_unit_test(test_summary_vs_brute),
		cmocka_unit_test(test_summary_known),
		cmocka_unit_test(test_summary_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
