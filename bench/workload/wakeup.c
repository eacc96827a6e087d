// SPDX-License-Identifier: GPL-2.0
/*
 * workload-wakeup.c - timer wake-up latency, measured as cyclictest does:
 * each thread sleeps with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)
 * until the next period and records how late it woke, at SCHED_FIFO when
 * allowed. Like cyclictest, a wake-up later than whole periods skips them
 * (one sample for the late wake-up), but here the skipped periods are
 * counted as missed instead of vanishing.
 */
#include <errno.h>
#include <time.h>

#include "bench/workload/workload.h"

static void wakeup_defaults(struct workload_opts *o)
{
	o->rate_hz = 1000;	/* cyclictest's default interval, 1000 us */
	o->prio = 80;
}

static int wakeup_prepare(struct workload *w, char *err, size_t len)
{
	if (!w->opts.rate_hz) {
		snprintf(err, len, "the wakeup workload needs a rate (--rate)");
		return -EINVAL;
	}
	return 0;
}

static void wakeup_run(struct wl_thread *t)
{
	uint64_t period = 1000000000ULL / t->w->opts.rate_hz;
	/*
	 * On the workload's schedule: a thread that starts late has missed
	 * periods, counted like any others.
	 */
	uint64_t next = t->w->t0_ns + period, now;
	struct timespec ts;
	int r;

	for (;;) {
		ts.tv_sec = next / 1000000000ULL;
		ts.tv_nsec = next % 1000000000ULL;
		r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		now = mono_ns();
		if (r && r != EINTR) {
			wl_fail(t, r, "clock_nanosleep: error %d", r);
			return;
		}
		if (workload_done(t->w, now))
			break;
		if (r == EINTR)
			continue;
		wl_record(t, next, now - next);
		for (next += period; next <= now; next += period)
			t->missed++;
	}
}

static void wakeup_report(const struct workload *w, FILE *f)
{
	unsigned int i, fifo = 0;

	for (i = 0; i < w->nr; i++)
		fifo += w->th[i].fifo;
	if (w->opts.prio)
		fprintf(f, "SCHED_FIFO %u: %u of %u threads%s\n", w->opts.prio,
			fifo, w->nr,
			fifo < w->nr ? " (not permitted for the others)" : "");
	fprintf(f, "latency: wake-up time minus the absolute time asked for; missed: periods skipped after a late wake-up\n");
}

const struct workload_ops workload_wakeup = {
	.name = "wakeup",
	.summary = "cyclictest-style timer wake-up latency",
	.defaults = wakeup_defaults,
	.prepare = wakeup_prepare,
	.run = wakeup_run,
	.report = wakeup_report,
};
