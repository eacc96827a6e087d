// SPDX-License-Identifier: GPL-2.0
/*
 * workload-population.c - the tasks a live patch has to switch over, other
 * than the measured application:
 *  - --tasks K processes asleep in pause(), which the kernel entered from
 *    user space and leaves only on a signal (bench-sleeper, spawned, not
 *    forked: see bench/sleeper.c);
 *  - --sleepers K processes asleep inside the patched function, through
 *    KGRAFT_TARGET_IOC_SLEEP, again and again (needs kgraft_target.ko);
 *  - --spinners K processes spinning in user space, never making a
 *    syscall: a live patch can switch them only from an interrupt, a
 *    signal or a stack check while they are preempted;
 *  - kthreads looping through the target's chain (kgraft_target.ko loaded
 *    with loop_kthread=1 or busy_kthreads=N): with --kthread their calls
 *    and mixed chains during the run are read through
 *    KGRAFT_TARGET_IOC_STATS;
 *  - fork/exit churn: each thread forks a child that exits at once, at
 *    --rate per second, recording fork-to-reap time. New tasks appear and
 *    old ones vanish during a transition, which is what churn tests.
 * The sleeping processes are children killed at stop; their counts live in
 * a shared mapping, one slot each, so no child contends with another.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/host/guest.h"
#include "kgraft-core/include/uapi/kgraft_target.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

/* bench run's RUN_MAX_TASKS; the guest needs memory for them (run.h). */
#define POP_MAX_TASKS	30000

struct sleeper_slot {
	uint64_t sleeps;
	uint64_t mixed;
	uint64_t errors;
};

struct population {
	pid_t *pids;
	unsigned int nr_pids;
	struct sleeper_slot *slots;	/* shared with the children */
	size_t slots_len;
	struct sleeper_slot total;	/* summed at stop */
	struct kgraft_target_stats kt_start, kt_end;
	bool kt_read;			/* both kthread snapshots taken */
};

static int read_kthread(struct kgraft_target_stats *st, char *err, size_t len)
{
	int fd = open(KGRAFT_TARGET_DEV, O_RDONLY), ret = 0;

	if (fd < 0) {
		ret = -errno;
		snprintf(err, len, "--kthread needs %s: %s (is kgraft_target.ko loaded?)",
			 KGRAFT_TARGET_DEV, strerror(errno));
		return ret;
	}
	memset(st, 0, sizeof(*st));
	if (ioctl(fd, KGRAFT_TARGET_IOC_STATS, st)) {
		ret = -errno;
		snprintf(err, len, "KGRAFT_TARGET_IOC_STATS: %s", strerror(errno));
	} else if (!st->kthread_running && !st->busy_running) {
		ret = -ESRCH;
		snprintf(err, len, "--kthread: the target runs no kthread (load kgraft_target.ko with loop_kthread=1 or busy_kthreads=N)");
	}
	close(fd);
	return ret;
}

static void child_setup(void)
{
	/* Never outlive bench, whatever way it ends. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
}

static void target_sleeper(struct sleeper_slot *slot, unsigned int msecs)
{
	struct kgraft_target_sleep s;
	int fd;

	child_setup();
	fd = open(KGRAFT_TARGET_DEV, O_RDONLY);
	if (fd < 0) {
		slot->errors++;
		_exit(1);
	}
	for (;;) {
		memset(&s, 0, sizeof(s));
		s.msecs = msecs;
		if (ioctl(fd, KGRAFT_TARGET_IOC_SLEEP, &s)) {
			slot->errors++;
			_exit(1);
		}
		slot->sleeps++;
		if (s.call.mixed)
			slot->mixed++;
	}
}

/*
 * No syscall, ever: only a signal (SIGKILL at stop) ends it. Forked from
 * bench run's driver, pinned to CPU 0: spin on the workload CPUs instead.
 */
static void user_spinner(const struct workload_opts *o)
{
	child_setup();
	pin_process(o->cpus, o->nr_cpus);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

enum pop_kind { POP_USER_SLEEPER, POP_TARGET_SLEEPER, POP_SPINNER };

static enum pop_kind kind_of(const struct workload_opts *o, unsigned int i)
{
	if (i < o->tasks)
		return POP_USER_SLEEPER;
	return i < o->tasks + o->sleepers ? POP_TARGET_SLEEPER : POP_SPINNER;
}

/* A sleeper in user space: bench-sleeper, spawned (see bench/sleeper.c). */
static int spawn_sleeper(pid_t *pid)
{
	static char path[PATH_MAX + 32];
	char ppid[16], *argv[] = { path, ppid, NULL }, *envp[] = { NULL };

	if (!path[0])
		snprintf(path, sizeof(path), "%s/bench-sleeper",
			 guest_build_dir());
	snprintf(ppid, sizeof(ppid), "%d", (int)getpid());
	return -posix_spawn(pid, path, NULL, NULL, argv, envp);
}

static int spawn(struct population *p, enum pop_kind kind,
		 const struct workload_opts *o)
{
	unsigned int i = p->nr_pids;
	pid_t pid;

	if (kind == POP_USER_SLEEPER) {
		int ret = spawn_sleeper(&pid);

		if (ret)
			return ret;
		p->pids[p->nr_pids++] = pid;
		return 0;
	}
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (kind == POP_TARGET_SLEEPER)
			target_sleeper(&p->slots[i], o->sleep_ms);
		user_spinner(o);
	}
	p->pids[p->nr_pids++] = pid;
	return 0;
}

static void population_cleanup(struct workload *w)
{
	struct population *p = w->priv;
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < p->nr_pids; i++)
		kill(p->pids[i], SIGKILL);
	for (i = 0; i < p->nr_pids; i++)
		while (waitpid(p->pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	if (w->opts.kthread && !p->kt_read) {
		char err[160];

		/* The kthread may have stopped: keep the counts anyway. */
		read_kthread(&p->kt_end, err, sizeof(err));
		p->kt_read = true;
	}
	if (p->slots) {
		for (i = 0; i < p->nr_pids; i++) {
			p->total.sleeps += p->slots[i].sleeps;
			p->total.mixed += p->slots[i].mixed;
			p->total.errors += p->slots[i].errors;
		}
		munmap(p->slots, p->slots_len);
		p->slots = NULL;
	}
	free(p->pids);
	p->pids = NULL;
	p->nr_pids = 0;
}

static int population_prepare(struct workload *w, char *err, size_t len)
{
	const struct workload_opts *o = &w->opts;
	struct population *p;
	unsigned int i, n = o->tasks + o->sleepers + o->spinners;
	int ret = 0, fd;

	if (n > POP_MAX_TASKS) {
		snprintf(err, len, "at most %d tasks (sleeping and spinning)",
			 POP_MAX_TASKS);
		return -EINVAL;
	}
	if (o->sleepers) {
		fd = open(KGRAFT_TARGET_DEV, O_RDONLY);
		if (fd < 0) {
			ret = -errno;
			snprintf(err, len,
				 "--sleepers needs %s: %s (is kgraft_target.ko loaded?)",
				 KGRAFT_TARGET_DEV, strerror(errno));
			return ret;
		}
		close(fd);
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (o->kthread) {
		ret = read_kthread(&p->kt_start, err, len);
		if (ret) {
			free(p);
			return ret;
		}
	}
	w->priv = p;
	p->pids = calloc(n ? n : 1, sizeof(*p->pids));
	p->slots_len = (n ? n : 1) * sizeof(*p->slots);
	p->slots = mmap(NULL, p->slots_len, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->slots == MAP_FAILED)
		p->slots = NULL;
	if (!p->pids || !p->slots) {
		ret = -ENOMEM;
		snprintf(err, len, "out of memory");
		goto fail;
	}
	for (i = 0; i < n && !ret; i++)
		ret = spawn(p, kind_of(o, i), o);
	if (ret) {
		snprintf(err, len, "starting task %u of %u (%s/bench-sleeper for those asleep in user space): %s",
			 p->nr_pids + 1, n, guest_build_dir(), strerror(-ret));
		goto fail;
	}
	return 0;
fail:
	population_cleanup(w);
	free(p);
	w->priv = NULL;
	return ret;
}

static void churn_one(struct wl_thread *t, uint64_t due)
{
	uint64_t start = mono_ns(), end;
	pid_t pid = fork();

	if (pid < 0) {
		t->errors++;
		if (!t->err)
			wl_fail(t, errno, "fork: %s", strerror(errno));
		return;
	}
	if (!pid)
		_exit(0);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	end = mono_ns();
	hist_record(&t->service, end - start);
	wl_record(t, due, end - due);
}

static void population_run(struct wl_thread *t)
{
	uint64_t rate = t->w->opts.rate_hz, next = t->w->t0_ns, now;
	uint64_t period = rate ? 1000000000ULL / rate : 0;
	struct timespec ts;

	while (!workload_done(t->w, now = mono_ns())) {
		if (!period) {
			/* No churn: just keep the thread until the end. */
			sleep_ns(10000000);
			continue;
		}
		if (now < next) {
			ts.tv_sec = next / 1000000000ULL;
			ts.tv_nsec = next % 1000000000ULL;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					NULL);
			continue;
		}
		if (now - next >= period)
			t->missed++;
		churn_one(t, next);
		next += period;
	}
}

unsigned int population_pids(const struct workload *w, const pid_t **pids)
{
	const struct population *p = w->priv;

	if (w->ops != &workload_population || !p) {
		*pids = NULL;
		return 0;
	}
	*pids = p->pids;
	return p->nr_pids;
}

static void population_report(const struct workload *w, FILE *f)
{
	const struct population *p = w->priv;

	fprintf(f, "population: %u tasks asleep in pause(), %u asleep in the target (%u ms a sleep), %u spinning in user space\n",
		w->opts.tasks, w->opts.sleepers, w->opts.sleep_ms,
		w->opts.spinners);
	if (w->opts.sleepers && p)
		fprintf(f, "sleeps in the target: %llu done, %llu mixed, %llu failed\n",
			(unsigned long long)p->total.sleeps,
			(unsigned long long)p->total.mixed,
			(unsigned long long)p->total.errors);
	if (w->opts.kthread && p && p->kt_read)
		fprintf(f, "target kthread: %llu calls, %llu mixed during the run; %u busy kthreads: %llu calls, %llu mixed\n",
			(unsigned long long)(p->kt_end.kthread_calls -
					     p->kt_start.kthread_calls),
			(unsigned long long)(p->kt_end.kthread_mixed -
					     p->kt_start.kthread_mixed),
			p->kt_end.busy_running,
			(unsigned long long)(p->kt_end.busy_calls -
					     p->kt_start.busy_calls),
			(unsigned long long)(p->kt_end.busy_mixed -
					     p->kt_start.busy_mixed));
	if (w->opts.rate_hz)
		fprintf(f, "churn: fork+exit+reap at %llu Hz per thread; latency from the intended start\n",
			(unsigned long long)w->opts.rate_hz);
}

static void population_json(const struct workload *w, struct json *j)
{
	const struct population *p = w->priv;

	json_u64(j, "tasks", w->opts.tasks);
	json_u64(j, "sleepers", w->opts.sleepers);
	json_u64(j, "sleep_ms", w->opts.sleep_ms);
	json_u64(j, "spinners", w->opts.spinners);
	if (p) {
		json_u64(j, "target_sleeps", p->total.sleeps);
		json_u64(j, "target_sleeps_mixed", p->total.mixed);
		json_u64(j, "target_sleeps_failed", p->total.errors);
	}
	if (w->opts.kthread && p && p->kt_read) {
		json_u64(j, "kthread_calls", p->kt_end.kthread_calls -
			 p->kt_start.kthread_calls);
		json_u64(j, "kthread_mixed", p->kt_end.kthread_mixed -
			 p->kt_start.kthread_mixed);
		json_u64(j, "busy_kthreads", p->kt_end.busy_running);
		json_u64(j, "busy_calls", p->kt_end.busy_calls -
			 p->kt_start.busy_calls);
		json_u64(j, "busy_mixed", p->kt_end.busy_mixed -
			 p->kt_start.busy_mixed);
	}
}

static void population_destroy(struct workload *w)
{
	population_cleanup(w);
	free(w->priv);
	w->priv = NULL;
}

const struct workload_ops workload_population = {
	.name = "population",
	.summary = "tasks asleep in user space and in the target; fork/exit churn",
	.prepare = population_prepare,
	.run = population_run,
	.cleanup = population_cleanup,
	.destroy = population_destroy,
	.report = population_report,
	.json = population_json,
};
