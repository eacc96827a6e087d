// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_writer: version 2 of kgraft_target_write_file(), the function
 * in which KGRAFT_TARGET_IOC_WRITE writes a file from the kernel. A test
 * enables this patch by writing its own enabled file through that ioctl,
 * so the enabling task is inside the function being replaced: a strategy
 * that stack-checks the writer in place could never apply it.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/string.h>
#include <kgraft.h>
#include <kgraft_target_chain.h>

static atomic_t calls;

static ssize_t kgraft_target_write_file_v2(const char *path, const char *value)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t ret;

	atomic_inc(&calls);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, value, strlen(value), &pos);
	filp_close(f, NULL);
	return ret;
}

static int calls_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&calls));
}

static const struct kernel_param_ops calls_ops = { .get = calls_get };
module_param_cb(calls, &calls_ops, NULL, 0444);
MODULE_PARM_DESC(calls, "calls of the replacement so far");

static struct kgraft_func funcs[] = {
	{ .object = "kgraft_target", .name = "kgraft_target_write_file",
	  .new_func = kgraft_target_write_file_v2 },
	{ }
};

static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "strategy that applies the patch (default: kgraft)");

static struct kgraft_patch patch = {
	.name = "kgraft_patch_writer",
	.mod = THIS_MODULE,
	.funcs = funcs,
};

static int __init kgraft_patch_writer_init(void)
{
	patch.strategy = strategy;
	return kgraft_register_patch(&patch);
}

static void __exit kgraft_patch_writer_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_writer_init);
module_exit(kgraft_patch_writer_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("kgraft: version 2 of kgraft_target_write_file");
