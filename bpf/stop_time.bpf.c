// SPDX-License-Identifier: GPL-2.0
/*
 * stop_time.bpf.c - how long each CPU is held by stop_machine().
 *
 * 6.1 has no cpu_stop tracepoints, so two ways are offered and user space
 * loads exactly one:
 *  - fentry/fexit on multi_cpu_stop(), the function every CPU runs for the
 *    whole of a stop_machine(): exactly the stop_machine time per CPU;
 *  - where fentry is not available (no BPF trampoline, e.g. a kernel with
 *    BPF_PROG_TYPE_TRACING disabled), the time the stopper thread
 *    "migration/N" is on the CPU, from sched_switch. That also counts the
 *    stopper's other work (active balancing, migrate_swap), so it is an
 *    upper bound, and the report says which one was used.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "stop_time.h"
#include "record.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} started SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stop_cpu);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline void stop_begin(void)
{
	__u32 zero = 0;
	__u64 *t = bpf_map_lookup_elem(&started, &zero);

	if (t)
		*t = bpf_ktime_get_ns();
}

static __always_inline void stop_end(void)
{
	__u32 zero = 0;
	__u64 *t = bpf_map_lookup_elem(&started, &zero);
	struct stop_cpu *c = bpf_map_lookup_elem(&per_cpu, &zero);
	struct stop_event *e;
	__u64 now = bpf_ktime_get_ns(), dur;

	if (!t || !c || !*t)
		return;		/* began before the probe was attached */
	dur = now - *t;
	c->count++;
	c->total_ns += dur;
	if (dur > c->max_ns)
		c->max_ns = dur;
	record(*t, dur);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->start_ns = *t;
		e->dur_ns = dur;
		e->cpu = bpf_get_smp_processor_id();
		e->pad = 0;
		/*
		 * No wake-up: it is an irq_work on this CPU, and when this
		 * CPU is the one going offline (stop_machine from cpu
		 * hotplug) it would never run, and freeing the ring buffer
		 * would spin in irq_work_sync() for ever (seen on 6.1).
		 * User space polls on a timer instead.
		 */
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	} else {
		stat_inc(PROBE_STAT_RB_DROPPED);
	}
	*t = 0;
}

SEC("fentry/multi_cpu_stop")
int BPF_PROG(multi_cpu_stop_entry, void *data)
{
	stop_begin();
	return 0;
}

SEC("fexit/multi_cpu_stop")
int BPF_PROG(multi_cpu_stop_exit, void *data, int ret)
{
	stop_end();
	return 0;
}

/* "migration/" is the stopper kthread's name prefix (kernel/stop_machine.c). */
static __always_inline bool is_stopper(struct task_struct *t)
{
	static const char prefix[] = "migration/";
	char comm[16];
	int i;

	if (!(BPF_CORE_READ(t, flags) & 0x00200000))	/* PF_KTHREAD */
		return false;
	BPF_CORE_READ_STR_INTO(&comm, t, comm);
	for (i = 0; i < (int)sizeof(prefix) - 1; i++)
		if (comm[i] != prefix[i])
			return false;
	return true;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(stopper_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	if (is_stopper(prev))
		stop_end();
	if (is_stopper(next))
		stop_begin();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
