// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: the registry of strategies and the choice of one per patch.
 *
 * A patch holds a reference on the module of the strategy it has selected,
 * so a strategy module cannot go away while a patch may use it; the choice
 * can change only while the patch is disabled (a strategy that applied a
 * patch is the one that reverts it).
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/module.h>
#include <linux/string.h>
#include "internal.h"

static LIST_HEAD(kgraft_strategies);

struct mutex *kgraft_lock(void)
{
	return &kgraft_mutex;
}
EXPORT_SYMBOL_GPL(kgraft_lock);

static struct kgraft_strategy *kgraft_find_strategy(const char *name)
{
	struct kgraft_strategy *s;

	list_for_each_entry(s, &kgraft_strategies, list)
		if (sysfs_streq(s->name, name))
			return s;
	return NULL;
}

int kgraft_register_strategy(struct kgraft_strategy *s)
{
	int ret = 0;

	if (!s || !s->name || !*s->name || strlen(s->name) > 32 ||
	    strchr(s->name, '\n') || !s->start)
		return -EINVAL;
	mutex_lock(&kgraft_mutex);
	if (kgraft_find_strategy(s->name))
		ret = -EEXIST;
	else
		ret = kgraft_paths_add(s);
	if (!ret)
		list_add_tail(&s->list, &kgraft_strategies);
	mutex_unlock(&kgraft_mutex);
	if (!ret)
		pr_info("strategy %s registered\n", s->name);
	else
		pr_err("strategy %s refused: %d\n", s->name, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(kgraft_register_strategy);

/* From the strategy module's exit: no patch holds it (module reference). */
void kgraft_unregister_strategy(struct kgraft_strategy *s)
{
	mutex_lock(&kgraft_mutex);
	list_del(&s->list);
	kgraft_paths_remove(s);
	mutex_unlock(&kgraft_mutex);
}
EXPORT_SYMBOL_GPL(kgraft_unregister_strategy);

/* Let @p leave its strategy; kgraft_mutex held, @p disabled. */
void kgraft_release_strategy(struct kgraft_patch_priv *p)
{
	const struct kgraft_strategy *s = p->strategy;

	if (!s)
		return;
	/* A progress read may still be counting with it (sysfs.c). */
	if (s->nr_pending_nolock)
		synchronize_rcu();
	if (s->release)
		s->release(p);
	p->strategy_data = NULL;
	p->strategy = NULL;
	module_put(s->owner);
}

/*
 * Select strategy @name for @p; kgraft_mutex held. -EINVAL for a name no
 * loaded strategy has, -EBUSY unless @p is disabled (a strategy reverts
 * what it applied), -ENODEV if the strategy's module is going away.
 */
int kgraft_set_strategy(struct kgraft_patch_priv *p, const char *name)
{
	struct kgraft_strategy *s = kgraft_find_strategy(name);

	if (!s)
		return -EINVAL;
	if (s == p->strategy)
		return 0;
	if (p->state != KGRAFT_DISABLED)
		return -EBUSY;
	if (!try_module_get(s->owner))
		return -ENODEV;
	kgraft_release_strategy(p);
	p->strategy = s;
	return 0;
}

/* Strategies built into kgraft.ko. */
void kgraft_strategies_init(void)
{
	list_add_tail(&kgraft_lazy_strategy.list, &kgraft_strategies);
	list_add_tail(&kgraft_sweep_strategy.list, &kgraft_strategies);
}
