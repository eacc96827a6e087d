/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The patch module's source: one struct kgraft_patch whose functions point
 * at the written objects' sections and whose relocations are those the
 * module loader cannot resolve, and the Kbuild file that links them.
 */
#ifndef PB_EMIT_H
#define PB_EMIT_H

#include "patch-builder/diff.h"
#include "patch-builder/write.h"

struct pb_unit {		/* one object of the fix */
	char *path;		/* kernel/sys.o */
	char object[64];	/* "vmlinux", or the module it is part of */
	struct pb_diff diff;
	struct pb_written written;
	char prefix[32];	/* kgraft_o<k>_ */
	char out_name[32];	/* fix<k>.o */
};

int pb_emit_module(const char *dir, const char *module, const char *patch,
		   const char *fix_path, struct pb_unit *units, size_t n,
		   const char *include_dir, char *err, size_t errlen);

#endif
