// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_klp: apply a kgraft patch through upstream livepatch, the hybrid
 * consistency model in Linux since 4.12 (klp_enable_patch()). The patch's
 * functions become one struct klp_patch, objects grouped by
 * kgraft_func.object, with the patch module as its module; livepatch's own
 * ftrace handler, per-task patch_state, stack checks, fake signals and
 * retry work do the rest.
 *
 * Upstream's rules and how they are met:
 * - klp_enable_patch() accepts only modules marked MODULE_INFO(livepatch,
 *   "Y"): the kgraft patch modules carry it.
 * - A klp_patch is enabled once; after its disable completes livepatch
 *   frees it (kobjects, module reference) and it can never be enabled
 *   again. So every enable builds a fresh klp_patch, and a disabled one is
 *   freed here only once livepatch's free_work for it has finished.
 * - Livepatch exports no disable, reverse or force; its interface is
 *   /sys/kernel/livepatch/<module>/{enabled,force}. Those attributes' store
 *   handlers are called here directly, through the patch kobject's sysfs
 *   ops: the same code and locking as a write(2) to the file, independent
 *   of where (or whether) sysfs is mounted for the caller.
 * - Completion is asynchronous (livepatch retries every second), or happens
 *   inside the call that started the transition. The post_patch and
 *   post_unpatch callbacks of the first object, called with klp_mutex held
 *   when a transition completes, record it and queue a work item; the work
 *   takes kgraft's mutex and ends kgraft's transition if it is still the
 *   one that completed and livepatch's transition attribute no longer
 *   reads 1 (else it looks again shortly). Lock order: kgraft_mutex, then
 *   klp_mutex (taken inside livepatch's calls); the callbacks never take
 *   kgraft_mutex.
 *
 * Livepatch switches tasks itself, so per-path switch counts stay 0: no
 * switch is observable from a module without changing the kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <kgraft_strategy.h>

/* How this strategy switches tasks (stats line switched_klp). */
enum { KGRAFT_KLP_PATH_KLP };
static const char * const kgraft_klp_paths[] = {
	[KGRAFT_KLP_PATH_KLP] = "klp",	/* moved by upstream livepatch */
	NULL,
};

/* One klp_patch: one enable of a kgraft patch, until its disable is over. */
struct kgraft_klp_inst {
	struct klp_patch patch;
	struct klp_func *funcs;
	/*
	 * The last completion of a livepatch transition of this patch:
	 * (sequence number << 1) | KLP_PATCHED or KLP_UNPATCHED; 0 = none.
	 * Written by the callbacks (klp_mutex), read under kgraft_mutex.
	 */
	unsigned int last;
	struct klp_object objs[];	/* callbacks on objs[0] */
};

/* Per kgraft patch (its strategy data); all under kgraft_mutex. */
struct kgraft_klp {
	struct kgraft_patch_priv *p;
	struct list_head node;		/* kgraft_klp_all */
	struct kgraft_klp_inst *cur;	/* enabled or in transition */
	int target;			/* of the running transition */
	unsigned int base;		/* its completion comes after this */
	bool busy;			/* a kgraft transition runs */
	bool forced;
};

static LIST_HEAD(kgraft_klp_all);
static void kgraft_klp_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(kgraft_klp_work, kgraft_klp_work_fn);

/* The work looks again this soon while livepatch finishes its completion. */
#define KGRAFT_KLP_RECHECK_MS	10

static const char *kgraft_klp_name(struct kgraft_klp *k)
{
	return kgraft_patch_of(k->p)->name;
}

/* A kgraft object name as livepatch wants it: NULL for the kernel. */
static const char *kgraft_klp_objname(const struct kgraft_func *f)
{
	if (!f->object || !strcmp(f->object, "vmlinux"))
		return NULL;
	return f->object;
}

static bool kgraft_klp_same_obj(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Called by livepatch with klp_mutex held: record and defer. */
static void kgraft_klp_completed(struct klp_object *obj, int state)
{
	struct kgraft_klp_inst *inst =
		container_of(obj, struct kgraft_klp_inst, objs[0]);

	WRITE_ONCE(inst->last, ((inst->last >> 1) + 1) << 1 | state);
	mod_delayed_work(system_unbound_wq, &kgraft_klp_work, 0);
}

static unsigned int kgraft_klp_seq(struct kgraft_klp_inst *inst)
{
	return READ_ONCE(inst->last) >> 1;
}

/* Did livepatch complete the transition to @state after @base? */
static bool kgraft_klp_reached(struct kgraft_klp_inst *inst,
			       unsigned int base, int state)
{
	unsigned int last = READ_ONCE(inst->last);

	return last >> 1 > base && (last & 1) == state;
}

/* Attribute @name of /sys/kernel/livepatch/<module>/, or NULL. */
static struct attribute *kgraft_klp_attr(struct kgraft_klp_inst *inst,
					 const char *name)
{
	const struct kobj_type *ktype = get_ktype(&inst->patch.kobj);
	const struct attribute_group **g;
	struct attribute **a;

	if (!ktype || !ktype->sysfs_ops)
		return NULL;
	for (g = ktype->default_groups; g && *g; g++)
		for (a = (*g)->attrs; *a; a++)
			if (!strcmp((*a)->name, name))
				return *a;
	return NULL;
}

/* Is @inst livepatch's transition patch (its transition attribute)? */
static bool kgraft_klp_in_transition(struct kgraft_klp_inst *inst)
{
	struct kobject *kobj = &inst->patch.kobj;
	struct attribute *a = kgraft_klp_attr(inst, "transition");
	char *buf;
	bool ret;

	if (!a || !get_ktype(kobj)->sysfs_ops->show)
		return false;
	buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return true;	/* the safe answer: wait for a callback */
	get_ktype(kobj)->sysfs_ops->show(kobj, a, buf);
	ret = buf[0] == '1';
	kfree(buf);
	return ret;
}

/*
 * Has livepatch completed kgraft's running transition? Its completion was
 * recorded, and livepatch's transition attribute no longer reads 1: the
 * callback runs inside klp_complete_transition(), a moment before
 * livepatch lets go of the patch, and kgraft's transition must not end
 * while livepatch's transition file still shows one.
 */
static bool kgraft_klp_done(struct kgraft_klp *k)
{
	return k->busy && k->cur &&
	       kgraft_klp_reached(k->cur, k->base, k->target) &&
	       !kgraft_klp_in_transition(k->cur);
}

static void kgraft_klp_post_patch(struct klp_object *obj)
{
	kgraft_klp_completed(obj, KLP_PATCHED);
}

static void kgraft_klp_post_unpatch(struct klp_object *obj)
{
	kgraft_klp_completed(obj, KLP_UNPATCHED);
}

/*
 * Fill the functions of the object of @funcs[@first] (every later entry of
 * that object) into @out, terminated; returns the entries used.
 */
static unsigned int kgraft_klp_fill(const struct kgraft_func *funcs,
				    unsigned int first, struct klp_func *out)
{
	const char *obj = kgraft_klp_objname(&funcs[first]);
	unsigned int i, n = 0;

	for (i = first; funcs[i].name; i++) {
		if (!kgraft_klp_same_obj(obj, kgraft_klp_objname(&funcs[i])))
			continue;
		out[n].old_name = funcs[i].name;
		out[n].new_func = funcs[i].new_func;
		out[n].old_sympos = funcs[i].sympos;
		n++;
	}
	return n + 1;
}

/* Has an entry before @i the object of @funcs[@i]? */
static bool kgraft_klp_seen(const struct kgraft_func *funcs, unsigned int i)
{
	const char *obj = kgraft_klp_objname(&funcs[i]);
	unsigned int j;

	for (j = 0; j < i; j++)
		if (kgraft_klp_same_obj(obj, kgraft_klp_objname(&funcs[j])))
			return true;
	return false;
}

/*
 * A fresh klp_patch for @kp, objects in order of first appearance, the
 * kernel's first: objs[0] carries the callbacks and must be loaded, so it
 * is the kernel's even if no function of the patch is in it (a module may
 * load later: livepatch patches it then).
 */
static struct kgraft_klp_inst *kgraft_klp_build(struct kgraft_patch *kp)
{
	const struct kgraft_func *funcs = kp->funcs;
	struct kgraft_klp_inst *inst;
	unsigned int i, n = 0, nobj = 0, o = 0, pos = 0;
	bool kernel = false;
	int pass;

	for (i = 0; funcs[i].name; i++) {
		n++;
		if (!kgraft_klp_seen(funcs, i))
			nobj++;
		kernel |= !kgraft_klp_objname(&funcs[i]);
	}
	if (!kernel)
		nobj++;		/* an empty one for the callbacks */
	inst = kzalloc(struct_size(inst, objs, nobj + 1), GFP_KERNEL);
	if (!inst)
		return NULL;
	inst->funcs = kcalloc(n + nobj, sizeof(*inst->funcs), GFP_KERNEL);
	if (!inst->funcs) {
		kfree(inst);
		return NULL;
	}
	/* The kernel's, with only a terminator: livepatch wants funcs. */
	if (!kernel)
		inst->objs[o++].funcs = &inst->funcs[pos++];
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; funcs[i].name; i++) {
			/* Pass 0: the kernel; pass 1: modules. */
			if (!kgraft_klp_objname(&funcs[i]) == !!pass ||
			    kgraft_klp_seen(funcs, i))
				continue;
			inst->objs[o].name = kgraft_klp_objname(&funcs[i]);
			inst->objs[o].funcs = &inst->funcs[pos];
			pos += kgraft_klp_fill(funcs, i, &inst->funcs[pos]);
			o++;
		}
	}
	inst->objs[0].callbacks.post_patch = kgraft_klp_post_patch;
	inst->objs[0].callbacks.post_unpatch = kgraft_klp_post_unpatch;
	inst->patch.mod = kp->mod;
	inst->patch.objs = inst->objs;
	/* Livepatch's atomic replace, with its own no-op functions. */
	inst->patch.replace = kp->replace;
	return inst;
}

static void kgraft_klp_free(struct kgraft_klp_inst *inst)
{
	kfree(inst->funcs);
	kfree(inst);
}

/*
 * Write @val to attribute @attr of /sys/kernel/livepatch/<module>/ by
 * calling its store handler, as a write(2) would. @inst is ours, so the
 * patch cannot be freed under the call. Returns 0 or a negative errno.
 */
static int kgraft_klp_store(struct kgraft_klp_inst *inst, const char *attr,
			    const char *val)
{
	struct kobject *kobj = &inst->patch.kobj;
	struct attribute *a = kgraft_klp_attr(inst, attr);
	ssize_t ret;

	if (!a || !get_ktype(kobj)->sysfs_ops->store)
		return -ENOENT;
	ret = get_ktype(kobj)->sysfs_ops->store(kobj, a, val, strlen(val));
	return ret < 0 ? ret : 0;
}

/*
 * Wait until livepatch is done with @inst after its unpatching completed,
 * then free it. The completion callback runs inside klp_mutex, and
 * livepatch queues the patch's free_work (sysfs removal, module_put())
 * before it drops klp_mutex; writing 0 to the disabled patch's enabled
 * attribute takes klp_mutex and fails with -EINVAL, so after it the work
 * is queued, running or done, and flush_work() waits for the rest. Then
 * the directory is gone and livepatch's module reference is dropped (kept
 * for good if the unpatching was forced: livepatch pins the module then).
 */
static void kgraft_klp_settle(struct kgraft_klp *k)
{
	struct kgraft_klp_inst *inst = k->cur;

	kgraft_klp_store(inst, "enabled", "0");
	flush_work(&inst->patch.free_work);
	if (inst->patch.forced)
		kgraft_pin_patch(k->p);
	k->cur = NULL;
	kgraft_klp_free(inst);
}

/* End kgraft's transition if livepatch completed it; kgraft_mutex held. */
static void kgraft_klp_check(struct kgraft_klp *k)
{
	if (!kgraft_klp_done(k)) {
		/* Completion recorded, livepatch not quite done: look again. */
		if (k->busy && k->cur &&
		    kgraft_klp_reached(k->cur, k->base, k->target))
			mod_delayed_work(system_unbound_wq, &kgraft_klp_work,
					 msecs_to_jiffies(KGRAFT_KLP_RECHECK_MS));
		return;
	}
	if (k->target == KGRAFT_UNPATCHED)
		kgraft_klp_settle(k);
	k->busy = false;
	/*
	 * Livepatch does not say how each task switched, only that every
	 * one is in the target state now: count those present.
	 */
	kgraft_count_switched(k->p, KGRAFT_KLP_PATH_KLP, kgraft_nr_tasks());
	kgraft_transition_done(k->p, k->forced);
}

static void kgraft_klp_work_fn(struct work_struct *work)
{
	struct kgraft_klp *k;

	mutex_lock(kgraft_lock());
	list_for_each_entry(k, &kgraft_klp_all, node)
		kgraft_klp_check(k);
	mutex_unlock(kgraft_lock());
}

static struct kgraft_klp *kgraft_klp_of(struct kgraft_patch_priv *p)
{
	void **data = kgraft_strategy_data(p);
	struct kgraft_klp *k = *data;

	if (k)
		return k;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return NULL;
	k->p = p;
	k->target = KGRAFT_UNPATCHED;
	list_add_tail(&k->node, &kgraft_klp_all);
	*data = k;
	return k;
}

/* A new klp_patch, enabled; kgraft's transition to patched is begun. */
static int kgraft_klp_enable(struct kgraft_klp *k)
{
	struct kgraft_patch *kp = kgraft_patch_of(k->p);
	struct kgraft_klp_inst *inst;
	int ret;

	if (WARN_ON_ONCE(k->cur))
		return -EBUSY;
	inst = kgraft_klp_build(kp);
	if (!inst)
		return -ENOMEM;
	kgraft_transition_begin(k->p, KGRAFT_PATCHED, kgraft_nr_tasks());
	k->cur = inst;
	k->target = KGRAFT_PATCHED;
	k->base = 0;
	k->busy = true;
	k->forced = false;
	/* May complete inside: the callback then has run already. */
	ret = klp_enable_patch(&inst->patch);
	if (ret) {
		/* Livepatch has freed what it set up, synchronously. */
		pr_err("%s: klp_enable_patch() of module %s failed: %d\n",
		       kp->name, kp->mod->name, ret);
		k->cur = NULL;
		k->busy = false;
		k->target = KGRAFT_UNPATCHED;
		kgraft_klp_free(inst);
	}
	return ret;
}

static int kgraft_klp_start(struct kgraft_patch_priv *p, int target)
{
	struct kgraft_klp *k = kgraft_klp_of(p);
	int ret;

	if (!k)
		return -ENOMEM;
	if (target == KGRAFT_PATCHED) {
		ret = kgraft_klp_enable(k);
		if (ret)
			return ret;
	} else {
		if (WARN_ON_ONCE(!k->cur))
			return -EINVAL;
		kgraft_transition_begin(p, target, kgraft_nr_tasks());
		k->base = kgraft_klp_seq(k->cur);
		k->target = KGRAFT_UNPATCHED;
		k->busy = true;
		k->forced = false;
		ret = kgraft_klp_store(k->cur, "enabled", "0");
		if (ret && kgraft_klp_reached(k->cur, 0, KLP_UNPATCHED)) {
			/* Disabled in /sys/kernel/livepatch behind our back. */
			k->base = 0;
		} else if (ret == -EINVAL && !READ_ONCE(k->cur->patch.enabled)) {
			/*
			 * Off without our write: being disabled through
			 * /sys/kernel/livepatch (its callback will come), or
			 * replaced by a cumulative livepatch, which unpatches
			 * and frees it with no callback: record that one.
			 */
			if (!kgraft_klp_in_transition(k->cur) &&
			    !kgraft_klp_reached(k->cur, k->base, KLP_UNPATCHED))
				WRITE_ONCE(k->cur->last,
					   (kgraft_klp_seq(k->cur) + 1) << 1 |
					   KLP_UNPATCHED);
		} else if (ret) {
			pr_err("%s: disabling through livepatch failed: %d\n",
			       kgraft_klp_name(k), ret);
			k->target = KGRAFT_PATCHED;
			k->busy = false;
			return ret;
		}
	}
	kgraft_klp_check(k);
	return 0;
}

/*
 * Turn the running transition around: livepatch reverses its own when the
 * opposite value is written to enabled during it. If livepatch completed
 * it first (the work has not taken the completion yet), patched is left by
 * a normal disable, and a completed unpatching by a fresh enable.
 */
static int kgraft_klp_reverse(struct kgraft_patch_priv *p)
{
	struct kgraft_klp *k = *kgraft_strategy_data(p);
	unsigned int base;
	bool forced;
	int to, ret;

	if (!k || !k->busy || !k->cur)
		return -EINVAL;
	to = !k->target;
	if (!kgraft_klp_done(k)) {
		base = kgraft_klp_seq(k->cur);
		ret = kgraft_klp_store(k->cur, "enabled", to ? "1" : "0");
		if (!ret)
			goto reversed;
		if (!kgraft_klp_done(k))
			return ret;
	}
	/* Livepatch completed the transition before the request. */
	if (to == KGRAFT_UNPATCHED) {
		base = kgraft_klp_seq(k->cur);
		ret = kgraft_klp_store(k->cur, "enabled", "0");
		if (ret)
			return ret;
		goto reversed;
	}
	forced = k->forced;
	kgraft_klp_settle(k);
	ret = kgraft_klp_enable(k);
	if (ret) {
		/* The unpatching did complete: report that. */
		k->busy = false;
		kgraft_transition_done(p, forced);
		return ret;
	}
	goto out;
reversed:
	kgraft_transition_reversed(p, to, kgraft_nr_tasks());
	k->base = base;
	k->target = to;
	k->forced = false;
out:
	/* A completion is taken by the work, once the core set p's target. */
	mod_delayed_work(system_unbound_wq, &kgraft_klp_work, 0);
	return 0;
}

/*
 * Livepatch's force moves every remaining task to the target state at
 * once; the transition itself completes at livepatch's next retry (within
 * about a second), and the work reports it as forced then.
 */
static int kgraft_klp_force(struct kgraft_patch_priv *p)
{
	struct kgraft_klp *k = *kgraft_strategy_data(p);
	int ret;

	if (!k || !k->busy || !k->cur)
		return -EINVAL;
	if (!kgraft_klp_done(k)) {
		ret = kgraft_klp_store(k->cur, "force", "1");
		if (ret && !kgraft_klp_done(k))
			return ret;
		if (!ret) {
			pr_warn("%s: FORCING the livepatch transition to %s: consistency is lost for tasks not yet switched\n",
				kgraft_klp_name(k), k->target == KGRAFT_PATCHED ?
				"patched" : "unpatched");
			k->forced = true;
		}
	}
	kgraft_klp_check(k);
	return 0;
}

struct kgraft_klp_show {
	struct kgraft_patch_priv *p;
	char *buf;
	int len;
	int source;
	int undefined;		/* tasks livepatch has no state for */
};

static int kgraft_klp_show_one(struct task_struct *t, void *arg)
{
	struct kgraft_klp_show *s = arg;
	const char *func = NULL;

	/* KLP_UNDEFINED outside livepatch's transitions. */
	if (READ_ONCE(t->patch_state) != s->source)
		return 0;
	/* Keep room for the last line rather than cut one in half. */
	if (s->len > PAGE_SIZE - 64)
		return 1;
	if (t != current &&
	    kgraft_task_check(s->p, t, s->source, &func) != -EADDRINUSE)
		func = NULL;
	s->len += sysfs_emit_at(s->buf, s->len, "%d %s %s\n", t->pid, t->comm,
				func ?: "-");
	return 0;
}

/*
 * Tasks livepatch has not switched yet: patch_state still the source. Once
 * every task has switched, livepatch completes only at its next retry (up
 * to a second later); until then its transition file reads 1 and so does
 * kgraft's, and the one thing pending is livepatch itself: the line
 * "- livepatch -", counted as one by nr_pending.
 */
static int kgraft_klp_show_pending(struct kgraft_patch_priv *p, char *buf)
{
	struct kgraft_klp *k = *kgraft_strategy_data(p);
	struct kgraft_klp_show s = { .p = p, .buf = buf };

	if (!k || !k->busy || !k->cur || kgraft_klp_done(k))
		return 0;
	s.source = !k->target;
	kgraft_walk_tasks(kgraft_klp_show_one, &s);
	if (!s.len && kgraft_klp_in_transition(k->cur))
		s.len = sysfs_emit(buf, "- livepatch -\n");
	return s.len;
}

static int kgraft_klp_count_one(struct task_struct *t, void *arg)
{
	struct kgraft_klp_show *s = arg;
	int state = READ_ONCE(t->patch_state);

	if (state == s->source)
		s->len++;
	else if (state == KLP_UNDEFINED)
		s->undefined++;
	return 0;
}

static long kgraft_klp_nr_pending(struct kgraft_patch_priv *p)
{
	struct kgraft_klp *k = *kgraft_strategy_data(p);
	struct kgraft_klp_show s = { .p = p };

	if (!k || !k->busy || !k->cur || kgraft_klp_done(k))
		return 0;
	s.source = !k->target;
	kgraft_walk_tasks(kgraft_klp_count_one, &s);
	if (!s.len && kgraft_klp_in_transition(k->cur))
		return 1;	/* livepatch's own completion, see above */
	return s.len;
}

/*
 * The count for a monitor, without kgraft_mutex: tasks whose patch_state
 * is still the source. It sees livepatch's switching even inside a
 * transition that livepatch completes within our write (all tasks on its
 * first attempt), and unlike nr_pending it does not count livepatch's own
 * completion: 0 once every task switched. A task still KLP_UNDEFINED means
 * livepatch is setting the states up or clearing them: -1, not known (a
 * count then would be 0 although no task has switched). k lives until
 * release, which waits for readers (kgraft_release_strategy()).
 */
static long kgraft_klp_nr_pending_nolock(struct kgraft_patch_priv *p)
{
	struct kgraft_klp *k = READ_ONCE(*kgraft_strategy_data(p));
	struct kgraft_klp_show s = { .p = p };

	if (!k || !READ_ONCE(k->busy))
		return 0;
	s.source = !READ_ONCE(k->target);
	kgraft_walk_tasks(kgraft_klp_count_one, &s);
	return s.undefined ? -1 : s.len;
}

/*
 * Cumulative @p replaced @q: livepatch unpatched @q's klp_patch when @p's
 * transition completed and queued its free work (under klp_mutex, before
 * kgraft saw the completion); settle waits for that work and frees it.
 */
static void kgraft_klp_replaced(struct kgraft_patch_priv *p,
				struct kgraft_patch_priv *q)
{
	struct kgraft_klp *k = *kgraft_strategy_data(q);

	if (!k || !k->cur)
		return;
	kgraft_klp_settle(k);
	k->busy = false;
	k->target = KGRAFT_UNPATCHED;
}

static void kgraft_klp_release(struct kgraft_patch_priv *p)
{
	struct kgraft_klp *k = *kgraft_strategy_data(p);

	if (!k)
		return;
	list_del(&k->node);
	/* Only a disabled patch leaves: nothing of livepatch's is left. */
	if (WARN_ON_ONCE(k->cur))
		pr_err("%s: leaving klp with a live klp_patch: leaked\n",
		       kgraft_klp_name(k));
	kfree(k);
}

static struct kgraft_strategy kgraft_klp_strategy = {
	.name = "klp",
	.owner = THIS_MODULE,
	.start = kgraft_klp_start,
	.reverse = kgraft_klp_reverse,
	.force = kgraft_klp_force,
	.nr_pending = kgraft_klp_nr_pending,
	.nr_pending_nolock = kgraft_klp_nr_pending_nolock,
	.show_pending = kgraft_klp_show_pending,
	.release = kgraft_klp_release,
	.replaced = kgraft_klp_replaced,
	.own_redirection = true,
	.paths = kgraft_klp_paths,
};

static int __init kgraft_klp_init(void)
{
	return kgraft_register_strategy(&kgraft_klp_strategy);
}

static void __exit kgraft_klp_exit(void)
{
	kgraft_unregister_strategy(&kgraft_klp_strategy);
	/* No patch selects us, so no klp_patch of ours is left. */
	cancel_delayed_work_sync(&kgraft_klp_work);
}

module_init(kgraft_klp_init);
module_exit(kgraft_klp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft strategy: upstream livepatch (klp_enable_patch), the hybrid consistency model");
