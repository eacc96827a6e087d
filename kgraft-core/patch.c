// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: redirection of each patched function through one IPMODIFY
 * ftrace_ops on its fentry site, shared by every patch that replaces it.
 *
 * kGraft (2014) registered a fast stub beside the slow one at completion;
 * on 6.1 ftrace refuses a second IPMODIFY ops on a function (-EBUSY), so
 * each function has exactly one ops (its site), whose handler reads the
 * mode of the newest version on the site's stack: the slow handler during
 * a transition, the fast one after it. As in upstream livepatch, a task on
 * the unpatched side of a transition gets the version below. The mode is one load
 * and one predictable branch, so the fast path costs what a dedicated fast
 * handler would.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/ftrace.h>
#include <linux/preempt.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
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

static LIST_HEAD(kgraft_sites);

static void notrace kgraft_handler(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *ops,
				   struct ftrace_regs *fregs)
{
	struct kgraft_site *site;
	struct kgraft_func_priv *fp;
	int bit, mode;

	/* As livepatch: a recursion here is a bug, the old code would run. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (WARN_ON_ONCE(bit < 0))
		return;
	/* The lock disabled preemption: the stack's entries stay (RCU). */
	site = container_of(ops, struct kgraft_site, ops);
	fp = list_first_or_null_rcu(&site->stack, struct kgraft_func_priv,
				    stack_node);
	if (unlikely(!fp))
		goto out;

	/* Fast handler: no per-task lookup once the transition is over. */
	mode = READ_ONCE(fp->mode);
	if (likely(mode == KGRAFT_MODE_FAST)) {
		this_cpu_inc(*fp->patch->fast_calls);
		goto redirect;
	}
	if (mode == KGRAFT_MODE_SLOW) {
		/* Slow handler: pairs with the barriers of the start. */
		smp_rmb();
		this_cpu_inc(*fp->patch->slow_calls);
		if (kgraft_current_universe() == KGRAFT_PATCHED)
			goto redirect;
	}
	/*
	 * Not switched yet (all at once), or this task is still on the
	 * unpatched side: the version below, which a finished transition
	 * left in fast mode (only one transition runs at a time).
	 */
	fp = list_next_or_null_rcu(&site->stack, &fp->stack_node,
				   struct kgraft_func_priv, stack_node);
	if (!fp)
		goto out;
redirect:
	if (!fp->nop)
		ftrace_instruction_pointer_set(fregs, fp->new_addr);
out:
	ftrace_test_recursion_unlock(bit);
}

static struct kgraft_site *kgraft_site_find(unsigned long old_addr)
{
	struct kgraft_site *site;

	list_for_each_entry(site, &kgraft_sites, node)
		if (site->old_addr == old_addr)
			return site;
	return NULL;
}

/* A site for @fp's function with @fp alone on it, its ops registered. */
static int kgraft_site_create(struct kgraft_func_priv *fp)
{
	struct kgraft_site *site;
	int ret;

	site = kzalloc(sizeof(*site), GFP_KERNEL);
	if (!site)
		return -ENOMEM;
	INIT_LIST_HEAD(&site->stack);
	site->old_addr = fp->old_addr;
	site->ops.func = kgraft_handler;
	site->ops.flags = FTRACE_OPS_FL_DYNAMIC | FTRACE_OPS_FL_IPMODIFY |
			  FTRACE_OPS_FL_PERMANENT;
	ret = ftrace_set_filter_ip(&site->ops, fp->old_addr, 0, 0);
	if (ret) {
		pr_err("%s: ftrace_set_filter_ip failed: %d\n", fp->func->name,
		       ret);
		ftrace_free_filter(&site->ops);
		kfree(site);
		return ret;
	}
	list_add_rcu(&fp->stack_node, &site->stack);
	ret = register_ftrace_function(&site->ops);
	if (ret) {
		pr_err("%s: cannot redirect (%d): %s\n", fp->func->name, ret,
		       ret == -EBUSY ?
		       "another live patch or kprobe owns it" : "ftrace");
		ftrace_free_filter(&site->ops);
		kfree(site);
		return ret;
	}
	list_add(&site->node, &kgraft_sites);
	fp->site = site;
	return 0;
}

/*
 * Push @fp on its function's stack, in the mode set beforehand
 * (list_add_rcu() publishes it), creating and registering a site where
 * the function had none.
 */
int kgraft_fp_push(struct kgraft_func_priv *fp)
{
	struct kgraft_func_priv *pos;
	struct kgraft_site *site;
	struct list_head *prev;

	lockdep_assert_held(&kgraft_mutex);
	if (WARN_ON(fp->site) || !kgraft_fp_resolved(fp))
		return 0;
	site = kgraft_site_find(fp->old_addr);
	if (!site)
		return kgraft_site_create(fp);
	/*
	 * Newest enabled first: on top at an enable; a module loaded later
	 * gets each patch's version where that patch's enable put it.
	 */
	prev = &site->stack;
	list_for_each_entry(pos, &site->stack, stack_node) {
		if (pos->patch->enable_seq < fp->patch->enable_seq)
			break;
		prev = &pos->stack_node;
	}
	list_add_rcu(&fp->stack_node, prev);
	fp->site = site;
	return 0;
}

/* Every version of @p whose function is loaded. */
int kgraft_patch_register_ops(struct kgraft_patch_priv *p)
{
	struct kgraft_func_priv *fp;
	unsigned int i;
	int ret;

	kgraft_for_each_fp(p, fp, i) {
		ret = kgraft_fp_push(fp);
		if (ret) {
			kgraft_patch_unregister_ops(p);
			return ret;
		}
	}
	return 0;
}

/*
 * Take @fp off its stack; a site left empty is unregistered (ftrace waits
 * for its handlers). True when the stack stays: a handler that found @fp
 * just before may still read it, so every CPU must be waited for before
 * @fp (and its patch module) can go.
 */
bool kgraft_fp_pop(struct kgraft_func_priv *fp)
{
	struct kgraft_site *site = fp->site;

	if (!site)
		return false;
	list_del_rcu(&fp->stack_node);
	fp->site = NULL;
	if (!list_empty(&site->stack))
		return true;
	list_del(&site->node);
	/* Returns once no CPU can be inside kgraft_handler for it. */
	if (WARN_ON(unregister_ftrace_function(&site->ops)))
		return false;	/* ftrace still links it: leaked, not freed */
	ftrace_free_filter(&site->ops);
	kfree(site);
	return false;
}

/* Take every version of @p off its stack. */
void kgraft_patch_unregister_ops(struct kgraft_patch_priv *p)
{
	struct kgraft_func_priv *fp;
	bool sync = false;
	unsigned int i;

	lockdep_assert_held(&kgraft_mutex);
	kgraft_for_each_fp(p, fp, i)
		sync |= kgraft_fp_pop(fp);
	if (sync)
		kgraft_sync_cpus();
}

/* Only @p's no-ops (a cumulative patch's, once it replaced the others). */
void kgraft_patch_unregister_nops(struct kgraft_patch_priv *p)
{
	bool sync = false;
	unsigned int i;

	lockdep_assert_held(&kgraft_mutex);
	for (i = 0; i < p->nr_nops; i++)
		sync |= kgraft_fp_pop(&p->nops[i]);
	if (sync)
		kgraft_sync_cpus();
}

void kgraft_patch_set_mode(struct kgraft_patch_priv *p, int mode)
{
	struct kgraft_func_priv *fp;
	unsigned int i;

	kgraft_for_each_fp(p, fp, i)
		WRITE_ONCE(fp->mode, mode);
}

/* The code @fp's function runs below @fp: the version under it, or the original. */
void kgraft_fp_below(const struct kgraft_func_priv *fp, unsigned long *start,
		     unsigned long *size)
{
	const struct kgraft_func_priv *below = NULL;

	if (fp->site && !list_is_last(&fp->stack_node, &fp->site->stack))
		below = list_next_entry(fp, stack_node);
	*start = below ? below->new_addr : fp->old_addr;
	*size = below ? below->new_size : fp->old_size;
}

/*
 * The code the function at @old_addr runs once transitions are over, not
 * counting @except's version: the newest other version on its stack. False
 * (and nothing set) when that is the original.
 */
bool kgraft_site_running(unsigned long old_addr,
			 const struct kgraft_patch_priv *except,
			 unsigned long *start, unsigned long *size)
{
	struct kgraft_site *site = kgraft_site_find(old_addr);
	struct kgraft_func_priv *fp;

	if (!site)
		return false;
	list_for_each_entry(fp, &site->stack, stack_node) {
		if (fp->patch == except)
			continue;
		if (fp->nop)
			return false;
		*start = fp->new_addr;
		*size = fp->new_size;
		return true;
	}
	return false;
}

/*
 * /sys/kernel/kgraft/stacks: a line per patched function, "object
 * function" then the patches on its stack, newest first, each with the
 * mode of its version (fast, slow, old), ":nop" for a cumulative patch's
 * way back to the original.
 */
int kgraft_stacks_show(char *buf, int len)
{
	static const char * const modes[] = {
		[KGRAFT_MODE_SLOW] = "slow",
		[KGRAFT_MODE_FAST] = "fast",
		[KGRAFT_MODE_OLD] = "old",
	};
	struct kgraft_func_priv *fp;
	struct kgraft_site *site;

	lockdep_assert_held(&kgraft_mutex);
	list_for_each_entry(site, &kgraft_sites, node) {
		fp = list_first_entry(&site->stack, struct kgraft_func_priv,
				      stack_node);
		if (len > PAGE_SIZE - 256)
			break;
		len += sysfs_emit_at(buf, len, "%s %s",
				     fp->func->object ?: "vmlinux",
				     fp->func->name);
		list_for_each_entry(fp, &site->stack, stack_node)
			len += sysfs_emit_at(buf, len, " %s:%s%s",
					     fp->patch->patch->name,
					     modes[READ_ONCE(fp->mode)],
					     fp->nop ? ":nop" : "");
		len += sysfs_emit_at(buf, len, "\n");
	}
	return len;
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
