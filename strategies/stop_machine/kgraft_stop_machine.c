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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <kgraft_strategy.h>

static unsigned int retries = 5;
module_param(retries, uint, 0644);
MODULE_PARM_DESC(retries, "attempts before giving up with -EBUSY (>= 1)");

static unsigned int retry_interval_ms = 2000;
module_param(retry_interval_ms, uint, 0644);
MODULE_PARM_DESC(retry_interval_ms, "wait between attempts (ms)");

/* One attempt, shared with the CPU that runs the check. */
struct kgraft_sm_stop {
	struct kgraft_patch_priv *p;
	int target;
	u64 enter_ns, checked_ns, switched_ns;
	unsigned long tasks;
	int result;
	/* The blocker, when result != 0. */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	const char *func;
};

static int kgraft_sm_check_one(struct task_struct *t, void *arg)
{
	struct kgraft_sm_stop *s = arg;
	int ret;

	s->tasks++;	/* every task switches, stopper threads too */
	if (t == current)
		return 0;
	/* Leaving the functions of the source side: those must be absent. */
	ret = kgraft_stack_check(s->p, t, !s->target, &s->func);
	/*
	 * Every other CPU runs its stopper thread in multi_cpu_stop(): the
	 * only tasks on a CPU now, and never inside a patched function.
	 */
	if (ret == -EBUSY)
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

static int kgraft_sm_start(struct kgraft_patch_priv *p, int target)
{
	const char *name = kgraft_patch_of(p)->name;
	unsigned int tries = max(1U, READ_ONCE(retries));
	struct kgraft_sm_stop s;
	unsigned int attempt;
	int ret;

	kgraft_transition_begin(p, target, kgraft_nr_tasks());
	if (target == KGRAFT_PATCHED) {
		/* Registered, running the old code: no text patching inside. */
		ret = kgraft_redirect_prepare(p);
		if (ret)
			return ret;
	}
	for (attempt = 1; ; attempt++) {
		memset(&s, 0, sizeof(s));
		s.p = p;
		s.target = target;
		ret = kgraft_sm_attempt(&s, attempt);
		if (!ret || attempt >= tries)
			break;
		pr_info("%s: attempt %u of %u: %s (pid %d) %s %s, retrying in %u ms\n",
			name, attempt, tries, s.comm, s.pid,
			s.func ? "is in" : "has an unreliable stack",
			s.func ?: "", READ_ONCE(retry_interval_ms));
		if (msleep_interruptible(READ_ONCE(retry_interval_ms))) {
			ret = -EINTR;
			break;
		}
	}
	if (ret) {
		if (ret == -EINTR)
			pr_err("%s: %s interrupted after %u attempts\n", name,
			       target ? "patching" : "unpatching", attempt);
		else
			pr_err("%s: %s refused after %u attempts: %s (pid %d) %s %s\n",
			       name, target ? "patching" : "unpatching",
			       attempt, s.comm, s.pid,
			       s.func ? "is in" : "has an unreliable stack",
			       s.func ?: "");
		/* Nothing switched: the old code stays, as it was. */
		if (target == KGRAFT_PATCHED)
			kgraft_redirect_release(p);
		return ret == -EINTR ? -EINTR : -EBUSY;
	}
	kgraft_count_switched(p, KGRAFT_PATH_STOP, s.tasks);
	/* No task is in a replacement, none can enter one: drop them. */
	if (target == KGRAFT_UNPATCHED)
		kgraft_redirect_release(p);
	kgraft_transition_done(p, false);
	return 0;
}

static struct kgraft_strategy kgraft_sm_strategy = {
	.name = "stop_machine",
	.owner = THIS_MODULE,
	.start = kgraft_sm_start,
};

static int __init kgraft_sm_init(void)
{
	return kgraft_register_strategy(&kgraft_sm_strategy);
}

static void __exit kgraft_sm_exit(void)
{
	kgraft_unregister_strategy(&kgraft_sm_strategy);
}

module_init(kgraft_sm_init);
module_exit(kgraft_sm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft strategy: stop_machine() and a stack check (Ksplice, early kpatch)");
