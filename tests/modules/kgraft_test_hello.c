// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_test_hello: loads and unloads cleanly and says so, so that the
 * runner's tests can tell that a module built here runs in the guest.
 */
#include <linux/module.h>
#include <linux/printk.h>

static int __init kgraft_test_hello_init(void)
{
	pr_info("kgraft_test_hello: loaded\n");
	return 0;
}

static void __exit kgraft_test_hello_exit(void)
{
	pr_info("kgraft_test_hello: unloaded\n");
}

module_init(kgraft_test_hello_init);
module_exit(kgraft_test_hello_exit);
MODULE_DESCRIPTION("kgraft guest runner test: a module that loads and unloads");
MODULE_LICENSE("GPL");
