// SPDX-License-Identifier: GPL-2.0
/*
 * Spike detection on constructed series with known answers, and its
 * invariants on random series: every sample above the threshold in exactly
 * one spike, spikes split exactly where the merge rule says.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rng.h"
#include "spike.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* t = 0, 10, ..., 990; value 1 except the spikes placed by index. */
static void constructed(struct series_point *s)
{
	int i;

	for (i = 0; i < 100; i++) {
		s[i].t = i * 10;
		s[i].v = 1;
	}
	s[10].v = 5;
	s[11].v = 9;
	s[12].v = 9;	/* a tie: the peak is the first */
	s[13].v = 5;
	s[50].v = 7;	/* one quiet sample, then two more */
	s[52].v = 6;
	s[53].v = 8;
	s[70].v = 3;	/* at the threshold: not a spike */
	s[99].v = 4;	/* the last sample */
}

static void assert_spike(const struct spike *sp, int64_t start, int64_t end,
			 double peak, int64_t peak_t, size_t count)
{
	assert_int_equal(sp->start, start);
	assert_int_equal(sp->end, end);
	assert_true(sp->peak == peak);
	assert_int_equal(sp->peak_t, peak_t);
	assert_int_equal(sp->count, count);
}

static void test_constructed_runs(void **state)
{
	struct series_point s[100];
	struct spike *sp;
	size_t n;

	(void)state;
	constructed(s);
	assert_int_equal(spike_detect(s, 100, 3, 0, &sp, &n), 0);
	assert_int_equal(n, 4);
	assert_spike(&sp[0], 100, 130, 9, 110, 4);
	assert_spike(&sp[1], 500, 500, 7, 500, 1);
	assert_spike(&sp[2], 520, 530, 8, 530, 2);
	assert_spike(&sp[3], 990, 990, 4, 990, 1);
	free(sp);
}

static void test_constructed_merge_gap(void **state)
{
	struct series_point s[100];
	struct spike *sp;
	size_t n;

	(void)state;
	constructed(s);
	/* 500 -> 520 is 20 apart: one gap short of merging, then merged */
	assert_int_equal(spike_detect(s, 100, 3, 19, &sp, &n), 0);
	assert_int_equal(n, 4);
	free(sp);
	assert_int_equal(spike_detect(s, 100, 3, 20, &sp, &n), 0);
	assert_int_equal(n, 3);
	assert_spike(&sp[0], 100, 130, 9, 110, 4);
	assert_spike(&sp[1], 500, 530, 8, 530, 3);
	assert_spike(&sp[2], 990, 990, 4, 990, 1);
	free(sp);
	/* 130 -> 500 and 530 -> 990 are within 460: everything merges */
	assert_int_equal(spike_detect(s, 100, 3, 460, &sp, &n), 0);
	assert_int_equal(n, 1);
	assert_spike(&sp[0], 100, 990, 9, 110, 8);
	free(sp);
}

static void test_none_and_errors(void **state)
{
	struct series_point s[100], back[2] = { { 5, 1 }, { 4, 1 } };
	struct spike *sp = (struct spike *)1;
	double thr;
	size_t n = 7;

	(void)state;
	constructed(s);
	assert_int_equal(spike_detect(s, 100, 9, 0, &sp, &n), 0);
	assert_null(sp);
	assert_int_equal(n, 0);
	assert_int_equal(spike_detect(NULL, 0, 1, 0, &sp, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(spike_detect(s, 100, 3, -1, &sp, &n), -EINVAL);
	assert_int_equal(spike_detect(s, 100, NAN, 0, &sp, &n), -EINVAL);
	assert_int_equal(spike_detect(back, 2, 0, 0, &sp, &n), -EINVAL);
	assert_int_equal(spike_threshold_median(s, 0, 3, &thr), -ENODATA);
	assert_int_equal(spike_threshold_median(s, 100, NAN, &thr), -EINVAL);
	assert_int_equal(spike_threshold_median(back, 2, 3, &thr), -EINVAL);
}

/* Gaps wider than INT64_MAX neither overflow nor merge. */
static void test_extreme_times(void **state)
{
	const struct series_point s[] = {
		{ INT64_MIN, 5 }, { 0, 1 }, { INT64_MAX, 6 },
	};
	struct spike *sp;
	size_t n;

	(void)state;
	assert_int_equal(spike_detect(s, 3, 3, INT64_MAX, &sp, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(sp[0].start, INT64_MIN);
	assert_int_equal(sp[1].start, INT64_MAX);
	free(sp);
}

/* The median shrugs off the spikes: 8 high samples of 100 leave it at 1. */
static void test_median_threshold(void **state)
{
	struct series_point s[100], four[4] = {
		{ 0, 4 }, { 1, 1 }, { 2, 3 }, { 3, 2 },
	};
	struct spike *sp;
	double thr;
	size_t n;

	(void)state;
	constructed(s);
	assert_int_equal(spike_threshold_median(s, 100, 3, &thr), 0);
	assert_true(thr == 3);
	assert_int_equal(spike_detect(s, 100, thr, 0, &sp, &n), 0);
	assert_int_equal(n, 4);
	free(sp);
	/* even n: the lower middle value, 2 of 1..4 */
	assert_int_equal(spike_threshold_median(four, 4, 2.5, &thr), 0);
	assert_true(thr == 5);
}

static void check_invariants(const struct series_point *s, size_t n,
			     double thr, int64_t gap, const struct spike *sp,
			     size_t ns)
{
	size_t i, k = 0, above = 0, prev = 0, members = 0;
	double peak = -INFINITY;
	int64_t peak_t = 0;

	for (i = 0; i < n; i++) {
		if (!(s[i].v > thr))
			continue;
		if (above) {
			/* a new spike starts exactly where the rule splits */
			int split = i - prev > 1 && s[i].t - s[prev].t > gap;

			if (split) {
				assert_int_equal(sp[k].count, members);
				assert_int_equal(sp[k].end, s[prev].t);
				assert_true(sp[k].peak == peak);
				assert_int_equal(sp[k].peak_t, peak_t);
				k++;
				members = 0;
			}
		}
		assert_true(k < ns);
		if (!members) {
			assert_int_equal(sp[k].start, s[i].t);
			peak = -INFINITY;
		}
		if (s[i].v > peak) {
			peak = s[i].v;
			peak_t = s[i].t;
		}
		members++;
		above++;
		prev = i;
	}
	if (above) {
		assert_int_equal(sp[k].count, members);
		assert_int_equal(sp[k].end, s[prev].t);
		assert_true(sp[k].peak == peak);
		k++;
	}
	assert_int_equal(k, ns);
}

static void test_random_invariants(void **state)
{
	static const int64_t gaps[] = { 0, 5, 50, 500, 100000 };
	struct series_point *s = malloc(20000 * sizeof(*s));
	int64_t t = 0;
	struct spike *sp;
	struct rng r;
	size_t i, g, ns;
	double thr;

	(void)state;
	assert_non_null(s);
	rng_seed(&r, 17);
	for (i = 0; i < 20000; i++) {
		t += (int64_t)rng_below(&r, 20);
		s[i].t = t;
		/* quiet noise with bursts of high values */
		s[i].v = rng_unit(&r) + (rng_below(&r, 50) == 0) * 10 +
			 (i % 1000 < 30) * 5;
	}
	assert_int_equal(spike_threshold_median(s, 20000, 3, &thr), 0);
	assert_true(thr > 1 && thr < 2);
	for (g = 0; g < ARRAY_SIZE(gaps); g++) {
		assert_int_equal(spike_detect(s, 20000, thr, gaps[g], &sp, &ns),
				 0);
		assert_true(ns > 0);
		check_invariants(s, 20000, thr, gaps[g], sp, ns);
		free(sp);
	}
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constructed_runs),
		cmocka_unit_test(test_constructed_merge_gap),
		cmocka_unit_test(test_none_and_errors),
		cmocka_unit_test(test_extreme_times),
		cmocka_unit_test(test_median_threshold),
		cmocka_unit_test(test_random_invariants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
