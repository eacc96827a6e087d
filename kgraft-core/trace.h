/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgraft's own tracepoints (system "kgraft"), for ftrace and for BPF
 * tracepoint/raw_tp programs: transitions and every task's switch.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kgraft

#if !defined(_KGRAFT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KGRAFT_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

/*
 * The core's paths (kgraft_path.h) by name; the values are numbers in the
 * list, so the format file shows them to user space as they are.
 * Strategies' paths are counted in stats, never traced (they switch every
 * task at once).
 */
#undef EM
#undef EMe
#define EM(nr, id, name)	{ nr, name },
#define EMe(nr, id, name)	{ nr, name }

#define kgraft_show_path(path)					\
	__print_symbolic(path, KGRAFT_PATHS(EM, EMe))

/* target: 1 = patch, 0 = unpatch; nr_tasks: tasks that must switch. */
TRACE_EVENT(kgraft_transition_start,
	TP_PROTO(const char *patch, int target, unsigned long nr_tasks),
	TP_ARGS(patch, target, nr_tasks),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
		__field(unsigned long, nr_tasks)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->target = target;
		__entry->nr_tasks = nr_tasks;
	),
	TP_printk("patch=%s target=%d nr_tasks=%lu", __get_str(patch),
		  __entry->target, __entry->nr_tasks)
);

/* result: 0 = every task switched, 1 = forced, 2 = reversed. */
TRACE_EVENT(kgraft_transition_end,
	TP_PROTO(const char *patch, int target, u64 duration_ns, int result),
	TP_ARGS(patch, target, duration_ns, result),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
		__field(u64, duration_ns)
		__field(int, result)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->target = target;
		__entry->duration_ns = duration_ns;
		__entry->result = result;
	),
	TP_printk("patch=%s target=%d duration_ns=%llu result=%d",
		  __get_str(patch), __entry->target, __entry->duration_ns,
		  __entry->result)
);

TRACE_EVENT(kgraft_task_switch,
	TP_PROTO(pid_t pid, const char *comm, int path, int target),
	TP_ARGS(pid, comm, path, target),
	TP_STRUCT__entry(
		__field(pid_t, pid)
		__array(char, comm, TASK_COMM_LEN)
		__field(int, path)
		__field(int, target)
	),
	TP_fast_assign(
		__entry->pid = pid;
		memcpy(__entry->comm, comm, TASK_COMM_LEN);
		__entry->path = path;
		__entry->target = target;
	),
	TP_printk("pid=%d comm=%s path=%s target=%d", __entry->pid,
		  __entry->comm, kgraft_show_path(__entry->path),
		  __entry->target)
);

/*
 * One stop of the machine (stop_machine strategy), in ns: rendezvous =
 * stop_machine() called to every CPU stopped with interrupts off; check =
 * every task's stack walked; switch = functions switched; release = back
 * from stop_machine(). result: 0 switched, else -errno (a task blocked).
 */
TRACE_EVENT(kgraft_stop,
	TP_PROTO(const char *patch, int target, int attempt, int result,
		 u64 rendezvous_ns, u64 check_ns, u64 switch_ns,
		 u64 release_ns, unsigned long tasks),
	TP_ARGS(patch, target, attempt, result, rendezvous_ns, check_ns,
		switch_ns, release_ns, tasks),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
		__field(int, attempt)
		__field(int, result)
		__field(u64, rendezvous_ns)
		__field(u64, check_ns)
		__field(u64, switch_ns)
		__field(u64, release_ns)
		__field(unsigned long, tasks)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->target = target;
		__entry->attempt = attempt;
		__entry->result = result;
		__entry->rendezvous_ns = rendezvous_ns;
		__entry->check_ns = check_ns;
		__entry->switch_ns = switch_ns;
		__entry->release_ns = release_ns;
		__entry->tasks = tasks;
	),
	TP_printk("patch=%s target=%d attempt=%d result=%d rendezvous_ns=%llu check_ns=%llu switch_ns=%llu release_ns=%llu tasks=%lu",
		  __get_str(patch), __entry->target, __entry->attempt,
		  __entry->result, __entry->rendezvous_ns, __entry->check_ns,
		  __entry->switch_ns, __entry->release_ns, __entry->tasks)
);

#endif /* _KGRAFT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
