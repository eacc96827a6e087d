// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: the lazy transitions, the two built-in strategies: "kgraft", the
 * 2014 model as SUSE published it, and "kgraft_sweep", the same with
 * upstream livepatch's stack-checking sweep added (the hybrid).
 *
 * The 2014 model ("kgraft") never looks at a stack: a task switches at a
 * syscall boundary, on its way back to user mode with signal work, or (a
 * kthread) at the top of its main loop (safepoint.c); idle tasks and
 * interrupts under their CPU's step; kthreads are woken at the start and at
 * each check; every first_check_ms then recheck_ms a check sends the tasks
 * still pending a fake signal (from fake_signal_ms on) and completes the
 * transition once nothing is pending. kgraft-core/README.md maps each
 * mechanism to kGraft's code.
 *
 * The hybrid ("kgraft_sweep") is described below. A transition moves every
 * task, and every CPU's interrupts, from the
 * source universe to the target one. A task switches only where no function
 * being patched can be on its stack:
 *  - at a user/kernel boundary (sys_enter/sys_exit probes, boundary.c);
 *  - when a sweep finds, with a reliable stack trace taken while the task is
 *    pinned off-CPU, that none of the source-side functions is on its stack
 *    (sleeping tasks, kthreads, user tasks that never make a syscall and
 *    are caught preempted). The sweep walks every task from one place;
 *  - after signal_delay_ms, tasks still pending get a fake signal (user
 *    tasks) or a wake-up (kthreads) to push them through the above.
 * Interrupts follow their CPU, which switches when kgraft's per-CPU step
 * runs on it; the step also checks the CPU's idle task, off-CPU then. The
 * sweep queues the steps but never waits for them, so a CPU that runs no
 * worker keeps the transition open without blocking kgraft. The idle task
 * of an offline CPU switches at once: it restarts from scratch when its CPU
 * comes back. The transition is over only when one walk has found every
 * task with a state and switched, every online CPU's interrupts switched,
 * and no task was created without a state meanwhile; the functions then go
 * to the fast handler (or are unregistered, when unpatching), the boundary
 * probes go away and the per-task states are retired.
 *
 * Start-up race (kGraft closed it with its "immutable" flag): a task that
 * has no state yet is read as being in the universe the transition started
 * from, and no task can switch before every task has its state, because the
 * boundary probes and the sweep start only after that. Tasks created
 * meanwhile are caught by the task_newtask hook (every copy_process(), io
 * threads included, before the task first runs), which is active (and
 * visible to every CPU, after synchronize_rcu()) before the task list is
 * walked. A task whose state could not be allocated reads as start_source
 * until a sweep gives it one; the decision to complete counts them.
 *
 * Reversal needs no per-task work: a task's state is the universe it is in,
 * so turning around only flips the target and the pending count.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/cpu.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/stacktrace.h>
#include <linux/sysfs.h>
#include "internal.h"
#include "trace.h"

static unsigned int sweep_interval_ms = 100;
module_param(sweep_interval_ms, uint, 0644);
MODULE_PARM_DESC(sweep_interval_ms, "period of the stack-checking sweep (ms)");

static unsigned int signal_delay_ms = 1000;
module_param(signal_delay_ms, uint, 0644);
MODULE_PARM_DESC(signal_delay_ms,
		 "delay before pending tasks get a fake signal or wake-up (ms)");

/* The 2014 model's timing: kGraft's own (SLE kgraft.c, KGR_TIMEOUT). */
static unsigned int first_check_ms = 10000;
module_param(first_check_ms, uint, 0644);
MODULE_PARM_DESC(first_check_ms,
		 "kgraft: first check for completion after the start (ms)");

static unsigned int recheck_ms = 2000;
module_param(recheck_ms, uint, 0644);
MODULE_PARM_DESC(recheck_ms, "kgraft: period of the later checks (ms)");

static unsigned int fake_signal_ms = 10000;
module_param(fake_signal_ms, uint, 0644);
MODULE_PARM_DESC(fake_signal_ms,
		 "kgraft: checks from this long after the start send pending tasks a fake signal (ms)");

/* Fault injection for the tests: fail the next N fork-hook allocations. */
static unsigned int inject_fork_nomem;
module_param(inject_fork_nomem, uint, 0644);
MODULE_PARM_DESC(inject_fork_nomem,
		 "test only: the next N forks find no memory for their state");

struct kgraft_transition kgraft_tr;

static struct workqueue_struct *kgraft_wq;
static void kgraft_sweep_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(kgraft_sweep_work, kgraft_sweep_fn);
static DEFINE_PER_CPU(struct work_struct, kgraft_cpu_work);
static DEFINE_MUTEX(kgraft_cpu_work_mutex);
static DEFINE_PER_CPU(struct work_struct, kgraft_step_work);
atomic_long_t kgraft_fork_nomem;

/*
 * Run @fn once on every online CPU, in process context, and wait. The
 * hotplug lock is held only to queue: a CPU that runs no worker must not
 * hold CPU hotplug (and every cpus_read_lock() behind a waiting writer)
 * hostage; a CPU that goes offline meanwhile runs its work elsewhere.
 */
void kgraft_run_on_each_cpu(work_func_t fn)
{
	static struct cpumask queued;
	int cpu;

	mutex_lock(&kgraft_cpu_work_mutex);
	cpumask_clear(&queued);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct work_struct *w = per_cpu_ptr(&kgraft_cpu_work, cpu);

		INIT_WORK(w, fn);
		queue_work_on(cpu, system_highpri_wq, w);
		cpumask_set_cpu(cpu, &queued);
	}
	cpus_read_unlock();
	for_each_cpu(cpu, &queued)
		flush_work(per_cpu_ptr(&kgraft_cpu_work, cpu));
	mutex_unlock(&kgraft_cpu_work_mutex);
}
EXPORT_SYMBOL_GPL(kgraft_run_on_each_cpu);

static void kgraft_cpu_noop(struct work_struct *work)
{
}

/*
 * Wait until no CPU can still be in an ftrace handler or probe that read
 * state from before the call: an RCU grace period, plus a pass of every CPU
 * through process context for code that runs where RCU is not watching.
 */
void kgraft_sync_cpus(void)
{
	synchronize_rcu();
	kgraft_run_on_each_cpu(kgraft_cpu_noop);
}

/* Switch @t (state @ts) to @target if that is still the target. */
static bool kgraft_switch_locked(struct kgraft_task_state *ts,
				 struct task_struct *t, int target,
				 enum kgraft_path path)
{
	struct kgraft_patch_priv *p = kgraft_tr.patch;

	lockdep_assert_held(&kgraft_ts_lock);
	if (!p || kgraft_tr.target != target || ts->universe == target)
		return false;
	WRITE_ONCE(ts->universe, target);
	kgraft_tr.pending--;
	if (ts->signalled && (path == KGRAFT_PATH_SYSCALL_ENTER ||
			      path == KGRAFT_PATH_SYSCALL_EXIT))
		path = KGRAFT_PATH_SIGNAL;
	atomic_long_inc(&p->stats.switched[path]);
	trace_kgraft_task_switch(t->pid, t->comm, path, target);
	return true;
}

/*
 * The last task switched: the hybrid's sweep completes at once. The 2014
 * model completes only at its periodic checks, as kGraft's kgr_work_fn().
 */
static void kgraft_kick_sweep(void)
{
	if (kgraft_tr.sweep)
		mod_delayed_work(kgraft_wq, &kgraft_sweep_work, 0);
}

/* From the syscall probes: current is at a boundary, nothing on its stack. */
void notrace kgraft_switch_current(enum kgraft_path path)
{
	struct kgraft_task_state *ts = kgraft_ts_lookup(current);
	unsigned long flags;
	bool last = false;
	int target;

	target = READ_ONCE(kgraft_tr.target);
	if (!ts || READ_ONCE(ts->universe) == target)
		return;
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	if (kgraft_switch_locked(ts, current, target, path))
		last = !kgraft_tr.pending;
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	if (last)
		kgraft_kick_sweep();
}

/* task_newtask: the child, not yet run, starts in its parent's universe. */
void kgraft_task_forked(struct task_struct *parent, struct task_struct *child)
{
	struct kgraft_task_state *ts, *pts;
	unsigned long flags;
	int u;

	if (!READ_ONCE(kgraft_tr.active))
		return;
	ts = kgraft_inject(&inject_fork_nomem) ? NULL :
	     kgraft_ts_alloc(GFP_ATOMIC);
	if (!ts) {
		/*
		 * The child then reads as start_source until a sweep gives it
		 * a state; counted under the lock, so that the decision to
		 * complete sees it (kgraft_try_complete()).
		 */
		raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
		kgraft_tr.stateless++;
		raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
		atomic_long_inc(&kgraft_fork_nomem);
		return;
	}
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	if (!kgraft_tr.active)
		goto free;
	pts = kgraft_ts_lookup(parent);
	u = pts ? pts->universe : kgraft_tr.start_source;
	if (!kgraft_ts_insert(ts, child, u))
		goto free;
	if (u != kgraft_tr.target) {
		kgraft_tr.pending++;
	} else {
		atomic_long_inc(&kgraft_tr.patch->stats.switched[KGRAFT_PATH_FORK]);
		trace_kgraft_task_switch(child->pid, child->comm,
					 KGRAFT_PATH_FORK, u);
	}
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	return;
free:
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	kgraft_ts_free(ts);
}

/* sched_process_free: the task can never run again; drop its state. */
void kgraft_task_freed(struct task_struct *t)
{
	unsigned long flags;
	bool last = false;
	int u;

	if (!READ_ONCE(kgraft_tr.active))
		return;
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	if (kgraft_tr.active) {
		u = kgraft_ts_remove(t);
		if (u >= 0 && u != kgraft_tr.target)
			last = !--kgraft_tr.pending;
	}
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	if (last)
		kgraft_kick_sweep();
}

struct kgraft_check {
	struct kgraft_task_state *ts;
	int target;
	bool do_switch;
	const char *func;	/* the patched function found on the stack */
};

/*
 * Under task_call_func(): @t cannot start running. Returns 0 when no
 * function of the source universe is on its stack (and switches it if
 * asked), else what kgraft_stack_check() found.
 */
static int kgraft_check_task(struct task_struct *t, void *arg)
{
	struct kgraft_check *c = arg;
	enum kgraft_path path;
	int ret;

	/* Only source-side code can be on a pending stack. */
	ret = kgraft_stack_check(kgraft_tr.patch, t, !c->target, &c->func);
	if (ret || !c->do_switch)
		return ret;
	if (is_idle_task(t))
		path = KGRAFT_PATH_IDLE;
	else if (t->flags & PF_KTHREAD)
		path = KGRAFT_PATH_KTHREAD;
	else
		path = KGRAFT_PATH_SWEEP;
	raw_spin_lock(&kgraft_ts_lock);
	kgraft_switch_locked(c->ts, t, c->target, path);
	raw_spin_unlock(&kgraft_ts_lock);
	return 0;
}

/* Give @t a state if it has none (a fork that found no memory). */
static struct kgraft_task_state *kgraft_ensure_state(struct task_struct *t)
{
	struct kgraft_task_state *ts = kgraft_ts_lookup(t);
	unsigned long flags;

	if (ts)
		return ts;
	ts = kgraft_ts_alloc(GFP_ATOMIC);
	if (!ts)
		return NULL;
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	if (kgraft_ts_insert(ts, t, kgraft_tr.start_source)) {
		atomic_long_inc(&kgraft_tr.patch->stats.states_added);
		if (kgraft_tr.start_source != kgraft_tr.target)
			kgraft_tr.pending++;
	} else {
		kgraft_ts_free(ts);
	}
	ts = kgraft_ts_lookup(t);
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	return ts;
}

/*
 * Check and switch @t: 0 when it is (now) in the target universe; -ENOMEM
 * when it has no state (no memory for one); -EBUSY when it is on a CPU;
 * else what the stack check found. Under rcu_read_lock().
 */
static int kgraft_try_switch(struct task_struct *t)
{
	struct kgraft_check c = { .do_switch = true };

	c.ts = kgraft_ensure_state(t);
	if (!c.ts)
		return -ENOMEM;
	c.target = READ_ONCE(kgraft_tr.target);
	if (READ_ONCE(c.ts->universe) == c.target)
		return 0;
	return kgraft_task_call_func(t, kgraft_check_task, &c);
}

/*
 * Switch idle task @t without a check. The idle task of an offline CPU runs
 * nothing, and its CPU comes back on a fresh stack (upstream does the same;
 * cpus_read_lock() held, so the CPU stays down meanwhile). Under its CPU's
 * step, an online CPU's idle task has left the CPU through schedule_idle()
 * in do_idle(), the idle loop's top: the 2014 model switches it there.
 */
static bool kgraft_switch_idle(struct task_struct *t)
{
	struct kgraft_task_state *ts = kgraft_ensure_state(t);
	unsigned long flags;

	if (!ts)
		return false;
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	kgraft_switch_locked(ts, t, kgraft_tr.target, KGRAFT_PATH_IDLE);
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	return true;
}

/* Nothing left to switch, as far as the counters know; ts lock held. */
static bool kgraft_counted_done(void)
{
	int cpu;

	lockdep_assert_held(&kgraft_ts_lock);
	if (kgraft_tr.pending)
		return false;
	/* Without a state, an online CPU's idle task reads start_source. */
	for_each_online_cpu(cpu)
		if (!kgraft_ts_lookup(kgraft_idle_task(cpu)) ||
		    per_cpu(kgraft_irq_universe, cpu) != kgraft_tr.target)
			return false;
	return true;
}

/*
 * One CPU's step, queued by the sweep and never waited for (a CPU that a
 * real-time task monopolises never runs it, and must hold nobody up).
 * Under a work item no interrupt handler can be half way through a chain
 * on this CPU, so its interrupts switch here; its idle task and the task
 * this work preempted are off-CPU now, so they can be checked: the sweep
 * queues a step for the CPU of every pending task it found running, which
 * is how a task that never enters the kernel by itself gets switched.
 */
static void kgraft_cpu_step(struct work_struct *work)
{
	struct task_struct *g, *t;
	bool done = false;
	int cpu;

	mutex_lock(&kgraft_mutex);
	/* A step run elsewhere (its CPU went down) must stay put. */
	migrate_disable();
	if (kgraft_tr.patch) {
		raw_spin_lock_irq(&kgraft_ts_lock);
		cpu = smp_processor_id();
		this_cpu_write(kgraft_irq_universe, kgraft_tr.target);
		raw_spin_unlock_irq(&kgraft_ts_lock);
		rcu_read_lock();
		if (!kgraft_tr.sweep) {
			kgraft_switch_idle(kgraft_idle_task(cpu));
		} else {
			/* Had this work migrated, those may run: just busy. */
			kgraft_try_switch(kgraft_idle_task(cpu));
			for_each_process_thread(g, t)
				if (task_cpu(t) == cpu)
					kgraft_try_switch(t);
		}
		rcu_read_unlock();
		raw_spin_lock_irq(&kgraft_ts_lock);
		done = kgraft_counted_done();
		raw_spin_unlock_irq(&kgraft_ts_lock);
	}
	migrate_enable();
	mutex_unlock(&kgraft_mutex);
	if (done)
		kgraft_kick_sweep();
}

/* Queue @cpu's step unless it is queued already; cpus_read_lock() held. */
static void kgraft_queue_step(int cpu)
{
	queue_work_on(cpu, system_highpri_wq, per_cpu_ptr(&kgraft_step_work, cpu));
}

/* Queue the step of each online CPU left to switch; cpus_read_lock() held. */
static void kgraft_queue_cpu_steps(void)
{
	struct kgraft_task_state *ts;
	int cpu, target = kgraft_tr.target;

	for_each_online_cpu(cpu) {
		rcu_read_lock();
		ts = kgraft_ts_lookup(kgraft_idle_task(cpu));
		if (per_cpu(kgraft_irq_universe, cpu) != target || !ts ||
		    READ_ONCE(ts->universe) != target)
			kgraft_queue_step(cpu);
		rcu_read_unlock();
	}
}

/*
 * Under task_call_func(), two states that say where a task is without a
 * look at its stack, once it is off its CPU. TASK_DEAD: it has run for the
 * last time (a zombie not yet reaped) and can run no patched code again.
 * TASK_PARKED: a kthread parked in kthread_parkme(), which the kthread
 * framework calls at the top of a main loop (kthread_should_park()) or
 * before the main function runs, the safe point of a thread whose CPU went
 * offline (its wake-ups do not move it), unless its main function, under
 * kthread_parkme() on its stack, is being patched. Neither will cross a
 * boundary.
 */
static int kgraft_switch_if_still(struct task_struct *t, void *arg)
{
	unsigned int state = READ_ONCE(t->__state);
	enum kgraft_path path;

	/* Pairs with finish_task()'s release: off the CPU for good. */
	if (smp_load_acquire(&t->on_cpu))
		return -EBUSY;
	if (state == TASK_DEAD)
		path = KGRAFT_PATH_DEAD;
	else if (state == TASK_PARKED && (t->flags & PF_KTHREAD) &&
		 !kgraft_safepoints_main_patched(kgraft_tr.patch, t))
		path = KGRAFT_PATH_SAFEPOINT;
	else
		return -EBUSY;
	raw_spin_lock(&kgraft_ts_lock);
	kgraft_switch_locked(arg, t, kgraft_tr.target, path);
	raw_spin_unlock(&kgraft_ts_lock);
	return 0;
}

/*
 * The 2014 model's walk: states for all, kthreads' main functions noted
 * (safepoint.c); the dead and parked switch.
 */
static int kgraft_model_visit(struct task_struct *t)
{
	struct kgraft_task_state *ts = kgraft_ensure_state(t);
	unsigned int state;

	if (!ts)
		return -ENOMEM;
	kgraft_safepoints_note_main(kgraft_tr.patch, ts, t);
	state = READ_ONCE(t->__state);
	if ((state == TASK_DEAD || state == TASK_PARKED) &&
	    READ_ONCE(ts->universe) != kgraft_tr.target)
		kgraft_task_call_func(t, kgraft_switch_if_still, ts);
	return 0;
}

/*
 * Every task but the idle tasks of online CPUs (their steps do those), from
 * here; cpus_read_lock() held. Returns how many were left without a state.
 * The 2014 model only gives states (to tasks forked without memory for
 * one) and switches tasks dead or parked: it looks at no stack.
 */
static unsigned long kgraft_walk_switch(void)
{
	struct task_struct *g, *t;
	unsigned long missing = 0;
	int cpu, ret;

	rcu_read_lock();
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu) &&
		    !kgraft_switch_idle(kgraft_idle_task(cpu)))
			missing++;
	for_each_process_thread(g, t) {
		ret = kgraft_tr.sweep ? kgraft_try_switch(t) :
		      kgraft_model_visit(t);
		if (ret == -ENOMEM)
			missing++;
		else if (ret == -EBUSY)
			kgraft_queue_step(task_cpu(t));
	}
	rcu_read_unlock();
	return missing;
}

/*
 * After a walk: complete only if it found every task with a state and
 * nothing pending, every online CPU's interrupts switched, and no task was
 * created without a state since the walk began (@stateless: the count
 * then). Tasks created without a state from now on read the target.
 * cpus_read_lock() held.
 */
static bool kgraft_try_complete(unsigned long stateless, unsigned long missing)
{
	unsigned long flags;
	bool done;
	int cpu;

	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	done = !missing && kgraft_tr.stateless == stateless &&
	       kgraft_counted_done();
	if (done) {
		WRITE_ONCE(kgraft_tr.start_source, kgraft_tr.target);
		/* Offline CPUs run no interrupt; they come back switched. */
		for_each_possible_cpu(cpu)
			per_cpu(kgraft_irq_universe, cpu) = kgraft_tr.target;
	}
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	return done;
}

/*
 * A pending kthread's wake-up: from an interruptible sleep, as upstream
 * does; the 2014 model also from TASK_IDLE (workqueue workers, RCU
 * kthreads), as kGraft's wake_up_process() did, but never from a plain
 * uninterruptible sleep (kGraft woke kthreads not yet started that way).
 */
static void kgraft_wake_kthread(struct task_struct *t)
{
	kgraft_wake_up_state(t, kgraft_tr.sweep ? TASK_INTERRUPTIBLE :
			     TASK_INTERRUPTIBLE | TASK_NOLOAD);
}

/*
 * The 2014 model's kgr_wakeup_kthreads(), at the start of a transition:
 * each pending kthread's main function noted first, so that the wake-up
 * finds its safe point known. kgraft_mutex held.
 */
static void kgraft_wake_kthreads(void)
{
	struct task_struct *g, *t;
	struct kgraft_task_state *ts;
	int target = READ_ONCE(kgraft_tr.target);

	rcu_read_lock();
	for_each_process_thread(g, t) {
		ts = kgraft_ts_lookup(t);
		if (!(t->flags & PF_KTHREAD) || !ts ||
		    READ_ONCE(ts->universe) == target)
			continue;
		kgraft_safepoints_note_main(kgraft_tr.patch, ts, t);
		kgraft_wake_kthread(t);
	}
	rcu_read_unlock();
}

/* Fake signal for user tasks, wake-up for kthreads, as upstream does. */
static void kgraft_send_signals(struct kgraft_patch_priv *p)
{
	struct task_struct *g, *t;
	int target = READ_ONCE(kgraft_tr.target);

	rcu_read_lock();
	for_each_process_thread(g, t) {
		struct kgraft_task_state *ts = kgraft_ts_lookup(t);

		if (!ts || READ_ONCE(ts->universe) == target)
			continue;
		if (t->flags & PF_KTHREAD) {
			kgraft_wake_kthread(t);
		} else {
			/*
			 * No signal is queued: TIF_NOTIFY_SIGNAL makes an
			 * interruptible sleep end and the syscall restart,
			 * which crosses sys_exit and sys_enter.
			 */
			set_tsk_thread_flag(t, TIF_NOTIFY_SIGNAL);
			if (!kgraft_wake_up_state(t, TASK_INTERRUPTIBLE))
				kick_process(t);
		}
		WRITE_ONCE(ts->signalled, true);
		atomic_long_inc(&p->stats.signals_sent);
	}
	rcu_read_unlock();
}

/* End the transition; kgraft_mutex held. */
static void kgraft_complete(bool forced)
{
	struct kgraft_patch_priv *p = kgraft_tr.patch;
	int target = kgraft_tr.target;

	kgraft_safepoints_stop();
	kgraft_boundary_stop();
	if (target == KGRAFT_PATCHED)
		kgraft_patch_set_mode(p, KGRAFT_MODE_FAST);
	else
		kgraft_patch_unregister_ops(p);
	WRITE_ONCE(kgraft_tr.active, false);
	/*
	 * A handler, probe or hook may still look at a task's state: the
	 * reaper frees them once every CPU has passed through process
	 * context; waiting for that here would hold kgraft_mutex hostage to
	 * a CPU that runs no worker (as ftrace's own unregistration above
	 * does when unpatching, a limit of ftrace on 6.1).
	 */
	kgraft_ts_retire_all();
	kgraft_tr.patch = NULL;
	kgraft_transition_done(p, forced);
}

static void kgraft_sweep_fn(struct work_struct *work)
{
	struct kgraft_patch_priv *p;
	unsigned long stateless, missing;
	bool done;

	mutex_lock(&kgraft_mutex);
	p = kgraft_tr.patch;
	if (!p)
		goto out;
	/* States of tasks that exited since the last sweep. */
	kgraft_ts_reap();
	raw_spin_lock_irq(&kgraft_ts_lock);
	stateless = kgraft_tr.stateless;
	raw_spin_unlock_irq(&kgraft_ts_lock);
	cpus_read_lock();
	kgraft_queue_cpu_steps();
	missing = kgraft_walk_switch();
	done = kgraft_try_complete(stateless, missing);
	cpus_read_unlock();
	atomic_long_inc(kgraft_tr.sweep ? &p->stats.sweeps : &p->stats.checks);
	if (done) {
		kgraft_complete(false);
		goto out;
	}
	if (!kgraft_tr.sweep) {
		/* kGraft's kgr_work_fn(): every check past the delay signals. */
		if (time_after_eq(jiffies, kgraft_tr.signal_at))
			kgraft_send_signals(p);
		queue_delayed_work(kgraft_wq, &kgraft_sweep_work,
				   msecs_to_jiffies(max(1U, READ_ONCE(recheck_ms))));
		goto out;
	}
	if (time_after_eq(jiffies, kgraft_tr.signal_at)) {
		kgraft_send_signals(p);
		kgraft_tr.signal_at = jiffies +
				      msecs_to_jiffies(READ_ONCE(signal_delay_ms));
	}
	queue_delayed_work(kgraft_wq, &kgraft_sweep_work,
			   msecs_to_jiffies(max(1U, READ_ONCE(sweep_interval_ms))));
out:
	mutex_unlock(&kgraft_mutex);
}

/* Give @t a state in @universe, from @pool; false when the pool ran dry. */
static bool kgraft_populate_one(struct task_struct *t, int universe,
				struct list_head *pool)
{
	struct kgraft_task_state *ts;
	unsigned long flags;

	if (kgraft_ts_lookup(t))
		return true;
	ts = list_first_entry_or_null(pool, struct kgraft_task_state, dead);
	if (!ts)
		return false;
	list_del(&ts->dead);
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	if (kgraft_ts_insert(ts, t, universe))
		kgraft_tr.pending++;
	else
		list_add(&ts->dead, pool);
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	return true;
}

static bool kgraft_populate_pass(int universe, struct list_head *pool)
{
	struct task_struct *g, *t;
	int cpu;

	/*
	 * Idle tasks of offline CPUs do not run and would never be swept;
	 * a CPU brought up later gets its idle task's state from its sweep.
	 */
	for_each_online_cpu(cpu)
		if (!kgraft_populate_one(kgraft_idle_task(cpu), universe, pool))
			return false;
	for_each_process_thread(g, t)
		if (!kgraft_populate_one(t, universe, pool))
			return false;
	return true;
}

/* Every task, idle tasks included, gets a state in @universe. */
static int kgraft_populate(int universe)
{
	struct kgraft_task_state *ts, *n;
	struct task_struct *g, *t;
	unsigned long want, have = 0;
	LIST_HEAD(pool);
	bool done;
	int ret = 0;

	do {
		want = num_possible_cpus() + 64;
		rcu_read_lock();
		for_each_process_thread(g, t)
			want++;
		rcu_read_unlock();
		for (; have < want; have++) {
			ts = kgraft_ts_alloc(GFP_KERNEL);
			if (!ts) {
				ret = -ENOMEM;
				goto out;
			}
			list_add(&ts->dead, &pool);
		}
		rcu_read_lock();
		done = kgraft_populate_pass(universe, &pool);
		rcu_read_unlock();
		have = 0;
		list_for_each_entry(ts, &pool, dead)
			have++;
	} while (!done);
out:
	list_for_each_entry_safe(ts, n, &pool, dead)
		kgraft_ts_free(ts);
	return ret;
}

/*
 * The 2014 model from the moment tasks may switch (a start, a reversal):
 * kGraft's kgr_handle_irqs() (queued here, never waited for), its
 * kgr_wakeup_kthreads(), and the first check after first_check_ms.
 */
static void kgraft_model_begin(void)
{
	kgraft_safepoints_arm();
	kgraft_tr.signal_at = jiffies + msecs_to_jiffies(fake_signal_ms);
	cpus_read_lock();
	kgraft_queue_cpu_steps();
	cpus_read_unlock();
	kgraft_wake_kthreads();
	mod_delayed_work(kgraft_wq, &kgraft_sweep_work,
			 msecs_to_jiffies(READ_ONCE(first_check_ms)));
}

/* Undo a start that failed half way; kgraft_mutex held. */
static void kgraft_abort_start(struct kgraft_patch_priv *p, int target)
{
	kgraft_safepoints_stop();
	if (target == KGRAFT_PATCHED)
		kgraft_patch_unregister_ops(p);
	else
		kgraft_patch_set_mode(p, KGRAFT_MODE_FAST);
	WRITE_ONCE(kgraft_tr.active, false);
	kgraft_ts_retire_all();
	kgraft_tr.patch = NULL;
}

static int kgraft_lazy_start(struct kgraft_patch_priv *p, int target)
{
	bool sweep = p->strategy == &kgraft_sweep_strategy;
	int source = !target;
	unsigned long flags;
	int cpu, ret;

	if (kgraft_tr.patch)
		return -EBUSY;
	if (!sweep) {
		ret = kgraft_safepoints_check(p);
		if (ret)
			return ret;
	}

	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	WRITE_ONCE(kgraft_tr.counted, false);
	/* Pairs with kgraft_lazy_nr_pending(): counted is false for p. */
	smp_store_release(&kgraft_tr.patch, p);
	kgraft_tr.target = target;
	kgraft_tr.sweep = sweep;
	kgraft_tr.pending = 0;
	kgraft_tr.stateless = 0;
	WRITE_ONCE(kgraft_tr.start_source, source);
	for_each_possible_cpu(cpu)
		per_cpu(kgraft_irq_universe, cpu) = source;
	WRITE_ONCE(kgraft_tr.active, true);
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	kgraft_transition_begin(p, target, kgraft_nr_tasks());

	/* Every fork from now on sees active (pairs with the hook's read). */
	synchronize_rcu();

	if (target == KGRAFT_PATCHED) {
		/* Nobody has state yet: all calls go to the old code. */
		kgraft_patch_set_mode(p, KGRAFT_MODE_SLOW);
		ret = kgraft_patch_register_ops(p);
		if (ret) {
			kgraft_abort_start(p, target);
			return ret;
		}
	}
	ret = kgraft_populate(source);
	if (ret) {
		kgraft_abort_start(p, target);
		return ret;
	}
	/* Every task has its state: pending counts them (a monitor reads it). */
	smp_store_release(&kgraft_tr.counted, true);
	/* Unpatching: fast and slow agree until the first task switches. */
	if (target == KGRAFT_UNPATCHED)
		kgraft_patch_set_mode(p, KGRAFT_MODE_SLOW);
	/*
	 * Modes and states visible everywhere before any task switches. A
	 * grace period is enough: a task switches only off-CPU or itself at a
	 * boundary, and an idle task only under its CPU's step, after it left
	 * any section where RCU does not watch.
	 */
	synchronize_rcu();

	ret = sweep ? 0 : kgraft_safepoints_start();
	if (!ret)
		ret = kgraft_boundary_start();
	if (ret) {
		kgraft_abort_start(p, target);
		return ret;
	}
	pr_info("%s: %s by %s, %ld tasks to switch\n", p->patch->name,
		target == KGRAFT_PATCHED ? "patching" : "unpatching",
		p->strategy->name, kgraft_tr.pending);
	if (sweep) {
		kgraft_tr.signal_at = jiffies +
				      msecs_to_jiffies(signal_delay_ms);
		queue_delayed_work(kgraft_wq, &kgraft_sweep_work, 0);
		return 0;
	}
	kgraft_model_begin();
	return 0;
}

static void kgraft_unsignal_one(struct kgraft_task_state *ts, void *arg)
{
	ts->signalled = false;
}

static int kgraft_lazy_reverse(struct kgraft_patch_priv *p)
{
	unsigned long flags;
	int target;

	if (kgraft_tr.patch != p)
		return -EINVAL;
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	target = !kgraft_tr.target;
	kgraft_tr.target = target;
	kgraft_tr.pending = kgraft_ts_count() - kgraft_tr.pending;
	kgraft_ts_for_each(kgraft_unsignal_one, NULL);
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);

	kgraft_transition_reversed(p, target, kgraft_tr.pending);
	if (!kgraft_tr.sweep) {
		/* kGraft reverted by a new transition the other way. */
		kgraft_model_begin();
		return 0;
	}
	kgraft_tr.signal_at = jiffies + msecs_to_jiffies(signal_delay_ms);
	kgraft_kick_sweep();
	return 0;
}

static void kgraft_force_one(struct kgraft_task_state *ts, void *arg)
{
	struct kgraft_patch_priv *p = arg;

	if (ts->universe == kgraft_tr.target)
		return;
	WRITE_ONCE(ts->universe, kgraft_tr.target);
	atomic_long_inc(&p->stats.switched[KGRAFT_PATH_FORCE]);
	trace_kgraft_task_switch(ts->task->pid, ts->task->comm,
				 KGRAFT_PATH_FORCE, kgraft_tr.target);
}

static int kgraft_lazy_force(struct kgraft_patch_priv *p)
{
	unsigned long flags;
	int cpu;

	if (kgraft_tr.patch != p)
		return -EINVAL;
	pr_warn("%s: FORCING %ld remaining tasks to the %s universe: consistency is no longer guaranteed\n",
		p->patch->name, kgraft_tr.pending,
		kgraft_tr.target == KGRAFT_PATCHED ? "patched" : "unpatched");
	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	WRITE_ONCE(kgraft_tr.start_source, kgraft_tr.target);
	kgraft_ts_for_each(kgraft_force_one, p);
	kgraft_tr.pending = 0;
	for_each_possible_cpu(cpu)
		per_cpu(kgraft_irq_universe, cpu) = kgraft_tr.target;
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	kgraft_complete(true);
	return 0;
}

/* One line of the pending file for @t if it is still to switch. */
static int kgraft_show_one(struct task_struct *t, char *buf, int len)
{
	struct kgraft_check c = { .do_switch = false };

	c.ts = kgraft_ts_lookup(t);
	c.target = kgraft_tr.target;
	if (!c.ts || READ_ONCE(c.ts->universe) == c.target)
		return len;
	/* Keep room for the last line rather than cut one in half. */
	if (len > PAGE_SIZE - 64)
		return len;
	/* The 2014 model looks at no stack, not even to show one. */
	if (kgraft_tr.sweep)
		kgraft_task_call_func(t, kgraft_check_task, &c);
	return len + sysfs_emit_at(buf, len, "%d %s %s\n", t->pid, t->comm,
				   c.func ?: "-");
}

/*
 * Exact with kgraft_mutex held, a racy read without (progress), so one
 * function serves both. Until the start has given every task its state,
 * pending is partial; no task can switch before then (the boundary probes
 * and the sweep start after it), so every task is still to switch.
 */
static long kgraft_lazy_nr_pending(struct kgraft_patch_priv *p)
{
	/* Pairs with the start's release: counted is this start's. */
	if (smp_load_acquire(&kgraft_tr.patch) != p)
		return 0;
	/* Pairs with the release after kgraft_populate(): pending is whole. */
	if (!smp_load_acquire(&kgraft_tr.counted))
		return kgraft_nr_tasks();
	return READ_ONCE(kgraft_tr.pending);
}

static int kgraft_lazy_show_pending(struct kgraft_patch_priv *p, char *buf)
{
	struct task_struct *g, *t;
	int len = 0, cpu;

	if (kgraft_tr.patch != p)
		return 0;
	rcu_read_lock();
	/* The idle tasks of offline CPUs too: pending_tasks counts them. */
	for_each_possible_cpu(cpu)
		len = kgraft_show_one(kgraft_idle_task(cpu), buf, len);
	for_each_process_thread(g, t)
		len = kgraft_show_one(t, buf, len);
	rcu_read_unlock();
	return len;
}

/* The 2014 model. */
struct kgraft_strategy kgraft_lazy_strategy = {
	.name = "kgraft",
	.start = kgraft_lazy_start,
	.reverse = kgraft_lazy_reverse,
	.force = kgraft_lazy_force,
	.nr_pending = kgraft_lazy_nr_pending,
	.nr_pending_nolock = kgraft_lazy_nr_pending,
	.show_pending = kgraft_lazy_show_pending,
};

/* The hybrid: the same, plus upstream's stack-checking sweep. */
struct kgraft_strategy kgraft_sweep_strategy = {
	.name = "kgraft_sweep",
	.start = kgraft_lazy_start,
	.reverse = kgraft_lazy_reverse,
	.force = kgraft_lazy_force,
	.nr_pending = kgraft_lazy_nr_pending,
	.nr_pending_nolock = kgraft_lazy_nr_pending,
	.show_pending = kgraft_lazy_show_pending,
};

int kgraft_transition_init(void)
{
	int cpu, ret;

	ret = kgraft_safepoints_init();
	if (ret)
		return ret;
	for_each_possible_cpu(cpu)
		INIT_WORK(per_cpu_ptr(&kgraft_step_work, cpu), kgraft_cpu_step);
	kgraft_wq = alloc_workqueue("kgraft", WQ_UNBOUND, 1);
	return kgraft_wq ? 0 : -ENOMEM;
}

void kgraft_transition_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		cancel_work_sync(per_cpu_ptr(&kgraft_step_work, cpu));
	cancel_delayed_work_sync(&kgraft_sweep_work);
	destroy_workqueue(kgraft_wq);
	kgraft_safepoints_exit();
}
