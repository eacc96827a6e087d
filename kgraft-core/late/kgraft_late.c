// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_late: a module that a patch is enabled for before it loads, for
 * the tests of kgraft_patch_late.ko. Its init makes the first call of
 * kgraft_late_answer() (1 here, 2 patched) and keeps what it returned in
 * the parameter "first"; reading "answer" makes a fresh call. It exports
 * nothing, so the patch module does not depend on it and it can be
 * unloaded and loaded again under the enabled patch.
 */
#include <linux/module.h>
#include <linux/sysfs.h>

/* noipa: callers must not assume what this version returns. */
static __attribute__((__noipa__)) int kgraft_late_answer(void)
{
	return 1;
}

static int first;
module_param(first, int, 0444);
MODULE_PARM_DESC(first, "what the first call, from init, returned");

static int kgraft_late_answer_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", kgraft_late_answer());
}

static const struct kernel_param_ops kgraft_late_answer_ops = {
	.get = kgraft_late_answer_get,
};
module_param_cb(answer, &kgraft_late_answer_ops, NULL, 0444);
MODULE_PARM_DESC(answer, "a fresh call of kgraft_late_answer()");

static int __init kgraft_late_init(void)
{
	first = kgraft_late_answer();
	return 0;
}

static void __exit kgraft_late_exit(void)
{
}

module_init(kgraft_late_init);
module_exit(kgraft_late_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft test: a module patched before it loads");
