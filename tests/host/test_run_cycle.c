// SPDX-License-Identifier: GPL-2.0
/*
 * bench run's cycle plan and timeline without a guest: every round runs
 * each strategy once, in a seeded order; the phase an instant falls in; how
 * long a cycle spent in each phase, refused or cut short included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bench/run/internal.h"
#include "bench/run/run.h"

/* A run of @cycles rounds over @ns strategies, its cycles planned. */
static struct run *planned(unsigned int ns, unsigned int cycles,
			   uint64_t seed, struct run_config *rc)
{
	struct run *r = calloc(1, sizeof(*r));
	struct rng rng;

	assert_non_null(r);
	run_config_init(rc);
	rc->nr_strategies = ns;
	rc->cycles = cycles;
	r->rc = rc;
	r->nr_cyc = ns * cycles;
	r->cyc = calloc(r->nr_cyc, sizeof(*r->cyc));
	assert_non_null(r->cyc);
	rng_seed(&rng, seed);
	run_plan_cycles(r, &rng);
	return r;
}

static void run_free(struct run *r)
{
	free(r->cyc);
	free(r);
}

static void test_plan_rounds(void **state)
{
	struct run_config rc;
	struct run *r = planned(3, 50, 42, &rc);
	unsigned int k, i, first[3] = { 0 };

	(void)state;
	for (k = 0; k < r->nr_cyc; k += 3) {
		unsigned int seen = 0;

		for (i = 0; i < 3; i++) {
			const struct cycle *c = &r->cyc[k + i];

			assert_int_equal(c->round, k / 3 + 1);
			assert_true(c->strategy < 3);
			seen |= 1u << c->strategy;
		}
		assert_int_equal(seen, 7);
		first[r->cyc[k].strategy]++;
	}
	/* Shuffled: in 50 rounds every strategy goes first some time. */
	for (i = 0; i < 3; i++)
		assert_true(first[i] > 0);
	run_free(r);
}

static void test_plan_seeded(void **state)
{
	struct run_config rc1, rc2;
	struct run *a = planned(4, 20, 7, &rc1), *b = planned(4, 20, 7, &rc2);
	unsigned int k;

	(void)state;
	for (k = 0; k < a->nr_cyc; k++) {
		assert_int_equal(a->cyc[k].strategy, b->cyc[k].strategy);
		assert_int_equal(a->cyc[k].round, b->cyc[k].round);
	}
	run_free(a);
	run_free(b);
}

/* One strategy alone: the cycles in plain order. */
static void test_plan_one(void **state)
{
	struct run_config rc;
	struct run *r = planned(1, 5, 1, &rc);
	unsigned int k;

	(void)state;
	for (k = 0; k < r->nr_cyc; k++) {
		assert_int_equal(r->cyc[k].strategy, 0);
		assert_int_equal(r->cyc[k].round, k + 1);
	}
	run_free(r);
}

static void set_times(struct cycle *c, uint64_t base)
{
	c->t_baseline = base;
	c->t_apply = base + 100;
	c->t_applied = base + 130;
	c->t_revert = base + 230;
	c->t_reverted = base + 250;
	c->t_end = base + 300;
}

static void test_phase_at(void **state)
{
	struct run_config rc;
	struct run *r = planned(1, 3, 1, &rc);
	unsigned int k = 99;

	(void)state;
	set_times(&r->cyc[0], 1000);
	set_times(&r->cyc[1], 1300);
	/* The third cycle got as far as its apply. */
	r->cyc[2].t_baseline = 1600;
	r->cyc[2].t_apply = 1700;
	assert_int_equal(run_phase_at(r, 999, &k), -1);
	assert_int_equal(run_phase_at(r, 1000, &k), RUN_BASELINE);
	assert_int_equal(k, 0);
	assert_int_equal(run_phase_at(r, 1100, &k), RUN_APPLY);
	assert_int_equal(run_phase_at(r, 1129, &k), RUN_APPLY);
	assert_int_equal(run_phase_at(r, 1130, &k), RUN_PATCHED);
	assert_int_equal(run_phase_at(r, 1230, &k), RUN_REVERT);
	assert_int_equal(run_phase_at(r, 1250, &k), RUN_BASELINE);
	assert_int_equal(k, 0);
	assert_int_equal(run_phase_at(r, 1300, &k), RUN_BASELINE);
	assert_int_equal(k, 1);
	assert_int_equal(run_phase_at(r, 1450, &k), RUN_PATCHED);
	assert_int_equal(run_phase_at(r, 1650, &k), RUN_BASELINE);
	assert_int_equal(k, 2);
	assert_int_equal(run_phase_at(r, 1800, &k), RUN_APPLY);
	assert_int_equal(k, 2);
	run_free(r);
}

static void test_cycle_durations(void **state)
{
	struct cycle c = { 0 };
	uint64_t d[RUN_NR_PHASES];

	(void)state;
	set_times(&c, 1000);
	run_cycle_durations(&c, d);
	assert_int_equal(d[RUN_BASELINE], 100 + 50);
	assert_int_equal(d[RUN_APPLY], 30);
	assert_int_equal(d[RUN_PATCHED], 100);
	assert_int_equal(d[RUN_REVERT], 20);

	/* Refused: the attempts are the apply phase, then baseline again. */
	c.refused = true;
	c.t_revert = c.t_reverted = c.t_applied;
	run_cycle_durations(&c, d);
	assert_int_equal(d[RUN_BASELINE], 100 + 170);
	assert_int_equal(d[RUN_APPLY], 30);
	assert_int_equal(d[RUN_PATCHED], 0);
	assert_int_equal(d[RUN_REVERT], 0);

	/* Cut short in the baseline window: nothing counted yet. */
	c = (struct cycle){ .t_baseline = 1000 };
	run_cycle_durations(&c, d);
	assert_int_equal(d[RUN_BASELINE], 0);
	assert_int_equal(d[RUN_APPLY], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_rounds),
		cmocka_unit_test(test_plan_seeded),
		cmocka_unit_test(test_plan_one),
		cmocka_unit_test(test_phase_at),
		cmocka_unit_test(test_cycle_durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
