// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_target_v3: version 3 of kgraft_target's chain, the next
 * update after kgraft_patch_target.ko (version 2), for the patch life
 * cycle: stacked on version 2 (replace=0), or cumulative (replace=1),
 * optionally leaving one link out (drop=N), which a cumulative patch sends
 * back to version 1. Its callbacks log their calls, in order, in the
 * read-only parameter callbacks (P pre_patch, p post_patch, U pre_unpatch,
 * u post_unpatch); refuse=1 makes pre_patch refuse.
 */
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/string.h>
#include <kgraft.h>
#include <kgraft_target_chain.h>

#define V3 3

static void kgraft_target_f4_v3(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[3], V3);
}

static void kgraft_target_f3_v3(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[2], V3);
	kgraft_target_f4(c);
}

static void kgraft_target_f2_v3(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[1], V3);
	kgraft_target_f3(c);
}

static void kgraft_target_f1_v3(struct kgraft_target_call *c,
				unsigned int sleep_ms)
{
	WRITE_ONCE(c->versions[0], V3);
	if (sleep_ms)
		kgraft_target_nap(sleep_ms);
	kgraft_target_f2(c);
}

static struct kgraft_func funcs[] = {
	{ .object = "kgraft_target", .name = "kgraft_target_f1",
	  .new_func = kgraft_target_f1_v3 },
	{ .object = "kgraft_target", .name = "kgraft_target_f2",
	  .new_func = kgraft_target_f2_v3 },
	{ .object = "kgraft_target", .name = "kgraft_target_f3",
	  .new_func = kgraft_target_f3_v3 },
	{ .object = "kgraft_target", .name = "kgraft_target_f4",
	  .new_func = kgraft_target_f4_v3 },
	{ }
};

static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "strategy that applies the patch (default: kgraft)");

static bool replace;
module_param(replace, bool, 0444);
MODULE_PARM_DESC(replace, "cumulative: replace every enabled patch");

static unsigned int drop;
module_param(drop, uint, 0444);
MODULE_PARM_DESC(drop, "link (1-4) to leave out; 0: none");

static bool refuse;
module_param(refuse, bool, 0644);
MODULE_PARM_DESC(refuse, "pre_patch refuses the transition (-EPERM)");

/* One letter per call, in order; room for many transitions. */
static char callbacks[1024];
module_param_string(callbacks, callbacks, sizeof(callbacks), 0444);
MODULE_PARM_DESC(callbacks, "callbacks run so far: P, p, U, u");

static void kgraft_v3_log(char c)
{
	size_t len = strlen(callbacks);

	if (len + 1 < sizeof(callbacks))
		callbacks[len] = c;
}

static int kgraft_v3_pre_patch(struct kgraft_patch *patch, const char *obj)
{
	kgraft_v3_log('P');
	return READ_ONCE(refuse) ? -EPERM : 0;
}

static void kgraft_v3_post_patch(struct kgraft_patch *patch, const char *obj)
{
	kgraft_v3_log('p');
}

static void kgraft_v3_pre_unpatch(struct kgraft_patch *patch, const char *obj)
{
	kgraft_v3_log('U');
}

static void kgraft_v3_post_unpatch(struct kgraft_patch *patch,
				   const char *obj)
{
	kgraft_v3_log('u');
}

static struct kgraft_callbacks kgraft_v3_callbacks[] = {
	{ .object = "kgraft_target",
	  .pre_patch = kgraft_v3_pre_patch,
	  .post_patch = kgraft_v3_post_patch,
	  .pre_unpatch = kgraft_v3_pre_unpatch,
	  .post_unpatch = kgraft_v3_post_unpatch },
	{ }
};

static struct kgraft_patch patch = {
	.name = "kgraft_patch_target_v3",
	.mod = THIS_MODULE,
	.funcs = funcs,
	.callbacks = kgraft_v3_callbacks,
};

static int __init kgraft_patch_target_v3_init(void)
{
	if (drop > ARRAY_SIZE(funcs) - 1)
		return -EINVAL;
	if (drop)
		memmove(&funcs[drop - 1], &funcs[drop],
			(ARRAY_SIZE(funcs) - drop) * sizeof(funcs[0]));
	patch.strategy = strategy;
	patch.replace = replace;
	return kgraft_register_patch(&patch);
}

static void __exit kgraft_patch_target_v3_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_target_v3_init);
module_exit(kgraft_patch_target_v3_exit);
MODULE_LICENSE("GPL");
/* Upstream livepatch (the klp strategy) applies only modules marked so. */
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft: version 3 of kgraft_target's call chain (stacked or cumulative)");
