// SPDX-License-Identifier: GPL-2.0
/*
 * The log-linear histogram (bucket layout in bpf/hist.h, the rest in
 * lib/hist.c) against brute force: seeded random samples are recorded and
 * also kept sorted, and every answer is checked against the exact one.
 *
 * The guarantee tested: a percentile's answer r lies in the bucket of the
 * exact order statistic x, never below it, so
 *   r == x                        for x < HIST_SUB (one bucket per value),
 *   x <= r and (r - x) * HIST_SUB < x   below the last bucket,
 * a relative error below 1/HIST_SUB (6.25%); in the open-ended last bucket
 * (from 2^HIST_MAX_LOG2 - 2^(HIST_MAX_LOG2 - 1 - HIST_SUB_BITS), 17.75
 * minutes, up) only x <= r <= the maximum recorded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/hist.h"
#include "lib/rank.h"

#define LAST	(HIST_BUCKETS - 1)
/*
 * The last bucket is open-ended: the top sixteenth of the last octave
 * (from 31/32 of 2^HIST_MAX_LOG2) and everything above.
 */
#define TOP	hist_bucket_lo(LAST)

/* splitmix64: the same sequence on every libc, unlike rand(). */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Log-uniform over 0..2^@bits, as latencies spread over decades. */
static uint64_t rnd_value(uint64_t *s, unsigned int bits)
{
	unsigned int e = (unsigned int)(rnd(s) % (bits + 1));

	return e ? rnd(s) >> (64 - e) : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned int naive_log2(uint64_t v)
{
	unsigned int r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* The bucket holding @v, by scanning the bounds: no index math. */
static unsigned int naive_index(uint64_t v)
{
	unsigned int i = 0;

	while (i < LAST && hist_bucket_hi(i) < v)
		i++;
	return i;
}

static void test_log2(void **state)
{
	uint64_t v, s = 1;
	unsigned int i;

	(void)state;
	for (i = 0; i < 64; i++) {
		v = 1ULL << i;
		assert_int_equal(hist_log2(v), i);
		assert_int_equal(hist_log2(v | (v - 1)), i);
		if (i > 1)
			assert_int_equal(hist_log2(v + 1), i);
	}
	for (i = 0; i < 100000; i++) {
		v = rnd_value(&s, 64) | 1;
		assert_int_equal(hist_log2(v), naive_log2(v));
	}
}

/*
 * The layout over all of u64: bucket 0 starts at 0, each bucket starts
 * right after the previous one ends, the last ends at UINT64_MAX, and
 * both edges of every bucket map back to it.
 */
static void test_layout_contiguous(void **state)
{
	unsigned int i;

	(void)state;
	assert_true(hist_bucket_lo(0) == 0);
	assert_true(hist_bucket_hi(LAST) == UINT64_MAX);
	assert_true(hist_bucket_lo(LAST) ==
		    (1ULL << HIST_MAX_LOG2) -
		    (1ULL << (HIST_MAX_LOG2 - 1 - HIST_SUB_BITS)));
	assert_int_equal(hist_index((1ULL << HIST_MAX_LOG2) - 1), LAST);
	assert_int_equal(hist_index(1ULL << HIST_MAX_LOG2), LAST);
	for (i = 0; i < HIST_BUCKETS; i++) {
		uint64_t lo = hist_bucket_lo(i), hi = hist_bucket_hi(i);

		assert_true(lo <= hi);
		assert_int_equal(hist_index(lo), i);
		assert_int_equal(hist_index(hi), i);
		if (i) {
			assert_true(lo == hist_bucket_hi(i - 1) + 1);
			assert_int_equal(hist_index(lo - 1), i - 1);
		}
		if (i < HIST_SUB)
			assert_true(lo == i && hi == i);
		else if (i < LAST)
			/* Width: two values of a bucket differ by < lo/16. */
			assert_true((hi - lo) * HIST_SUB < lo);
	}
}

/* Probe values: 0, 1, powers of two and their neighbours, UINT64_MAX. */
static size_t edge_values(uint64_t *v)
{
	size_t n = 0;
	unsigned int i;

	v[n++] = 0;
	v[n++] = UINT64_MAX;
	v[n++] = UINT64_MAX - 1;
	for (i = 0; i < 64; i++) {
		v[n++] = (1ULL << i) - 1;
		v[n++] = 1ULL << i;
		v[n++] = (1ULL << i) + 1;
	}
	for (i = 1; i < HIST_BUCKETS; i++) {
		v[n++] = hist_bucket_lo(i) - 1;
		v[n++] = hist_bucket_lo(i);
		v[n++] = hist_bucket_lo(i) + 1;
	}
	return n;
}

/* Index monotone in the value, each value within its bucket's bounds. */
static void test_index_monotone(void **state)
{
	enum { RANDOM = 200000 };
	uint64_t *v = malloc((RANDOM + 3 + 64 * 3 + HIST_BUCKETS * 3) *
			     sizeof(*v));
	uint64_t s = 15;
	size_t n, i;

	(void)state;
	assert_non_null(v);
	n = edge_values(v);
	for (i = 0; i < RANDOM; i++)
		v[n++] = rnd_value(&s, 64);
	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++) {
		unsigned int idx = hist_index(v[i]);

		assert_true(idx < HIST_BUCKETS);
		assert_true(hist_bucket_lo(idx) <= v[i]);
		assert_true(v[i] <= hist_bucket_hi(idx));
		if (i)
			assert_true(hist_index(v[i - 1]) <= idx);
		if (i % 64 == 0 || v[i] < 1024)
			assert_int_equal(idx, naive_index(v[i]));
	}
	free(v);
}

/* @got, the answer for order statistic @x: within x's bucket, as stated. */
static void check_answer(uint64_t got, uint64_t x, uint64_t max)
{
	unsigned int idx = hist_index(x);

	assert_true(got >= hist_bucket_lo(idx) && got <= hist_bucket_hi(idx));
	assert_true(got >= x && got <= max);
	if (x < HIST_SUB)
		assert_true(got == x);
	else if (x < TOP)
		assert_true((got - x) * HIST_SUB < x);
}

static void fill(struct hist *h, uint64_t *v, size_t n, uint64_t seed,
		 unsigned int bits)
{
	size_t i;

	hist_init(h);
	for (i = 0; i < n; i++) {
		v[i] = rnd_value(&seed, bits);
		hist_record(h, v[i]);
	}
	qsort(v, n, sizeof(*v), cmp_u64);
}

static void check_percentiles(const struct hist *h, const uint64_t *v,
			      size_t n, uint64_t seed)
{
	static const double fixed[] = {
		0, 1e-6, 0.001, 0.1, 0.5, 1, 5, 10, 25, 33.3, 50, 66.7, 75, 90,
		95, 99, 99.5, 99.9, 99.99, 99.999, 99.9999, 100,
	};
	unsigned int i;

	assert_int_equal(h->count, n);
	assert_true(h->min == v[0] && h->max == v[n - 1]);
	assert_true(hist_percentile(h, 0) == v[0]);
	assert_true(hist_percentile(h, 100) == v[n - 1]);
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]) + 500; i++) {
		double p = i < sizeof(fixed) / sizeof(fixed[0]) ? fixed[i] :
			   (double)(rnd(&seed) % 1000001) / 10000;
		uint64_t x = v[pct_rank(p, n) - 1];

		check_answer(hist_percentile(h, p), x, v[n - 1]);
	}
}

/* Many sizes and spreads, several seeds: percentiles against the sort. */
static void test_percentiles(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 10, 999, 1000, 20000 };
	static const unsigned int spreads[] = { 4, 12, 30, HIST_MAX_LOG2, 64 };
	uint64_t *v = malloc(20000 * sizeof(*v));
	unsigned int a, b, seed;
	struct hist h;

	(void)state;
	assert_non_null(v);
	for (seed = 1; seed <= 4; seed++)
		for (a = 0; a < sizeof(sizes) / sizeof(sizes[0]); a++)
			for (b = 0; b < sizeof(spreads) / sizeof(spreads[0]);
			     b++) {
				fill(&h, v, sizes[a], seed * 1000 + a * 10 + b,
				     spreads[b]);
				check_percentiles(&h, v, sizes[a], seed);
			}
	free(v);
}

static void assert_hist_equal(const struct hist *a, const struct hist *b)
{
	assert_memory_equal(a->buckets, b->buckets, sizeof(a->buckets));
	assert_true(a->count == b->count && a->sum == b->sum);
	assert_true(a->min == b->min && a->max == b->max);
}

/* Merging two histograms is recording both sets into one. */
static void test_merge(void **state)
{
	static const size_t sizes[][2] = {
		{ 0, 0 }, { 0, 5 }, { 5, 0 }, { 1, 1 }, { 1000, 3000 },
	};
	uint64_t s = 7, v[4000];
	struct hist a, b, both, empty;
	unsigned int k;
	size_t i;

	(void)state;
	hist_init(&empty);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		hist_init(&a);
		hist_init(&b);
		hist_init(&both);
		for (i = 0; i < sizes[k][0] + sizes[k][1]; i++) {
			/* Under 2^40 each: the sum of 4000 cannot wrap. */
			v[i] = rnd_value(&s, HIST_MAX_LOG2);
			hist_record(i < sizes[k][0] ? &a : &b, v[i]);
			hist_record(&both, v[i]);
		}
		hist_merge(&a, &b);
		assert_hist_equal(&a, &both);
		hist_merge(&a, &empty);
		assert_hist_equal(&a, &both);
		if (both.count) {
			qsort(v, both.count, sizeof(*v), cmp_u64);
			check_percentiles(&a, v, both.count, k);
		}
	}
}

/* A BPF histogram: no minimum kept, so it is its bucket's bound. */
static void test_bpf_buckets(void **state)
{
	unsigned long long raw[HIST_BUCKETS];
	struct hist m;

	(void)state;
	memset(raw, 0, sizeof(raw));
	raw[hist_index(1000)] = 2;
	raw[hist_index(5000)] = 1;
	hist_init(&m);
	assert_int_equal(hist_percentile(&m, 50), 0);
	hist_add_buckets(&m, raw, 3, 7000, 5000);
	assert_int_equal(m.count, 3);
	assert_int_equal(m.max, 5000);
	assert_int_equal(m.min, hist_bucket_lo(hist_index(1000)));
	assert_int_equal(hist_percentile(&m, 50),
			 hist_bucket_hi(hist_index(1000)));
	assert_int_equal(hist_percentile(&m, 99.9), 5000);
}

/*
 * Two readings of one cumulative histogram: the difference holds exactly
 * what came in between; a maximum that grew is exact, one that did not is
 * its bucket's bound, never above the cumulative maximum.
 */
static void test_sub(void **state)
{
	struct hist before, now, d, want;
	unsigned int i;

	(void)state;
	hist_init(&before);
	hist_init(&want);
	for (i = 1; i < 1000; i++)
		hist_record(&before, i * 37);
	now = before;
	for (i = 0; i < 50; i++) {
		hist_record(&now, 100 + i);
		hist_record(&want, 100 + i);
	}
	hist_sub(&d, &before, &now);
	assert_int_equal(d.count, 50);
	assert_int_equal(d.sum, want.sum);
	assert_memory_equal(d.buckets, want.buckets, sizeof(d.buckets));
	/* The maximum did not grow: 149's bucket bound. */
	check_answer(d.max, 149, now.max);
	assert_true(d.min <= 100);

	before = now;
	hist_record(&now, 5000000);
	hist_record(&now, 7);
	hist_sub(&d, &before, &now);
	assert_int_equal(d.count, 2);
	assert_int_equal(d.max, 5000000);	/* grew: exact */
	assert_int_equal(d.min, 7);

	hist_sub(&d, &now, &now);
	assert_int_equal(d.count, 0);
	assert_int_equal(d.max, 0);
	assert_int_equal(hist_percentile(&d, 99), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log2),
		cmocka_unit_test(test_layout_contiguous),
		cmocka_unit_test(test_index_monotone),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_bpf_buckets),
		cmocka_unit_test(test_sub),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
