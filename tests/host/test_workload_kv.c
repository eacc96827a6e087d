// SPDX-License-Identifier: GPL-2.0
/*
 * The redis and memcached workloads against the real servers (make deps
 * installs them), on the host for a second: every request bench sent is
 * answered and counted by the server too; a server killed mid-run fails
 * the thread with how it died; a missing server is named with its package.
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

#include "bench/workload/kv-client.h"

static struct workload *start(const struct workload_ops *ops,
			      uint64_t duration_ms)
{
	struct workload *w = NULL;
	struct workload_opts o;
	char err[256] = "";

	workload_opts_init(&o, ops);
	o.threads = 2;
	o.conns = 2;
	o.rate_hz = 500;
	o.keys = 1000;
	o.slots = 8;
	o.duration_ns = duration_ms * 1000000ULL;
	if (workload_start(&w, ops, &o, err, sizeof(err)))
		fail_msg("%s: %s", ops->name, err);
	return w;
}

static void check_counts(const struct workload_ops *ops)
{
	struct workload *w = start(ops, 1000);
	const struct kv_workload *kv;
	uint64_t ops_done = 0, errors = 0;
	uint64_t in_slots = 0;
	struct kv_counts c;
	unsigned int i, s;

	/* Half the run in one (cycle, phase) slot, half in another. */
	wl_set_phase(0, 0);
	usleep(500000);
	wl_set_phase(1, 7);
	workload_wait(w, NULL);
	wl_set_phase(0, 0);
	kv = w->priv;
	kv_total(w, &c);
	for (i = 0; i < w->nr; i++) {
		assert_int_equal(w->th[i].err, 0);
		ops_done += w->th[i].ops;
		errors += w->th[i].errors;
	}
	print_message("# %s: %llu GET + %llu SET sent, %llu answered; server counted %llu GET, %llu SET (+1 GET, +%u SET set-up)\n",
		      ops->name, (unsigned long long)c.gets,
		      (unsigned long long)c.sets,
		      (unsigned long long)ops_done,
		      (unsigned long long)kv->view.gets,
		      (unsigned long long)kv->view.sets, w->opts.keys);
	/*
	 * 2 threads at 500/s for 1 s, less the time to connect (the schedule
	 * starts once connected), none due after the end.
	 */
	assert_in_range(c.gets + c.sets, 900, 1000);
	assert_int_equal(c.unsent, 0);
	assert_int_equal(errors, 0);
	assert_int_equal(c.unanswered, 0);
	assert_int_equal(ops_done, c.gets + c.sets);
	assert_true(kv->view.ok);
	assert_int_equal(kv->view.gets, c.gets + 1);
	assert_int_equal(kv->view.sets, c.sets + w->opts.keys);
	/* The servers keep a histogram per slot: every request in one. */
	for (i = 0; i < w->nr; i++)
		for (s = 0; s < 8; s += 7) {
			const struct wl_slot *sl = &w->th[i].slots[s];

			assert_int_equal(w->th[i].nr_slot_hist, 8);
			assert_int_equal(w->th[i].slot_hist[s].count, sl->count);
			assert_true(sl->count > 0);
			assert_int_equal(sl->errors, 0);
			in_slots += sl->count;
		}
	assert_int_equal(in_slots, ops_done);
	workload_free(w);
}

static void test_redis_counts(void **state)
{
	(void)state;
	check_counts(&workload_redis);
}

static void test_memcached_counts(void **state)
{
	(void)state;
	check_counts(&workload_memcached);
}

static void check_killed(const struct workload_ops *ops)
{
	struct workload *w = start(ops, 3000);
	const struct kv_workload *kv = w->priv;
	unsigned int i, failed = 0;

	/* Once every thread has had replies (slow under load), kill it. */
	for (i = 0; i < 500; i++) {
		unsigned int t, busy = 0;

		for (t = 0; t < w->nr; t++)
			busy += __atomic_load_n(&w->th[t].ops,
						__ATOMIC_RELAXED) > 0;
		if (busy == w->nr)
			break;
		usleep(10000);
	}
	usleep(100000);
	assert_int_equal(kill(kv->server.pid, SIGKILL), 0);
	workload_wait(w, NULL);
	for (i = 0; i < w->nr; i++) {
		if (!w->th[i].err)
			continue;
		failed++;
		print_message("# %s thread %u: %s\n", ops->name, i,
			      w->th[i].errmsg);
		assert_non_null(strstr(w->th[i].errmsg,
				       "was killed by signal 9"));
	}
	assert_int_equal(failed, w->nr);
	/* They gave up at once: ~150 requests each, not 1500. */
	for (i = 0; i < w->nr; i++)
		assert_true(w->th[i].ops < 400);
	workload_free(w);
}

static void test_killed(void **state)
{
	(void)state;
	check_killed(&workload_redis);
	check_killed(&workload_memcached);
}

static void test_missing_server(void **state)
{
	char *path = strdup(getenv("PATH") ? getenv("PATH") : "");
	struct workload *w = NULL;
	struct workload_opts o;
	char err[256] = "";

	(void)state;
	setenv("PATH", "/nonexistent", 1);
	workload_opts_init(&o, &workload_redis);
	assert_int_equal(workload_start(&w, &workload_redis, &o, err,
					sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "redis-server not found"));
	assert_non_null(strstr(err, "make deps"));
	o.rate_hz = 0;
	assert_int_equal(workload_start(&w, &workload_redis, &o, err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "needs a rate"));
	setenv("PATH", path, 1);
	free(path);
	/* More slots than it keeps histograms for: refused, nothing started. */
	workload_opts_init(&o, &workload_memcached);
	o.slots = WL_MAX_REQ_SLOTS + 1;
	assert_int_equal(workload_start(&w, &workload_memcached, &o, err,
					sizeof(err)), -E2BIG);
	assert_non_null(strstr(err, "at most 4096"));
	assert_null(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redis_counts),
		cmocka_unit_test(test_memcached_counts),
		cmocka_unit_test(test_killed),
		cmocka_unit_test(test_missing_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
