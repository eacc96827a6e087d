// SPDX-License-Identifier: GPL-2.0
/*
 * What bench run makes of the kernel's stats file and of its probes by
 * phase: the stats lines parsed, summed per strategy and direction
 * (kstats), written as JSON and read back; the --probes list; counters by
 * phase with the BPF probes off (the host kernel may have none).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/run/kstats.h"
#include "bench/run/patchctl.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "lib/json.h"

/* A stop_machine apply as the core writes it: one refused stop, then one. */
static const char stop_apply[] =
	"start_ns 1000\n"
	"end_ns 2000\n"
	"duration_ns 1000\n"
	"tasks_at_start 120\n"
	"switched_syscall 0\n"
	"switched_syscall_enter 0\n"
	"switched_syscall_exit 0\n"
	"switched_sweep 0\n"
	"switched_signal 0\n"
	"switched_fork 0\n"
	"switched_force 0\n"
	"switched_idle 0\n"
	"switched_kthread 0\n"
	"switched_stop 120\n"
	"switched_immediate 0\n"
	"switched_klp 0\n"
	"this line is not a stat\n"
	"stops 2\n"
	"stop_busy 1\n"
	"stop_last_rendezvous_ns 400\n"
	"stop_last_check_ns 300\n"
	"stop_last_switch_ns 20\n"
	"stop_last_release_ns 80\n"
	"stop_last_total_ns 800\n"
	"stop_max_total_ns 900\n"
	"stop_sum_total_ns 1700\n";

/* A kgraft revert on a core without the strategy lines: they read 0. */
static const char kgraft_revert[] =
	"start_ns 1000\n"
	"switched_syscall 12\n"
	"switched_syscall_enter 2\n"
	"switched_syscall_exit 10\n"
	"switched_sweep 11\n"
	"switched_kthread 53\n"
	"switched_idle 2\n";

static int parse(const char *text, struct patch_stat *st, size_t max)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int n;

	assert_non_null(f);
	n = patch_stats_parse(f, st, max);
	fclose(f);
	return n;
}

static void test_parse(void **state)
{
	struct patch_stat st[64];
	int n;

	(void)state;
	n = parse(stop_apply, st, 64);
	assert_int_equal(n, 25);	/* the odd line skipped, not the rest */
	assert_int_equal(patch_stat_get(st, n, "stops", -1), 2);
	assert_int_equal(patch_stat_get(st, n, "stop_sum_total_ns", -1), 1700);
	assert_int_equal(patch_stat_get(st, n, "missing", -1), -1);
	/* Never more than asked for. */
	assert_int_equal(parse(stop_apply, st, 3), 3);
}

static void test_kstats_sum(void **state)
{
	struct patch_stat st[64];
	struct kstats k;
	int n;

	(void)state;
	kpaths_reset();
	kstats_init(&k);
	n = parse(stop_apply, st, 64);
	kstats_add(&k, st, n);
	kstats_add(&k, st, n);
	assert_int_equal(k.transitions, 2);
	assert_int_equal(k.tasks_at_start, 240);
	assert_int_equal(kstats_switched(&k), 240);
	assert_int_equal(k.switched[8], 240);	/* "stop" */
	assert_string_equal(kpaths_name(8), "stop");
	assert_int_equal(k.stops, 4);
	assert_int_equal(k.stop_busy, 2);
	assert_int_equal(k.stops_min, 2);
	assert_int_equal(k.stops_max, 2);
	assert_int_equal(k.stop_max_total_ns, 900);
	assert_int_equal(k.stop_sum_total_ns, 3400);
	assert_int_equal(k.stop_last[KSTOP_RENDEZVOUS].count, 2);
	assert_int_equal(k.stop_last[KSTOP_RENDEZVOUS].max, 400);
	assert_int_equal(k.stop_last[KSTOP_CHECK].max, 300);
	assert_int_equal(k.stop_last[KSTOP_TOTAL].max, 800);

	/* A transition without a stop lowers the minimum, adds no part. */
	n = parse(kgraft_revert, st, 64);
	kstats_add(&k, st, n);
	assert_int_equal(k.stops_min, 0);
	assert_int_equal(k.stop_last[KSTOP_TOTAL].count, 2);
	assert_int_equal(kstats_switched(&k), 240 + 2 + 10 + 11 + 53 + 2);
}

/*
 * The paths are the kernel's: learnt from the stats lines in their order,
 * the total switched_syscall left out, new ones (another strategy loaded,
 * or a name only the task-switch event gave) added at the end.
 */
static void test_kpaths(void **state)
{
	static const char *const want[] = {
		"syscall_enter", "syscall_exit", "sweep", "signal", "fork",
		"force", "idle", "kthread", "stop", "immediate", "klp",
	};
	static const char other[] =
		"switched_syscall 0\n"
		"switched_sweep 1\n"
		"switched_other_strategy 3\n";
	struct patch_stat st[64];
	unsigned int i;
	int n;

	(void)state;
	kpaths_reset();
	n = parse(stop_apply, st, 64);
	kpaths_learn_stats(st, n);
	kpaths_learn_stats(st, n);
	assert_int_equal(kpaths_nr(), 11);
	for (i = 0; i < kpaths_nr(); i++)
		assert_string_equal(kpaths_name(i), want[i]);
	assert_int_equal(kpaths_index("stop"), 8);

	/* A core without the strategies' lines changes nothing. */
	n = parse(kgraft_revert, st, 64);
	kpaths_learn_stats(st, n);
	assert_int_equal(kpaths_nr(), 11);

	/* No other line extends syscall here: a path of that name. */
	n = parse(other, st, 64);
	kpaths_learn_stats(st, n);
	assert_int_equal(kpaths_nr(), 13);
	assert_string_equal(kpaths_name(11), "syscall");
	assert_string_equal(kpaths_name(12), "other_strategy");
	assert_int_equal(kpaths_index("from_the_event"), 13);
	assert_int_equal(kpaths_nr(), 14);

	/* Full: refused, never overflowing. */
	for (i = kpaths_nr(); i < KPATHS_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "p%u", i);
		assert_int_equal(kpaths_index(name), (int)i);
	}
	assert_int_equal(kpaths_index("one_too_many"), -1);
	assert_int_equal(kpaths_nr(), KPATHS_MAX);
	kpaths_reset();
	assert_int_equal(kpaths_nr(), 0);
}

/* Written, parsed back, every field where the README says it is. */
static void test_kstats_json(void **state)
{
	json_t *v;
	struct patch_stat st[64];
	struct kstats k;
	char *text = NULL, err[256];
	size_t len;
	struct json j;
	uint64_t x;
	FILE *f;
	int n;

	(void)state;
	kpaths_reset();
	kstats_init(&k);
	n = parse(stop_apply, st, 64);
	kstats_add(&k, st, n);
	f = open_memstream(&text, &len);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	kstats_json(&k, &j, "apply");
	json_obj_end(&j);
	fclose(f);
	v = json_parse(text, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(json_get_u64(v, "apply.transitions", &x), 0);
	assert_int_equal(x, 1);
	assert_int_equal(json_get_u64(v, "apply.tasks_at_start", &x), 0);
	assert_int_equal(x, 120);
	assert_int_equal(json_get_u64(v, "apply.switched", &x), 0);
	assert_int_equal(x, 120);
	assert_int_equal(json_get_u64(v, "apply.switched_by_path.stop", &x), 0);
	assert_int_equal(x, 120);
	assert_int_equal(json_get_u64(v, "apply.switched_by_path.klp", &x), 0);
	assert_int_equal(x, 0);
	assert_int_equal(json_get_u64(v, "apply.stops.count", &x), 0);
	assert_int_equal(x, 2);
	assert_int_equal(json_get_u64(v, "apply.stops.busy", &x), 0);
	assert_int_equal(x, 1);
	assert_int_equal(json_get_u64(v, "apply.stops.max_total_ns", &x), 0);
	assert_int_equal(x, 900);
	assert_int_equal(json_get_u64(v, "apply.stops.last_stop_ns.check.max_ns",
				      &x), 0);
	assert_int_equal(x, 300);
	json_decref(v);
	free(text);

	/* The readable line names the paths used and splits the stop. */
	f = open_memstream(&text, &len);
	kstats_print(&k, "apply:", f);
	fclose(f);
	assert_non_null(strstr(text, "120 tasks at start, 120 switched (stop 120)"));
	assert_non_null(strstr(text, "2 stops (1 refused"));
	assert_non_null(strstr(text, "rendezvous"));
	free(text);
}

static void test_probes_parse(void **state)
{
	char names[RP_MAX_PROBES][16], err[256];
	unsigned int n;

	(void)state;
	assert_int_equal(run_probes_parse("stop,sched", names, &n, err,
					  sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[1], "sched");
	assert_int_equal(run_probes_parse("none", names, &n, err, sizeof(err)),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(run_probes_parse(RP_DEFAULT_PROBES, names, &n, err,
					  sizeof(err)), 0);
	assert_int_equal(run_probes_parse("stop,bogus", names, &n, err,
					  sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown probe 'bogus'"));
	assert_int_equal(run_probes_parse("stop,stop", names, &n, err,
					  sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(run_probes_parse("stop,,sched", names, &n, err,
					  sizeof(err)), -EINVAL);
	assert_int_equal(run_probes_parse("", names, &n, err, sizeof(err)),
			 -EINVAL);
}

/*
 * No BPF, process counters: every phase boundary adds to its (strategy,
 * phase) and (cycle, phase); the JSON holds them by phase name.
 */
static void test_counters_by_phase(void **state)
{
	struct run_probes rp;
	json_t *v;
	char err[256], *text = NULL;
	volatile unsigned long spin = 0;
	struct json j;
	uint64_t x;
	size_t len;
	FILE *f;
	int ret, i;

	(void)state;
	ret = run_probes_open(&rp, "none", true, RP_COUNTERS_PROCESS, false,
			      2 * RUN_NR_PHASES, RUN_NR_PHASES, err,
			      sizeof(err));
	assert_int_equal(ret, 0);
	if (rp.cnt_error[0]) {
		run_probes_free(&rp);
		skip();		/* perf_event_paranoid: no counters here */
	}
	run_probes_start(&rp, 1, 1000000000ULL);
	assert_int_equal(rp.window_ns, 10000000);
	for (i = 0; i < 1000000; i++)
		spin++;
	/* Strategy 1, apply; cycle 0. */
	run_probes_boundary(&rp, RUN_NR_PHASES + RUN_APPLY, RUN_APPLY);
	run_probes_detach(&rp);

	f = open_memstream(&text, &len);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	run_probes_status_json(&rp, &j);
	json_obj_begin(&j, "s");
	run_probes_strategy_json(&rp, 1, &j);
	json_obj_end(&j);
	json_obj_begin(&j, "cycle");
	run_probes_cycle_json(&rp, 0, &j);
	json_obj_end(&j);
	json_obj_end(&j);
	fclose(f);
	v = json_parse(text, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(json_get_u64(v, "s.counters.apply.task-clock-ns", &x), 0);
	assert_true(x > 0);
	assert_int_equal(json_get_u64(v, "s.counters.apply.elapsed_ns", &x), 0);
	assert_true(x > 0);
	assert_int_equal(json_get_u64(v, "cycle.counters.apply.task-clock-ns",
				      &x), 0);
	assert_true(x > 0);
	assert_int_equal(json_get_u64(v, "counters.scope", &x), -1);
	/* A phase that saw nothing says so instead of a zero. */
	assert_non_null(json_path(v, "s.counters.baseline.absent"));
	json_decref(v);
	free(text);
	run_probes_free(&rp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_kstats_sum),
		cmocka_unit_test(test_kpaths),
		cmocka_unit_test(test_kstats_json),
		cmocka_unit_test(test_probes_parse),
		cmocka_unit_test(test_counters_by_phase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
