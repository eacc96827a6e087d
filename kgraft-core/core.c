// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: kGraft's lazy per-task consistency model as a module for an
 * unmodified kernel. This file holds the patch life cycle: registration by
 * patch modules, enable/disable requests and the end of transitions.
 *
 * A patch module's reference count is raised from the moment its patch
 * starts being enabled until it is fully reverted, so the module cannot be
 * unloaded while any task may still run its code (delete_module() fails with
 * EWOULDBLOCK). A patch forced while being reverted keeps its module for
 * good, as a task may still be inside a replacement function.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"
#include "trace.h"

DEFINE_MUTEX(kgraft_mutex);
LIST_HEAD(kgraft_patches);
static u64 kgraft_enable_seq;

static struct kgraft_patch_priv *kgraft_find_patch(const char *name)
{
	struct kgraft_patch_priv *p;

	list_for_each_entry(p, &kgraft_patches, list)
		if (!strcmp(p->patch->name, name))
			return p;
	return NULL;
}

/* Refuse a patch that lists a function twice. */
static int kgraft_check_duplicates(struct kgraft_patch_priv *np)
{
	unsigned int i, j;

	for (i = 0; i < np->nr_funcs; i++) {
		if (!kgraft_fp_resolved(&np->funcs[i]))
			continue;
		for (j = 0; j < i; j++) {
			if (np->funcs[i].old_addr == np->funcs[j].old_addr) {
				pr_err("%s: %s listed twice\n", np->patch->name,
				       np->funcs[i].func->name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Patches stack on a function only if they redirect it by the same means:
 * kgraft's ftrace handler, or a strategy's own (livepatch's), which ftrace
 * lets only one of own a function.
 */
static int kgraft_check_stacking(struct kgraft_patch_priv *np)
{
	struct kgraft_patch_priv *p;
	unsigned int i, j;

	list_for_each_entry(p, &kgraft_patches, list) {
		if (p == np || p->state == KGRAFT_DISABLED ||
		    p->strategy->own_redirection ==
		    np->strategy->own_redirection)
			continue;
		for (i = 0; i < np->nr_funcs; i++) {
			if (!kgraft_fp_resolved(&np->funcs[i]))
				continue;
			for (j = 0; j < p->nr_funcs; j++) {
				if (np->funcs[i].old_addr != p->funcs[j].old_addr)
					continue;
				pr_err("%s: %s is redirected by patch %s with strategy %s, which %s cannot stack on\n",
				       np->patch->name, np->funcs[i].func->name,
				       p->patch->name, p->strategy->name,
				       np->strategy->name);
				return -EBUSY;
			}
		}
	}
	return 0;
}

static bool kgraft_valid_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strlen(name) < 64;
}

void kgraft_free_patch_priv(struct kgraft_patch_priv *p)
{
	kgraft_relocs_release(p);
	free_percpu(p->slow_calls);
	free_percpu(p->fast_calls);
	kfree(p->nops);
	kfree(p->funcs);
	kfree(p);
}

/**
 * kgraft_register_patch - make a patch known to kgraft, disabled
 * @patch: the patch, owned by the calling module
 *
 * Resolves every function; fails if one is missing, ambiguous or not
 * traceable. The patch is then enabled by writing 1 to
 * /sys/kernel/kgraft/<name>/enabled; it stacks on the patches enabled
 * before it.
 */
int kgraft_register_patch(struct kgraft_patch *patch)
{
	struct kgraft_patch_priv *p;
	unsigned int i, n = 0;
	int ret;

	if (!patch || !patch->mod || !patch->funcs ||
	    !kgraft_valid_name(patch->name))
		return -EINVAL;
	while (patch->funcs[n].name) {
		if (!patch->funcs[n].new_func)
			return -EINVAL;
		n++;
	}
	if (!n || kgraft_callbacks_check(patch))
		return -EINVAL;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->funcs = kcalloc(n, sizeof(*p->funcs), GFP_KERNEL);
	p->slow_calls = alloc_percpu(unsigned long);
	p->fast_calls = alloc_percpu(unsigned long);
	if (!p->funcs || !p->slow_calls || !p->fast_calls) {
		kgraft_free_patch_priv(p);
		return -ENOMEM;
	}
	p->patch = patch;
	p->nr_funcs = n;
	p->state = KGRAFT_DISABLED;
	p->target = KGRAFT_UNPATCHED;
	INIT_LIST_HEAD(&p->list);

	mutex_lock(&kgraft_mutex);
	ret = -EEXIST;
	if (kgraft_find_patch(patch->name)) {
		pr_err("a patch named %s is already registered\n", patch->name);
		goto err;
	}
	ret = kgraft_set_strategy(p, patch->strategy ?: "kgraft");
	if (ret) {
		pr_err("%s: strategy %s is not loaded\n", patch->name,
		       patch->strategy);
		goto err;
	}
	ret = kgraft_relocs_apply(p);
	if (ret)
		goto err;
	for (i = 0; i < n; i++) {
		p->funcs[i].patch = p;
		p->funcs[i].func = &patch->funcs[i];
		ret = kgraft_resolve_func(&p->funcs[i]);
		if (ret < 0)
			goto err;
		if (ret)
			pr_info("%s: %s is in module %s, not loaded: patched when it loads\n",
				patch->name, patch->funcs[i].name,
				patch->funcs[i].object);
	}
	ret = kgraft_check_duplicates(p);
	if (ret)
		goto err;
	ret = kgraft_sysfs_add(p);
	if (ret) {
		for (i = 0; i < n; i++)
			kgraft_release_func(&p->funcs[i]);
		kgraft_release_strategy(p);
		mutex_unlock(&kgraft_mutex);
		kgraft_sysfs_del(p);	/* frees p */
		return ret;
	}
	list_add_tail(&p->list, &kgraft_patches);
	patch->priv = p;
	mutex_unlock(&kgraft_mutex);
	pr_info("%s: registered, %u functions\n", patch->name, n);
	return 0;
err:
	for (i = 0; i < n; i++)
		kgraft_release_func(&p->funcs[i]);
	kgraft_release_strategy(p);
	mutex_unlock(&kgraft_mutex);
	kgraft_free_patch_priv(p);
	return ret;
}
EXPORT_SYMBOL_GPL(kgraft_register_patch);

/**
 * kgraft_unregister_patch - forget a disabled patch
 * @patch: a patch registered by kgraft_register_patch()
 *
 * Called from the patch module's exit, which cannot run before the patch is
 * fully reverted (kgraft holds a reference on the module until then).
 */
void kgraft_unregister_patch(struct kgraft_patch *patch)
{
	struct kgraft_patch_priv *p = patch->priv;
	unsigned int i;

	if (!p)
		return;
	mutex_lock(&kgraft_mutex);
	WARN_ON(p->state != KGRAFT_DISABLED);
	list_del_init(&p->list);
	for (i = 0; i < p->nr_funcs; i++)
		kgraft_release_func(&p->funcs[i]);
	kgraft_release_strategy(p);
	mutex_unlock(&kgraft_mutex);
	/* Outside the mutex: removal waits for sysfs writers, which take it. */
	kgraft_sysfs_del(p);
	patch->priv = NULL;
}
EXPORT_SYMBOL_GPL(kgraft_unregister_patch);

static bool kgraft_any_transition(void)
{
	struct kgraft_patch_priv *p;

	list_for_each_entry(p, &kgraft_patches, list)
		if (p->state == KGRAFT_TRANSITION)
			return true;
	return false;
}

/* Request from the enabled file; kgraft_mutex held. */
int kgraft_set_enabled(struct kgraft_patch_priv *p, bool enable)
{
	int target = enable ? KGRAFT_PATCHED : KGRAFT_UNPATCHED;
	enum kgraft_state old_state = p->state;
	int ret;

	if (list_empty(&p->list))
		return -ENODEV;
	if (p->state == KGRAFT_TRANSITION) {
		/* The opposite request turns the running transition around. */
		if (p->target == target || !p->strategy->reverse)
			return -EBUSY;
		ret = p->strategy->reverse(p);
		if (ret < 0)
			return ret;
		p->target = target;
		return 0;
	}
	if ((p->state == KGRAFT_ENABLED) == enable)
		return -EINVAL;
	if (kgraft_any_transition())
		return -EBUSY;
	if (enable) {
		ret = kgraft_check_stacking(p);
		if (ret)
			return ret;
	}
	if (enable && p->patch->replace) {
		ret = kgraft_replace_prepare(p);
		if (ret)
			goto err_nops;
	}
	if (enable && !p->mod_ref) {
		ret = -ENODEV;
		if (!try_module_get(p->patch->mod))
			goto err_nops;
		p->mod_ref = true;
	}
	ret = kgraft_callbacks_pre(p, target);
	if (ret)
		goto err_ref;
	if (enable)
		p->enable_seq = ++kgraft_enable_seq;
	/* A strategy that finishes at once moves the state on by itself. */
	p->state = KGRAFT_TRANSITION;
	p->target = target;
	p->forced = false;
	ret = p->strategy->start(p, target);
	if (ret) {
		p->state = old_state;
		p->target = !target;
		/* The transition ended where it began, at once. */
		kgraft_callbacks_post(p, !target);
		goto err_ref;
	}
	return 0;
err_ref:
	if (enable && !p->pinned) {
		module_put(p->patch->mod);
		p->mod_ref = false;
	}
err_nops:
	kgraft_replace_free_nops(p);
	return ret;
}

/* Request from the force file; kgraft_mutex held. */
int kgraft_force(struct kgraft_patch_priv *p)
{
	if (p->state != KGRAFT_TRANSITION || !p->strategy->force)
		return -EINVAL;
	return p->strategy->force(p);
}

struct kgraft_patch *kgraft_patch_of(struct kgraft_patch_priv *p)
{
	return p->patch;
}
EXPORT_SYMBOL_GPL(kgraft_patch_of);

void **kgraft_strategy_data(struct kgraft_patch_priv *p)
{
	return &p->strategy_data;
}
EXPORT_SYMBOL_GPL(kgraft_strategy_data);

/**
 * kgraft_transition_begin - a strategy starts moving @p to @target
 * @p:		the patch
 * @target:	KGRAFT_PATCHED or KGRAFT_UNPATCHED
 * @nr_tasks:	tasks that must switch
 */
void kgraft_transition_begin(struct kgraft_patch_priv *p, int target,
			     unsigned long nr_tasks)
{
	lockdep_assert_held(&kgraft_mutex);
	memset(&p->stats, 0, sizeof(p->stats));
	p->stats.tasks_at_start = nr_tasks;
	p->stats.start_ns = ktime_get_ns();
	trace_kgraft_transition_start(p->patch->name, target, nr_tasks);
}
EXPORT_SYMBOL_GPL(kgraft_transition_begin);

void kgraft_transition_reversed(struct kgraft_patch_priv *p, int target,
				unsigned long nr_tasks)
{
	u64 now = ktime_get_ns();

	lockdep_assert_held(&kgraft_mutex);
	trace_kgraft_transition_end(p->patch->name, !target,
				    now - p->stats.start_ns, 2);
	p->stats.start_ns = now;
	p->stats.end_ns = 0;
	trace_kgraft_transition_start(p->patch->name, target, nr_tasks);
	pr_info("%s: reversed, now %s, %lu tasks to switch\n", p->patch->name,
		target == KGRAFT_PATCHED ? "patching" : "unpatching",
		nr_tasks);
}
EXPORT_SYMBOL_GPL(kgraft_transition_reversed);

/* Never drop the patch module: a task may still run its code. */
void kgraft_pin_patch(struct kgraft_patch_priv *p)
{
	lockdep_assert_held(&kgraft_mutex);
	if (p->pinned)
		return;
	pr_warn("%s: module %s stays loaded for good (a task may run its code)\n",
		p->patch->name, p->patch->mod->name);
	p->pinned = true;
}
EXPORT_SYMBOL_GPL(kgraft_pin_patch);

void kgraft_record_stop(struct kgraft_patch_priv *p,
			const struct kgraft_stop_record *r)
{
	struct kgraft_stop_stats *s = &p->stats.stop;
	u64 total = r->rendezvous_ns + r->check_ns + r->switch_ns +
		    r->release_ns;

	lockdep_assert_held(&kgraft_mutex);
	s->stops++;
	if (r->result)
		s->busy++;
	s->last = *r;
	s->sum_total_ns += total;
	s->max_total_ns = max(s->max_total_ns, total);
	trace_kgraft_stop(p->patch->name, r->target, r->attempt, r->result,
			  r->rendezvous_ns, r->check_ns, r->switch_ns,
			  r->release_ns, r->tasks);
}
EXPORT_SYMBOL_GPL(kgraft_record_stop);

/**
 * kgraft_transition_done - @p reached its target
 * @p:		the patch
 * @forced:	tasks were declared switched rather than found switched
 *
 * Called by the strategy with kgraft_mutex held.
 */
void kgraft_transition_done(struct kgraft_patch_priv *p, bool forced)
{
	u64 duration;

	lockdep_assert_held(&kgraft_mutex);
	p->stats.end_ns = ktime_get_ns();
	duration = p->stats.end_ns - p->stats.start_ns;
	pr_info("%s: %s %s by %s in %llu us\n", p->patch->name,
		p->target == KGRAFT_PATCHED ? "patching" : "unpatching",
		forced ? "forced" : "completed", p->strategy->name,
		div_u64(duration, NSEC_PER_USEC));
	trace_kgraft_transition_end(p->patch->name, p->target, duration,
				    forced ? 1 : 0);
	p->forced = forced;
	p->state = p->target == KGRAFT_PATCHED ? KGRAFT_ENABLED :
						 KGRAFT_DISABLED;
	if (p->target == KGRAFT_PATCHED && p->patch->replace)
		kgraft_replace_finish(p);
	else
		kgraft_replace_free_nops(p);
	kgraft_callbacks_post(p, p->target);
	/*
	 * Wake whoever polls the transition file (bench sleeps in poll()
	 * rather than polling on the workload's CPUs). Before the module
	 * reference goes: the kobject goes away with the patch module.
	 */
	sysfs_notify(&p->kobj, NULL, "transition");
	if (p->target == KGRAFT_PATCHED)
		return;
	if (forced)
		kgraft_pin_patch(p);
	if (p->mod_ref && !p->pinned) {
		p->mod_ref = false;
		module_put(p->patch->mod);
	}
}
EXPORT_SYMBOL_GPL(kgraft_transition_done);

static int __init kgraft_init(void)
{
	int ret;

	ret = kgraft_symbols_init();
	if (ret)
		return ret;
	ret = kgraft_ts_init();
	if (ret)
		return ret;
	kgraft_strategies_init();
	ret = kgraft_transition_init();
	if (ret)
		goto err_ts;
	ret = kgraft_sysfs_init();
	if (ret)
		goto err_tr;
	ret = kgraft_boundary_init();
	if (ret)
		goto err_sysfs;
	ret = kgraft_module_init();
	if (ret)
		goto err_boundary;
	return 0;
err_boundary:
	kgraft_boundary_exit();
err_sysfs:
	kgraft_sysfs_exit();
err_tr:
	kgraft_transition_exit();
err_ts:
	kgraft_ts_exit();
	return ret;
}

static void __exit kgraft_exit(void)
{
	kgraft_module_exit();
	kgraft_shadow_exit();
	/* Patch modules depend on us: none is left, so no transition runs. */
	kgraft_boundary_exit();
	kgraft_sysfs_exit();
	kgraft_transition_exit();
	kgraft_ts_exit();
}

module_init(kgraft_init);
module_exit(kgraft_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kGraft lazy per-task live patching as a module");
