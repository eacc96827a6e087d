// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: the universe of each task during a transition.
 *
 * kGraft kept it in a thread-info flag; a module cannot add one, and
 * borrowing task_struct::patch_state would clash with upstream livepatch,
 * which the benchmark runs in the same boot. So the state lives in a hash
 * table keyed by the task_struct pointer:
 *  - readers (the ftrace handler, boundary probes) walk an RCU hlist with
 *    no lock and no atomic operation, which is safe in IRQ and NMI context
 *    and costs a hash and a short chain walk;
 *  - writers (fork, free, switches, reverse, force) take a raw spinlock
 *    with interrupts off: switches happen inside task_call_func(), under
 *    the scheduler's raw locks;
 *  - entries removed (a task freed, or the transition over) are not freed
 *    at once but retired: a reaper work frees them once every CPU has
 *    passed through process context, since the handler can run where RCU
 *    does not watch (idle, entry code) and an RCU grace period alone would
 *    not cover it, as upstream livepatch notes for klp_synchronize_transition.
 *    The reaper runs outside kgraft_mutex: a CPU that runs no worker (a
 *    real-time task monopolising it) delays the frees, never kgraft. Exits
 *    during a long transition are reaped at every sweep, so memory stays
 *    flat under a fork storm.
 * Entries exist only while a transition runs: afterwards the table is empty.
 */
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include "internal.h"

#define KGRAFT_TS_BITS 12

static DEFINE_HASHTABLE(kgraft_ts_table, KGRAFT_TS_BITS);
static LIST_HEAD(kgraft_ts_dead);	/* removed from the table */
static void kgraft_ts_reap_fn(struct work_struct *work);
static DECLARE_WORK(kgraft_ts_reap_work, kgraft_ts_reap_fn);
static struct kmem_cache *kgraft_ts_cache;
static atomic_long_t kgraft_ts_nr;
static atomic_long_t kgraft_ts_unfreed;	/* removed, awaiting their free */
DEFINE_RAW_SPINLOCK(kgraft_ts_lock);

int kgraft_ts_init(void)
{
	kgraft_ts_cache = KMEM_CACHE(kgraft_task_state, 0);
	return kgraft_ts_cache ? 0 : -ENOMEM;
}

void kgraft_ts_exit(void)
{
	cancel_work_sync(&kgraft_ts_reap_work);
	kgraft_ts_free_all();
	kmem_cache_destroy(kgraft_ts_cache);
}

struct kgraft_task_state *notrace kgraft_ts_lookup(struct task_struct *t)
{
	struct kgraft_task_state *ts;

	hlist_for_each_entry_rcu_notrace(ts, &kgraft_ts_table[hash_ptr(t, KGRAFT_TS_BITS)],
					 node)
		if (ts->task == t)
			return ts;
	return NULL;
}

struct kgraft_task_state *kgraft_ts_alloc(gfp_t gfp)
{
	return kmem_cache_alloc(kgraft_ts_cache, gfp | __GFP_NOWARN);
}

void kgraft_ts_free(struct kgraft_task_state *ts)
{
	kmem_cache_free(kgraft_ts_cache, ts);
}

/* Give @t the state @ts unless it has one; false if it had (caller frees). */
bool kgraft_ts_insert(struct kgraft_task_state *ts, struct task_struct *t,
		      int universe)
{
	lockdep_assert_held(&kgraft_ts_lock);
	if (kgraft_ts_lookup(t))
		return false;
	ts->task = t;
	ts->universe = universe;
	ts->signalled = false;
	ts->main_start = 0;
	ts->main_size = 0;
	ts->main_noted = false;
	INIT_LIST_HEAD(&ts->dead);
	hlist_add_head_rcu(&ts->node, &kgraft_ts_table[hash_ptr(t, KGRAFT_TS_BITS)]);
	atomic_long_inc(&kgraft_ts_nr);
	return true;
}

/* Drop @t's state; returns its universe, or -1 if it had none. */
int kgraft_ts_remove(struct task_struct *t)
{
	struct kgraft_task_state *ts;

	lockdep_assert_held(&kgraft_ts_lock);
	ts = kgraft_ts_lookup(t);
	if (!ts)
		return -1;
	hlist_del_rcu(&ts->node);
	list_add(&ts->dead, &kgraft_ts_dead);
	atomic_long_dec(&kgraft_ts_nr);
	atomic_long_inc(&kgraft_ts_unfreed);
	return ts->universe;
}

/* Move every entry out of the table onto the dead list. */
static void kgraft_ts_unhash_all(void)
{
	struct kgraft_task_state *ts;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	hash_for_each_safe(kgraft_ts_table, bkt, tmp, ts, node) {
		hlist_del_rcu(&ts->node);
		list_add(&ts->dead, &kgraft_ts_dead);
		atomic_long_dec(&kgraft_ts_nr);
		atomic_long_inc(&kgraft_ts_unfreed);
	}
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
}

/*
 * Free every entry at once. Only when no reader can be left: at module
 * exit, with every hook and handler gone.
 */
void kgraft_ts_free_all(void)
{
	struct kgraft_task_state *ts, *n;

	kgraft_ts_unhash_all();
	list_for_each_entry_safe(ts, n, &kgraft_ts_dead, dead)
		kgraft_ts_free(ts);
	INIT_LIST_HEAD(&kgraft_ts_dead);
	atomic_long_set(&kgraft_ts_unfreed, 0);
}

/*
 * Retire every entry (the transition is over, or never started): out of the
 * table at once, freed by the reaper once no reader can be left.
 */
void kgraft_ts_retire_all(void)
{
	kgraft_ts_unhash_all();
	kgraft_ts_reap();
}

/* Have the reaper free what has been removed so far. */
void kgraft_ts_reap(void)
{
	if (atomic_long_read(&kgraft_ts_unfreed))
		queue_work(system_unbound_wq, &kgraft_ts_reap_work);
}

static void kgraft_ts_reap_fn(struct work_struct *work)
{
	struct kgraft_task_state *ts, *n;
	unsigned long flags, nr = 0;
	LIST_HEAD(victims);

	raw_spin_lock_irqsave(&kgraft_ts_lock, flags);
	list_splice_init(&kgraft_ts_dead, &victims);
	raw_spin_unlock_irqrestore(&kgraft_ts_lock, flags);
	if (list_empty(&victims))
		return;
	/* No handler or probe that could have found them is left. */
	kgraft_sync_cpus();
	list_for_each_entry_safe(ts, n, &victims, dead) {
		kgraft_ts_free(ts);
		nr++;
	}
	atomic_long_sub(nr, &kgraft_ts_unfreed);
}

/* Call @fn on every state; kgraft_ts_lock held. */
void kgraft_ts_for_each(void (*fn)(struct kgraft_task_state *ts, void *arg),
			void *arg)
{
	struct kgraft_task_state *ts;
	int bkt;

	lockdep_assert_held(&kgraft_ts_lock);
	hash_for_each(kgraft_ts_table, bkt, ts, node)
		fn(ts, arg);
}

/* States of exited tasks not freed yet (the stats' task_states_unfreed). */
unsigned long kgraft_ts_unfreed_count(void)
{
	return atomic_long_read(&kgraft_ts_unfreed);
}

/* Tasks that have a state now (the stats file's task_states). */
unsigned long kgraft_ts_count(void)
{
	return atomic_long_read(&kgraft_ts_nr);
}
