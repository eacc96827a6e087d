// SPDX-License-Identifier: GPL-2.0
/*
 * sched_lat.bpf.c - how long a runnable task waits before it runs.
 *
 * The clock starts when a task is woken (sched_wakeup, sched_wakeup_new) or
 * preempted while still runnable (sched_switch with prev in TASK_RUNNING:
 * it goes back on the run queue), and stops when sched_switch picks it. This
 * is runqlat's definition, so the numbers compare with that tool's. A
 * stop_machine() that keeps a CPU shows up here as the wait of whatever was
 * runnable on it. raw_tp programs with CO-RE reads of task_struct, so the
 * object loads on the 6.1 guest and on newer kernels alike.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "sched_lat.h"
#include "record.bpf.h"

#define TASK_RUNNING	0

const volatile bool filter_tgid = false;
/* A thread not to measure: the one driving the measurement. */
const volatile __u32 exclude_tid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCHED_MAX_TGIDS);
	__type(key, __u32);
	__type(value, __u8);
} tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} queued SEC(".maps");

static __always_inline void enqueue(struct task_struct *p)
{
	__u32 tgid = BPF_CORE_READ(p, tgid), pid = BPF_CORE_READ(p, pid);
	__u64 ts;

	if (!pid || pid == exclude_tid)
		return;		/* the idle task is never queued */
	if (filter_tgid && !bpf_map_lookup_elem(&tgids, &tgid))
		return;
	ts = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&queued, &pid, &ts, BPF_ANY))
		stat_inc(PROBE_STAT_NO_ROOM);
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
	enqueue(p);
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
	enqueue(p);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u32 pid = BPF_CORE_READ(next, pid);
	__u64 *ts, now;

	if (BPF_CORE_READ(prev, __state) == TASK_RUNNING)
		enqueue(prev);
	ts = bpf_map_lookup_elem(&queued, &pid);
	if (!ts)
		return 0;
	now = bpf_ktime_get_ns();
	if (now > *ts)
		record(*ts, now - *ts);
	bpf_map_delete_elem(&queued, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
