// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: shadow variables, data a fix attaches to an object it cannot
 * grow (a struct whose layout a live patch must not change), keyed by
 * (object address, id) in one hash table. Readers walk a bucket under RCU;
 * writers hold a spinlock with interrupts off, so a patched function may
 * attach or free one from any context, interrupts included. The memory is
 * freed after a grace period, so a reader that found a variable being
 * freed may finish with it.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/hashtable.h>
#include <linux/overflow.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "internal.h"

struct kgraft_shadow {
	struct hlist_node node;
	struct rcu_head rcu;
	void *obj;
	unsigned long id;
	char data[];
};

#define KGRAFT_SHADOW_BITS 12
static DEFINE_HASHTABLE(kgraft_shadow_table, KGRAFT_SHADOW_BITS);
static DEFINE_SPINLOCK(kgraft_shadow_lock);
static atomic_long_t kgraft_shadow_nr;

/* Under rcu_read_lock() or kgraft_shadow_lock. */
static struct kgraft_shadow *kgraft_shadow_find(void *obj, unsigned long id)
{
	struct kgraft_shadow *s;

	hash_for_each_possible_rcu(kgraft_shadow_table, s, node,
				   (unsigned long)obj,
				   lockdep_is_held(&kgraft_shadow_lock))
		if (s->obj == obj && s->id == id)
			return s;
	return NULL;
}

void *kgraft_shadow_get(void *obj, unsigned long id)
{
	struct kgraft_shadow *s;

	rcu_read_lock();
	s = kgraft_shadow_find(obj, id);
	rcu_read_unlock();
	return s ? s->data : NULL;
}
EXPORT_SYMBOL_GPL(kgraft_shadow_get);

static void *kgraft_shadow_add(void *obj, unsigned long id, size_t size,
			       gfp_t gfp, kgraft_shadow_ctor_t ctor,
			       void *ctor_data, bool or_get)
{
	struct kgraft_shadow *s, *old;
	unsigned long flags;
	void *data;
	int ret;

	data = kgraft_shadow_get(obj, id);
	if (data)
		return or_get ? data : NULL;
	/* Allocated outside the lock: @gfp may sleep where the caller can. */
	s = kzalloc(struct_size(s, data, size), gfp);
	if (!s)
		return NULL;
	s->obj = obj;
	s->id = id;
	spin_lock_irqsave(&kgraft_shadow_lock, flags);
	old = kgraft_shadow_find(obj, id);
	if (old) {
		/* Another caller attached it meanwhile. */
		spin_unlock_irqrestore(&kgraft_shadow_lock, flags);
		kfree(s);
		return or_get ? old->data : NULL;
	}
	if (ctor) {
		ret = ctor(obj, s->data, ctor_data);
		if (ret) {
			spin_unlock_irqrestore(&kgraft_shadow_lock, flags);
			pr_err("shadow %lu of %p: constructor failed: %d\n",
			       id, obj, ret);
			kfree(s);
			return NULL;
		}
	}
	hash_add_rcu(kgraft_shadow_table, &s->node, (unsigned long)obj);
	atomic_long_inc(&kgraft_shadow_nr);
	spin_unlock_irqrestore(&kgraft_shadow_lock, flags);
	return s->data;
}

void *kgraft_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp,
			  kgraft_shadow_ctor_t ctor, void *ctor_data)
{
	return kgraft_shadow_add(obj, id, size, gfp, ctor, ctor_data, false);
}
EXPORT_SYMBOL_GPL(kgraft_shadow_alloc);

void *kgraft_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				 gfp_t gfp, kgraft_shadow_ctor_t ctor,
				 void *ctor_data)
{
	return kgraft_shadow_add(obj, id, size, gfp, ctor, ctor_data, true);
}
EXPORT_SYMBOL_GPL(kgraft_shadow_get_or_alloc);

/* Under kgraft_shadow_lock. */
static void kgraft_shadow_del(struct kgraft_shadow *s,
			      kgraft_shadow_dtor_t dtor)
{
	hash_del_rcu(&s->node);
	if (dtor)
		dtor(s->obj, s->data);
	atomic_long_dec(&kgraft_shadow_nr);
	kfree_rcu(s, rcu);
}

void kgraft_shadow_free(void *obj, unsigned long id, kgraft_shadow_dtor_t dtor)
{
	struct kgraft_shadow *s;
	unsigned long flags;

	spin_lock_irqsave(&kgraft_shadow_lock, flags);
	s = kgraft_shadow_find(obj, id);
	if (s)
		kgraft_shadow_del(s, dtor);
	spin_unlock_irqrestore(&kgraft_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(kgraft_shadow_free);

void kgraft_shadow_free_all(unsigned long id, kgraft_shadow_dtor_t dtor)
{
	struct kgraft_shadow *s;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&kgraft_shadow_lock, flags);
	hash_for_each_safe(kgraft_shadow_table, bkt, tmp, s, node)
		if (s->id == id)
			kgraft_shadow_del(s, dtor);
	spin_unlock_irqrestore(&kgraft_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(kgraft_shadow_free_all);

/* Variables alive now (/sys/kernel/kgraft/shadows). */
unsigned long kgraft_shadow_count(void)
{
	return atomic_long_read(&kgraft_shadow_nr);
}

/* No patch module is left: what is still here was leaked by one. */
void kgraft_shadow_exit(void)
{
	struct kgraft_shadow *s;
	struct hlist_node *tmp;
	unsigned long n = 0;
	int bkt;

	spin_lock_irq(&kgraft_shadow_lock);
	hash_for_each_safe(kgraft_shadow_table, bkt, tmp, s, node) {
		kgraft_shadow_del(s, NULL);
		n++;
	}
	spin_unlock_irq(&kgraft_shadow_lock);
	if (n)
		pr_warn("%lu shadow variables left by patch modules, freed\n", n);
	/* kfree_rcu() callbacks reference no module code: nothing to wait. */
}
