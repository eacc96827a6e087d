// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: each named one sets its knobs on a run configuration, unknown
 * names are not found, and --scenario is found in either spelling before
 * the other options are parsed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bench/run/run.h"
#include "bench/run/scenario.h"

static void test_find_apply(void **state)
{
	static const char *const names[] = {
		"idle", "tasks-1k", "tasks-10k", "tasks-30k",
		"sleepers-in-patch", "busy-kthreads", "spinners", "churn",
	};
	struct run_config rc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(scenario_find(names[i]));
	assert_null(scenario_find("tasks-20k"));
	assert_null(scenario_find(""));

	run_config_init(&rc);
	rc.tasks_outside = 7;
	scenario_apply(scenario_find("tasks-10k"), &rc);
	assert_int_equal(rc.tasks_outside, 10000);
	assert_int_equal(rc.tasks_inside, 0);
	assert_string_equal(rc.scenario, "tasks-10k");
	assert_int_equal(rc.nr_workloads, 2);
	assert_string_equal(rc.workloads[0], "target");
	assert_string_equal(rc.workloads[1], "stall");

	scenario_apply(scenario_find("sleepers-in-patch"), &rc);
	assert_int_equal(rc.tasks_outside, 0);	/* not left from before */
	assert_int_equal(rc.tasks_inside, 100);
	scenario_apply(scenario_find("busy-kthreads"), &rc);
	assert_int_equal(rc.busy_kthreads, 2);
	assert_int_equal(rc.tasks_inside, 0);
	scenario_apply(scenario_find("spinners"), &rc);
	assert_int_equal(rc.spinners, 4);
	scenario_apply(scenario_find("churn"), &rc);
	assert_int_equal(rc.churn_hz, 500);
	assert_int_equal(rc.spinners, 0);
}

static void test_arg(void **state)
{
	char *a[] = { "run", "--cycles", "3", "--scenario=churn", NULL };
	char *b[] = { "run", "--scenario", "idle", "--tasks", "5", NULL };
	char *c[] = { "run", "--cycles", "3", NULL };
	char *d[] = { "run", "--scenario", NULL };
	char *e[] = { "vm", "--", "x", "--scenario=idle", NULL };

	(void)state;
	assert_string_equal(scenario_arg(4, a), "churn");
	assert_string_equal(scenario_arg(5, b), "idle");
	assert_null(scenario_arg(3, c));
	assert_null(scenario_arg(2, d));	/* the parser says what is wrong */
	assert_null(scenario_arg(4, e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_apply),
		cmocka_unit_test(test_arg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
