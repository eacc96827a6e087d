// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_immediate: every function switches at once, with no check of any
 * kind: the unsafe lower bound of the comparison. A task that is inside the
 * chain when it switches finishes its call with a mix of old and new code,
 * which the target's mixed-chain detector counts.
 *
 * Consistency is given up, memory safety is not: after a revert the patch
 * module can be unloaded only once no task is found inside a replacement.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <kgraft_strategy.h>

/* How this strategy switches tasks (stats line switched_immediate). */
enum { KGRAFT_IMM_PATH_IMMEDIATE };
static const char * const kgraft_imm_paths[] = {
	[KGRAFT_IMM_PATH_IMMEDIATE] = "immediate", /* every task, unchecked */
	NULL,
};

/* Passes over tasks that ran, or had no reliable stack, before deferring. */
#define KGRAFT_IMM_PASSES 10
#define KGRAFT_IMM_RECHECK_MAX_MS 1000

struct kgraft_imm_scan {
	struct kgraft_patch_priv *p;
	atomic_long_t unsure;	/* running elsewhere, or unreliable stack */
	atomic_t found;
	pid_t pid;
	const char *func;
};

/* The scan the per-CPU work items serve; under kgraft_imm_scan_mutex. */
static struct kgraft_imm_scan *kgraft_imm_cur;
static DEFINE_MUTEX(kgraft_imm_scan_mutex);

/* Record what the check of @t found; -EADDRINUSE ends the walk. */
static int kgraft_imm_check(struct kgraft_imm_scan *s, struct task_struct *t)
{
	const char *func = NULL;
	int ret;

	ret = kgraft_task_check(s->p, t, KGRAFT_PATCHED, &func);
	if (ret == -EADDRINUSE) {
		if (!atomic_xchg(&s->found, 1)) {
			s->pid = t->pid;
			s->func = func;
		}
		return ret;
	}
	/* On a CPU now (-EBUSY) or no reliable stack: not proven. */
	if (ret)
		atomic_long_inc(&s->unsure);
	return 0;
}

/*
 * Every task but the idle tasks, from one place, wherever it sleeps or
 * runs: a CPU-by-CPU pass would miss a task that moves to a CPU already
 * passed, or one asleep on a CPU that is offline. Current too: the task
 * that disables the patch may itself be inside a replacement.
 */
static int kgraft_imm_scan_task(struct task_struct *t, void *arg)
{
	if (is_idle_task(t))
		return 0;
	return kgraft_imm_check(arg, t);
}

/*
 * The idle task of the CPU this work runs on (it is off-CPU now). Idle
 * tasks never migrate, so one pass per CPU sees each of them; those of
 * offline CPUs restart from scratch.
 */
static int kgraft_imm_scan_idle(struct task_struct *t, void *arg)
{
	if (!is_idle_task(t))
		return 1;	/* idle tasks come first: the rest is done */
	if (task_cpu(t) != raw_smp_processor_id())
		return 0;
	return kgraft_imm_check(arg, t);
}

static void kgraft_imm_cpu_scan(struct work_struct *work)
{
	kgraft_walk_tasks(kgraft_imm_scan_idle, kgraft_imm_cur);
}

/* 0: no task is in a replacement of @p; -EADDRINUSE: one is; -EAGAIN: unsure. */
static int kgraft_imm_scan(struct kgraft_patch_priv *p, int passes)
{
	struct kgraft_imm_scan s = { .p = p };
	int pass, ret = -EAGAIN;

	mutex_lock(&kgraft_imm_scan_mutex);
	kgraft_imm_cur = &s;
	for (pass = 0; pass < passes; pass++) {
		atomic_long_set(&s.unsure, 0);
		atomic_set(&s.found, 0);
		kgraft_walk_tasks(kgraft_imm_scan_task, &s);
		if (!atomic_read(&s.found))
			kgraft_run_on_each_cpu(kgraft_imm_cpu_scan);
		if (atomic_read(&s.found)) {
			ret = -EADDRINUSE;
			break;
		}
		if (!atomic_long_read(&s.unsure)) {
			ret = 0;
			break;
		}
		if (pass + 1 < passes)
			usleep_range(10000, 20000);
	}
	kgraft_imm_cur = NULL;
	mutex_unlock(&kgraft_imm_scan_mutex);
	return ret;
}

/*
 * After a revert that could not prove the replacements unused (a task was
 * running, or inside one), an extra reference keeps the patch module
 * loaded until a later scan proves it, every few hundred ms.
 */
struct kgraft_imm_hold {
	struct delayed_work work;
	struct list_head list;
	struct kgraft_patch_priv *p;
	struct module *mod;
	unsigned int delay_ms;
	bool done;		/* reference dropped; @work runs no more */
};

static LIST_HEAD(kgraft_imm_holds);
static DEFINE_SPINLOCK(kgraft_imm_holds_lock);

static void kgraft_imm_recheck(struct work_struct *work)
{
	struct kgraft_imm_hold *h = container_of(to_delayed_work(work),
						 struct kgraft_imm_hold, work);

	int ret;

	/*
	 * The module reference keeps the patch registered, @h->p valid; the
	 * lock keeps its versions (no-ops, if it is enabled again) still.
	 */
	mutex_lock(kgraft_lock());
	ret = kgraft_imm_scan(h->p, 1);
	mutex_unlock(kgraft_lock());
	if (ret) {
		h->delay_ms = min(2 * h->delay_ms, KGRAFT_IMM_RECHECK_MAX_MS);
		queue_delayed_work(system_unbound_wq, &h->work,
				   msecs_to_jiffies(h->delay_ms));
		return;
	}
	module_put(h->mod);
	WRITE_ONCE(h->done, true);
}

/* Free the holds whose reference is gone; never from their own work. */
static void kgraft_imm_reap(void)
{
	struct kgraft_imm_hold *h, *n;
	LIST_HEAD(done);

	spin_lock(&kgraft_imm_holds_lock);
	list_for_each_entry_safe(h, n, &kgraft_imm_holds, list)
		if (READ_ONCE(h->done))
			list_move(&h->list, &done);
	spin_unlock(&kgraft_imm_holds_lock);
	list_for_each_entry_safe(h, n, &done, list) {
		cancel_delayed_work_sync(&h->work);	/* its last return */
		kfree(h);
	}
}

static void kgraft_imm_hold_patch(struct kgraft_patch_priv *p)
{
	struct module *mod = kgraft_patch_of(p)->mod;
	struct kgraft_imm_hold *h;

	kgraft_imm_reap();
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h || !try_module_get(mod)) {
		kfree(h);
		kgraft_pin_patch(p);
		return;
	}
	h->p = p;
	h->mod = mod;
	h->delay_ms = 100;
	INIT_DELAYED_WORK(&h->work, kgraft_imm_recheck);
	spin_lock(&kgraft_imm_holds_lock);
	list_add(&h->list, &kgraft_imm_holds);
	spin_unlock(&kgraft_imm_holds_lock);
	queue_delayed_work(system_unbound_wq, &h->work,
			   msecs_to_jiffies(h->delay_ms));
}

static int kgraft_imm_start(struct kgraft_patch_priv *p, int target)
{
	unsigned long nr = kgraft_nr_tasks();
	int ret;

	kgraft_transition_begin(p, target, nr);
	if (target == KGRAFT_PATCHED) {
		/* Registered first, so that all functions flip together. */
		ret = kgraft_redirect_prepare(p);
		if (ret)
			return ret;
	}
	kgraft_redirect_switch(p, target);
	kgraft_count_switched(p, KGRAFT_IMM_PATH_IMMEDIATE, nr);
	if (target == KGRAFT_UNPATCHED) {
		kgraft_redirect_release(p);
		if (kgraft_imm_scan(p, KGRAFT_IMM_PASSES))
			kgraft_imm_hold_patch(p);
	}
	kgraft_transition_done(p, false);
	return 0;
}

/*
 * Cumulative @p replaced @q with no consistency: a task may still be in
 * one of @q's replacements. @q's module stays until none is, as after a
 * revert.
 */
static void kgraft_imm_replaced(struct kgraft_patch_priv *p,
				struct kgraft_patch_priv *q)
{
	if (kgraft_imm_scan(q, KGRAFT_IMM_PASSES))
		kgraft_imm_hold_patch(q);
}

static struct kgraft_strategy kgraft_imm_strategy = {
	.name = "immediate",
	.owner = THIS_MODULE,
	.start = kgraft_imm_start,
	.replaced = kgraft_imm_replaced,
	.paths = kgraft_imm_paths,
};

static int __init kgraft_imm_init(void)
{
	return kgraft_register_strategy(&kgraft_imm_strategy);
}

static void __exit kgraft_imm_exit(void)
{
	struct kgraft_imm_hold *h, *n;

	kgraft_unregister_strategy(&kgraft_imm_strategy);
	/* Unproven ones keep their reference: those modules stay for good. */
	list_for_each_entry_safe(h, n, &kgraft_imm_holds, list) {
		cancel_delayed_work_sync(&h->work);
		if (!h->done)
			pr_warn("module %s stays loaded for good\n",
				h->mod->name);
		kfree(h);
	}
}

module_init(kgraft_imm_init);
module_exit(kgraft_imm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft strategy: switch every function at once, unchecked");
