// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_test_paths: a strategy that only names paths, for
 * test-kgraft-paths. paths= is a comma-separated list of path names (at
 * most 4) registered with the strategy test_paths; its start counts i + 1
 * switches on its i-th path and then refuses (-EOPNOTSUPP), so the stats
 * show where each strategy path's count lands and nothing else moves.
 */
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kgraft_strategy.h>

#define KGRAFT_TEST_MAX_PATHS 4

static char *paths = "";
module_param(paths, charp, 0444);
MODULE_PARM_DESC(paths, "comma-separated path names to register");

static char *kgraft_test_buf;
static const char *kgraft_test_paths[KGRAFT_TEST_MAX_PATHS + 1];
static unsigned int kgraft_test_nr;

static int kgraft_test_start(struct kgraft_patch_priv *p, int target)
{
	unsigned int i;

	for (i = 0; i < kgraft_test_nr; i++)
		kgraft_count_switched(p, i, i + 1);
	return -EOPNOTSUPP;
}

static struct kgraft_strategy kgraft_test_strategy = {
	.name = "test_paths",
	.owner = THIS_MODULE,
	.start = kgraft_test_start,
	.paths = kgraft_test_paths,
};

static int __init kgraft_test_paths_init(void)
{
	char *s, *name;
	int ret;

	kgraft_test_buf = kstrdup(paths, GFP_KERNEL);
	if (!kgraft_test_buf)
		return -ENOMEM;
	s = kgraft_test_buf;
	while ((name = strsep(&s, ",")) && *name) {
		if (kgraft_test_nr == KGRAFT_TEST_MAX_PATHS) {
			kfree(kgraft_test_buf);
			return -E2BIG;
		}
		kgraft_test_paths[kgraft_test_nr++] = name;
	}
	ret = kgraft_register_strategy(&kgraft_test_strategy);
	if (ret)
		kfree(kgraft_test_buf);
	return ret;
}

static void __exit kgraft_test_paths_exit(void)
{
	kgraft_unregister_strategy(&kgraft_test_strategy);
	kfree(kgraft_test_buf);
}

module_init(kgraft_test_paths_init);
module_exit(kgraft_test_paths_exit);
MODULE_DESCRIPTION("kgraft test: a strategy that registers path names");
MODULE_LICENSE("GPL");
