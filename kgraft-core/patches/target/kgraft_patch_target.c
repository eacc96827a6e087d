// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_target: version 2 of every link of kgraft_target's chain.
 * Each replacement calls the next link through its original symbol, so
 * every link goes through kgraft's redirection on its own and a call can
 * only see a consistent chain if the consistency model holds.
 */
#include <linux/module.h>
#include <kgraft.h>
#include <kgraft_target_chain.h>

#define V2 2

static void kgraft_target_f4_v2(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[3], V2);
}

static void kgraft_target_f3_v2(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[2], V2);
	kgraft_target_f4(c);
}

static void kgraft_target_f2_v2(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[1], V2);
	kgraft_target_f3(c);
}

static void kgraft_target_f1_v2(struct kgraft_target_call *c,
				unsigned int sleep_ms)
{
	WRITE_ONCE(c->versions[0], V2);
	if (sleep_ms)
		kgraft_target_nap(sleep_ms);
	kgraft_target_f2(c);
}

static struct kgraft_func funcs[] = {
	{ .object = "kgraft_target", .name = "kgraft_target_f1",
	  .new_func = kgraft_target_f1_v2 },
	{ .object = "kgraft_target", .name = "kgraft_target_f2",
	  .new_func = kgraft_target_f2_v2 },
	{ .object = "kgraft_target", .name = "kgraft_target_f3",
	  .new_func = kgraft_target_f3_v2 },
	{ .object = "kgraft_target", .name = "kgraft_target_f4",
	  .new_func = kgraft_target_f4_v2 },
	{ }
};

static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "strategy that applies the patch (default: kgraft)");

static struct kgraft_patch patch = {
	.name = "kgraft_patch_target",
	.mod = THIS_MODULE,
	.funcs = funcs,
};

static int __init kgraft_patch_target_init(void)
{
	patch.strategy = strategy;
	return kgraft_register_patch(&patch);
}

static void __exit kgraft_patch_target_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_target_init);
module_exit(kgraft_patch_target_exit);
MODULE_LICENSE("GPL");
/* Upstream livepatch (the klp strategy) applies only modules marked so. */
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft: version 2 of kgraft_target's call chain");
