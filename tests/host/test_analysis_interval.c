// SPDX-License-Identifier: GPL-2.0
/*
 * Interval sets against hand-computed cases and brute force: a timeline of
 * unit cells marked per set, intersected cell by cell, and summed, counted
 * and measured within random windows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/stats/interval.h"
#include "analysis/stats/rng.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SPAN 3000
#define SETS 4

static void test_normalize_known(void **state)
{
	struct interval v[] = {
		{ 50, 60 }, { 0, 10 }, { 10, 20 }, { 5, 8 }, { 30, 30 },
		{ 40, 35 }, { 55, 70 },
	};
	size_t n = interval_normalize(v, ARRAY_SIZE(v));

	(void)state;
	/* Touching merge, contained vanish, empty and inverted drop. */
	assert_int_equal(n, 2);
	assert_int_equal(v[0].start, 0);
	assert_int_equal(v[0].end, 20);
	assert_int_equal(v[1].start, 50);
	assert_int_equal(v[1].end, 70);
}

static void test_intersect_known(void **state)
{
	const struct interval a[] = { { 0, 10 }, { 20, 40 }, { 50, 60 } };
	const struct interval b[] = { { 5, 25 }, { 30, 55 } };
	struct interval out[5];
	struct interval_sum s;
	size_t n = interval_intersect(a, 3, b, 2, out);

	(void)state;
	assert_int_equal(n, 4);
	assert_int_equal(out[0].start, 5);
	assert_int_equal(out[0].end, 10);
	assert_int_equal(out[1].start, 20);
	assert_int_equal(out[1].end, 25);
	assert_int_equal(out[2].start, 30);
	assert_int_equal(out[2].end, 40);
	assert_int_equal(out[3].start, 50);
	assert_int_equal(out[3].end, 55);
	/* Window [8, 35): 2 + 5 + 5, three parts, the longest 5. */
	interval_clip_sum(out, n, 8, 35, &s);
	assert_int_equal(s.total, 12);
	assert_int_equal(s.count, 3);
	assert_int_equal(s.longest, 5);
	assert_int_equal(interval_intersect(a, 3, b, 0, out), 0);
}

/* Random intervals over [0, SPAN), marking the cells they cover. */
static size_t random_set(struct rng *r, struct interval *v, bool *cells)
{
	size_t i, n = 1 + rng_below(r, 60);

	for (i = 0; i < n; i++) {
		int64_t a = (int64_t)rng_below(r, SPAN);
		int64_t len = (int64_t)rng_below(r, 120);
		int64_t t;

		v[i] = (struct interval){ a, a + len < SPAN ? a + len : SPAN };
		for (t = v[i].start; t < v[i].end; t++)
			cells[t] = true;
	}
	return interval_normalize(v, n);
}

/* What the cells hold within [lo, hi): total, maximal runs, the longest. */
static void brute_sum(const bool *cells, int64_t lo, int64_t hi,
		      struct interval_sum *s)
{
	uint64_t run = 0;
	int64_t t;

	memset(s, 0, sizeof(*s));
	for (t = lo; t <= hi; t++) {
		if (t < hi && cells[t]) {
			run++;
			s->total++;
			continue;
		}
		if (run) {
			s->count++;
			s->longest = run > s->longest ? run : s->longest;
		}
		run = 0;
	}
}

static void test_intersect_vs_brute(void **state)
{
	static bool cells[SETS][SPAN], all[SPAN];
	struct interval v[SETS][64], acc[SETS * 64], tmp[SETS * 64];
	struct interval_sum got, want;
	size_t n[SETS], na, i, k;
	struct rng r;
	int round;

	(void)state;
	rng_seed(&r, 42);
	for (round = 0; round < 300; round++) {
		memset(cells, 0, sizeof(cells));
		for (k = 0; k < SETS; k++)
			n[k] = random_set(&r, v[k], cells[k]);
		memcpy(acc, v[0], n[0] * sizeof(acc[0]));
		na = n[0];
		for (k = 1; k < SETS; k++) {
			na = interval_intersect(acc, na, v[k], n[k], tmp);
			memcpy(acc, tmp, na * sizeof(acc[0]));
		}
		for (i = 0; i < SPAN; i++)
			for (all[i] = true, k = 0; k < SETS; k++)
				all[i] = all[i] && cells[k][i];
		for (k = 0; k < 5; k++) {
			int64_t lo = (int64_t)rng_below(&r, SPAN);
			int64_t hi = lo + (int64_t)rng_below(&r, SPAN - lo + 1);

			interval_clip_sum(acc, na, lo, hi, &got);
			brute_sum(all, lo, hi, &want);
			assert_int_equal(got.total, want.total);
			assert_int_equal(got.count, want.count);
			assert_int_equal(got.longest, want.longest);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_known),
		cmocka_unit_test(test_intersect_known),
		cmocka_unit_test(test_intersect_vs_brute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
