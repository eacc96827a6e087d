// SPDX-License-Identifier: GPL-2.0
/*
 * The sample-size rule and the smallest detectable difference, on cases
 * worked out by hand from n = ((1.96 + 0.84) * sigma / delta)^2.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "analysis/stats/power.h"

static void test_cycles_needed(void **state)
{
	double n;

	(void)state;
	/* sigma = 1 * sqrt(4) = 2, delta = 2.8: (2.8 * 2 / 2.8)^2 = 4 */
	n = power_cycles_needed(1, 4, 2.8);
	if (n != 4)
		fail_msg("expected 4 cycles, saw %g", n);
	/* Half the difference: four times the cycles. */
	assert_true(power_cycles_needed(1, 4, 1.4) == 16);
	/* (2.8 * 0.5 * sqrt(10) / 1)^2 = 19.6: rounded up to 20 */
	n = power_cycles_needed(0.5, 10, 1);
	if (n != 20)
		fail_msg("expected 20 cycles, saw %g", n);
	/* Nothing to scale: no spread, no difference, no cycles. */
	assert_true(isnan(power_cycles_needed(0, 10, 1)));
	assert_true(isnan(power_cycles_needed(1, 10, 0)));
	assert_true(isnan(power_cycles_needed(1, 0, 1)));
	assert_true(isnan(power_cycles_needed(INFINITY, 10, 1)));
}

static void test_n_eff_and_detectable(void **state)
{
	(void)state;
	assert_true(power_n_eff(10, 10) == 10);
	/* 2 / (1/5 + 1/20) = 8 */
	assert_true(fabs(power_n_eff(5, 20) - 8) < 1e-12);
	assert_true(power_n_eff(0, 10) == 0);
	assert_true(fabs(power_min_detectable(0.5) - 0.98) < 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycles_needed),
		cmocka_unit_test(test_n_eff_and_detectable),
	};

	return cmocka_run_group_tests_name("power", tests, NULL, NULL);
}
