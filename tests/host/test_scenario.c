// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: each named one sets its knobs on a run configuration, unknown
 * names are not found, and through bench run's parser --scenario (in any
 * spelling getopt takes) sets the knobs that no other option sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bench/builtin.h"
#include "bench/run/run.h"
#include "bench/run/scenario.h"

static void test_find_apply(void **state)
{
	static const char *const names[] = {
		"idle", "tasks-1k", "tasks-10k", "tasks-30k",
		"sleepers-in-patch", "busy-kthreads", "spinners", "churn",
		"redis", "memcached",
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

	/* A server at half its capacity, beside 1000 sleeping tasks. */
	scenario_apply(scenario_find("redis"), &rc);
	assert_int_equal(rc.nr_workloads, 1);
	assert_string_equal(rc.workloads[0], "redis");
	assert_int_equal(rc.kv.rate_hz, 20000);
	assert_int_equal(rc.tasks_outside, 1000);
	scenario_apply(scenario_find("memcached"), &rc);
	assert_int_equal(rc.kv.rate_hz, 3250);

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

static void quiet(FILE *f)
{
	(void)f;
}

/* Through bench run's own option parser, as a user types them. */
static void test_options(void **state)
{
	char *a[] = { "run", "--scenario", "tasks-10k", "--tasks-outside",
		      "5", NULL };
	char *b[] = { "run", "--tasks-outside", "5", "--scenario=tasks-10k",
		      NULL };
	char *c[] = { "run", "--scenario", "churn", "--knobs", "native", NULL };
	char *d[] = { "run", "--scenario", "tasks-2k", NULL };
	char *e[] = { "run", "--knobs", "fast", NULL };
	char *f[] = { "run", "--busy-kthreads", "65", NULL };
	char *g[] = { "run", "--cycles", "3", "--scen=churn", NULL };
	char *h[] = { "run", "--cycles", "3", NULL };
	struct run_config rc;
	unsigned int i;
	bool pop = false;

	(void)state;
	/* An option beside the scenario wins, wherever it stands. */
	assert_int_equal(run_options(5, a, &rc, false, quiet), 0);
	assert_int_equal(rc.tasks_outside, 5);
	assert_string_equal(rc.scenario, "tasks-10k");
	assert_false(rc.knobs_native);
	assert_int_equal(run_options(4, b, &rc, false, quiet), 0);
	assert_int_equal(rc.tasks_outside, 5);
	/* Churn runs in the population workload: added. */
	assert_int_equal(run_options(5, c, &rc, false, quiet), 0);
	assert_int_equal(rc.churn_hz, 500);
	assert_true(rc.knobs_native);
	for (i = 0; i < rc.nr_workloads; i++)
		pop |= !strcmp(rc.workloads[i], "population");
	assert_true(pop);
	/* An abbreviation getopt takes is applied, not only checked. */
	assert_int_equal(run_options(4, g, &rc, false, quiet), 0);
	assert_int_equal(rc.churn_hz, 500);
	assert_string_equal(rc.scenario, "churn");
	assert_int_equal(rc.cycles, 3);
	assert_int_equal(run_options(3, h, &rc, false, quiet), 0);
	assert_null(rc.scenario);
	assert_int_equal(rc.churn_hz, 0);
	/* Unknown scenario, knob setting or range: usage errors. */
	assert_int_equal(run_options(3, d, &rc, false, quiet), EXIT_USAGE);
	assert_int_equal(run_options(3, e, &rc, false, quiet), EXIT_USAGE);
	assert_int_equal(run_options(3, f, &rc, false, quiet), EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_apply),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
