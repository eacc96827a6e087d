/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgraft: the interface a patch module uses. A patch module fills one
 * struct kgraft_patch, calls kgraft_register_patch() from its init and
 * kgraft_unregister_patch() from its exit; enabling and disabling are done
 * through /sys/kernel/kgraft/<name>/enabled.
 */
#ifndef _KGRAFT_H
#define _KGRAFT_H

#include <linux/module.h>

struct kgraft_patch_priv;

/**
 * struct kgraft_func - one function to replace
 * @object:	module the function lives in, or NULL for vmlinux
 * @name:	symbol name of the function
 * @sympos:	1-based position among same-named symbols of @object; 0 means
 *		the name must be unique there
 * @new_func:	the replacement, with exactly the same prototype
 */
struct kgraft_func {
	const char *object;
	const char *name;
	unsigned long sympos;
	void *new_func;
};

/**
 * struct kgraft_patch - a named set of replacements
 * @name:	directory name under /sys/kernel/kgraft
 * @mod:	the patch module (THIS_MODULE)
 * @funcs:	array terminated by an entry whose @name is NULL
 * @strategy:	name of the strategy that applies it; NULL: "kgraft" (the
 *		lazy one). Patch modules take it as a module parameter.
 * @priv:	kgraft's own state, set by kgraft_register_patch()
 */
struct kgraft_patch {
	const char *name;
	struct module *mod;
	struct kgraft_func *funcs;
	const char *strategy;
	struct kgraft_patch_priv *priv;
};

int kgraft_register_patch(struct kgraft_patch *patch);
void kgraft_unregister_patch(struct kgraft_patch *patch);

#endif /* _KGRAFT_H */
