/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgraft: the interface between the core and a strategy (how a patch gets
 * from the old code to the new and back). The core owns patches, their life
 * cycle, sysfs, stats and tracepoints; a strategy moves tasks. kgraft's lazy
 * strategy is built in; others are modules (strategies/<name>/) that call
 * kgraft_register_strategy() from their init.
 *
 * Every callback runs with kgraft_mutex held (kgraft_lock()), and a patch is
 * never in two transitions at once: the core refuses a start while any
 * patch is in transition.
 */
#ifndef _KGRAFT_STRATEGY_H
#define _KGRAFT_STRATEGY_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <kgraft.h>
#include <kgraft_path.h>

/* The two universes a task (or a CPU's interrupts) can be in. */
#define KGRAFT_UNPATCHED	0
#define KGRAFT_PATCHED		1

/**
 * struct kgraft_strategy - one way of moving a patch between universes
 * @name:	what /sys/kernel/kgraft/<patch>/strategy reads and accepts
 * @owner:	THIS_MODULE (held while a patch has the strategy selected)
 * @start:	start moving @p to @target; 0 or a negative errno, in which
 *		case nothing may have changed. A strategy that finishes at
 *		once calls kgraft_transition_done() before returning.
 * @reverse:	turn @p's running transition around (NULL: -EBUSY); calls
 *		kgraft_transition_reversed(), never kgraft_transition_done()
 *		(the core sets @p's new target only once it returns)
 * @force:	declare every remaining task switched (NULL: -EINVAL)
 * @nr_pending:	how many tasks are still to switch (NULL: 0)
 * @nr_pending_nolock: the same for a monitor, called without kgraft_mutex
 *		under rcu_read_lock() (must not sleep), while a transition
 *		may be running, starting or ending: a racy count that never
 *		waits for the strategy (NULL: unknown while the mutex is held)
 * @show_pending: tasks still to switch, "pid comm function" lines
 * @release:	@p leaves this strategy (strategy changed, patch gone)
 * @replaced:	@p's transition to patched, cumulative, completed and @q is
 *		off: release what is left of @q, or keep @q's module while a
 *		task may still run its code (NULL: nothing to do). Only
 *		patches of the same @own_redirection are replaced.
 * @own_redirection: the strategy redirects functions by its own means (not
 *		kgraft's ftrace handler, kgraft_redirect_*()): its patches
 *		stack and replace only among themselves, and it makes its
 *		own no-op functions for a cumulative patch
 * @paths:	NULL-terminated names of the ways this strategy switches tasks
 *		(NULL: none of its own), each [a-z0-9_] and at most
 *		KGRAFT_PATH_NAME_MAX long; none may equal another registered
 *		path or extend one with "_" (a stats reader tells the total
 *		line switched_syscall from the paths by that rule). Counted
 *		with kgraft_count_switched(), shown as "switched_<path>".
 */
struct kgraft_strategy {
	const char *name;
	struct module *owner;
	int (*start)(struct kgraft_patch_priv *p, int target);
	int (*reverse)(struct kgraft_patch_priv *p);
	int (*force)(struct kgraft_patch_priv *p);
	long (*nr_pending)(struct kgraft_patch_priv *p);
	long (*nr_pending_nolock)(struct kgraft_patch_priv *p);
	int (*show_pending)(struct kgraft_patch_priv *p, char *buf);
	void (*release)(struct kgraft_patch_priv *p);
	void (*replaced)(struct kgraft_patch_priv *p,
			 struct kgraft_patch_priv *q);
	bool own_redirection;
	const char * const *paths;
	/* The core's: the registry, and @paths' first stats slot. */
	struct list_head list;
	unsigned int path_base, nr_paths;
};

int kgraft_register_strategy(struct kgraft_strategy *s);
void kgraft_unregister_strategy(struct kgraft_strategy *s);

/* The lock every callback runs under, for a strategy's own workers. */
struct mutex *kgraft_lock(void);

/* What a strategy may read of a patch. */
struct kgraft_patch *kgraft_patch_of(struct kgraft_patch_priv *p);
void **kgraft_strategy_data(struct kgraft_patch_priv *p);

/*
 * Redirection through kgraft's ftrace handler, for strategies that switch
 * every function at once: prepare registers every function's ftrace ops
 * still running the old code; switch flips all of them (a few stores, safe
 * inside stop_machine()); release unregisters them.
 */
int kgraft_redirect_prepare(struct kgraft_patch_priv *p);
void kgraft_redirect_switch(struct kgraft_patch_priv *p, int universe);
void kgraft_redirect_release(struct kgraft_patch_priv *p);

/*
 * Is code of @universe's side of @p on @t's stack? 0: no; -EADDRINUSE: yes,
 * *@func names the function; -EINVAL: the stack is not reliable; -EBUSY: @t
 * runs. Call with @t unable to run (inside stop_machine(), or pinned by
 * kgraft_task_check()).
 */
int kgraft_stack_check(struct kgraft_patch_priv *p, struct task_struct *t,
		       int universe, const char **func);
/* The same for any task, pinning it off-CPU for the check. */
int kgraft_task_check(struct kgraft_patch_priv *p, struct task_struct *t,
		      int universe, const char **func);
/* Run @fn on every online CPU from a work item there, and wait. */
void kgraft_run_on_each_cpu(work_func_t fn);
/* Tasks in the system, idle tasks included. */
unsigned long kgraft_nr_tasks(void);
/* @fn on every task, idle tasks included, under RCU; stops on non-zero. */
typedef int (*kgraft_task_fn)(struct task_struct *t, void *arg);
int kgraft_walk_tasks(kgraft_task_fn fn, void *arg);

/*
 * Transition bookkeeping, the same for every strategy: begin resets the
 * per-transition stats and fires kgraft_transition_start; done records the
 * end, fires kgraft_transition_end and moves the patch to its target state.
 */
void kgraft_transition_begin(struct kgraft_patch_priv *p, int target,
			     unsigned long nr_tasks);
void kgraft_transition_done(struct kgraft_patch_priv *p, bool forced);
/* The running transition turned towards @target: end (result 2), start. */
void kgraft_transition_reversed(struct kgraft_patch_priv *p, int target,
				unsigned long nr_tasks);
/* @n tasks switched by @p's strategy's path @path (an index into ->paths). */
void kgraft_count_switched(struct kgraft_patch_priv *p, unsigned int path,
			   unsigned long n);
/* The patch module may still run code of the new side: never unload it. */
void kgraft_pin_patch(struct kgraft_patch_priv *p);

/* One stop of the machine, in ns, for the stats and kgraft_stop event. */
struct kgraft_stop_record {
	int target;
	int attempt;		/* 1-based */
	int result;		/* 0 switched, -EBUSY/-EINVAL a task blocked */
	u64 rendezvous_ns;	/* stop_machine() called to every CPU stopped */
	u64 check_ns;		/* stacks checked */
	u64 switch_ns;		/* functions switched */
	u64 release_ns;		/* switched to stop_machine() returned */
	unsigned long tasks;	/* tasks whose stack was checked */
};
void kgraft_record_stop(struct kgraft_patch_priv *p,
			const struct kgraft_stop_record *r);

#endif /* _KGRAFT_STRATEGY_H */
