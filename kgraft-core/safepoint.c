// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: the safe points of the 2014 model (strategy "kgraft"), found
 * without looking at any stack.
 *
 * Kernel threads. kGraft annotated the main loop of each kthread with
 * kgr_task_safe() (and hand-modified kthread_should_stop() and the freezer
 * and kthread_worker loops to do it). A module cannot edit those loops, so
 * it hooks the calls such a loop makes at its top: to ask whether to stop
 * or park, to freeze, to sleep, or (workqueue workers) to run the next work
 * item. Such a call is the loop's safe point when it comes straight from
 * the kthread's main function (kthread_func(), or kthreadd): nothing else
 * is on the stack then but the main function and kthread() below it, which
 * the ftrace caller address shows without a stack walk. The main
 * function's code range is noted per task by the transition's walk (as it
 * runs: an earlier patch's replacement if one took the function over), so
 * the handler looks nothing up. A few 6.1 kthreads wait one call deeper,
 * in a loop helper called only from their main function; those helpers
 * are listed (kGraft's own annotations were such a list). A kthread whose
 * main function is being patched has no safe point; one that never makes
 * such a call keeps the transition open, and the pending file names it.
 *
 * User tasks. Beside sys_enter and sys_exit (boundary.c), a task returning
 * to user mode from an interrupt or exception with signal work pending goes
 * through arch_do_signal_or_restart(), on the exit path with nothing but
 * the entry code below it: hooked here, so a task that never makes a
 * syscall switches once kGraft's fake signal (TIF_NOTIFY_SIGNAL and a kick)
 * reaches it. A return to user mode without signal work calls no function
 * ftrace can hook on the Debian 6.1 build (exit_to_user_mode_loop() and
 * its callers are inlined or noinstr there).
 *
 * A patch that replaces a function these points sit in or on is refused
 * (kgraft_safepoints_check()).
 *
 * One ftrace_ops serves both, registered only while a 2014-model
 * transition runs (every hooked call pays the handler then). Unregistering
 * a module's ops waits for every CPU and task to schedule (RCU Tasks), so
 * it is done by a work item outside kgraft's mutex; the next start waits
 * for it, a bounded time (a CPU that runs no worker would hold it up).
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/ftrace.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include "internal.h"

/* The calls a kthread's main loop makes at its top (kGraft's points). */
static const char * const kgraft_sp_names[] = {
	"kthread_should_stop", "kthread_should_park",
	"kthread_freezable_should_stop", "__refrigerator",
	"schedule", "schedule_timeout", "schedule_timeout_interruptible",
	"schedule_timeout_uninterruptible", "schedule_timeout_idle",
	"schedule_hrtimeout_range", "usleep_range_state", "msleep",
	"msleep_interruptible", "process_one_work",
};

/* Loop helpers a 6.1 kthread waits in, called only from its main function. */
static struct {
	const char *helper, *main;
	unsigned long helper_addr, helper_size, main_addr;
} kgraft_sp_helpers[] = {
	{ "rcu_gp_fqs_loop", "rcu_gp_kthread" },
	{ "rcu_tasks_one_gp", "rcu_tasks_kthread" },
	{ "devtmpfs_work_loop", "devtmpfsd" },
};

#define KGRAFT_SP_USER	"arch_do_signal_or_restart"

static unsigned long kgraft_sp_addrs[ARRAY_SIZE(kgraft_sp_names) + 1];
static unsigned int kgraft_sp_nr;
static unsigned long kgraft_sp_user_ip, kgraft_sp_kthreadd;
static struct task_struct **kgraft_sp_kthreadd_task;
/* Code the safe points sit in or on: a patch of it is refused. */
static const char * const kgraft_sp_frames[] = {
	"kthread", "kthread_parkme", "__kthread_parkme",
	"schedule_preempt_disabled", "do_idle", "schedule_idle",
	"cpu_startup_entry", "rest_init", "exit_to_user_mode_loop",
	"exit_to_user_mode_prepare", "syscall_exit_to_user_mode",
	"irqentry_exit_to_user_mode", "syscall_exit_work",
	"syscall_trace_enter", "syscall_enter_from_user_mode",
};

/* How long a start waits for the last transition's ops to go. */
#define KGRAFT_SP_GONE_TIMEOUT	(5 * HZ)

static struct ftrace_ops kgraft_sp_ops;
static bool kgraft_sp_registered, kgraft_sp_armed;
static void kgraft_sp_unregister_fn(struct work_struct *work);
static DECLARE_WORK(kgraft_sp_unregister_work, kgraft_sp_unregister_fn);
static DECLARE_COMPLETION(kgraft_sp_gone);

/* Is @addr the start of a function the transitioning patch replaces? */
static bool notrace kgraft_sp_patched(struct kgraft_patch_priv *p,
				      unsigned long addr)
{
	struct kgraft_func_priv *fp;
	unsigned int i;

	kgraft_for_each_fp(p, fp, i)
		if (addr == fp->old_addr || addr == fp->new_addr)
			return true;
	return false;
}

/* Current's state if it is still to switch, else NULL. */
static struct kgraft_task_state *notrace kgraft_sp_pending(void)
{
	struct kgraft_task_state *ts = kgraft_ts_lookup(current);

	if (ts && READ_ONCE(ts->universe) != READ_ONCE(kgraft_tr.target))
		return ts;
	return NULL;
}

/* Is current, a kthread, at the top of its main loop (called from)? */
static bool notrace kgraft_sp_at_loop(struct kgraft_task_state *ts,
				      unsigned long parent_ip)
{
	/* Pairs with kgraft_safepoints_note_main(): the start before. */
	unsigned long size = smp_load_acquire(&ts->main_size);
	unsigned long main = READ_ONCE(ts->main_start);
	unsigned int i;

	if (!size)
		return false;
	if (parent_ip - main < size)
		return true;
	for (i = 0; i < ARRAY_SIZE(kgraft_sp_helpers); i++)
		if (parent_ip - kgraft_sp_helpers[i].helper_addr <
		    kgraft_sp_helpers[i].helper_size &&
		    main == kgraft_sp_helpers[i].main_addr)
			return true;
	return false;
}

static void notrace kgraft_sp_handler(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
	struct kgraft_task_state *ts;
	bool kthread = current->flags & PF_KTHREAD;
	int bit;

	/* Idle tasks switch under their CPU's step (transition.c). */
	if (kthread ? is_idle_task(current) : ip != kgraft_sp_user_ip)
		return;
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	/* Pairs with kgraft_safepoints_stop(): armed, then states valid. */
	if (!READ_ONCE(kgraft_sp_armed))
		goto out;
	ts = kgraft_sp_pending();
	if (!ts)
		goto out;
	if (!kthread)
		kgraft_switch_current(KGRAFT_PATH_USER_RETURN);
	else if (ip != kgraft_sp_user_ip && kgraft_sp_at_loop(ts, parent_ip))
		kgraft_switch_current(KGRAFT_PATH_SAFEPOINT);
out:
	ftrace_test_recursion_unlock(bit);
}

/* The function kthread @t runs as its main one. */
/*
 * The function kthread @t runs as its main one; 0 for a kthread that has
 * not reached kthread() yet (its function is set there, on its first run).
 */
static unsigned long kgraft_sp_main(struct task_struct *t)
{
	unsigned long main = (unsigned long)kthread_func(t);

	if (!main && t == READ_ONCE(*kgraft_sp_kthreadd_task))
		main = kgraft_sp_kthreadd;
	return main;
}

/* Is kthread @t's main function one that @p replaces? */
bool kgraft_safepoints_main_patched(struct kgraft_patch_priv *p,
				   struct task_struct *t)
{
	return kgraft_sp_patched(p, kgraft_sp_main(t));
}

/*
 * Note kthread @t's main function in @ts, as the code it runs: the
 * replacement of an enabled patch that took it over, if any. None when
 * @p, the transitioning patch, replaces it. kgraft_mutex held.
 */
void kgraft_safepoints_note_main(struct kgraft_patch_priv *p,
				 struct kgraft_task_state *ts,
				 struct task_struct *t)
{
	unsigned long main = kgraft_sp_main(t), start = 0, size = 0;

	if (ts->main_noted || !(t->flags & PF_KTHREAD) || is_idle_task(t))
		return;
	/* Not started yet: a later walk notes it. */
	if (!main)
		return;
	ts->main_noted = true;
	if (kgraft_sp_patched(p, main))
		return;
	if (!kgraft_func_bounds(main, &start, &size) || start != main)
		return;
	kgraft_site_running(main, p, &start, &size);
	WRITE_ONCE(ts->main_start, start);
	/* Pairs with kgraft_sp_at_loop(): a size, then its start is set. */
	smp_store_release(&ts->main_size, size);
}

/*
 * Refuse a patch that replaces a function a safe point sits in or on (the
 * hooked calls, the exit path's hook, the frames below them), naming it;
 * kgraft_mutex held.
 */
int kgraft_safepoints_check(struct kgraft_patch_priv *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_funcs; i++) {
		const char *name = p->funcs[i].func->name;
		unsigned int j;
		bool clash = !strcmp(name, KGRAFT_SP_USER);

		for (j = 0; j < ARRAY_SIZE(kgraft_sp_names); j++)
			clash |= !strcmp(name, kgraft_sp_names[j]);
		for (j = 0; j < ARRAY_SIZE(kgraft_sp_frames); j++)
			clash |= !strcmp(name, kgraft_sp_frames[j]);
		if (clash && kgraft_object_is_vmlinux(p->funcs[i].func->object)) {
			pr_err("%s: %s holds a safe point of the kgraft model; use another strategy\n",
			       p->patch->name, name);
			return -EINVAL;
		}
	}
	return 0;
}

/* Hook the safe points (disarmed: kgraft_safepoints_arm()). */
int kgraft_safepoints_start(void)
{
	int ret;

	/*
	 * The last transition's ops may still be on their way out: ftrace
	 * waits for every CPU to schedule. A bounded wait, as kgraft_mutex
	 * is held: a CPU that runs no worker fails the start instead.
	 */
	if (!wait_for_completion_timeout(&kgraft_sp_gone,
					 KGRAFT_SP_GONE_TIMEOUT)) {
		pr_err("the last transition's safe-point hooks are still being removed (a CPU runs no worker?)\n");
		return -EBUSY;
	}
	kgraft_sp_ops.func = kgraft_sp_handler;
	kgraft_sp_ops.flags = FTRACE_OPS_FL_DYNAMIC;
	ret = ftrace_set_filter_ips(&kgraft_sp_ops, kgraft_sp_addrs,
				    kgraft_sp_nr, 0, 0);
	if (ret) {
		pr_err("cannot hook the safe points: %d\n", ret);
		return ret;
	}
	ret = register_ftrace_function(&kgraft_sp_ops);
	if (ret) {
		pr_err("cannot hook the safe points: %d\n", ret);
		ftrace_set_filter_ips(&kgraft_sp_ops, kgraft_sp_addrs,
				      kgraft_sp_nr, 1, 0);
		return ret;
	}
	kgraft_sp_registered = true;
	return 0;
}

void kgraft_safepoints_arm(void)
{
	WRITE_ONCE(kgraft_sp_armed, true);
}

static void kgraft_sp_unregister_fn(struct work_struct *work)
{
	WARN_ON(unregister_ftrace_function(&kgraft_sp_ops));
	/* Emptied, not freed: the ops can be registered again. */
	ftrace_set_filter_ips(&kgraft_sp_ops, kgraft_sp_addrs, kgraft_sp_nr,
			      1, 0);
	complete_all(&kgraft_sp_gone);
}

/*
 * Once this returns no handler acts on the transition (it may still run:
 * the ops go away in the background). kgraft_mutex held.
 */
void kgraft_safepoints_stop(void)
{
	if (!kgraft_sp_registered)
		return;
	WRITE_ONCE(kgraft_sp_armed, false);
	/* Handlers run with preemption off: a grace period sees them out. */
	synchronize_rcu();
	kgraft_sp_registered = false;
	reinit_completion(&kgraft_sp_gone);
	queue_work(system_unbound_wq, &kgraft_sp_unregister_work);
}

int kgraft_safepoints_init(void)
{
	unsigned int i;
	unsigned long a;

	for (i = 0; i < ARRAY_SIZE(kgraft_sp_names); i++) {
		a = kgraft_lookup_name(kgraft_sp_names[i]);
		if (!a) {
			pr_err("safe point %s not found\n", kgraft_sp_names[i]);
			return -ENOENT;
		}
		kgraft_sp_addrs[kgraft_sp_nr++] = a;
	}
	kgraft_sp_user_ip = kgraft_lookup_name(KGRAFT_SP_USER);
	kgraft_sp_kthreadd = kgraft_lookup_name("kthreadd");
	kgraft_sp_kthreadd_task = (void *)kgraft_lookup_name("kthreadd_task");
	if (!kgraft_sp_user_ip || !kgraft_sp_kthreadd ||
	    !kgraft_sp_kthreadd_task) {
		pr_err("%s, kthreadd or kthreadd_task not found\n",
		       KGRAFT_SP_USER);
		return -ENOENT;
	}
	kgraft_sp_addrs[kgraft_sp_nr++] = kgraft_sp_user_ip;
	/* A helper this kernel lacks only leaves its kthread unannotated. */
	for (i = 0; i < ARRAY_SIZE(kgraft_sp_helpers); i++) {
		a = kgraft_lookup_name(kgraft_sp_helpers[i].helper);
		if (!a || !kgraft_func_bounds(a, &kgraft_sp_helpers[i].helper_addr,
					      &kgraft_sp_helpers[i].helper_size))
			kgraft_sp_helpers[i].helper_size = 0;
		kgraft_sp_helpers[i].main_addr =
			kgraft_lookup_name(kgraft_sp_helpers[i].main);
	}
	complete_all(&kgraft_sp_gone);
	return 0;
}

void kgraft_safepoints_exit(void)
{
	flush_work(&kgraft_sp_unregister_work);
}
