// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: a patch's relocations (struct kgraft_reloc). A patch built from
 * an object diff calls and reads what the kernel does not export; the
 * module loader only resolves exported symbols, so it leaves those fields
 * zero and kgraft fills them as the patch registers, before any of its
 * code can run. The patch's text is read-only by then: fields are written
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

static int kgraft_reloc_apply(struct kgraft_patch *patch,
			      const struct kgraft_reloc *r)
{
	unsigned long sym;
	size_t len;
	u64 val;
	int ret;

	if (r->object && strcmp(r->object, "vmlinux")) {
		pr_err("%s: relocation to %s in module %s: only vmlinux symbols are supported\n",
		       patch->name, r->name, r->object);
		return -EINVAL;
	}
	if (!within_module((unsigned long)r->loc, patch->mod) ||
	    !within_module((unsigned long)r->loc + 7, patch->mod)) {
		pr_err("%s: relocation to %s lies outside the patch module\n",
		       patch->name, r->name);
		return -EINVAL;
	}
	ret = kgraft_resolve_symbol(r->name, r->sympos, &sym);
	if (ret)
		return ret;
	ret = kgraft_reloc_value(r, sym, &val, &len);
	if (ret) {
		pr_err("%s: relocation type %u to %s at %px: %s\n", patch->name,
		       r->type, r->name, r->loc,
		       ret == -ERANGE ? "out of range" : "unknown type");
		return ret;
	}
	/* Zero as the loader left it, or this value from an earlier
	 * registration of the same module; anything else is not ours. */
	if (memchr_inv(r->loc, 0, len)) {
		if (memcmp(r->loc, &val, len)) {
			pr_err("%s: relocation to %s at %px: the field is not zero\n",
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

int kgraft_relocs_apply(struct kgraft_patch *patch)
{
	const struct kgraft_reloc *r;
	unsigned int n = 0;
	int ret;

	for (r = patch->relocs; r && r->name; r++, n++) {
		ret = kgraft_reloc_apply(patch, r);
		if (ret)
			return ret;
	}
	if (n)
		pr_info("%s: %u relocations resolved\n", patch->name, n);
	return 0;
}
