/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgraft_events.h - the core's tracepoints (system "kgraft"), copied raw
 * into a ring buffer. The module has no BTF on the stock kernel, so the BPF
 * side does not know the records' layout: it copies the first
 * KGRAFT_EV_RAW bytes and bench decodes them with the event's tracefs
 * format file, which stays right whatever fields the core adds.
 */
#ifndef KGRAFT_KGRAFT_EVENTS_H
#define KGRAFT_KGRAFT_EVENTS_H

#define KGRAFT_EV_RAW	256

enum kgraft_ev_type {
	KGRAFT_EV_TRANSITION_START,
	KGRAFT_EV_TRANSITION_END,
	KGRAFT_EV_TASK_SWITCH,
	KGRAFT_EV_STOP,		/* one stop of the machine (stop_machine) */
	KGRAFT_EV_NR,
};

struct kgraft_ev {
	unsigned long long ts_ns;	/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	unsigned int type;		/* enum kgraft_ev_type */
	unsigned int cpu;
	unsigned int pid;		/* the task that hit the tracepoint */
	unsigned int pad;
	unsigned char raw[KGRAFT_EV_RAW];	/* the trace record, from offset 0 */
};

#endif
