// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_patch_refused: a patch kgraft must refuse to register, for the
 * tests. Parameter "fault" picks why:
 *   missing    a function that does not exist               (-ENOENT)
 *   ambiguous  a name several static functions share, sympos 0 (-EINVAL)
 *   sympos     that name with a position past the last one   (-EINVAL)
 *   notrace    a function with no ftrace entry site          (-EINVAL)
 *   twice      getppid, listed twice in the patch             (-EINVAL)
 *   callbacks  callbacks for a module none of its functions is in (-EINVAL)
 *   safepoint  msleep: registers, but the kgraft strategy (2014 model)
 *              refuses to enable it: a kthread safe point sits there
 * The module's init returns kgraft_register_patch()'s error, so insmod
 * fails with it. Only "safepoint" registers; its replacement still delays
 * (busy-waiting), so another strategy may apply it harmlessly.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/string.h>
#include <kgraft.h>

static char *fault = "missing";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault,
		 "missing|ambiguous|sympos|notrace|twice|callbacks|safepoint");

static void kgraft_refused_new(void)
{
}

static void kgraft_refused_msleep(unsigned int msecs)
{
	mdelay(msecs);
}

static struct kgraft_func funcs[3] = {
	{ .new_func = kgraft_refused_new },
	{ }
};

static struct kgraft_callbacks callbacks[] = {
	{ .object = "kgraft_target" },
	{ }
};

static struct kgraft_patch patch = {
	.name = "kgraft_patch_refused",
	.mod = THIS_MODULE,
	.funcs = funcs,
};

static const struct {
	const char *fault, *object, *name;
	unsigned long sympos;
	void *new_func;
} cases[] = {
	{ "missing", NULL, "kgraft_no_such_function" },
	{ "ambiguous", NULL, "type_show" },
	{ "sympos", NULL, "type_show", 100000 },
	{ "notrace", NULL, "do_syscall_64" },
	{ "twice", NULL, "__x64_sys_getppid" },
	{ "callbacks", NULL, "__x64_sys_getppid" },
	{ "safepoint", NULL, "msleep", 0, kgraft_refused_msleep },
};

static int __init kgraft_patch_refused_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (strcmp(fault, cases[i].fault))
			continue;
		funcs[0].object = cases[i].object;
		funcs[0].name = cases[i].name;
		funcs[0].sympos = cases[i].sympos;
		if (cases[i].new_func)
			funcs[0].new_func = cases[i].new_func;
		if (!strcmp(fault, "twice"))
			funcs[1] = funcs[0];
		if (!strcmp(fault, "callbacks"))
			patch.callbacks = callbacks;
		return kgraft_register_patch(&patch);
	}
	return -EINVAL;
}

static void __exit kgraft_patch_refused_exit(void)
{
	kgraft_unregister_patch(&patch);
}

module_init(kgraft_patch_refused_init);
module_exit(kgraft_patch_refused_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft test: patches that registration must refuse");
