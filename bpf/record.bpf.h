/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.bpf.h - how every probe records one measured value: into a
 * per-CPU log-linear histogram (no atomics on the hot path; user space sums
 * the CPUs) and into a per-CPU timeline of per-window maxima and counts.
 *
 * The timeline's origin and window length live in .bss so that user space
 * can set them after load, when the workload's start time is known; a zero
 * window length turns the timeline off.
 */
#ifndef KGRAFT_RECORD_BPF_H
#define KGRAFT_RECORD_BPF_H

#include "hist.h"
#include "probe_common.h"

__u64 win_t0_ns;
__u64 win_len_ns;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct probe_hist);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HIST_MAX_WINDOWS);
	__type(key, __u32);
	__type(value, struct hist_window);
} windows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PROBE_NR_STATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_inc(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		(*v)++;
}

/* Record @val (ns) for an event that began at @start (ns, CLOCK_MONOTONIC). */
static __always_inline void record(__u64 start, __u64 val)
{
	__u32 zero = 0, win;
	struct probe_hist *h = bpf_map_lookup_elem(&hist, &zero);
	struct hist_window *w;
	__u64 len = win_len_ns, t0 = win_t0_ns, idx = hist_index(val);

	/*
	 * Keep the compiler from checking one copy of idx and indexing with
	 * another: the verifier must see the bound on the register it uses.
	 */
	barrier_var(idx);
	if (h && idx < HIST_BUCKETS) {
		h->buckets[idx]++;
		h->count++;
		h->sum += val;
		if (val > h->max)
			h->max = val;
	}
	if (!len || start < t0)
		return;
	if ((start - t0) / len >= HIST_MAX_WINDOWS) {
		stat_inc(PROBE_STAT_PAST_TIMELINE);
		return;
	}
	win = (start - t0) / len;
	w = bpf_map_lookup_elem(&windows, &win);
	if (!w)
		return;
	w->count++;
	if (val > w->max_ns)
		w->max_ns = val;
}

#endif
