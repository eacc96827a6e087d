// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_late: a patch of kgraft_late.ko's kgraft_late_answer()
 * (returns 2 instead of 1), registered and enabled whether or not that
 * module is loaded: kgraft patches it when it loads. Its callbacks for the
 * object log their calls in the read-only parameter callbacks (P, p, U, u
 * as kgraft_patch_target_v3.ko's).
 */
#include <linux/module.h>
#include <linux/string.h>
#include <kgraft.h>

static int kgraft_late_answer_v2(void)
{
	return 2;
}

static struct kgraft_func funcs[] = {
	{ .object = "kgraft_late", .name = "kgraft_late_answer",
	  .new_func = kgraft_late_answer_v2 },
	{ }
};

static char callbacks[1024];
module_param_string(callbacks, callbacks, sizeof(callbacks), 0444);
MODULE_PARM_DESC(callbacks, "callbacks run so far: P, p, U, u");

static void kgraft_late_log(char c)
{
	size_t len = strlen(callbacks);

	if (len + 1 < sizeof(callbacks))
		callbacks[len] = c;
}

static int kgraft_late_pre_patch(struct kgraft_patch *patch, const char *obj)
{
	kgraft_late_log('P');
	return 0;
}

static void kgraft_late_post_patch(struct kgraft_patch *patch,
				   const char *obj)
{
	kgraft_late_log('p');
}

static void kgraft_late_pre_unpatch(struct kgraft_patch *patch,
				    const char *obj)
{
	kgraft_late_log('U');
}

static void kgraft_late_post_unpatch(struct kgraft_patch *patch,
				     const char *obj)
{
	kgraft_late_log('u');
}

static struct kgraft_callbacks kgraft_late_callbacks[] = {
	{ .object = "kgraft_late",
	  .pre_patch = kgraft_late_pre_patch,
	  .post_patch = kgraft_late_post_patch,
	  .pre_unpatch = kgraft_late_pre_unpatch,
	  .post_unpatch = kgraft_late_post_unpatch },
	{ }
};

static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "strategy that applies the patch (default: kgraft)");

static struct kgraft_patch patch = {
	.name = "kgraft_patch_late",
	.mod = THIS_MODULE,
	.funcs = funcs,
	.callbacks = kgraft_late_callbacks,
};

static int __init kgraft_patch_late_init(void)
{
	patch.strategy = strategy;
	return kgraft_register_patch(&patch);
}

static void __exit kgraft_patch_late_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_late_init);
module_exit(kgraft_patch_late_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft: a patch of kgraft_late.ko, which may load later");
