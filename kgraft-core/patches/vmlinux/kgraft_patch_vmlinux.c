// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_vmlinux: replaces getppid(2)'s syscall function,
 * __x64_sys_getppid, with an equivalent that also counts its calls.
 *
 * Why this function: it is reached only from the syscall table, on the
 * syscall hot path, and glibc does not cache getppid(), so a workload drives
 * it at any rate it wants with one syscall per call; its body is tiny, so
 * the cost of redirection is not hidden behind the function's own work; it
 * is reached by every process equally, so the lazy transition must switch
 * real user tasks; and its result is checkable (the caller knows its
 * parent). The replacement behaves exactly as the original (kernel/sys.c)
 * and adds a per-CPU count, readable in the module parameter "calls", which
 * shows whether calls went through the new code.
 */
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <kgraft.h>

static DEFINE_PER_CPU(unsigned long, kgraft_getppid_calls);

static long kgraft_sys_getppid(const struct pt_regs *regs)
{
	long pid;

	this_cpu_inc(kgraft_getppid_calls);
	rcu_read_lock();
	pid = task_tgid_vnr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	return pid;
}

static int calls_get(char *buf, const struct kernel_param *kp)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(kgraft_getppid_calls, cpu);
	return sysfs_emit(buf, "%lu\n", sum);
}

static const struct kernel_param_ops calls_ops = {
	.get = calls_get,
};
module_param_cb(calls, &calls_ops, NULL, 0444);
MODULE_PARM_DESC(calls, "getppid() calls that ran the replacement");

static struct kgraft_func funcs[] = {
	{ .name = "__x64_sys_getppid", .new_func = kgraft_sys_getppid },
	{ }
};

static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "strategy that applies the patch (default: kgraft)");

static struct kgraft_patch patch = {
	.name = "kgraft_patch_vmlinux",
	.mod = THIS_MODULE,
	.funcs = funcs,
};

static int __init kgraft_patch_vmlinux_init(void)
{
	patch.strategy = strategy;
	return kgraft_register_patch(&patch);
}

static void __exit kgraft_patch_vmlinux_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_vmlinux_init);
module_exit(kgraft_patch_vmlinux_exit);
MODULE_LICENSE("GPL");
/* Upstream livepatch (the klp strategy) applies only modules marked so. */
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft: a live patch of getppid(2)");
