// SPDX-License-Identifier: GPL-2.0
/*
 * The workloads, run for a fraction of a second on the host: what each
 * counts must agree with the time it ran and the rate it was given.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/workload/workload.h"
#include "lib/json.h"

static struct workload *run(const struct workload_ops *ops,
			    struct workload_opts *o)
{
	struct workload *w = NULL;
	char err[256] = "";

	if (workload_start(&w, ops, o, err, sizeof(err)))
		fail_msg("%s: %s", ops->name, err);
	workload_wait(w, NULL);
	return w;
}

static void check_timeline(const struct wl_thread *t)
{
	uint64_t sum = 0, max = 0;
	unsigned int i;

	for (i = 0; i < t->nr_win; i++) {
		sum += t->win[i].count;
		if (t->win[i].max_ns > max)
			max = t->win[i].max_ns;
	}
	assert_true(sum + t->past_timeline == t->ops);
	if (!t->past_timeline)
		assert_true(max == t->hist.max);
}

static void test_stall(void **state)
{
	struct workload_opts o;
	struct workload *w;
	uint64_t elapsed, lost = 0, sum;
	unsigned int i;
	size_t k;

	(void)state;
	workload_opts_init(&o, &workload_stall);
	o.duration_ns = 200000000ULL;
	o.threshold_ns = 1000;	/* 1 us: a busy host shows some */
	w = run(&workload_stall, &o);
	elapsed = w->stopped_ns - w->t0_ns;
	assert_true(elapsed >= o.duration_ns);
	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];

		assert_true(t->ops > 1000);
		assert_true(t->hist.count == t->ops);
		assert_true(t->nr_gaps <= t->gaps_over);
		assert_true(t->gaps_over <= t->ops);
		/* Gaps are above the threshold, in order, inside the run. */
		for (k = 0, sum = 0; k < t->nr_gaps; k++) {
			assert_true(t->gaps[k].len_ns > o.threshold_ns);
			assert_true(t->gaps[k].t_ns >= w->t0_ns);
			if (k)
				assert_true(t->gaps[k].t_ns >
					    t->gaps[k - 1].t_ns);
			sum += t->gaps[k].len_ns;
		}
		if (t->nr_gaps == t->gaps_over)
			assert_true(sum == t->lost_ns);
		/* The gaps and the loop's time cannot exceed the run. */
		assert_true(t->hist.sum <= elapsed);
		lost += t->lost_ns;
		check_timeline(t);
	}
	assert_true(lost <= elapsed * w->nr);
	workload_free(w);
}

/* The gap list has room for the planned duration: 4000 gaps a second. */
static void test_stall_gap_room(void **state)
{
	static const struct {
		uint64_t duration_ns;
		size_t room;
	} cases[] = {
		{ 1000000000ULL, WL_MIN_GAPS },		/* short: the floor */
		{ 1800000000000ULL, 7200000 },		/* 30 minutes */
		{ 86400000000000ULL, WL_MAX_GAPS },	/* a day: the ceiling */
	};
	struct workload_opts o;
	struct workload *w;
	char err[256];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		workload_opts_init(&o, &workload_stall);
		o.duration_ns = cases[i].duration_ns;
		o.window_ns = o.duration_ns / (WL_MAX_WINDOWS - 2) + 1;
		w = NULL;
		if (workload_start(&w, &workload_stall, &o, err, sizeof(err)))
			fail_msg("%s", err);
		workload_stop(w);
		if (w->th[0].max_gaps != cases[i].room)
			fail_msg("planned %llu s: room for %zu gaps, want %zu",
				 (unsigned long long)(o.duration_ns / 1000000000ULL),
				 w->th[0].max_gaps, cases[i].room);
		workload_free(w);
	}
}

static void test_wakeup_rate(void **state)
{
	struct workload_opts o;
	struct workload *w;
	const struct wl_thread *t;
	uint64_t periods;

	(void)state;
	workload_opts_init(&o, &workload_wakeup);
	o.threads = 2;
	o.rate_hz = 1000;
	o.duration_ns = 300000000ULL;
	w = run(&workload_wakeup, &o);
	t = &w->th[0];
	/* 300 periods: each is recorded once or counted as missed. */
	periods = t->ops + t->missed;
	if (periods < 290 || periods > 301)
		fail_msg("expected 290-301 periods in 0.3 s at 1 kHz, saw %llu (%llu ops, %llu missed)",
			 (unsigned long long)periods,
			 (unsigned long long)t->ops,
			 (unsigned long long)t->missed);
	/* Woken after the time asked for, and within a period mostly. */
	assert_true(hist_percentile(&t->hist, 50) < 1000000);
	check_timeline(t);
	workload_free(w);
}

static void test_target_back_to_back(void **state)
{
	struct workload_opts o;
	struct workload *w;

	(void)state;
	workload_opts_init(&o, &workload_target);
	o.op = "getppid";
	o.duration_ns = 100000000ULL;
	w = run(&workload_target, &o);
	assert_true(w->th[0].ops > 1000);
	assert_int_equal(w->th[0].errors, 0);
	assert_int_equal(w->th[0].missed, 0);
	assert_int_equal(w->th[0].mixed, 0);
	assert_int_equal(w->th[0].err, 0);
	check_timeline(&w->th[0]);
	workload_free(w);
}

/* At a fixed rate: one operation per intended start, late ones counted. */
static void test_target_rate(void **state)
{
	struct workload_opts o;
	struct workload *w;
	const struct wl_thread *t;

	(void)state;
	workload_opts_init(&o, &workload_target);
	o.op = "cmdline";
	o.rate_hz = 2000;
	o.duration_ns = 200000000ULL;
	w = run(&workload_target, &o);
	t = &w->th[0];
	/* Never ahead of the schedule. */
	if (t->ops > 401)
		fail_msg("expected at most 401 operations in 0.2 s at 2 kHz, saw %llu",
			 (unsigned long long)t->ops);
	/*
	 * Coordinated omission corrected: a stall is caught up, not skipped,
	 * so unless an operation was very late (a loaded host) every
	 * intended start got its operation.
	 */
	if (t->hist.max < 2500000 && t->ops < 395)
		fail_msg("no operation was 2.5 ms late, yet only %llu of 400 were made",
			 (unsigned long long)t->ops);
	assert_true(t->missed <= t->ops);
	assert_true(t->service.count == t->ops);
	/* From the intended start is never shorter than from the actual. */
	assert_true(t->hist.max >= t->service.max);
	assert_true(t->hist.sum >= t->service.sum);
	workload_free(w);
}

static void test_target_missing_device(void **state)
{
	struct workload_opts o;
	struct workload *w = NULL;
	char err[256] = "";

	(void)state;
	if (!access("/dev/kgraft_target", F_OK))
		skip();	/* the module is loaded here: nothing to check */
	workload_opts_init(&o, &workload_target);
	o.duration_ns = 100000000ULL;
	assert_int_equal(workload_start(&w, &workload_target, &o, err,
					sizeof(err)), -ENOENT);
	assert_null(w);
	assert_non_null(strstr(err, "/dev/kgraft_target"));
	assert_non_null(strstr(err, "kgraft_target.ko"));
	o.op = "nosuch";
	assert_int_equal(workload_start(&w, &workload_target, &o, err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "nosuch"));
}

static void test_population(void **state)
{
	struct workload_opts o;
	struct workload *w = NULL;
	const struct wl_thread *t;
	const pid_t *live;
	char err[256] = "";
	pid_t pids[3];
	unsigned int i;

	(void)state;
	workload_opts_init(&o, &workload_population);
	o.tasks = 3;
	o.rate_hz = 100;
	o.duration_ns = 300000000ULL;
	assert_int_equal(workload_start(&w, &workload_population, &o, err,
					sizeof(err)), 0);
	/* The sleepers are this process's children, alive while it runs. */
	assert_int_equal(population_pids(w, &live), 3);
	for (i = 0; i < 3; i++) {
		pids[i] = live[i];
		assert_int_equal(kill(pids[i], 0), 0);
	}
	workload_wait(w, NULL);
	/* ... and gone, reaped, once it stopped. */
	for (i = 0; i < 3; i++)
		assert_int_equal(kill(pids[i], 0), -1);
	t = &w->th[0];
	assert_int_equal(t->errors, 0);
	assert_true(t->service.count == t->ops);
	/* Never ahead of the schedule: one fork per 10 ms period at most. */
	if (t->ops > 31)
		fail_msg("expected at most 31 forks in 0.3 s at 100 Hz, saw %llu",
			 (unsigned long long)t->ops);
	/* Kept up when no fork was slow: then all the periods are there. */
	if (t->ops && t->hist.max < 5000000 && t->ops < 29)
		fail_msg("no fork was late, yet only %llu of 30 were made",
			 (unsigned long long)t->ops);
	workload_free(w);

	o.sleepers = 1;
	if (access("/dev/kgraft_target", F_OK)) {
		assert_int_not_equal(workload_start(&w, &workload_population,
						    &o, err, sizeof(err)), 0);
		assert_non_null(strstr(err, "--sleepers"));
	}
}

/* /proc/<pid>/stat's user time (clock ticks) and state letter. */
static int utime_of(pid_t pid, char *state)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	if (!p)
		return -1;
	*state = p[2];
	/* After ")": state is field 3, utime field 14. */
	for (i = 3, p += 2; i < 14 && p; i++)
		p = strchr(p + 1, ' ');
	if (p)
		ut = strtoul(p + 1, NULL, 10);
	return (int)ut;
}

/* Spinners burn CPU in user space and make no syscall; gone at stop. */
static void test_population_spinners(void **state)
{
	struct workload_opts o;
	struct workload *w = NULL;
	const pid_t *live;
	char err[256] = "", st = 0;
	pid_t pid;

	(void)state;
	workload_opts_init(&o, &workload_population);
	o.spinners = 1;
	o.duration_ns = 400000000ULL;
	assert_int_equal(workload_start(&w, &workload_population, &o, err,
					sizeof(err)), 0);
	assert_int_equal(population_pids(w, &live), 1);
	pid = live[0];
	usleep(300000);
	/* Running (R), with user time: spinning, not asleep. */
	assert_true(utime_of(pid, &st) > 0);
	assert_int_equal(st, 'R');
	workload_wait(w, NULL);
	assert_int_equal(kill(pid, 0), -1);
	workload_free(w);
}

static void test_pinning(void **state)
{
	struct workload_opts o;
	struct workload *w = NULL;
	char err[256] = "";

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	workload_opts_init(&o, &workload_stall);
	o.threads = 3;
	o.nr_cpus = 2;
	o.cpus[0] = 1;
	o.cpus[1] = 0;
	o.duration_ns = 50000000ULL;
	w = run(&workload_stall, &o);
	assert_int_equal(w->th[0].cpu, 1);
	assert_int_equal(w->th[1].cpu, 0);
	assert_int_equal(w->th[2].cpu, 1);
	workload_free(w);

	/* A CPU that does not exist: refused at start, with the reason. */
	o.threads = 1;
	o.nr_cpus = 1;
	o.cpus[0] = 1000;
	assert_int_not_equal(workload_start(&w, &workload_stall, &o, err,
					    sizeof(err)), 0);
	assert_non_null(strstr(err, "CPU"));
}

/* A workload's results, written and read back, match the structs. */
static json_t *round_trip(const struct workload *w, char **text)
{
	char err[128];
	size_t len;
	struct json j;
	FILE *f = open_memstream(text, &len);
	json_t *v;

	assert_non_null(f);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	workload_json(w, &j);
	json_obj_end(&j);
	assert_int_equal(fclose(f), 0);
	v = json_parse(*text, err, sizeof(err));
	if (!v)
		fail_msg("parse failed: %s in:\n%s", err, *text);
	return v;
}

static void test_workload_round_trip(void **state)
{
	struct workload_opts o;
	struct workload *w;
	json_t *v, *counts, *c;
	char err[256], *text = NULL, path[64];
	const char *key;
	uint64_t u, ops = 0, sum_counts = 0;
	unsigned int i;
	size_t k;

	(void)state;
	workload_opts_init(&o, &workload_stall);
	o.threads = 2;
	o.duration_ns = 100000000ULL;
	o.window_ns = 5000000ULL;
	o.threshold_ns = 2000;
	assert_int_equal(workload_start(&w, &workload_stall, &o, err,
					sizeof(err)), 0);
	workload_wait(w, NULL);
	v = round_trip(w, &text);

	assert_string_equal(json_string_value(json_path(v, "workload.name")),
			    "stall");
	assert_int_equal(json_get_u64(v, "workload.threads", &u), 0);
	assert_int_equal(u, 2);
	assert_int_equal(json_get_u64(v, "workload.t0_ns", &u), 0);
	assert_true(u == w->t0_ns);
	for (i = 0; i < 2; i++) {
		const struct wl_thread *t = &w->th[i];

		snprintf(path, sizeof(path), "workload.per_thread.%u.ops", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == t->ops);
		ops += u;
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.latency.max_ns", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == t->hist.max);
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.latency.p99_ns", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == hist_percentile(&t->hist, 99));
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.gaps_over_threshold", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == t->gaps_over);
		/* Every recorded gap is there, with its time and length. */
		snprintf(path, sizeof(path), "workload.per_thread.%u.gaps", i);
		assert_int_equal(json_array_size(json_path(v, path)),
				 t->nr_gaps);
		for (k = 0; k < t->nr_gaps; k++) {
			snprintf(path, sizeof(path),
				 "workload.per_thread.%u.gaps.%zu.1", i, k);
			assert_int_equal(json_get_u64(v, path, &u), 0);
			assert_true(u == t->gaps[k].len_ns);
		}
		/* The timeline's counts add up to the operations. */
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.timeline.count", i);
		counts = json_path(v, path);
		assert_non_null(counts);
		for (k = 0, sum_counts = 0; k < json_array_size(counts); k++)
			sum_counts += json_integer_value(
				json_array_get(counts, k));
		assert_true(sum_counts + t->past_timeline == t->ops);
	}
	assert_int_equal(json_get_u64(v, "workload.ops", &u), 0);
	assert_true(u == ops);
	/* The sparse buckets sum to the count. */
	counts = json_path(v, "workload.latency.buckets");
	sum_counts = 0;
	json_object_foreach(counts, key, c)
		sum_counts += json_integer_value(c);
	assert_true(sum_counts == ops);
	json_decref(v);
	free(text);
	workload_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall),
		cmocka_unit_test(test_stall_gap_room),
		cmocka_unit_test(test_wakeup_rate),
		cmocka_unit_test(test_target_back_to_back),
		cmocka_unit_test(test_target_rate),
		cmocka_unit_test(test_target_missing_device),
		cmocka_unit_test(test_population),
		cmocka_unit_test(test_population_spinners),
		cmocka_unit_test(test_pinning),
		cmocka_unit_test(test_workload_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
