// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: redirection of each patched function through one IPMODIFY
 * ftrace_ops on its fentry site.
 *
 * kGraft (2014) registered a fast stub beside the slow one at completion;
 * on 6.1 ftrace refuses a second IPMODIFY ops on a function (-EBUSY), so
 * each function has exactly one ops whose handler reads a mode: the slow
 * handler during a transition, the fast one after it. The mode is one load
 * and one predictable branch, so the fast path costs what a dedicated fast
 * handler would.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/ftrace.h>
#include <linux/preempt.h>
#include "internal.h"

/* Universe of interrupts on each CPU (kGraft's kgr_irq_use_new). */
DEFINE_PER_CPU(int, kgraft_irq_universe);

/* The calling context's universe; the caller has preemption disabled. */
static __always_inline int kgraft_current_universe(void)
{
	struct kgraft_task_state *ts;

	/*
	 * Interrupts, softirqs and NMIs do not belong to the task they
	 * interrupt: they follow the CPU, which switches when it runs
	 * kgraft's per-CPU work in process context (no interrupt handler
	 * can be half way through a call chain at that point).
	 */
	if (!in_task())
		return this_cpu_read(kgraft_irq_universe);
	ts = kgraft_ts_lookup(current);
	if (likely(ts))
		return READ_ONCE(ts->universe);
	return READ_ONCE(kgraft_tr.start_source);
}

static void notrace kgraft_handler(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *ops,
				   struct ftrace_regs *fregs)
{
	struct kgraft_func_priv *fp;
	int bit, mode;

	/* As livepatch: a recursion here is a bug, the old code would run. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (WARN_ON_ONCE(bit < 0))
		return;
	fp = container_of(ops, struct kgraft_func_priv, ops);

	/* Fast handler: no per-task lookup once the transition is over. */
	mode = READ_ONCE(fp->mode);
	if (likely(mode == KGRAFT_MODE_FAST)) {
		this_cpu_inc(*fp->patch->fast_calls);
		ftrace_instruction_pointer_set(fregs, fp->new_addr);
		goto out;
	}
	/* Registered, not yet switched by an all-at-once strategy. */
	if (mode == KGRAFT_MODE_OLD)
		goto out;

	/* Slow handler: pairs with the barriers of the transition's start. */
	smp_rmb();
	this_cpu_inc(*fp->patch->slow_calls);
	if (kgraft_current_universe() == KGRAFT_PATCHED)
		ftrace_instruction_pointer_set(fregs, fp->new_addr);
out:
	ftrace_test_recursion_unlock(bit);
}

int kgraft_patch_register_ops(struct kgraft_patch_priv *p)
{
	unsigned int i;
	int ret;

	for (i = 0; i < p->nr_funcs; i++) {
		struct kgraft_func_priv *fp = &p->funcs[i];

		fp->ops.func = kgraft_handler;
		fp->ops.flags = FTRACE_OPS_FL_DYNAMIC | FTRACE_OPS_FL_IPMODIFY |
				FTRACE_OPS_FL_PERMANENT;
		ret = ftrace_set_filter_ip(&fp->ops, fp->old_addr, 0, 0);
		if (ret) {
			pr_err("%s: ftrace_set_filter_ip failed: %d\n",
			       fp->func->name, ret);
			goto err;
		}
		ret = register_ftrace_function(&fp->ops);
		if (ret) {
			pr_err("%s: cannot redirect (%d): %s\n", fp->func->name,
			       ret, ret == -EBUSY ?
			       "another live patch or kprobe owns it" : "ftrace");
			ftrace_set_filter_ip(&fp->ops, fp->old_addr, 1, 0);
			goto err;
		}
		fp->registered = true;
	}
	return 0;
err:
	kgraft_patch_unregister_ops(p);
	return ret;
}

void kgraft_patch_unregister_ops(struct kgraft_patch_priv *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_funcs; i++) {
		struct kgraft_func_priv *fp = &p->funcs[i];

		if (!fp->registered)
			continue;
		/* Returns once no CPU can be inside kgraft_handler for it. */
		WARN_ON(unregister_ftrace_function(&fp->ops));
		/*
		 * Removing the last address leaves the empty hash, so the ops
		 * can be registered again (ftrace_free_filter() would leave
		 * dangling hash pointers in it).
		 */
		ftrace_set_filter_ip(&fp->ops, fp->old_addr, 1, 0);
		fp->registered = false;
	}
}

void kgraft_patch_set_mode(struct kgraft_patch_priv *p, int mode)
{
	unsigned int i;

	for (i = 0; i < p->nr_funcs; i++)
		WRITE_ONCE(p->funcs[i].mode, mode);
}

/*
 * For the strategies that switch every function at once (stop_machine,
 * immediate): the ftrace ops are registered beforehand, running the old
 * code, because registering them touches kernel text, which cannot be done
 * inside stop_machine(); the switch itself is then only stores to the modes.
 */
int kgraft_redirect_prepare(struct kgraft_patch_priv *p)
{
	kgraft_patch_set_mode(p, KGRAFT_MODE_OLD);
	return kgraft_patch_register_ops(p);
}
EXPORT_SYMBOL_GPL(kgraft_redirect_prepare);

void notrace kgraft_redirect_switch(struct kgraft_patch_priv *p, int universe)
{
	kgraft_patch_set_mode(p, universe == KGRAFT_PATCHED ?
				 KGRAFT_MODE_FAST : KGRAFT_MODE_OLD);
}
EXPORT_SYMBOL_GPL(kgraft_redirect_switch);

void kgraft_redirect_release(struct kgraft_patch_priv *p)
{
	kgraft_patch_unregister_ops(p);
}
EXPORT_SYMBOL_GPL(kgraft_redirect_release);
