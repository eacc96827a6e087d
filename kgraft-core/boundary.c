// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: hooks on the kernel's own tracepoints.
 *
 * The 2014 kGraft patched the kernel entry code; on an unmodified kernel the
 * user/kernel boundary is reached through the sys_enter and sys_exit
 * tracepoints instead. Registering a probe on them turns on the syscall
 * tracepoint work for every task (all syscalls take the slow path), so they
 * are registered only while a transition runs. sys_exit does not fire on a
 * return from an interrupt or exception, hence the sweep for tasks that
 * never make a syscall.
 *
 * The syscall probes are registered disarmed and armed only once both are
 * in: a start that fails half way then unwinds with no task switched.
 *
 * task_newtask and sched_process_free are hooked for the module's whole
 * life: they cost a load and a branch outside transitions, and having them
 * always there leaves no window in which a new task could be missed.
 * task_newtask fires in copy_process() for every new task, io_uring's
 * io-wq workers (create_io_thread()) and kthreads included, before it first
 * runs; sched_process_fork fires only for kernel_clone(). sched_process_free,
 * not sched_process_exit, drops a task's state: an exiting task still runs
 * kernel code after the exit tracepoint.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/string.h>
#include <linux/tracepoint.h>
#include "internal.h"

/* Fault injection for the tests: a start fails once sys_enter is hooked. */
static unsigned int inject_start_failure;
module_param(inject_start_failure, uint, 0644);
MODULE_PARM_DESC(inject_start_failure,
		 "test only: the next N transition starts fail after hooking sys_enter");

struct kgraft_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
};

static bool kgraft_boundary_armed;

static void kgraft_probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	if (READ_ONCE(kgraft_boundary_armed))
		kgraft_switch_current(KGRAFT_PATH_SYSCALL_ENTER);
}

static void kgraft_probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	if (READ_ONCE(kgraft_boundary_armed))
		kgraft_switch_current(KGRAFT_PATH_SYSCALL_EXIT);
}

/* In copy_process(), in the parent's context, before the child runs. */
static void kgraft_probe_newtask(void *data, struct task_struct *child,
				 unsigned long clone_flags)
{
	kgraft_task_forked(current, child);
}

static void kgraft_probe_free(void *data, struct task_struct *t)
{
	kgraft_task_freed(t);
}

enum { KGRAFT_TP_SYS_ENTER, KGRAFT_TP_SYS_EXIT, KGRAFT_TP_FORK,
	KGRAFT_TP_FREE, KGRAFT_NR_TPS };

static struct kgraft_tp kgraft_tps[KGRAFT_NR_TPS] = {
	[KGRAFT_TP_SYS_ENTER] = { "sys_enter", kgraft_probe_sys_enter },
	[KGRAFT_TP_SYS_EXIT] = { "sys_exit", kgraft_probe_sys_exit },
	[KGRAFT_TP_FORK] = { "task_newtask", kgraft_probe_newtask },
	[KGRAFT_TP_FREE] = { "sched_process_free", kgraft_probe_free },
};

static void kgraft_find_tp(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < KGRAFT_NR_TPS; i++)
		if (!strcmp(tp->name, kgraft_tps[i].name))
			kgraft_tps[i].tp = tp;
}

static int kgraft_tp_register(int i)
{
	struct kgraft_tp *k = &kgraft_tps[i];
	int ret;

	ret = tracepoint_probe_register(k->tp, k->probe, NULL);
	if (ret)
		pr_err("cannot hook tracepoint %s: %d\n", k->name, ret);
	else
		k->registered = true;
	return ret;
}

static void kgraft_tp_unregister(int i)
{
	struct kgraft_tp *k = &kgraft_tps[i];

	if (!k->registered)
		return;
	WARN_ON(tracepoint_probe_unregister(k->tp, k->probe, NULL));
	k->registered = false;
}

int kgraft_boundary_init(void)
{
	int i, ret;

	for_each_kernel_tracepoint(kgraft_find_tp, NULL);
	for (i = 0; i < KGRAFT_NR_TPS; i++) {
		if (!kgraft_tps[i].tp) {
			pr_err("tracepoint %s not found\n", kgraft_tps[i].name);
			return -ENOENT;
		}
	}
	ret = kgraft_tp_register(KGRAFT_TP_FORK);
	if (ret)
		return ret;
	ret = kgraft_tp_register(KGRAFT_TP_FREE);
	if (ret)
		kgraft_boundary_exit();
	return ret;
}

void kgraft_boundary_exit(void)
{
	kgraft_tp_unregister(KGRAFT_TP_FORK);
	kgraft_tp_unregister(KGRAFT_TP_FREE);
	tracepoint_synchronize_unregister();
}

int kgraft_boundary_start(void)
{
	int ret;

	ret = kgraft_tp_register(KGRAFT_TP_SYS_ENTER);
	if (ret)
		return ret;
	ret = kgraft_inject(&inject_start_failure) ? -ENOMEM :
	      kgraft_tp_register(KGRAFT_TP_SYS_EXIT);
	if (ret) {
		kgraft_boundary_stop();
		return ret;
	}
	WRITE_ONCE(kgraft_boundary_armed, true);
	return 0;
}

/* Once this returns, no boundary probe runs any more. */
void kgraft_boundary_stop(void)
{
	WRITE_ONCE(kgraft_boundary_armed, false);
	kgraft_tp_unregister(KGRAFT_TP_SYS_ENTER);
	kgraft_tp_unregister(KGRAFT_TP_SYS_EXIT);
	tracepoint_synchronize_unregister();
}
