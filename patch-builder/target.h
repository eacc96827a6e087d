/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel a patch is built for, as symbols: what it exports to modules
 * (the headers' Module.symvers) and, optionally, its kallsyms (a copy of
 * the guest's /proc/kallsyms) to check that a symbol the patch refers to
 * exists there and to tell same-named local symbols apart by position.
 */
#ifndef PB_TARGET_H
#define PB_TARGET_H

#include <stdbool.h>
#include <stddef.h>

struct pb_object;

struct pb_ksym {
	char *name;
	char *module;		/* NULL: vmlinux */
	unsigned long addr;
	char type;
};

struct pb_target {
	char **exports;		/* sorted */
	size_t nexports;
	struct pb_ksym *ksyms;	/* in kallsyms' own order */
	size_t nksyms;
};

/* Either file may be NULL (nothing exported / no kallsyms to check). */
int pb_target_load(struct pb_target *t, const char *symvers,
		   const char *kallsyms, char *err, size_t errlen);
void pb_target_free(struct pb_target *t);
bool pb_target_exported(const struct pb_target *t, const char *name);
/*
 * The position kgraft-core's resolution needs for @name of @object
 * ("vmlinux" or a module): 0 when unique, else 1-based among the
 * same-named symbols, picking the one whose neighbours are @o's own
 * symbols. -ENOENT when the kernel has no such symbol (e.g. it was
 * inlined there), -EAMBIGUOUS-like -ENOTUNIQ when neighbours cannot tell.
 * Without kallsyms, or for a module it does not list, 0 (the core
 * refuses a duplicate at load).
 */
int pb_target_sympos(const struct pb_target *t, const char *object,
		     const char *name, struct pb_object *o,
		     unsigned long *pos);

#endif
