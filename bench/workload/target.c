// SPDX-License-Identifier: GPL-2.0
/*
 * workload-target.c - the fast-updating application: threads that call the
 * patched code path, back to back or at a fixed rate per thread.
 *
 * At a fixed rate each operation has an intended start time on a fixed
 * schedule, and its latency is measured from that time, not from when it
 * actually began (wrk2's correction of coordinated omission): a thread
 * held up by a stall is late for every operation it should have made in
 * the meantime, and each of them records that lateness. An operation that
 * begins a whole period or more after its intended start counts as missed.
 * The time from actual start is kept as a second histogram ("service").
 *
 * The operation is selectable, because each patch lives on its own path:
 *   ioctl    KGRAFT_TARGET_IOC_CALL on /dev/kgraft_target (the module's
 *            call chain; counts chains that ran mixed old and new code)
 *   getppid  the getppid() syscall, a minimal trip through the kernel
 *   cmdline  read /proc/cmdline (cmdline_proc_show, the function the
 *            kernel's livepatch sample replaces)
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kgraft-core/include/uapi/kgraft_target.h"
#include "bench/workload/workload.h"

struct target_op {
	const char *name;
	const char *path;	/* opened once per thread, or NULL */
	/* One operation; < 0 (-errno) on failure, 1 when mixed. */
	int (*call)(int fd);
};

static int op_ioctl(int fd)
{
	struct kgraft_target_call call;

	memset(&call, 0, sizeof(call));
	if (ioctl(fd, KGRAFT_TARGET_IOC_CALL, &call))
		return -errno;
	return call.mixed ? 1 : 0;
}

static int op_getppid(int fd)
{
	(void)fd;
	/* syscall(): never a cached or vDSO answer. */
	return syscall(SYS_getppid) > 0 ? 0 : -EIO;
}

static int op_cmdline(int fd)
{
	char buf[4096];

	return pread(fd, buf, sizeof(buf), 0) > 0 ? 0 : -errno;
}

static const struct target_op target_ops[] = {
	{ "ioctl", KGRAFT_TARGET_DEV, op_ioctl },
	{ "getppid", NULL, op_getppid },
	{ "cmdline", "/proc/cmdline", op_cmdline },
};

#define NR_TARGET_OPS (sizeof(target_ops) / sizeof(target_ops[0]))	/* ARRAY_SIZE */

const char *target_op_names(void)
{
	return "ioctl, getppid, cmdline";
}

static const struct target_op *find_op(const char *name)
{
	size_t i;

	for (i = 0; i < NR_TARGET_OPS; i++)
		if (!strcmp(target_ops[i].name, name))
			return &target_ops[i];
	return NULL;
}

static void target_defaults(struct workload_opts *o)
{
	o->op = "ioctl";
}

static int target_prepare(struct workload *w, char *err, size_t len)
{
	const struct target_op *op = find_op(w->opts.op);
	int fd;

	if (!op) {
		snprintf(err, len, "unknown operation '%s' (one of %s)",
			 w->opts.op, target_op_names());
		return -EINVAL;
	}
	/* Fail here, with the reason, rather than in every thread. */
	if (op->path) {
		fd = open(op->path, O_RDONLY);
		if (fd < 0) {
			int e = errno;

			snprintf(err, len, "cannot open %s: %s%s", op->path,
				 strerror(e),
				 op->call == op_ioctl ?
				 " (is kgraft_target.ko loaded?)" : "");
			return -e;
		}
		close(fd);
	}
	w->priv = (void *)op;
	return 0;
}

static void target_run(struct wl_thread *t)
{
	const struct target_op *op = t->w->priv;
	uint64_t period = t->w->opts.rate_hz ?
		1000000000ULL / t->w->opts.rate_hz : 0;
	uint64_t next = t->w->t0_ns, start, end;
	int fd = -1, r;

	if (op->path) {
		fd = open(op->path, O_RDONLY);
		if (fd < 0) {
			wl_fail(t, errno, "open %s: %s", op->path,
				strerror(errno));
			return;
		}
	}
	for (;;) {
		if (period) {
			uint64_t now = mono_ns();
			/*
			 * Sleep most of the way, spin the rest: a timer's
			 * wake-up latency is not the operation's.
			 */
			uint64_t slack = period / 2 < 200000 ? period / 2 : 200000;

			if (workload_done(t->w, now))
				break;
			if (now + slack < next) {
				struct timespec ts;
				uint64_t wake = next - slack;

				ts.tv_sec = wake / 1000000000ULL;
				ts.tv_nsec = wake % 1000000000ULL;
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
						&ts, NULL);
			}
			while ((start = mono_ns()) < next)
				;
		} else {
			start = mono_ns();
			if (workload_done(t->w, start))
				break;
			next = start;
		}
		r = op->call(fd);
		end = mono_ns();
		if (r < 0) {
			wl_error(t);
			if (!t->err)
				wl_fail(t, -r, "%s: %s", op->name, strerror(-r));
		} else if (r > 0) {
			wl_mixed(t);
		}
		wl_record(t, next, end - next);
		if (period) {
			hist_record(&t->service, end - start);
			if (start - next >= period)
				t->missed++;
			next += period;
		}
	}
	if (fd >= 0)
		close(fd);
}

static void target_report(const struct workload *w, FILE *f)
{
	uint64_t ops, missed, mixed, errors;
	struct hist h;

	workload_total(w, &h, &ops, &missed, &mixed, &errors);
	fprintf(f, "operation: %s; mixed chains: %llu\n", w->opts.op,
		(unsigned long long)mixed);
	if (w->opts.rate_hz)
		fprintf(f, "latency is from each operation's intended start (coordinated omission corrected); missed: began a period or more late\n");
}

static void target_json(const struct workload *w, struct json *j)
{
	json_str(j, "op", w->opts.op);
}

const struct workload_ops workload_target = {
	.name = "target",
	.summary = "threads calling the patched path back to back or at a rate",
	.defaults = target_defaults,
	.prepare = target_prepare,
	.run = target_run,
	.report = target_report,
	.json = target_json,
};
