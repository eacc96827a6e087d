// SPDX-License-Identifier: GPL-2.0
/*
 * The stall metrics of one hand-made cycle: two workload CPUs (the second
 * with two stall threads), gaps and stops placed so that every number can
 * be worked out on paper; the comments give the arithmetic.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/stall/metrics.h"

/* baseline [0, 1000), apply [1000, 1500), patched, revert [2000, 2100) */
static const struct interval win[1][SM_NR_PHASES] = {
	{ { 0, 1000 }, { 1000, 1500 }, { 1500, 2000 }, { 2000, 2100 } },
};
static const bool complete[1] = { true };

/* CPU 1: 50 in baseline, 200 in apply, 50 of the last in revert. */
static const struct wl_gap g1[] = { { 100, 50 }, { 1100, 200 }, { 2050, 100 } };
/* CPU 2: 100 in baseline, 200 in apply, 60 in revert... */
static const struct wl_gap g2[] = { { 500, 100 }, { 1150, 200 }, { 2000, 60 } };
/* ...and a second thread on CPU 2 off only for [1100, 1300) in apply. */
static const struct wl_gap g2b[] = { { 400, 300 }, { 1100, 200 },
				     { 1990, 200 } };

static const struct sm_thread th[] = {
	{ 1, g1, 3, UINT64_MAX }, { 2, g2, 3, UINT64_MAX },
	{ 2, g2b, 3, UINT64_MAX },
};

static const struct stop_event stops[] = {
	{ 1140, 150, 1, 0 }, { 1145, 150, 2, 0 }, { 1140, 150, 0, 0 },
};

static void test_known_cycle(void **state)
{
	struct sm_input in = { th, 3, stops, 3, 1, win, complete, NULL };
	struct stall_metrics sm;
	const struct sm_window *w;

	(void)state;
	assert_int_equal(stall_metrics_compute(&sm, &in), 0);
	assert_int_equal(sm.nr_cpus, 2);
	/*
	 * CPU 2 is in a gap only while both its threads are: baseline
	 * [500, 600) = 100, apply [1150, 1300) = 150, revert [2000, 2060).
	 */
	assert_int_equal(sm_cpu(&sm, 0, 0, 1)->lost_ns, 100);
	assert_int_equal(sm_cpu(&sm, 0, 1, 1)->lost_ns, 150);
	/* Rates 50/1000 and 100/1000; apply lasts 500: floors 25 and 50. */
	assert_int_equal(sm_cpu(&sm, 0, 1, 0)->excess_ns, 200 - 25);
	assert_int_equal(sm_cpu(&sm, 0, 1, 1)->excess_ns, 150 - 50);
	w = sm_window(&sm, 0, 1);
	assert_true(w->has_excess);
	assert_int_equal(w->lost_ns, 350);
	assert_int_equal(w->excess_ns, 275);
	/* Both CPUs in a gap: [1150, 1300); none in baseline, so no floor. */
	assert_int_equal(w->machine.total, 150);
	assert_int_equal(w->machine.count, 1);
	assert_int_equal(w->machine.longest, 150);
	assert_int_equal(w->machine_excess_ns, 150);
	/* Revert: [2050, 2060) only; CPU 1's gap is clipped at 2100. */
	assert_int_equal(sm_window(&sm, 0, 3)->machine.total, 10);
	assert_int_equal(sm_cpu(&sm, 0, 3, 0)->lost_ns, 50);
	/* Stopped 150 on each workload CPU (CPU 0's stop is not theirs). */
	assert_string_equal(w->stopped_source, "probe");
	assert_int_equal(w->stopped_ns, 150);
	assert_true(fabs(w->coverage - 1.0) < 1e-12);
	/* Both stopped [1145, 1290): 140 of the stall falls inside. */
	assert_int_equal(w->machine_in_stop_ns, 140);
	assert_true(fabs(w->coverage_in_stop - 140.0 / 150) < 1e-12);
	/* No stop in baseline: nothing to cover. */
	assert_true(isnan(sm_window(&sm, 0, 0)->coverage));
	stall_metrics_free(&sm);
}

static void test_kernel_fallback(void **state)
{
	static const uint64_t kstop[1][SM_NR_PHASES] = { { 0, 300, 0, 0 } };
	struct sm_input in = { th, 3, NULL, 0, 1, win, complete, kstop };
	struct stall_metrics sm;
	const struct sm_window *w;

	(void)state;
	assert_int_equal(stall_metrics_compute(&sm, &in), 0);
	w = sm_window(&sm, 0, 1);
	assert_string_equal(w->stopped_source, "kernel");
	assert_int_equal(w->stopped_ns, 300);
	assert_true(fabs(w->coverage - 0.5) < 1e-12);
	assert_true(isnan(w->coverage_in_stop));
	assert_null(sm_window(&sm, 0, 3)->stopped_source);
	stall_metrics_free(&sm);
}

static void test_no_baseline(void **state)
{
	static const bool none[1] = { false };
	struct sm_input in = { th, 3, NULL, 0, 1, win, none, NULL };
	struct stall_metrics sm;

	(void)state;
	assert_int_equal(stall_metrics_compute(&sm, &in), 0);
	/* No complete cycle: no rate, so no excess is claimed. */
	assert_false(sm_window(&sm, 0, 1)->has_excess);
	stall_metrics_free(&sm);
	in.nr_th = 0;
	assert_int_equal(stall_metrics_compute(&sm, &in), -ENODATA);
}

/* A gap list that filled up: windows past its last gap are not known. */
static void test_truncated(void **state)
{
	const struct sm_thread cut[] = {
		{ 1, g1, 2, 1100 }, { 2, g2, 3, UINT64_MAX },
	};
	struct sm_input in = { cut, 2, NULL, 0, 1, win, complete, NULL };
	struct stall_metrics sm;

	(void)state;
	assert_int_equal(stall_metrics_compute(&sm, &in), 0);
	assert_true(sm_window(&sm, 0, 0)->known);
	assert_false(sm_window(&sm, 0, 1)->known);
	assert_false(sm_window(&sm, 0, 3)->known);
	stall_metrics_free(&sm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_cycle),
		cmocka_unit_test(test_kernel_fallback),
		cmocka_unit_test(test_no_baseline),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
