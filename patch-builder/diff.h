/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object diff: which functions of an object changed between the build
 * before a fix and the build after it, what else the changed code needs
 * (new functions, strings, read-only data, the special-section entries
 * that describe it), how each of its references reaches the running
 * kernel, and what a function-level live patch cannot carry.
 */
#ifndef PB_DIFF_H
#define PB_DIFF_H

#include "patch-builder/object.h"
#include "patch-builder/target.h"

/* A reference from the patch's code to the running kernel that kgraft-core
 * resolves at load: the symbol is not exported, or is local. */
struct pb_kreloc {
	struct pb_section *sec;	/* the after object's section it is in */
	uint64_t offset;	/* in that section (before special-entry moves) */
	uint32_t type;
	int64_t addend;		/* relative to the symbol */
	const char *object;	/* "vmlinux" or a module */
	const char *name;
	unsigned long sympos;
};

/* One function the patch carries. */
struct pb_func {
	struct pb_symbol *sym;	/* in the after object */
	enum pb_change change;	/* PB_CHANGED: replaces the old one, unless
				 * sym->by_callers (reached through them) */
	unsigned long sympos;	/* of the old one, for its redirection */
	const char *why;	/* filled by the builder (source lines) */
};

struct pb_refusal {
	const char *category;	/* short, fixed: groups the coverage table */
	char *message;		/* names the symbol */
};

struct pb_diff {
	struct pb_object *before, *after;
	const char *object;	/* "vmlinux" or the module's name */
	const struct pb_target *target;
	struct pb_func *funcs;
	size_t nfuncs;
	struct pb_kreloc *krelocs;
	size_t nkrelocs;
	struct pb_refusal *refusals;
	size_t nrefusals;
	char **notes;		/* copied read-only data and the like */
	size_t nnotes;
};

/* 0 with the result in @d (check d->nrefusals), or an error in @err. */
int pb_diff_run(struct pb_diff *d, char *err, size_t errlen);
void pb_diff_free(struct pb_diff *d);

/* How a reference from included code reaches its target. */
enum pb_ref_kind {
	PB_REF_LOCAL,		/* into a section the patch carries */
	PB_REF_EXTERN,		/* an exported symbol: the module loader */
	PB_REF_KGRAFT,		/* kgraft-core resolves it at load */
	PB_REF_REFUSED,
};

struct pb_ref {
	enum pb_ref_kind kind;
	struct pb_section *sec;	/* LOCAL: the target section */
	struct pb_symbol *sym;	/* LOCAL/EXTERN/KGRAFT: the symbol named */
	const char *name;	/* EXTERN/KGRAFT */
	const char *object;	/* KGRAFT: "vmlinux" or a module */
	const char *why;	/* REFUSED: the category */
	int64_t addend;		/* relative to @sec (LOCAL) or @name */
	unsigned long sympos;
};

/* Classify a relocation of the after object (the writer uses it too). */
void pb_diff_ref(struct pb_diff *d, const struct pb_rela *r,
		 struct pb_ref *ref);

/* Special sections the builder knows: entries describing code. */
struct pb_special {
	const char *name;
	size_t entsize;
	bool keep;		/* false: dropped (correct without it) */
};

const struct pb_special *pb_special_find(const char *name);

#endif
