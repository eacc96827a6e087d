// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_machinery: a patch of a function that the machinery applying
 * patches runs in, for the stop_machine strategy's tests. Parameter "func"
 * picks it:
 *   sysfs_kf_write  on the write path of every sysfs attribute, so on the
 *                   stack of the task writing .../enabled to apply it
 *   multi_cpu_stop  what every CPU's stopper thread runs during a
 *                   stop_machine(), so on their stacks inside every stop
 * Each replacement behaves as the original of Debian's 6.1 kernel and counts
 * its calls (parameter "calls").
 */
#include <linux/atomic.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/nmi.h>
#include <linux/rcupdate.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <kgraft.h>

/*
 * Renamed by a 6.1 stable update: Debian's 6.1.187 has the old name, its
 * 6.1.190 the new one (Kbuild tests the headers; an older kernel is a
 * checkout of its own).
 */
#ifndef KGRAFT_HAVE_RCU_MOMENTARY_EQS
#define rcu_momentary_eqs rcu_momentary_dyntick_idle
#endif

static atomic_t kgraft_machinery_calls;
module_param_named(calls, kgraft_machinery_calls.counter, int, 0444);
MODULE_PARM_DESC(calls, "calls that ran the replacement");

/* kernfs's write for a sysfs attribute: its kobject type's store. */
static ssize_t kgraft_sysfs_kf_write(struct kernfs_open_file *of, char *buf,
				     size_t count, loff_t pos)
{
	struct kobject *kobj = of->kn->parent->priv;

	atomic_inc(&kgraft_machinery_calls);
	if (!count)
		return 0;
	return kobj->ktype->sysfs_ops->store(kobj, of->kn->priv, buf, count);
}

/*
 * The argument of multi_cpu_stop(), private to kernel/stop_machine.c: its
 * layout in 6.1. Every CPU steps through the same states; the last CPU to
 * acknowledge one moves all of them to the next.
 */
enum { SM_NONE, SM_PREPARE, SM_DISABLE_IRQ, SM_RUN, SM_EXIT };

struct kgraft_multi_stop {
	cpu_stop_fn_t fn;
	void *data;
	unsigned int num_threads;
	const struct cpumask *active_cpus;
	int state;
	atomic_t thread_ack;
};

static void kgraft_multi_ack(struct kgraft_multi_stop *m)
{
	if (!atomic_dec_and_test(&m->thread_ack))
		return;
	atomic_set(&m->thread_ack, m->num_threads);
	/* The new count before the new state: pairs with the CPUs' reads. */
	smp_wmb();
	WRITE_ONCE(m->state, m->state + 1);
}

static int kgraft_multi_cpu_stop(void *data)
{
	struct kgraft_multi_stop *m = data;
	int cpu = smp_processor_id(), seen = SM_NONE, now, err = 0;
	bool active;
	unsigned long flags;

	atomic_inc(&kgraft_machinery_calls);
	local_save_flags(flags);
	if (m->active_cpus)
		active = cpumask_test_cpu(cpu, m->active_cpus);
	else
		active = cpu == cpumask_first(cpu_online_mask);
	while (seen != SM_EXIT) {
		cpu_relax();
		now = READ_ONCE(m->state);
		if (now != seen) {
			seen = now;
			if (seen == SM_DISABLE_IRQ)
				local_irq_disable();
			else if (seen == SM_RUN && active)
				err = m->fn(m->data);
			kgraft_multi_ack(m);
		} else if (seen > SM_PREPARE) {
			touch_softlockup_watchdog();
		}
		rcu_momentary_eqs();
	}
	local_irq_restore(flags);
	return err;
}

static char *func = "sysfs_kf_write";
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "sysfs_kf_write|multi_cpu_stop");

static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "strategy that applies the patch (default: kgraft)");

static struct kgraft_func funcs[2];

static struct kgraft_patch patch = {
	.name = "kgraft_patch_machinery",
	.mod = THIS_MODULE,
	.funcs = funcs,
};

static int __init kgraft_patch_machinery_init(void)
{
	if (!strcmp(func, "sysfs_kf_write"))
		funcs[0].new_func = kgraft_sysfs_kf_write;
	else if (!strcmp(func, "multi_cpu_stop"))
		funcs[0].new_func = kgraft_multi_cpu_stop;
	else
		return -EINVAL;
	funcs[0].name = func;
	patch.strategy = strategy;
	return kgraft_register_patch(&patch);
}

static void __exit kgraft_patch_machinery_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_machinery_init);
module_exit(kgraft_patch_machinery_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft test: a patch of the machinery that applies patches");
