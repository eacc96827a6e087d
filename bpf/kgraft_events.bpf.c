// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_events.bpf.c - the core's transition, task-switch and stop
 * tracepoints, each hit sent to user space with its time stamp. "tracepoint/" programs,
 * because the module's events have no BTF (tp_btf cannot attach) and their
 * raw_tp arguments carry no layout; the trace record's layout is published
 * in tracefs, which bench reads to decode the copy.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "kgraft_events.h"
#include "probe_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1024 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PROBE_NR_STATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline int emit(void *ctx, unsigned int type)
{
	struct kgraft_ev *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	__u32 which = PROBE_STAT_RB_DROPPED;
	__u64 *n;

	if (!e) {
		n = bpf_map_lookup_elem(&stats, &which);
		if (n)
			(*n)++;
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->type = type;
	e->cpu = bpf_get_smp_processor_id();
	e->pid = (__u32)bpf_get_current_pid_tgid();
	e->pad = 0;
	/* Records are shorter than KGRAFT_EV_RAW; the rest is buffer slack. */
	bpf_probe_read_kernel(e->raw, sizeof(e->raw), ctx);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/kgraft/kgraft_transition_start")
int transition_start(void *ctx)
{
	return emit(ctx, KGRAFT_EV_TRANSITION_START);
}

SEC("tracepoint/kgraft/kgraft_transition_end")
int transition_end(void *ctx)
{
	return emit(ctx, KGRAFT_EV_TRANSITION_END);
}

SEC("tracepoint/kgraft/kgraft_task_switch")
int task_switch(void *ctx)
{
	return emit(ctx, KGRAFT_EV_TASK_SWITCH);
}

SEC("tracepoint/kgraft/kgraft_stop")
int stop(void *ctx)
{
	return emit(ctx, KGRAFT_EV_STOP);
}

char LICENSE[] SEC("license") = "GPL";
