// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF probes on this kernel: each loads, attaches and counts events it
 * is shown. Where the kernel allows no BPF at all, every test is skipped
 * (never passed); where it has BPF, a probe that fails to load fails.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <cmocka.h>

#include "bench/probe/probe.h"

/* Can this process load a raw_tp program at all? */
static bool bpf_allowed(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "probe", "GPL",
			       insns, 2, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static struct probe *open_or_fail(const char *name, struct probe_opts *o)
{
	struct probe *p = NULL;
	char err[512];

	if (probe_open(name, o, &p, err, sizeof(err)))
		fail_msg("%s", err);
	return p;
}

struct caller {
	unsigned int n;
	pid_t tid;
};

static void *call_getppid(void *arg)
{
	struct caller *c = arg;
	unsigned int i;

	c->tid = (pid_t)syscall(SYS_gettid);
	for (i = 0; i < c->n; i++)
		syscall(SYS_getppid);
	return NULL;
}

/* A thread makes exactly N getppid calls: the probe counts exactly N. */
static void test_syscall(void **state)
{
	struct caller c = { .n = 1000 };
	struct probe_opts o;
	struct probe *p;
	uint64_t now, wsum = 0;
	struct timespec ts;
	pthread_t th;
	unsigned int i;

	(void)state;
	if (!bpf_allowed())
		skip();
	probe_opts_init(&o);
	o.tgids[0] = getpid();
	o.nr_tgids = 1;
	/* This thread reads and resets the maps: leave its syscalls out. */
	o.exclude_tid = (pid_t)syscall(SYS_gettid);
	p = open_or_fail("syscall", &o);
	assert_int_equal(probe_reset(p), 0);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	probe_set_timeline(p, now, 1000000000ULL);
	assert_int_equal(probe_read(p), 0);
	assert_true(probe_syscall_count(p, SYS_getppid) == 0);

	assert_int_equal(pthread_create(&th, NULL, call_getppid, &c), 0);
	pthread_join(th, NULL);
	assert_int_equal(probe_read(p), 0);
	if (probe_syscall_count(p, SYS_getppid) != c.n)
		fail_msg("expected %u getppid calls, saw %llu", c.n,
			 (unsigned long long)probe_syscall_count(p, SYS_getppid));
	/* Plus the thread's own start and exit: a few more syscalls. */
	assert_true(p->hist.count >= c.n);
	assert_true(p->hist.count < c.n + 50);
	assert_true(p->hist.max > 0);
	/* The timeline holds the same events. */
	for (i = 0; i < p->nr_win; i++)
		wsum += p->win[i].count;
	assert_true(wsum + p->stats[PROBE_STAT_PAST_TIMELINE] ==
		    p->hist.count);
	/* And reset clears it all. */
	assert_int_equal(probe_reset(p), 0);
	assert_int_equal(probe_read(p), 0);
	assert_true(probe_syscall_count(p, SYS_getppid) == 0);
	assert_true(p->hist.count == 0);
	probe_close(p);
}

static void *sleep_20(void *arg)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	(void)arg;
	for (i = 0; i < 20; i++)
		nanosleep(&ts, NULL);
	return NULL;
}

/* 20 sleeps of a thread: at least 20 wakeups, each then scheduled. */
static void test_sched(void **state)
{
	struct probe_opts o;
	struct probe *p;
	pthread_t th;

	(void)state;
	if (!bpf_allowed())
		skip();
	probe_opts_init(&o);
	o.tgids[0] = getpid();
	o.nr_tgids = 1;
	o.exclude_tid = (pid_t)syscall(SYS_gettid);
	p = open_or_fail("sched", &o);
	assert_int_equal(probe_reset(p), 0);
	assert_int_equal(pthread_create(&th, NULL, sleep_20, NULL), 0);
	pthread_join(th, NULL);
	assert_int_equal(probe_read(p), 0);
	if (p->hist.count < 20 || p->hist.count > 200)
		fail_msg("expected 20-200 wakeup-to-run events, saw %llu",
			 (unsigned long long)p->hist.count);
	probe_close(p);
}

static volatile int spinning;

static void *spin(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&spinning, __ATOMIC_RELAXED))
		;
	return NULL;
}

/*
 * Moving a running task to another CPU makes the kernel run the stopper
 * (migration/N) on the task's CPU: the fallback mode must see it.
 */
static void test_stop_fallback(void **state)
{
	struct probe_opts o;
	const struct stop_cpu *cpus;
	const struct stop_event *ev;
	struct probe *p;
	uint64_t total = 0;
	pthread_t th;
	cpu_set_t set;
	int i, n;

	(void)state;
	if (!bpf_allowed() || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	probe_opts_init(&o);
	o.stop_fallback = true;
	p = open_or_fail("stop", &o);
	assert_string_equal(probe_stop_mode(p), "stopper-thread");
	assert_int_equal(probe_reset(p), 0);
	spinning = 1;
	assert_int_equal(pthread_create(&th, NULL, spin, NULL), 0);
	/*
	 * Only a move of a thread that is on a CPU needs the stopper; on a
	 * loaded host the spinner is off-CPU part of the time, so move it
	 * often enough that some moves find it running.
	 */
	for (i = 0; i < 100; i++) {
		struct timespec ts = { 0, 1000000 };

		CPU_ZERO(&set);
		CPU_SET(i % 2, &set);
		pthread_setaffinity_np(th, sizeof(set), &set);
		nanosleep(&ts, NULL);
	}
	spinning = 0;
	pthread_join(th, NULL);
	assert_int_equal(probe_read(p), 0);
	n = probe_stop_cpus(p, &cpus);
	for (i = 0; i < n; i++)
		total += cpus[i].count;
	if (total < 1)
		fail_msg("expected the stopper to run for 100 migrations of a spinning thread, saw %llu stops",
			 (unsigned long long)total);
	/* Per-CPU counts, histogram and events agree. */
	assert_true(p->hist.count == total);
	assert_true(probe_stop_events(p, &ev) ==
		    total - p->stats[PROBE_STAT_RB_DROPPED]);
	probe_close(p);
}

/* Without the override, fentry where allowed; else the reason is kept. */
static void test_stop_mode(void **state)
{
	struct probe_opts o;
	struct probe *p;
	char *text = NULL;
	size_t len;
	FILE *f;

	(void)state;
	if (!bpf_allowed())
		skip();
	probe_opts_init(&o);
	p = open_or_fail("stop", &o);
	assert_int_equal(probe_read(p), 0);
	f = open_memstream(&text, &len);
	probe_report(p, f);
	fclose(f);
	if (!strcmp(probe_stop_mode(p), "stopper-thread"))
		assert_non_null(strstr(text, "because fentry on multi_cpu_stop failed: "));
	else
		assert_string_equal(probe_stop_mode(p), "multi_cpu_stop");
	free(text);
	probe_close(p);
}

/* Without kgraft-core the probe refuses, naming what is missing. */
static void test_kgraft_missing(void **state)
{
	struct probe_opts o;
	struct probe *p = NULL;
	char err[512] = "";
	int ret;

	(void)state;
	if (!access("/sys/kernel/tracing/events/kgraft", F_OK))
		skip();	/* the core is loaded here */
	probe_opts_init(&o);
	ret = probe_open("kgraft", &o, &p, err, sizeof(err));
	assert_int_not_equal(ret, 0);
	assert_null(p);
	if (!strstr(err, "kgraft:kgraft_transition_start is missing") &&
	    !strstr(err, "no tracefs"))
		fail_msg("unclear error: %s", err);
}

static void test_unknown_probe(void **state)
{
	struct probe_opts o;
	struct probe *p = NULL;
	char err[256] = "";

	(void)state;
	probe_opts_init(&o);
	assert_int_equal(probe_open("nosuch", &o, &p, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "nosuch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall),
		cmocka_unit_test(test_sched),
		cmocka_unit_test(test_stop_fallback),
		cmocka_unit_test(test_stop_mode),
		cmocka_unit_test(test_kgraft_missing),
		cmocka_unit_test(test_unknown_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
