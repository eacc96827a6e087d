// SPDX-License-Identifier: GPL-2.0
/*
 * Windows against brute force: exactly the samples in some interval (a
 * phase, or [event + start, event + end) around an event), once each, in
 * time order; baseline against transition summaries.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rng.h"
#include "stats.h"
#include "window.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NPOINTS 20000
#define NEVENTS 60

/* Gaps of 0..999 (so equal times happen), values all distinct. */
static struct series_point *random_series(uint64_t seed, size_t n)
{
	struct series_point *s = malloc(n * sizeof(*s));
	int64_t t = 1000;
	struct rng r;
	size_t i;

	assert_non_null(s);
	rng_seed(&r, seed);
	for (i = 0; i < n; i++) {
		t += (int64_t)rng_below(&r, 1000);
		s[i].t = t;
		s[i].v = (double)i + rng_unit(&r);
	}
	return s;
}

/* Sorted events over and beyond the series, some closer than a window. */
static int64_t *random_events(uint64_t seed, size_t n, int64_t span)
{
	int64_t *e = malloc(n * sizeof(*e));
	struct rng r;
	size_t i, j;

	assert_non_null(e);
	rng_seed(&r, seed);
	for (i = 0; i < n; i++)
		e[i] = (int64_t)rng_below(&r, span + 20000) - 10000;
	for (i = 1; i < n; i++)		/* insertion sort: n is small */
		for (j = i; j && e[j] < e[j - 1]; j--) {
			int64_t x = e[j];

			e[j] = e[j - 1];
			e[j - 1] = x;
		}
	return e;
}

static bool in_some(int64_t t, const struct interval *iv, size_t niv)
{
	size_t k;

	for (k = 0; k < niv; k++)
		if (iv[k].start <= t && t < iv[k].end)
			return true;
	return false;
}

/* window_gather() against a scan of every sample through every interval. */
static void check_gather(const struct series_point *s, size_t n,
			 const struct interval *iv, size_t niv)
{
	size_t i, k, nv, lo, hi;
	double *v;

	assert_int_equal(window_gather(s, n, iv, niv, &v, &nv), 0);
	for (i = 0, k = 0; i < n; i++) {
		if (!in_some(s[i].t, iv, niv))
			continue;
		assert_true(k < nv);
		assert_true(v[k] == s[i].v);
		k++;
	}
	assert_int_equal(k, nv);
	free(v);
	/* one interval's index range is exactly its samples too */
	for (k = 0; k < niv; k++) {
		window_range(s, n, iv[k], &lo, &hi);
		for (i = 0; i < n; i++)
			assert_int_equal(i >= lo && i < hi,
					 in_some(s[i].t, &iv[k], 1));
	}
}

static void test_events_vs_brute(void **state)
{
	static const struct window ws[] = {
		{ -3000, 0 }, { 0, 5000 }, { -200000, 200000 }, { 0, 1 },
		{ 100, 101 }, { -50000, -40000 }, { 7, 7 },
	};
	struct series_point *s = random_series(1, NPOINTS);
	int64_t *ev = random_events(2, NEVENTS, s[NPOINTS - 1].t);
	struct interval *iv;
	size_t w, k;

	(void)state;
	for (w = 0; w < ARRAY_SIZE(ws); w++) {
		assert_int_equal(window_around(ev, NEVENTS, ws[w], &iv), 0);
		for (k = 0; k < NEVENTS; k++) {
			assert_int_equal(iv[k].start, ev[k] + ws[w].start);
			assert_int_equal(iv[k].end, ev[k] + ws[w].end);
		}
		check_gather(s, NPOINTS, iv, NEVENTS);
		free(iv);
	}
	free(ev);
	free(s);
}

/* Phases of random length: overlapping, nested, empty, past the ends. */
static void test_phases_vs_brute(void **state)
{
	struct series_point *s = random_series(5, NPOINTS);
	int64_t span = s[NPOINTS - 1].t;
	struct interval iv[200];
	struct rng r;
	size_t k, round;

	(void)state;
	rng_seed(&r, 6);
	for (round = 0; round < 20; round++) {
		int64_t start = -20000;

		for (k = 0; k < ARRAY_SIZE(iv); k++) {
			start += (int64_t)rng_below(&r, span / 100);
			iv[k].start = start;
			iv[k].end = start + (int64_t)rng_below(&r, span / 20);
		}
		check_gather(s, NPOINTS, iv, ARRAY_SIZE(iv));
	}
	free(s);
}

static void test_gather_edges(void **state)
{
	const struct series_point s[] = {
		{ 10, 1 }, { 20, 2 }, { 20, 3 }, { 30, 4 }, { INT64_MAX, 5 },
	};
	const int64_t far[] = { 1000000 }, at20[] = { 20 };
	const int64_t top[] = { INT64_MAX - 5 }, twice[] = { 20, 20 };
	const int64_t bottom[] = { INT64_MIN + 5 };
	struct window w = { 0, 10 };
	struct interval *iv = (struct interval *)1;
	double *v = (double *)1;
	size_t n = 99;

	(void)state;
	assert_int_equal(window_around(far, 1, w, &iv), 0);
	assert_int_equal(window_gather(s, 5, iv, 1, &v, &n), 0);
	assert_null(v);
	assert_int_equal(n, 0);
	free(iv);
	assert_int_equal(window_around(NULL, 0, w, &iv), 0);
	assert_null(iv);
	assert_int_equal(window_gather(s, 5, NULL, 0, &v, &n), 0);
	assert_int_equal(n, 0);
	/* both samples at the event time, not the one at its end */
	assert_int_equal(window_around(at20, 1, w, &iv), 0);
	assert_int_equal(window_gather(s, 5, iv, 1, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_true(v[0] == 2 && v[1] == 3);
	free(v);
	free(iv);
	/* the same event twice still takes each sample once */
	assert_int_equal(window_around(twice, 2, w, &iv), 0);
	assert_int_equal(window_gather(s, 5, iv, 2, &v, &n), 0);
	assert_int_equal(n, 2);
	free(v);
	free(iv);
	/* a window running past the end of time is cut, not wrapped */
	assert_int_equal(window_around(top, 1, w, &iv), 0);
	assert_int_equal(iv[0].end, INT64_MAX);
	assert_int_equal(window_gather(s, 5, iv, 1, &v, &n), 0);
	assert_int_equal(n, 0);	/* INT64_MAX itself is the open end */
	free(iv);
	w.start = INT64_MIN;
	w.end = INT64_MAX;
	assert_int_equal(window_around(at20, 1, w, &iv), 0);
	assert_int_equal(iv[0].start, INT64_MIN + 20);
	assert_int_equal(window_gather(s, 5, iv, 1, &v, &n), 0);
	assert_int_equal(n, 4);
	free(v);
	free(iv);
	w.start = -10;
	assert_int_equal(window_around(bottom, 1, w, &iv), 0);
	assert_int_equal(iv[0].start, INT64_MIN);
	free(iv);
}

static void test_errors(void **state)
{
	const struct series_point s[] = { { 10, 1 }, { 20, 2 } };
	const struct series_point back[] = { { 20, 1 }, { 10, 2 } };
	const struct series_point nan[] = { { 10, NAN }, { 20, 2 } };
	const struct interval ok[] = { { 0, 30 } };
	const struct interval inverted[] = { { 20, 10 } };
	const struct interval unsorted[] = { { 15, 30 }, { 0, 30 } };
	const int64_t ev[] = { 5 }, ev_unsorted[] = { 30, 5 };
	struct window w = { 0, 10 }, w_inverted = { 5, -5 };
	struct interval *iv = NULL;
	double *v;
	size_t n;

	(void)state;
	assert_int_equal(window_around(ev, 1, w_inverted, &iv), -EINVAL);
	assert_int_equal(window_around(ev_unsorted, 2, w, &iv), -EINVAL);
	assert_null(iv);
	assert_int_equal(window_gather(s, 2, inverted, 1, &v, &n), -EINVAL);
	assert_int_equal(window_gather(s, 2, unsorted, 2, &v, &n), -EINVAL);
	assert_int_equal(window_gather(back, 2, ok, 1, &v, &n), -EINVAL);
	assert_int_equal(window_gather(nan, 2, ok, 1, &v, &n), -EINVAL);
}

/*
 * A constructed run: 100 in the 2000 ns before each event, 300..309 for
 * 1000 ns after, as event windows; then the same as phases of varying
 * length, which fixed windows cannot express.
 */
static void test_compare_constructed(void **state)
{
	const int64_t ev[] = { 10000, 30000, 50000 };
	const int64_t len[] = { 1000, 500, 2000 };
	struct window wb = { -2000, 0 }, wt = { 0, 1000 };
	struct interval *base, *trans, phases[3];
	struct series_point s[6000];
	struct window_cmp c;
	size_t i, k;

	(void)state;
	for (i = 0; i < 6000; i++) {
		s[i].t = (int64_t)i * 10;
		s[i].v = 100;
		for (k = 0; k < 3; k++)
			if (s[i].t >= ev[k] && s[i].t < ev[k] + 1000)
				s[i].v = 300 + (s[i].t - ev[k]) / 100;
	}
	assert_int_equal(window_around(ev, 3, wb, &base), 0);
	assert_int_equal(window_around(ev, 3, wt, &trans), 0);
	assert_int_equal(window_compare(s, 6000, base, 3, trans, 3, &c), 0);
	assert_int_equal(c.base.n, 3 * 200);
	assert_int_equal(c.trans.n, 3 * 100);
	assert_true(c.base.mean == 100 && c.base.max == 100);
	assert_true(c.trans.min == 300 && c.trans.max == 309);
	assert_true(c.trans.p50 == 304);	/* rank 150 of 300 */
	assert_true(c.ratio_p50 == 3.04);
	assert_true(c.ratio_max == 3.09);
	assert_true(fabs(c.ratio_mean - 3.045) < 1e-12);
	assert_true(c.ratio_p99 == 3.09);

	/* phases of 1000, 500 and 2000 ns: 100 + 50 + 200 samples */
	for (k = 0; k < 3; k++) {
		phases[k].start = ev[k];
		phases[k].end = ev[k] + len[k];
	}
	assert_int_equal(window_compare(s, 6000, base, 3, phases, 3, &c), 0);
	assert_int_equal(c.trans.n, 350);
	assert_true(c.trans.min == 100 && c.trans.max == 309);
	/* 100 of 350 are the settled 100s past the third event's 1000 ns */
	assert_true(c.trans.p50 == 302);	/* rank 175 */

	/* nothing before the first sample: no baseline */
	base[0] = (struct interval){ -200000, -100000 };
	assert_int_equal(window_compare(s, 6000, base, 1, trans, 3, &c),
			 -ENODATA);
	free(base);
	free(trans);
}

/* The summaries are those of the brute-force window contents. */
static void test_compare_vs_brute(void **state)
{
	struct series_point *s = random_series(3, NPOINTS);
	int64_t *ev = random_events(4, NEVENTS, s[NPOINTS - 1].t);
	struct window wb = { -4000, -1000 }, wt = { 0, 3000 };
	double *b = malloc(NPOINTS * sizeof(*b));
	double *t = malloc(NPOINTS * sizeof(*t));
	struct interval *base, *trans;
	struct stats_summary sb, st;
	struct window_cmp c;
	size_t i, nb = 0, nt = 0;

	(void)state;
	assert_int_equal(window_around(ev, NEVENTS, wb, &base), 0);
	assert_int_equal(window_around(ev, NEVENTS, wt, &trans), 0);
	for (i = 0; i < NPOINTS; i++) {
		if (in_some(s[i].t, base, NEVENTS))
			b[nb++] = s[i].v;
		if (in_some(s[i].t, trans, NEVENTS))
			t[nt++] = s[i].v;
	}
	assert_int_equal(stats_summarize(b, nb, &sb), 0);
	assert_int_equal(stats_summarize(t, nt, &st), 0);
	assert_int_equal(window_compare(s, NPOINTS, base, NEVENTS, trans,
					NEVENTS, &c), 0);
	assert_memory_equal(&c.base, &sb, sizeof(sb));
	assert_memory_equal(&c.trans, &st, sizeof(st));
	assert_true(c.ratio_p99 == st.p99 / sb.p99);
	free(base);
	free(trans);
	free(b);
	free(t);
	free(ev);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_vs_brute),
		cmocka_unit_test(test_phases_vs_brute),
		cmocka_unit_test(test_gather_edges),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_compare_constructed),
		cmocka_unit_test(test_compare_vs_brute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
