// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_klp_target: the same version 2 of kgraft_target's chain as
 * kgraft_patch_target, applied by upstream livepatch (klp_enable_patch() at
 * load), so the benchmark can compare kgraft's handlers with livepatch's on
 * the same functions. Disable with /sys/kernel/livepatch/kgraft_klp_target/
 * enabled before unloading.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <kgraft_target_chain.h>

#define V2 2

static void klp_f4(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[3], V2);
}

static void klp_f3(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[2], V2);
	kgraft_target_f4(c);
}

static void klp_f2(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[1], V2);
	kgraft_target_f3(c);
}

static void klp_f1(struct kgraft_target_call *c, unsigned int sleep_ms)
{
	WRITE_ONCE(c->versions[0], V2);
	if (sleep_ms)
		kgraft_target_nap(sleep_ms);
	kgraft_target_f2(c);
}

static struct klp_func funcs[] = {
	{ .old_name = "kgraft_target_f1", .new_func = klp_f1 },
	{ .old_name = "kgraft_target_f2", .new_func = klp_f2 },
	{ .old_name = "kgraft_target_f3", .new_func = klp_f3 },
	{ .old_name = "kgraft_target_f4", .new_func = klp_f4 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "kgraft_target", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init kgraft_klp_target_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit kgraft_klp_target_exit(void)
{
}

module_init(kgraft_klp_target_init);
module_exit(kgraft_klp_target_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft benchmark: kgraft_target's v2 chain through upstream livepatch");
