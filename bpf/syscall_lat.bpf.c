// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_lat.bpf.c - how long the syscalls of chosen processes take.
 *
 * raw_syscalls sys_enter stores the entry time per thread and counts the
 * syscall by number; sys_exit records exit - entry. raw_tp programs are
 * used, not tracepoint ones, because they need no tracefs and attach on any
 * kernel with BPF (the development host included). With filter_tgid set,
 * only processes in the tgids map are measured (bench's own workload).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "syscall_lat.h"
#include "record.bpf.h"

const volatile bool filter_tgid = false;
/* A thread not to measure: the one driving the measurement. */
const volatile __u32 exclude_tid = 0;

struct start {
	__u64 ts;
	__u32 nr;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCALL_MAX_TGIDS);
	__type(key, __u32);
	__type(value, __u8);
} tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYSCALL_NR_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline bool wanted(__u64 pid_tgid)
{
	__u32 tgid = pid_tgid >> 32;

	if (exclude_tid && (__u32)pid_tgid == exclude_tid)
		return false;
	return !filter_tgid || bpf_map_lookup_elem(&tgids, &tgid);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct start s = { .ts = bpf_ktime_get_ns() };
	__u32 tid = (__u32)pid_tgid, slot;
	__u64 *n;

	if (!wanted(pid_tgid))
		return 0;
	slot = id >= 0 && id < SYSCALL_NR_MAX ? id : SYSCALL_NR_MAX - 1;
	n = bpf_map_lookup_elem(&counts, &slot);
	if (n)
		(*n)++;
	s.nr = slot;
	if (bpf_map_update_elem(&starts, &tid, &s, BPF_ANY))
		stat_inc(PROBE_STAT_NO_ROOM);
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct start *s;
	__u64 now;

	if (!wanted(pid_tgid))
		return 0;
	s = bpf_map_lookup_elem(&starts, &tid);
	if (!s)
		return 0;	/* entered before the probe was attached */
	now = bpf_ktime_get_ns();
	record(s->ts, now - s->ts);
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
