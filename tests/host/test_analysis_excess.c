// SPDX-License-Identifier: GPL-2.0
/* Time lost over a baseline rate, and coverage of a known truth, by hand. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/stats/excess.h"

static void test_excess_known(void **state)
{
	struct excess_rate r = { 0, 0 };
	int64_t e;

	(void)state;
	assert_int_equal(excess_ns(5, &r, 100, &e), -ENODATA);
	/* 80 ms lost in 2.2 s of baseline, in two windows. */
	excess_rate_add(&r, 30000000, 1000000000);
	excess_rate_add(&r, 50000000, 1200000000);
	/* 100 ms at that rate loses 3.636363.. ms: 3636364 rounded. */
	assert_int_equal(excess_ns(20000000, &r, 100000000, &e), 0);
	assert_int_equal(e, 20000000 - 3636364);
	/* Less than the rate: negative. */
	assert_int_equal(excess_ns(1000000, &r, 100000000, &e), 0);
	assert_int_equal(e, 1000000 - 3636364);
	/* Long windows and large losses do not overflow. */
	r = (struct excess_rate){ 9000000000000ULL, 10000000000000ULL };
	assert_int_equal(excess_ns(9000000000000ULL, &r, 10000000000000ULL,
				   &e), 0);
	assert_int_equal(e, 0);
}

static void test_coverage(void **state)
{
	(void)state;
	assert_true(isnan(excess_coverage(5, 0)));
	assert_true(fabs(excess_coverage(13000000, 14000000) - 13.0 / 14) <
		    1e-12);
	assert_true(excess_coverage(0, 7) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excess_known),
		cmocka_unit_test(test_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
