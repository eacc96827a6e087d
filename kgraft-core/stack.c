// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: is a task inside a function of a patch? The one stack check every
 * strategy uses: the lazy sweep per task, stop_machine for every task while
 * the machine is stopped, immediate to know whether a reverted patch module
 * may ever be unloaded.
 */
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include "internal.h"

#define KGRAFT_STACK_ENTRIES 128

/* Used with interrupts off (task_call_func, stop_machine): per CPU is enough. */
static DEFINE_PER_CPU(unsigned long[KGRAFT_STACK_ENTRIES], kgraft_stack);

/**
 * kgraft_stack_check - look for code of one side of @p on @t's stack
 * @p:		the patch
 * @t:		a task that cannot run during the call
 * @universe:	KGRAFT_UNPATCHED: the code @p's functions run without @p
 *		(the version below on each stack, or the original);
 *		KGRAFT_PATCHED: @p's versions (the original for a no-op)
 * @func:	set to the function found
 */
int kgraft_stack_check(struct kgraft_patch_priv *p, struct task_struct *t,
		       int universe, const char **func)
{
	unsigned long *stack = *this_cpu_ptr(&kgraft_stack);
	struct kgraft_func_priv *fp;
	unsigned int i, j;
	int nr;

	if (READ_ONCE(t->on_cpu) && t != current)
		return -EBUSY;
	nr = kgraft_stack_trace_save_tsk_reliable(t, stack,
						  KGRAFT_STACK_ENTRIES);
	if (nr < 0)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		kgraft_for_each_fp(p, fp, j) {
			unsigned long start, size;

			if (universe == KGRAFT_UNPATCHED) {
				kgraft_fp_below(fp, &start, &size);
			} else {
				start = fp->new_addr;
				size = fp->new_size;
			}
			if (stack[i] >= start && stack[i] < start + size) {
				if (func)
					*func = fp->func->name;
				return -EADDRINUSE;
			}
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(kgraft_stack_check);

struct kgraft_task_check_arg {
	struct kgraft_patch_priv *p;
	int universe;
	const char **func;
};

static int kgraft_task_check_fn(struct task_struct *t, void *data)
{
	struct kgraft_task_check_arg *a = data;

	return kgraft_stack_check(a->p, t, a->universe, a->func);
}

/* kgraft_stack_check() on any task: task_call_func() keeps it off-CPU. */
int kgraft_task_check(struct kgraft_patch_priv *p, struct task_struct *t,
		      int universe, const char **func)
{
	struct kgraft_task_check_arg a = { p, universe, func };

	return kgraft_task_call_func(t, kgraft_task_check_fn, &a);
}
EXPORT_SYMBOL_GPL(kgraft_task_check);

/**
 * kgraft_walk_tasks - call @fn for every task, idle tasks first
 * @fn:		returns 0 to go on, anything else to stop with that value
 * @arg:	passed to @fn
 *
 * Under rcu_read_lock(), so @fn must not sleep.
 */
int kgraft_walk_tasks(kgraft_task_fn fn, void *arg)
{
	struct task_struct *g, *t;
	int cpu, ret = 0;

	rcu_read_lock();
	for_each_online_cpu(cpu) {
		ret = fn(kgraft_idle_task(cpu), arg);
		if (ret)
			goto out;
	}
	for_each_process_thread(g, t) {
		ret = fn(t, arg);
		if (ret)
			goto out;
	}
out:
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(kgraft_walk_tasks);

static int kgraft_count_task(struct task_struct *t, void *arg)
{
	(*(unsigned long *)arg)++;
	return 0;
}

/* The tasks kgraft_walk_tasks() visits: idle tasks and every thread. */
unsigned long kgraft_nr_tasks(void)
{
	unsigned long n = 0;

	kgraft_walk_tasks(kgraft_count_task, &n);
	return n;
}
EXPORT_SYMBOL_GPL(kgraft_nr_tasks);
