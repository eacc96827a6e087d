// SPDX-License-Identifier: GPL-2.0
/*
 * workload-stall.c - a stall detector: threads that spin reading
 * CLOCK_MONOTONIC and record every gap between two consecutive reads above
 * a threshold, with when it began, as osnoise and hwlatdetect do. Spinning,
 * not sleeping, is what makes a stop_machine() visible: the stopper has to
 * take the CPU from a running thread, and the thread sees the time it lost.
 *
 * Every loop iteration is an operation; its latency is the gap, so the
 * histogram is the distribution of all gaps and the timeline holds the
 * largest gap per window. "Time lost" is the sum of gaps above the
 * threshold (osnoise's noise), reported per thread.
 */
#include <errno.h>
#include <stdlib.h>

#include "bench/workload/workload.h"

static int stall_prepare(struct workload *w, char *err, size_t len)
{
	uint64_t want = w->opts.duration_ns / 1000000000ULL * WL_GAPS_PER_SEC;
	size_t room = want < WL_MIN_GAPS ? WL_MIN_GAPS :
		      want > WL_MAX_GAPS ? WL_MAX_GAPS : (size_t)want;
	unsigned int i;

	if (w->opts.rate_hz) {
		snprintf(err, len, "the stall workload spins; it takes no rate");
		return -EINVAL;
	}
	for (i = 0; i < w->nr; i++) {
		w->th[i].max_gaps = room;
		w->th[i].gaps = calloc(room, sizeof(struct wl_gap));
		if (!w->th[i].gaps) {
			snprintf(err, len, "out of memory for gaps");
			return -ENOMEM;
		}
	}
	return 0;
}

static void stall_run(struct wl_thread *t)
{
	uint64_t thr = t->w->opts.threshold_ns;
	uint64_t prev = mono_ns(), now, gap;

	for (;; prev = now) {
		now = mono_ns();
		gap = now - prev;
		wl_record(t, prev, gap);
		if (gap > thr) {
			t->gaps_over++;
			t->lost_ns += gap;
			if (t->nr_gaps < t->max_gaps) {
				t->gaps[t->nr_gaps].t_ns = prev;
				t->gaps[t->nr_gaps].len_ns = gap;
				t->nr_gaps++;
			}
		}
		if (workload_done(t->w, now))
			break;
	}
}

static void stall_report(const struct workload *w, FILE *f)
{
	double secs = (w->stopped_ns - w->t0_ns) / 1e9;
	unsigned int i;

	fprintf(f, "gaps above %.1f us:\n", w->opts.threshold_ns / 1e3);
	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];

		fprintf(f, "  thread %u: %llu gaps, %.2f ms lost (%.2f%% of %.2f s), largest %.2f ms%s\n",
			i, (unsigned long long)t->gaps_over, t->lost_ns / 1e6,
			secs > 0 ? 100.0 * t->lost_ns / 1e9 / secs : 0.0, secs,
			t->hist.max / 1e6,
			t->gaps_over > t->nr_gaps ? " (gap list truncated)" : "");
	}
}

static void stall_json(const struct workload *w, struct json *j)
{
	uint64_t gaps = 0, lost = 0;
	unsigned int i;

	for (i = 0; i < w->nr; i++) {
		gaps += w->th[i].gaps_over;
		lost += w->th[i].lost_ns;
	}
	json_u64(j, "threshold_ns", w->opts.threshold_ns);
	json_u64(j, "gaps_over_threshold", gaps);
	json_u64(j, "lost_ns", lost);
}

const struct workload_ops workload_stall = {
	.name = "stall",
	.summary = "threads spinning on the clock, recording every gap",
	.prepare = stall_prepare,
	.run = stall_run,
	.report = stall_report,
	.json = stall_json,
};
