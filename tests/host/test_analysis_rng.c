// SPDX-License-Identifier: GPL-2.0
/*
 * The PRNG behind reproducible bootstrap intervals: published reference
 * outputs, bounds and uniformity of the derived draws, determinism.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/stats/rng.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* splitmix64 from state 0, as in the reference implementation's output */
static void test_splitmix64_reference(void **state)
{
	uint64_t s = 0;

	(void)state;
	assert_int_equal(splitmix64(&s), 0xe220a8397b1dcdafULL);
	assert_int_equal(splitmix64(&s), 0x6e789e6aa1b965f4ULL);
	assert_int_equal(splitmix64(&s), 0x06c45d188009454fULL);
}

/*
 * xoshiro256** from state {1, 2, 3, 4}. The first three follow by hand:
 * rotl(2 * 5, 7) * 9 = 11520; then s[1] becomes 2 ^ 3 ^ 1 ^ 2 = 0, so 0;
 * then s[1] = 262149 and rotl(262149 * 5, 7) * 9 = 1509978240.
 */
static void test_xoshiro_reference(void **state)
{
	struct rng r = { .s = { 1, 2, 3, 4 } };

	(void)state;
	assert_int_equal(rng_next(&r), 11520);
	assert_int_equal(rng_next(&r), 0);
	assert_int_equal(rng_next(&r), 1509978240);
	assert_int_equal(rng_next(&r), 1215971899390074240ULL);
}

static void test_seed_deterministic(void **state)
{
	struct rng a, b, c;
	int i, same = 0;

	(void)state;
	rng_seed(&a, 42);
	rng_seed(&b, 42);
	rng_seed(&c, 43);
	for (i = 0; i < 1000; i++) {
		uint64_t x = rng_next(&a);

		assert_int_equal(x, rng_next(&b));
		same += x == rng_next(&c);
	}
	assert_int_equal(same, 0);
	/* seed 0 must not give the all-zero state, which stays zero */
	rng_seed(&a, 0);
	assert_true(a.s[0] | a.s[1] | a.s[2] | a.s[3]);
}

/* Chi-square over n cells; 1% critical values for 2, 9 and 99 d.o.f. */
static double chi_square(struct rng *r, uint64_t n, int draws)
{
	static unsigned int cells[100];
	double expect = (double)draws / n, chi = 0;
	uint64_t i;
	int k;

	for (i = 0; i < n; i++)
		cells[i] = 0;
	for (k = 0; k < draws; k++) {
		uint64_t x = rng_below(r, n);

		assert_true(x < n);
		cells[x]++;
	}
	for (i = 0; i < n; i++)
		chi += (cells[i] - expect) * (cells[i] - expect) / expect;
	return chi;
}

static void test_below_uniform(void **state)
{
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	assert_true(chi_square(&r, 3, 300000) < 9.21);
	assert_true(chi_square(&r, 10, 300000) < 21.67);
	assert_true(chi_square(&r, 100, 300000) < 134.6);
}

static void test_below_bounds(void **state)
{
	static const uint64_t ns[] = { 1, 2, 3, 1ULL << 63, (1ULL << 63) + 1,
				       UINT64_MAX - 1, UINT64_MAX };
	uint64_t hi_half = 0;
	struct rng r;
	size_t i;
	int k;

	(void)state;
	rng_seed(&r, 9);
	for (i = 0; i < ARRAY_SIZE(ns); i++)
		for (k = 0; k < 10000; k++)
			assert_true(rng_below(&r, ns[i]) < ns[i]);
	for (k = 0; k < 10000; k++)
		assert_int_equal(rng_below(&r, 1), 0);
	/* the top of a huge range is reached as often as the bottom */
	for (k = 0; k < 100000; k++)
		hi_half += rng_below(&r, UINT64_MAX - 1) >= UINT64_MAX / 2;
	assert_true(hi_half > 49000 && hi_half < 51000);
}

static void test_unit_interval(void **state)
{
	double sum = 0, x;
	struct rng r;
	int k;

	(void)state;
	rng_seed(&r, 5);
	for (k = 0; k < 100000; k++) {
		x = rng_unit(&r);
		assert_true(x >= 0 && x < 1);
		sum += x;
	}
	assert_true(fabs(sum / 100000 - 0.5) < 0.005);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splitmix64_reference),
		cmocka_unit_test(test_xoshiro_reference),
		cmocka_unit_test(test_seed_deterministic),
		cmocka_unit_test(test_below_uniform),
		cmocka_unit_test(test_below_bounds),
		cmocka_unit_test(test_unit_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
