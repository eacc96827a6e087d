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
 * the ftrace caller address shows without a stack walk. A few 6.1 kthreads
 * wait one call deeper, in a loop helper called only from their main
 * function; those helpers are listed (kGraft's own annotations were such a
 * list). A kthread whose main function, or listed helper, is itself being
 * patched has no safe point; one that never makes such a call keeps the
 * transition open, and the pending file names it.
 *
 * User tasks. Beside sys_enter and sys_exit (boundary.c), a task returning
 * to user mode from an interrupt or exception with signal work pending goes
 * through arch_do_signal_or_restart(), on the exit path with nothing but
 * the entry code below it: hooked here, so a task that never makes a
 * syscall switches once kGraft's fake signal (TIF_NOTIFY_SIGNAL and a kick)
 * reaches it. Returns to user mode without signal work run no traceable
 * function on 6.1 (exit_to_user_mode_loop() is noinstr).
 *
 * One ftrace_ops serves both, registered only while a 2014-model
 * transition runs (every hooked call pays the handler then). Unregistering
 * a module's ops waits for every CPU and task to schedule (RCU Tasks), so
 * it is done by a work item outside kgraft's mutex; the next start waits
 * for it.
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
	unsigned long helper_addr, main_addr;
} kgraft_sp_helpers[] = {
	{ "rcu_gp_fqs_loop", "rcu_gp_kthread" },
	{ "rcu_tasks_one_gp", "rcu_tasks_kthread" },
	{ "devtmpfs_work_loop", "devtmpfsd" },
};

#define KGRAFT_SP_USER	"arch_do_signal_or_restart"

static unsigned long kgraft_sp_addrs[ARRAY_SIZE(kgraft_sp_names) + 1];
static unsigned int kgraft_sp_nr;
static unsigned long kgraft_sp_user_ip, kgraft_sp_kthreadd;
static struct ftrace_ops kgraft_sp_ops;
static bool kgraft_sp_registered, kgraft_sp_armed;
static void kgraft_sp_unregister_fn(struct work_struct *work);
static DECLARE_WORK(kgraft_sp_unregister_work, kgraft_sp_unregister_fn);

/* Is @addr the start of a function the transitioning patch replaces? */
static bool notrace kgraft_sp_patched(struct kgraft_patch_priv *p,
				      unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < p->nr_funcs; i++)
		if (addr == p->funcs[i].old_addr ||
		    addr == p->funcs[i].new_addr)
			return true;
	return false;
}

/* Is current, a kthread, at the top of its main loop (called from)? */
static bool notrace kgraft_sp_at_loop(struct kgraft_patch_priv *p,
				      unsigned long parent_ip)
{
	unsigned long caller = kgraft_func_start(parent_ip);
	unsigned long main = (unsigned long)kthread_func(current);
	unsigned int i;

	if (!main)
		main = kgraft_sp_kthreadd;
	if (!caller || kgraft_sp_patched(p, main))
		return false;
	if (caller == main)
		return true;
	for (i = 0; i < ARRAY_SIZE(kgraft_sp_helpers); i++)
		if (caller == kgraft_sp_helpers[i].helper_addr &&
		    main == kgraft_sp_helpers[i].main_addr)
			return !kgraft_sp_patched(p, caller);
	return false;
}

/* Is current still to switch? (Cheap: before any symbol lookup.) */
static bool notrace kgraft_sp_pending(void)
{
	struct kgraft_task_state *ts = kgraft_ts_lookup(current);

	return ts && READ_ONCE(ts->universe) != READ_ONCE(kgraft_tr.target);
}

static void notrace kgraft_sp_handler(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
	struct kgraft_patch_priv *p;
	bool kthread = current->flags & PF_KTHREAD;
	int bit;

	/* Idle tasks switch under their CPU's step (transition.c). */
	if (kthread ? is_idle_task(current) : ip != kgraft_sp_user_ip)
		return;
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	/* Pairs with kgraft_safepoints_stop(): armed, then p is valid. */
	if (!READ_ONCE(kgraft_sp_armed) || !kgraft_sp_pending())
		goto out;
	p = READ_ONCE(kgraft_tr.patch);
	if (!p)
		goto out;
	if (!kthread)
		kgraft_switch_current(KGRAFT_PATH_USER_RETURN);
	else if (ip != kgraft_sp_user_ip && kgraft_sp_at_loop(p, parent_ip))
		kgraft_switch_current(KGRAFT_PATH_SAFEPOINT);
out:
	ftrace_test_recursion_unlock(bit);
}

/*
 * Refuse a patch that replaces a function a safe point sits in (the hooked
 * calls, the exit path's hook, the idle loop), naming it; kgraft_mutex held.
 */
int kgraft_safepoints_check(struct kgraft_patch_priv *p)
{
	static const char * const idle[] = { "do_idle", "schedule_idle",
					     "cpu_startup_entry" };
	unsigned int i;

	for (i = 0; i < p->nr_funcs; i++) {
		const char *name = p->funcs[i].func->name;
		unsigned int j;
		bool clash = !strcmp(name, KGRAFT_SP_USER);

		for (j = 0; j < ARRAY_SIZE(kgraft_sp_names); j++)
			clash |= !strcmp(name, kgraft_sp_names[j]);
		for (j = 0; j < ARRAY_SIZE(idle); j++)
			clash |= !strcmp(name, idle[j]);
		if (clash && !p->funcs[i].object) {
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

	/* The last transition's ops may still be on their way out. */
	flush_work(&kgraft_sp_unregister_work);
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
	if (!kgraft_sp_user_ip || !kgraft_sp_kthreadd) {
		pr_err("%s or kthreadd not found\n", KGRAFT_SP_USER);
		return -ENOENT;
	}
	kgraft_sp_addrs[kgraft_sp_nr++] = kgraft_sp_user_ip;
	/* A helper this kernel lacks only leaves its kthread unannotated. */
	for (i = 0; i < ARRAY_SIZE(kgraft_sp_helpers); i++) {
		kgraft_sp_helpers[i].helper_addr =
			kgraft_lookup_name(kgraft_sp_helpers[i].helper);
		kgraft_sp_helpers[i].main_addr =
			kgraft_lookup_name(kgraft_sp_helpers[i].main);
	}
	return 0;
}

void kgraft_safepoints_exit(void)
{
	flush_work(&kgraft_sp_unregister_work);
}
