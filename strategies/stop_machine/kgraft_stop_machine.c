// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_stop_machine: the Ksplice / early kpatch strategy. Every CPU is
 * stopped (stop_machine()); with nothing running, every task's stack is
 * checked for the functions being left (the originals when patching, the
 * replacements when reverting); if none is on any stack, every function
 * switches at once and the machine goes on. If one is, the machine goes on
 * unchanged, and the attempt is repeated after retry_interval_ms, up to
 * retries times (kpatch: 5 tries, 2 s apart); then the write to enabled
 * fails with -EBUSY, naming the task and function in the kernel log.
 *
 * Every stop is recorded (stats, kgraft:kgraft_stop), split into rendezvous
 * (until every CPU has stopped with interrupts off), stack check, switch and
 * release. The transition is synchronous: it is over when the write returns.
 *
 * What the check cannot see, and how that is handled:
 * - The task that asks for the switch (writing enabled) waits inside the
 *   stop and is checked like every other task, so a patch of a function on
 *   its own path (sysfs, kernfs, the write syscall) could never be applied
 *   from it. Such a transition is deferred: the write returns 0 with the
 *   transition pending, and a work item makes the attempts once the writer
 *   has left. Writing the opposite value before it ends turns it back.
 * - Stack checks run with interrupts off on every CPU: more than max_tasks
 *   tasks and the apply is refused (-E2BIG) before any stop, and a stop that
 *   finds more than that (tasks forked meanwhile) gives up at the limit.
 * - The stopper threads run the stop itself: the one running the check is
 *   checked like any task; the others spin in multi_cpu_stop() and cannot be
 *   unwound. A patch of a function they run (kgraft_sm_machinery[]) is
 *   refused by name (-EOPNOTSUPP); the kgraft and klp strategies can
 *   apply it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <kgraft_strategy.h>

/* How this strategy switches tasks (stats line switched_stop). */
enum { KGRAFT_SM_PATH_STOP };
static const char * const kgraft_sm_paths[] = {
	[KGRAFT_SM_PATH_STOP] = "stop",	/* every task at once, in the stop */
	NULL,
};

static unsigned int retries = 5;
module_param(retries, uint, 0644);
MODULE_PARM_DESC(retries, "attempts before giving up with -EBUSY (>= 1)");

static unsigned int retry_interval_ms = 2000;
module_param(retry_interval_ms, uint, 0644);
MODULE_PARM_DESC(retry_interval_ms, "wait between attempts (ms)");

/*
 * Under TCG a task's stack check costs 6-11 us, so 32768 tasks keep every
 * CPU's interrupts off for at most ~0.4 s, far from the 21 s RCU stall
 * timeout and the 10 s hard lockup threshold; real hardware is ~10x faster.
 */
static unsigned int max_tasks = 32768;
module_param(max_tasks, uint, 0644);
MODULE_PARM_DESC(max_tasks, "refuse to stop the machine to check more tasks than this");

/* A deferred transition's first attempt: time for the writer to leave. */
#define KGRAFT_SM_DEFER_MS	50

/*
 * Functions every stopper thread is inside during a stop, or that the task
 * calling stop_machine() waits in: the functions of kernel/stop_machine.c,
 * a stopper thread's frames below them, and what multi_cpu_stop() calls
 * while it spins. Only the object vmlinux.
 */
static const char * const kgraft_sm_machinery[] = {
	"stop_machine", "stop_machine_cpuslocked",
	"stop_machine_from_inactive_cpu", "stop_core_cpuslocked",
	"stop_cpus", "__stop_cpus", "queue_stop_cpus_work",
	"cpu_stop_queue_work", "__cpu_stop_queue_work",
	"cpu_stop_queue_two_works", "cpu_stop_init_done",
	"cpu_stop_signal_done", "multi_cpu_stop", "set_state", "ack_state",
	"stop_machine_yield", "cpu_stopper_thread", "cpu_stop_should_run",
	"stop_one_cpu", "stop_two_cpus", "stop_one_cpu_nowait",
	"stop_machine_park", "stop_machine_unpark", "cpu_stop_create",
	"cpu_stop_park", "print_stop_info",
	"smpboot_thread_fn", "kthread",
	"rcu_momentary_eqs", "rcu_momentary_dyntick_idle",
	"touch_softlockup_watchdog", "arch_touch_nmi_watchdog",
};

/* One attempt, shared with the CPU that runs the check. */
struct kgraft_sm_stop {
	struct kgraft_patch_priv *p;
	int target;
	unsigned long limit;	/* max_tasks */
	u64 enter_ns, checked_ns, switched_ns;
	unsigned long tasks;
	int result;
	/* The blocker, when result is -EADDRINUSE, -EINVAL or -EBUSY. */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	const char *func;
};

/*
 * A transition deferred until the writer has left the patch; under
 * kgraft_lock(). Only one transition runs at a time, so one is enough.
 */
static struct {
	struct delayed_work work;
	struct kgraft_patch_priv *p;	/* NULL: none */
	int source, target;
	unsigned int attempt;
} kgraft_sm_deferred;

static int kgraft_sm_check_one(struct task_struct *t, void *arg)
{
	struct kgraft_sm_stop *s = arg;
	int ret;

	/* Every task switches, stopper threads too; the stop stays bounded. */
	if (++s->tasks > s->limit)
		return -E2BIG;
	/*
	 * current is this CPU's stopper thread: its frames are the stop
	 * machinery, which no patch may replace (kgraft_sm_machinery[]), and
	 * kgraft's own code. Unwinding it proves nothing more and can fail:
	 * a BPF trampoline on multi_cpu_stop() (bench's stop probe) is not
	 * reliably unwindable, which would refuse every stop.
	 */
	if (t == current)
		return 0;
	/* Leaving the functions of the source side: those must be absent. */
	ret = kgraft_stack_check(s->p, t, !s->target, &s->func);
	/*
	 * Running now are only the other CPUs' stopper threads, spinning in
	 * multi_cpu_stop(): kgraft_sm_machinery[] holds what they run, and a
	 * patch of it never gets here. Any other running task is a blocker.
	 */
	if (ret == -EBUSY && (t->flags & PF_KTHREAD) &&
	    !strncmp(t->comm, "migration/", 10))
		return 0;
	if (ret) {
		s->pid = t->pid;
		memcpy(s->comm, t->comm, sizeof(s->comm));
	}
	return ret;
}

/* On one CPU, with every CPU stopped and interrupts off everywhere. */
static int kgraft_sm_stopped(void *arg)
{
	struct kgraft_sm_stop *s = arg;

	s->enter_ns = ktime_get_ns();
	s->result = kgraft_walk_tasks(kgraft_sm_check_one, s);
	s->checked_ns = ktime_get_ns();
	if (!s->result)
		kgraft_redirect_switch(s->p, s->target);
	s->switched_ns = ktime_get_ns();
	return 0;
}

static int kgraft_sm_attempt(struct kgraft_sm_stop *s, int attempt)
{
	struct kgraft_stop_record r = {
		.target = s->target,
		.attempt = attempt,
	};
	u64 call_ns, ret_ns;
	int ret;

	call_ns = ktime_get_ns();
	ret = stop_machine(kgraft_sm_stopped, s, NULL);
	ret_ns = ktime_get_ns();
	if (ret)
		return ret;
	r.result = s->result;
	r.rendezvous_ns = s->enter_ns - call_ns;
	r.check_ns = s->checked_ns - s->enter_ns;
	r.switch_ns = s->switched_ns - s->checked_ns;
	r.release_ns = ret_ns - s->switched_ns;
	r.tasks = s->tasks;
	kgraft_record_stop(s->p, &r);
	return s->result;
}

static const char *kgraft_sm_dir(int target)
{
	return target == KGRAFT_PATCHED ? "patching" : "unpatching";
}

/* Why an attempt failed, for the log: "<what> <function>". */
static const char *kgraft_sm_why(const struct kgraft_sm_stop *s)
{
	if (s->func)
		return "is in";
	return s->result == -EBUSY ? "is running" : "has an unreliable stack";
}

/* One attempt at @target; 0 when every task switched. */
static int kgraft_sm_try(struct kgraft_patch_priv *p, int target,
			 unsigned int attempt, struct kgraft_sm_stop *s)
{
	memset(s, 0, sizeof(*s));
	s->p = p;
	s->target = target;
	s->limit = READ_ONCE(max_tasks);
	return kgraft_sm_attempt(s, attempt);
}

/* The attempts are over without a switch: say why, as the errno will. */
static int kgraft_sm_refused(struct kgraft_patch_priv *p, int target,
			     unsigned int attempt,
			     const struct kgraft_sm_stop *s, int ret)
{
	const char *name = kgraft_patch_of(p)->name;

	if (ret == -E2BIG) {
		pr_err("%s: %s refused: more than max_tasks=%lu tasks at the stop (forked since the count); nothing switched\n",
		       name, kgraft_sm_dir(target), s->limit);
		return -E2BIG;
	}
	if (ret == -EINTR) {
		pr_err("%s: %s interrupted after %u attempts\n", name,
		       kgraft_sm_dir(target), attempt);
		return -EINTR;
	}
	pr_err("%s: %s refused after %u attempts: %s (pid %d) %s %s\n",
	       name, kgraft_sm_dir(target), attempt, s->comm, s->pid,
	       kgraft_sm_why(s), s->func ?: "");
	return -EBUSY;
}

/* Every task switched in the stop: the transition is over. */
static void kgraft_sm_finish(struct kgraft_patch_priv *p, int target,
			     const struct kgraft_sm_stop *s)
{
	kgraft_count_switched(p, KGRAFT_SM_PATH_STOP, s->tasks);
	/* No task is in a replacement, none can enter one: drop them. */
	if (target == KGRAFT_UNPATCHED)
		kgraft_redirect_release(p);
	kgraft_transition_done(p, false);
}

/* Refuse a patch of what the stop itself runs in, by function name. */
static int kgraft_sm_check_machinery(struct kgraft_patch_priv *p)
{
	const struct kgraft_patch *kp = kgraft_patch_of(p);
	const struct kgraft_func *f;
	unsigned int i;

	for (f = kp->funcs; f->name; f++) {
		if (f->object && strcmp(f->object, "vmlinux"))
			continue;
		for (i = 0; i < ARRAY_SIZE(kgraft_sm_machinery); i++) {
			if (strcmp(f->name, kgraft_sm_machinery[i]))
				continue;
			pr_err("%s: %s is run by the stopper threads or the caller of stop_machine() during the stop, which no stack check sees: the stop_machine strategy refuses it (kgraft and klp can apply it)\n",
			       kp->name, f->name);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* Is the task asking for @target inside a function it leaves? */
static int kgraft_sm_check_writer(struct kgraft_patch_priv *p, int target,
				  const char **func)
{
	unsigned long flags;
	int ret;

	/* kgraft_stack_check() uses a per-CPU buffer. */
	local_irq_save(flags);
	ret = kgraft_stack_check(p, current, !target, func);
	local_irq_restore(flags);
	return ret;
}

/* The attempts of a deferred transition, one per run, under kgraft_lock(). */
static void kgraft_sm_work_fn(struct work_struct *work)
{
	unsigned int tries = max(1U, READ_ONCE(retries));
	struct kgraft_patch_priv *p;
	struct kgraft_sm_stop s;
	int target, ret;

	mutex_lock(kgraft_lock());
	p = kgraft_sm_deferred.p;
	if (!p)
		goto out;
	target = kgraft_sm_deferred.target;
	if (target == kgraft_sm_deferred.source) {
		/* Turned back before anything switched: nothing to undo. */
		if (target == KGRAFT_UNPATCHED)
			kgraft_redirect_release(p);
		kgraft_sm_deferred.p = NULL;
		kgraft_transition_done(p, false);
		goto out;
	}
	ret = kgraft_sm_try(p, target, ++kgraft_sm_deferred.attempt, &s);
	if (!ret) {
		kgraft_sm_deferred.p = NULL;
		kgraft_sm_finish(p, target, &s);
		goto out;
	}
	if (ret == -E2BIG || kgraft_sm_deferred.attempt >= tries) {
		kgraft_sm_refused(p, target, kgraft_sm_deferred.attempt, &s,
				  ret);
		pr_err("%s: the transition stays: write %d to enabled to go back\n",
		       kgraft_patch_of(p)->name, !target);
		goto out;
	}
	pr_info("%s: attempt %u of %u: %s (pid %d) %s %s, retrying in %u ms\n",
		kgraft_patch_of(p)->name, kgraft_sm_deferred.attempt, tries,
		s.comm, s.pid, kgraft_sm_why(&s), s.func ?: "",
		READ_ONCE(retry_interval_ms));
	queue_delayed_work(system_unbound_wq, &kgraft_sm_deferred.work,
			   msecs_to_jiffies(READ_ONCE(retry_interval_ms)));
out:
	mutex_unlock(kgraft_lock());
}

static int kgraft_sm_start(struct kgraft_patch_priv *p, int target)
{
	const char *name = kgraft_patch_of(p)->name;
	unsigned int tries = max(1U, READ_ONCE(retries));
	unsigned int limit = READ_ONCE(max_tasks);
	const char *func = NULL;
	struct kgraft_sm_stop s;
	unsigned long nr;
	unsigned int attempt;
	int ret, writer;

	ret = kgraft_sm_check_machinery(p);
	if (ret)
		return ret;
	nr = kgraft_nr_tasks();
	if (nr > limit) {
		pr_err("%s: %s refused before any stop: %lu tasks to check with interrupts off, more than max_tasks=%u (/sys/module/kgraft_stop_machine/parameters/max_tasks)\n",
		       name, kgraft_sm_dir(target), nr, limit);
		return -E2BIG;
	}
	kgraft_transition_begin(p, target, nr);
	if (target == KGRAFT_PATCHED) {
		/* Registered, running the old code: no text patching inside. */
		ret = kgraft_redirect_prepare(p);
		if (ret)
			return ret;
	}
	/* On its stack now: the versions below are known. */
	writer = kgraft_sm_check_writer(p, target, &func);
	if (writer == -EADDRINUSE) {
		/* No stop can pass while we wait in @func: try once we left. */
		pr_info("%s: the writer (%s, pid %d) is in %s: %s from a work item once it has left\n",
			name, current->comm, current->pid, func,
			kgraft_sm_dir(target));
		kgraft_sm_deferred.p = p;
		kgraft_sm_deferred.source = !target;
		kgraft_sm_deferred.target = target;
		kgraft_sm_deferred.attempt = 0;
		queue_delayed_work(system_unbound_wq, &kgraft_sm_deferred.work,
				   msecs_to_jiffies(KGRAFT_SM_DEFER_MS));
		return 0;
	}
	for (attempt = 1; ; attempt++) {
		ret = kgraft_sm_try(p, target, attempt, &s);
		if (!ret || ret == -E2BIG || attempt >= tries)
			break;
		pr_info("%s: attempt %u of %u: %s (pid %d) %s %s, retrying in %u ms\n",
			name, attempt, tries, s.comm, s.pid, kgraft_sm_why(&s),
			s.func ?: "", READ_ONCE(retry_interval_ms));
		if (msleep_interruptible(READ_ONCE(retry_interval_ms))) {
			ret = -EINTR;
			break;
		}
	}
	if (ret) {
		ret = kgraft_sm_refused(p, target, attempt, &s, ret);
		/* Nothing switched: the old code stays, as it was. */
		if (target == KGRAFT_PATCHED)
			kgraft_redirect_release(p);
		return ret;
	}
	kgraft_sm_finish(p, target, &s);
	return 0;
}

/* Only a deferred transition is still running after its start returned. */
static int kgraft_sm_reverse(struct kgraft_patch_priv *p)
{
	if (kgraft_sm_deferred.p != p)
		return -EBUSY;
	kgraft_sm_deferred.target = !kgraft_sm_deferred.target;
	kgraft_sm_deferred.attempt = 0;
	kgraft_transition_reversed(p, kgraft_sm_deferred.target,
				   kgraft_nr_tasks());
	mod_delayed_work(system_unbound_wq, &kgraft_sm_deferred.work,
			 msecs_to_jiffies(KGRAFT_SM_DEFER_MS));
	return 0;
}

/*
 * Nothing switches before the stop, and the stop switches every task and
 * ends the transition: while it runs, every task is still to switch. With
 * kgraft_mutex held only a deferred transition is seen running; without
 * it (a monitor), a synchronous one too, between its attempts.
 */
static long kgraft_sm_nr_pending(struct kgraft_patch_priv *p)
{
	return kgraft_sm_deferred.p == p ? kgraft_nr_tasks() : 0;
}

static long kgraft_sm_nr_pending_nolock(struct kgraft_patch_priv *p)
{
	return kgraft_nr_tasks();
}

static void kgraft_sm_release(struct kgraft_patch_priv *p)
{
	if (kgraft_sm_deferred.p == p)
		kgraft_sm_deferred.p = NULL;
}

static struct kgraft_strategy kgraft_sm_strategy = {
	.name = "stop_machine",
	.owner = THIS_MODULE,
	.start = kgraft_sm_start,
	.reverse = kgraft_sm_reverse,
	.nr_pending = kgraft_sm_nr_pending,
	.nr_pending_nolock = kgraft_sm_nr_pending_nolock,
	.release = kgraft_sm_release,
	.paths = kgraft_sm_paths,
};

static int __init kgraft_sm_init(void)
{
	INIT_DELAYED_WORK(&kgraft_sm_deferred.work, kgraft_sm_work_fn);
	return kgraft_register_strategy(&kgraft_sm_strategy);
}

static void __exit kgraft_sm_exit(void)
{
	kgraft_unregister_strategy(&kgraft_sm_strategy);
	cancel_delayed_work_sync(&kgraft_sm_deferred.work);
}

module_init(kgraft_sm_init);
module_exit(kgraft_sm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft strategy: stop_machine() and a stack check (Ksplice, early kpatch)");
