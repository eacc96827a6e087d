// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_test_warn: triggers one WARN() when loaded. The runner must fail a
 * run in which this happens and name the console log.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init kgraft_test_warn_init(void)
{
	WARN(1, "kgraft_test_warn: deliberate warning for the runner's test\n");
	return 0;
}

static void __exit kgraft_test_warn_exit(void)
{
}

module_init(kgraft_test_warn_init);
module_exit(kgraft_test_warn_exit);
MODULE_DESCRIPTION("kgraft guest runner test: a module that warns on load");
MODULE_LICENSE("GPL");
