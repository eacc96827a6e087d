// SPDX-License-Identifier: GPL-2.0
/*
 * The log-linear histogram shared by BPF and bench (bpf/hist.h): bucket
 * math against brute force, and percentiles against sorted data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/hist.h"

static unsigned int naive_log2(unsigned long long v)
{
	unsigned int r = 0;

	while (v >>= 1)
		r++;
	return r;
}

static void test_log2(void **state)
{
	unsigned long long v;
	unsigned int i;

	(void)state;
	for (i = 0; i < 64; i++) {
		v = 1ULL << i;
		assert_int_equal(hist_log2(v), i);
		assert_int_equal(hist_log2(v | (v - 1)), i);
		if (i > 1)
			assert_int_equal(hist_log2(v + 1), i);
	}
	for (v = 1; v < 100000; v += 7)
		assert_int_equal(hist_log2(v), naive_log2(v));
}

/* Every value lands in a bucket whose bounds hold it; buckets are ordered. */
static void test_index_bounds(void **state)
{
	unsigned long long v, step;
	unsigned int idx, prev = 0;

	(void)state;
	for (v = 0, step = 1; v < (1ULL << HIST_MAX_LOG2); v += step) {
		idx = hist_index(v);
		assert_true(idx < HIST_BUCKETS);
		assert_true(idx >= prev);
		assert_true(hist_bucket_lo(idx) <= v);
		assert_true(hist_bucket_hi(idx) >= v);
		prev = idx;
		if (v > 4096)
			step = v / 97 + 1;
	}
	/* Exact below HIST_SUB. */
	for (v = 0; v < HIST_SUB; v++) {
		assert_int_equal(hist_index(v), v);
		assert_int_equal(hist_bucket_lo(v), v);
		assert_int_equal(hist_bucket_hi(v), v);
	}
	/* Past the range: the last bucket, open-ended. */
	assert_int_equal(hist_index(1ULL << HIST_MAX_LOG2), HIST_BUCKETS - 1);
	assert_int_equal(hist_index(~0ULL), HIST_BUCKETS - 1);
	assert_true(hist_bucket_hi(HIST_BUCKETS - 1) == ~0ULL);
}

/* Buckets tile the line: each starts right after the previous one ends. */
static void test_contiguous_and_width(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 1; i < HIST_BUCKETS; i++) {
		unsigned long long lo = hist_bucket_lo(i);

		assert_int_equal(lo, hist_bucket_hi(i - 1) + 1);
		assert_int_equal(hist_index(lo), i);
		/* Width at most 1/HIST_SUB of the lower bound: 6.25%. */
		if (i < HIST_BUCKETS - 1 && lo >= HIST_SUB)
			assert_true((hist_bucket_hi(i) - lo + 1) * HIST_SUB <= lo);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A percentile is within one bucket above the exact order statistic. */
static void test_percentiles(void **state)
{
	enum { N = 20000 };
	static const double ps[] = { 1, 10, 50, 90, 99, 99.9, 99.99 };
	uint64_t *vals = malloc(N * sizeof(*vals));
	struct hist h;
	unsigned int i;

	(void)state;
	assert_non_null(vals);
	srand(42);
	hist_init(&h);
	for (i = 0; i < N; i++) {
		/* Spread over six decades, as latencies are. */
		vals[i] = (uint64_t)rand() % 1000 * (1ULL << (rand() % 20)) + 1;
		hist_record(&h, vals[i]);
	}
	qsort(vals, N, sizeof(*vals), cmp_u64);
	assert_int_equal(h.count, N);
	assert_int_equal(h.min, vals[0]);
	assert_int_equal(h.max, vals[N - 1]);
	assert_int_equal(hist_percentile(&h, 100), vals[N - 1]);
	assert_int_equal(hist_percentile(&h, 0), vals[0]);
	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		size_t rank = (size_t)(ps[i] / 100.0 * N + 0.999999);
		uint64_t exact = vals[rank - 1], got = hist_percentile(&h, ps[i]);

		assert_true(got >= exact);
		assert_true(got <= hist_bucket_hi(hist_index(exact)));
	}
	free(vals);
}

static void test_merge_and_bpf_buckets(void **state)
{
	unsigned long long raw[HIST_BUCKETS];
	struct hist a, b, m;

	(void)state;
	hist_init(&a);
	hist_init(&b);
	hist_init(&m);
	assert_int_equal(hist_percentile(&a, 50), 0);
	hist_record(&a, 5);
	hist_record(&a, 1000);
	hist_record(&b, 3);
	hist_record(&b, 70000);
	hist_merge(&m, &a);
	hist_merge(&m, &b);
	assert_int_equal(m.count, 4);
	assert_int_equal(m.min, 3);
	assert_int_equal(m.max, 70000);
	assert_int_equal(m.sum, 5 + 1000 + 3 + 70000);
	assert_int_equal(hist_percentile(&m, 50), 5);

	/* A BPF histogram: no minimum kept, so it is its bucket's bound. */
	memset(raw, 0, sizeof(raw));
	raw[hist_index(1000)] = 2;
	raw[hist_index(5000)] = 1;
	hist_init(&m);
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
	/* The maximum did not grow: the bucket of 149, within 1/16. */
	assert_true(d.max >= 149 && d.max <= 149 + 149 / 16 + 1);
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
		cmocka_unit_test(test_index_bounds),
		cmocka_unit_test(test_contiguous_and_width),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_merge_and_bpf_buckets),
		cmocka_unit_test(test_sub),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
