// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_shadow: a fix that adds state to an object without changing
 * its layout. kgraft_target_obj gets a shadow variable when it is set up
 * (atomically: the target sets up every other object with interrupts off)
 * and loses it when it is released; release returns 1 when the variable
 * was there and intact. Variables left when the patch goes are freed by
 * its post_unpatch callback.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <kgraft.h>
#include <kgraft_target_chain.h>

#define KGRAFT_SHADOW_ID 0x6b677266UL	/* "kgrf" */

struct kgraft_obj_extra {
	u64 id;		/* a copy of the object's, checked on release */
};

static int kgraft_extra_ctor(void *obj, void *shadow, void *data)
{
	struct kgraft_obj_extra *e = shadow;

	e->id = ((struct kgraft_target_obj *)obj)->id;
	return 0;
}

static void kgraft_target_obj_init_v2(struct kgraft_target_obj *o)
{
	kgraft_shadow_alloc(o, KGRAFT_SHADOW_ID, sizeof(struct kgraft_obj_extra),
			    GFP_ATOMIC, kgraft_extra_ctor, NULL);
}

static int kgraft_target_obj_release_v2(struct kgraft_target_obj *o)
{
	struct kgraft_obj_extra *e = kgraft_shadow_get(o, KGRAFT_SHADOW_ID);
	int ok = e && e->id == o->id;

	kgraft_shadow_free(o, KGRAFT_SHADOW_ID, NULL);
	return ok;
}

static struct kgraft_func funcs[] = {
	{ .object = "kgraft_target", .name = "kgraft_target_obj_init",
	  .new_func = kgraft_target_obj_init_v2 },
	{ .object = "kgraft_target", .name = "kgraft_target_obj_release",
	  .new_func = kgraft_target_obj_release_v2 },
	{ }
};

static void kgraft_shadow_post_unpatch(struct kgraft_patch *patch,
				       const char *obj)
{
	kgraft_shadow_free_all(KGRAFT_SHADOW_ID, NULL);
}

static struct kgraft_callbacks callbacks[] = {
	{ .object = "kgraft_target",
	  .post_unpatch = kgraft_shadow_post_unpatch },
	{ }
};

static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "strategy that applies the patch (default: kgraft)");

static struct kgraft_patch patch = {
	.name = "kgraft_patch_shadow",
	.mod = THIS_MODULE,
	.funcs = funcs,
	.callbacks = callbacks,
};

static int __init kgraft_patch_shadow_init(void)
{
	patch.strategy = strategy;
	return kgraft_register_patch(&patch);
}

static void __exit kgraft_patch_shadow_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_shadow_init);
module_exit(kgraft_patch_shadow_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft: a fix that adds state to kgraft_target's objects (shadow variables)");
