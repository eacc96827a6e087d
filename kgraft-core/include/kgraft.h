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
struct kgraft_patch;

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
 * struct kgraft_callbacks - code run around a patch's transitions, per object
 * @object:	"vmlinux" or a module name; NULL ends the array
 * @pre_patch:	before a transition to patched starts; an error refuses the
 *		transition (nothing changes; objects whose pre_patch ran get
 *		post_unpatch)
 * @post_patch:	once a transition ended patched (a reversed disable too)
 * @pre_unpatch: before a transition to unpatched starts
 * @post_unpatch: once a transition ended unpatched (a reversed enable too)
 *
 * Each runs once per transition, in array order, in process context with
 * kgraft's mutex held (never inside stop_machine()), whatever the strategy:
 * it may sleep and allocate, but not write kgraft's sysfs files. A patch
 * replaced by a cumulative one gets none of its unpatch callbacks.
 */
struct kgraft_callbacks {
	const char *object;
	int (*pre_patch)(struct kgraft_patch *patch, const char *object);
	void (*post_patch)(struct kgraft_patch *patch, const char *object);
	void (*pre_unpatch)(struct kgraft_patch *patch, const char *object);
	void (*post_unpatch)(struct kgraft_patch *patch, const char *object);
};

/**
 * struct kgraft_reloc - a reference of the patch's code to the kernel that
 * kgraft resolves as the patch registers, before any of it can run: the
 * symbol is not exported, or is local (a patch built from an object diff,
 * see patch-builder/). The field must hold zero, as the module loader left it.
 * @loc:	the field, in the patch module
 * @object:	module of the symbol (loaded, done with its init, when the
 *		patch registers, and held until it goes), or NULL / "vmlinux"
 * @name:	the symbol
 * @sympos:	as struct kgraft_func's
 * @type:	R_X86_64_64, _32, _32S, _PC32, _PLT32 or _PC64
 * @addend:	the ELF relocation's addend
 */
struct kgraft_reloc {
	void *loc;
	const char *object;
	const char *name;
	unsigned long sympos;
	unsigned int type;
	long addend;
};

/**
 * struct kgraft_patch - a named set of replacements
 * @name:	directory name under /sys/kernel/kgraft
 * @mod:	the patch module (THIS_MODULE)
 * @funcs:	array terminated by an entry whose @name is NULL
 * @strategy:	name of the strategy that applies it; NULL: "kgraft" (the
 *		lazy one). Patch modules take it as a module parameter.
 * @replace:	cumulative: enabling it replaces every enabled patch in one
 *		transition; functions only they carried go back to the
 *		original, and they end disabled, their modules free to unload
 * @callbacks:	NULL, or an array ended by an entry whose @object is NULL
 * @relocs:	NULL, or an array ended by an entry whose @name is NULL
 * @priv:	kgraft's own state, set by kgraft_register_patch()
 *
 * Patches stack: several may replace one function, the newest enabled wins
 * and disabling it goes back to the one below, through the strategy's
 * consistency model like any transition.
 */
struct kgraft_patch {
	const char *name;
	struct module *mod;
	struct kgraft_func *funcs;
	const char *strategy;
	bool replace;
	struct kgraft_callbacks *callbacks;
	struct kgraft_reloc *relocs;
	struct kgraft_patch_priv *priv;
};

int kgraft_register_patch(struct kgraft_patch *patch);
void kgraft_unregister_patch(struct kgraft_patch *patch);

/*
 * Shadow variables: data a fix adds to an existing object, without
 * changing its layout, found by (object address, id). Lookups are lock-free
 * (RCU), allocation and freeing take a spinlock with interrupts off: usable
 * from any context a patched function runs in, with @gfp fit for it
 * (GFP_ATOMIC where it cannot sleep). @ctor runs under that lock before the
 * variable is visible; a non-zero return refuses the allocation. @dtor runs
 * under the lock as the variable is unlinked; the memory is freed after an
 * RCU grace period, so a caller that holds rcu_read_lock() across its
 * _get() and its use may race a _free() safely.
 */
typedef int (*kgraft_shadow_ctor_t)(void *obj, void *shadow, void *ctor_data);
typedef void (*kgraft_shadow_dtor_t)(void *obj, void *shadow);

void *kgraft_shadow_get(void *obj, unsigned long id);
/* NULL if it exists already, allocation failed or @ctor refused. */
void *kgraft_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp,
			  kgraft_shadow_ctor_t ctor, void *ctor_data);
/* The existing one, else a new one. */
void *kgraft_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				 gfp_t gfp, kgraft_shadow_ctor_t ctor,
				 void *ctor_data);
void kgraft_shadow_free(void *obj, unsigned long id, kgraft_shadow_dtor_t dtor);
/* Every variable of @id, whatever its object (a patch's exit or callback). */
void kgraft_shadow_free_all(unsigned long id, kgraft_shadow_dtor_t dtor);

#endif /* _KGRAFT_H */
