// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: a patch's relocations (struct kgraft_reloc). A patch built from
 * an object diff calls and reads what the kernel does not export; the
 * module loader only resolves exported symbols, so it leaves those fields
 * zero and kgraft fills them as the patch registers, before any of its
 * code can run. A module they point into must be loaded by then, and is
 * held until the patch goes. The patch's text is read-only by then: fields are written
 * with text_poke() under text_mutex, as livepatch writes its own.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/elf.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/string.h>
#include "internal.h"

static int kgraft_reloc_value(const struct kgraft_reloc *r, unsigned long sym,
			      u64 *val, size_t *len)
{
	u64 v = sym + r->addend;
	u64 loc = (unsigned long)r->loc;

	switch (r->type) {
	case R_X86_64_64:
		*len = 8;
		break;
	case R_X86_64_32:
		if (v != (u32)v)
			return -ERANGE;
		*len = 4;
		break;
	case R_X86_64_32S:
		if ((s64)v != (s32)v)
			return -ERANGE;
		*len = 4;
		break;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		v -= loc;
		if ((s64)v != (s32)v)
			return -ERANGE;
		*len = 4;
		break;
	case R_X86_64_PC64:
		v -= loc;
		*len = 8;
		break;
	default:
		return -EINVAL;
	}
	*val = v;
	return 0;
}

/* Keep one reference per module the relocations point into. */
static int kgraft_reloc_hold(struct kgraft_patch_priv *p, struct module *mod)
{
	unsigned int i;

	for (i = 0; i < p->nr_reloc_mods; i++)
		if (p->reloc_mods[i] == mod) {
			module_put(mod);
			return 0;
		}
	if (p->nr_reloc_mods == KGRAFT_MAX_RELOC_MODS) {
		pr_err("%s: relocations into more than %d modules\n",
		       p->patch->name, KGRAFT_MAX_RELOC_MODS);
		module_put(mod);
		return -E2BIG;
	}
	p->reloc_mods[p->nr_reloc_mods++] = mod;
	return 0;
}

static int kgraft_reloc_apply(struct kgraft_patch_priv *p,
			      const struct kgraft_reloc *r)
{
	struct kgraft_patch *patch = p->patch;
	struct module *mod = NULL;
	unsigned long sym;
	size_t len;
	u64 val;
	int ret;

	if (!within_module((unsigned long)r->loc, patch->mod) ||
	    !within_module((unsigned long)r->loc + 7, patch->mod)) {
		pr_err("%s: relocation to %s lies outside the patch module\n",
		       patch->name, r->name);
		return -EINVAL;
	}
	ret = kgraft_resolve_symbol(r->object, r->name, r->sympos, &sym, &mod);
	if (ret)
		return ret;
	if (mod == patch->mod) {
		pr_err("%s: relocation to %s in the patch module itself\n",
		       patch->name, r->name);
		module_put(mod);
		return -EINVAL;
	}
	if (mod) {
		ret = kgraft_reloc_hold(p, mod);
		if (ret)
			return ret;
	}
	ret = kgraft_reloc_value(r, sym, &val, &len);
	if (ret) {
		pr_err("%s: relocation type %u to %s at %pS: %s\n", patch->name,
		       r->type, r->name, r->loc,
		       ret == -ERANGE ? "out of range" : "unknown type");
		return ret;
	}
	/*
	 * Zero as the loader left it, or this value from an earlier
	 * registration of the same module; anything else is not ours.
	 */
	if (memchr_inv(r->loc, 0, len)) {
		if (memcmp(r->loc, &val, len)) {
			pr_err("%s: relocation to %s at %pS: the field is not zero\n",
			       patch->name, r->name, r->loc);
			return -EINVAL;
		}
		return 0;
	}
	mutex_lock(kgraft_text_mutex);
	kgraft_text_poke(r->loc, &val, len);
	mutex_unlock(kgraft_text_mutex);
	return 0;
}

/* Every CPU sees the new fields before any could run them (as livepatch). */
static void kgraft_relocs_sync(void)
{
	mutex_lock(kgraft_text_mutex);
	kgraft_text_poke_sync();
	mutex_unlock(kgraft_text_mutex);
}

/*
 * Resolve and write every relocation of @p's patch. A module they point
 * into stays referenced until the patch is freed (its code calls into
 * it); on an error the references taken so far are dropped.
 */
int kgraft_relocs_apply(struct kgraft_patch_priv *p)
{
	const struct kgraft_reloc *r;
	unsigned int n = 0;
	int ret;

	for (r = p->patch->relocs; r && r->name; r++, n++) {
		ret = kgraft_reloc_apply(p, r);
		if (ret) {
			kgraft_relocs_release(p);
			return ret;
		}
	}
	if (n) {
		kgraft_relocs_sync();
		pr_info("%s: %u relocations resolved\n", p->patch->name, n);
	}
	return 0;
}

void kgraft_relocs_release(struct kgraft_patch_priv *p)
{
	while (p->nr_reloc_mods)
		module_put(p->reloc_mods[--p->nr_reloc_mods]);
}
