// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: /sys/kernel/kgraft/<patch>/, in the style of /sys/kernel/livepatch.
 * Writes are root only (mode bits) and serialised by kgraft_mutex; a write
 * that is refused changes nothing.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "internal.h"

static struct kobject *kgraft_root;

#define to_priv(k) container_of(k, struct kgraft_patch_priv, kobj)

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	int v;

	mutex_lock(&kgraft_mutex);
	v = p->state == KGRAFT_ENABLED ||
	    (p->state == KGRAFT_TRANSITION && p->target == KGRAFT_PATCHED);
	mutex_unlock(&kgraft_mutex);
	return sysfs_emit(buf, "%d\n", v);
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	unsigned int v;
	int ret;

	/* Only "0" or "1" (and a newline): overflows are EINVAL too. */
	if (kstrtouint(buf, 10, &v) || v > 1)
		return -EINVAL;
	mutex_lock(&kgraft_mutex);
	ret = kgraft_set_enabled(p, v);
	mutex_unlock(&kgraft_mutex);
	return ret ?: count;
}

static ssize_t transition_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct kgraft_patch_priv *p = to_priv(kobj);

	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(p->state) == KGRAFT_TRANSITION);
}

static ssize_t pending_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	int len = 0;

	mutex_lock(&kgraft_mutex);
	if (p->state == KGRAFT_TRANSITION && p->strategy->show_pending)
		len = p->strategy->show_pending(p, buf);
	mutex_unlock(&kgraft_mutex);
	return len;
}

/*
 * progress: the transition's start, end and tasks still to switch, read
 * without kgraft_mutex, so that a monitor sampling it during a transition
 * is never held up by the core or the strategy holding the mutex (a
 * synchronous stop, a completion waiting for RCU). The fields are read one
 * by one: a read that races a transition's start or end may mix them.
 * pending_tasks -1: unknown (the strategy has no lock-free count and the
 * mutex is held).
 */
static ssize_t progress_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	const struct kgraft_strategy *s;
	bool busy = READ_ONCE(p->state) == KGRAFT_TRANSITION;
	long pending = 0;
	int len = 0;

	if (busy) {
		rcu_read_lock();
		s = READ_ONCE(p->strategy);
		if (s && s->nr_pending_nolock)
			pending = s->nr_pending_nolock(p);
		else
			pending = -1;
		rcu_read_unlock();
	}
	if (pending < 0 && mutex_trylock(&kgraft_mutex)) {
		busy = p->state == KGRAFT_TRANSITION;
		pending = busy && p->strategy && p->strategy->nr_pending ?
			  p->strategy->nr_pending(p) : 0;
		mutex_unlock(&kgraft_mutex);
	}
	len += sysfs_emit_at(buf, len, "transition %d\n", busy);
	len += sysfs_emit_at(buf, len, "start_ns %llu\n",
			     READ_ONCE(p->stats.start_ns));
	len += sysfs_emit_at(buf, len, "end_ns %llu\n",
			     READ_ONCE(p->stats.end_ns));
	len += sysfs_emit_at(buf, len, "pending_tasks %ld\n", pending);
	return len;
}

static unsigned long kgraft_sum(unsigned long __percpu *c)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(c, cpu);
	return sum;
}

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	struct kgraft_stats *s = &p->stats;
	struct kgraft_stop_stats *st = &s->stop;
	long syscall;
	int len = 0;

	mutex_lock(&kgraft_mutex);
	len += sysfs_emit_at(buf, len, "start_ns %llu\n", s->start_ns);
	len += sysfs_emit_at(buf, len, "end_ns %llu\n", s->end_ns);
	len += sysfs_emit_at(buf, len, "duration_ns %llu\n",
			     s->end_ns ? s->end_ns - s->start_ns : 0);
	len += sysfs_emit_at(buf, len, "tasks_at_start %lu\n",
			     s->tasks_at_start);
	syscall = atomic_long_read(&s->switched[KGRAFT_PATH_SYSCALL_ENTER]) +
		  atomic_long_read(&s->switched[KGRAFT_PATH_SYSCALL_EXIT]);
	len += sysfs_emit_at(buf, len, "switched_syscall %ld\n", syscall);
	len = kgraft_paths_show(p, buf, len);
	len += sysfs_emit_at(buf, len, "sweeps %ld\n",
			     atomic_long_read(&s->sweeps));
	len += sysfs_emit_at(buf, len, "checks %ld\n",
			     atomic_long_read(&s->checks));
	len += sysfs_emit_at(buf, len, "signals_sent %ld\n",
			     atomic_long_read(&s->signals_sent));
	len += sysfs_emit_at(buf, len, "slow_calls %lu\n",
			     kgraft_sum(p->slow_calls));
	len += sysfs_emit_at(buf, len, "fast_calls %lu\n",
			     kgraft_sum(p->fast_calls));
	len += sysfs_emit_at(buf, len, "pending_tasks %ld\n",
			     p->state == KGRAFT_TRANSITION &&
			     p->strategy->nr_pending ?
			     p->strategy->nr_pending(p) : 0);
	len += sysfs_emit_at(buf, len, "task_states %lu\n", kgraft_ts_count());
	len += sysfs_emit_at(buf, len, "task_states_unfreed %lu\n",
			     kgraft_ts_unfreed_count());
	len += sysfs_emit_at(buf, len, "states_added_by_sweep %ld\n",
			     atomic_long_read(&s->states_added));
	len += sysfs_emit_at(buf, len, "forced %d\n", p->forced);
	len += sysfs_emit_at(buf, len, "fork_nomem %ld\n",
			     atomic_long_read(&kgraft_fork_nomem));
	len += sysfs_emit_at(buf, len, "stops %lu\n", st->stops);
	len += sysfs_emit_at(buf, len, "stop_busy %lu\n", st->busy);
	len += sysfs_emit_at(buf, len, "stop_last_rendezvous_ns %llu\n",
			     st->last.rendezvous_ns);
	len += sysfs_emit_at(buf, len, "stop_last_check_ns %llu\n",
			     st->last.check_ns);
	len += sysfs_emit_at(buf, len, "stop_last_switch_ns %llu\n",
			     st->last.switch_ns);
	len += sysfs_emit_at(buf, len, "stop_last_release_ns %llu\n",
			     st->last.release_ns);
	len += sysfs_emit_at(buf, len, "stop_last_total_ns %llu\n",
			     st->last.rendezvous_ns + st->last.check_ns +
			     st->last.switch_ns + st->last.release_ns);
	len += sysfs_emit_at(buf, len, "stop_max_total_ns %llu\n",
			     st->max_total_ns);
	len += sysfs_emit_at(buf, len, "stop_sum_total_ns %llu\n",
			     st->sum_total_ns);
	mutex_unlock(&kgraft_mutex);
	return len;
}

static ssize_t force_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	unsigned int v;
	int ret;

	if (kstrtouint(buf, 10, &v) || v != 1)
		return -EINVAL;
	mutex_lock(&kgraft_mutex);
	ret = kgraft_force(p);
	mutex_unlock(&kgraft_mutex);
	return ret ?: count;
}

static ssize_t strategy_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	ssize_t len;

	mutex_lock(&kgraft_mutex);
	/* None once the patch is being unregistered. */
	len = sysfs_emit(buf, "%s\n", p->strategy ? p->strategy->name : "-");
	mutex_unlock(&kgraft_mutex);
	return len;
}

static ssize_t strategy_store(struct kobject *kobj,
			      struct kobj_attribute *attr, const char *buf,
			      size_t count)
{
	struct kgraft_patch_priv *p = to_priv(kobj);
	int ret;

	mutex_lock(&kgraft_mutex);
	ret = list_empty(&p->list) ? -ENODEV : kgraft_set_strategy(p, buf);
	mutex_unlock(&kgraft_mutex);
	return ret ?: count;
}

static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);
static struct kobj_attribute transition_attr = __ATTR_RO(transition);
/* It names tasks and the functions on their stacks: root only. */
static struct kobj_attribute pending_attr = __ATTR(pending, 0400, pending_show, NULL);
static struct kobj_attribute stats_attr = __ATTR_RO(stats);
static struct kobj_attribute progress_attr = __ATTR_RO(progress);
static struct kobj_attribute force_attr = __ATTR_WO(force);
static struct kobj_attribute strategy_attr = __ATTR_RW(strategy);

static struct attribute *kgraft_patch_attrs[] = {
	&enabled_attr.attr,
	&transition_attr.attr,
	&pending_attr.attr,
	&stats_attr.attr,
	&progress_attr.attr,
	&force_attr.attr,
	&strategy_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kgraft_patch);

static void kgraft_patch_release(struct kobject *kobj)
{
	kgraft_free_patch_priv(to_priv(kobj));
}

static struct kobj_type kgraft_patch_ktype = {
	.release = kgraft_patch_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kgraft_patch_groups,
};

int kgraft_sysfs_add(struct kgraft_patch_priv *p)
{
	int ret;

	ret = kobject_init_and_add(&p->kobj, &kgraft_patch_ktype, kgraft_root,
				   "%s", p->patch->name);
	/* On failure the caller drops the kobject, whose release frees p. */
	if (ret)
		pr_err("%s: cannot create its sysfs directory: %d\n",
		       p->patch->name, ret);
	return ret;
}

void kgraft_sysfs_del(struct kgraft_patch_priv *p)
{
	kobject_put(&p->kobj);
}

/* /sys/kernel/kgraft/stacks: every patched function's stack of versions. */
static ssize_t stacks_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	int len;

	mutex_lock(&kgraft_mutex);
	len = kgraft_stacks_show(buf, 0);
	mutex_unlock(&kgraft_mutex);
	return len;
}

/* /sys/kernel/kgraft/shadows: shadow variables alive. */
static ssize_t shadows_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%lu\n", kgraft_shadow_count());
}

static struct kobj_attribute stacks_attr = __ATTR_RO(stacks);
static struct kobj_attribute shadows_attr = __ATTR_RO(shadows);

static struct attribute *kgraft_root_attrs[] = {
	&stacks_attr.attr,
	&shadows_attr.attr,
	NULL,
};

static const struct attribute_group kgraft_root_group = {
	.attrs = kgraft_root_attrs,
};

int kgraft_sysfs_init(void)
{
	int ret;

	kgraft_root = kobject_create_and_add("kgraft", kernel_kobj);
	if (!kgraft_root)
		return -ENOMEM;
	ret = sysfs_create_group(kgraft_root, &kgraft_root_group);
	if (ret)
		kobject_put(kgraft_root);
	return ret;
}

void kgraft_sysfs_exit(void)
{
	kobject_put(kgraft_root);
}
