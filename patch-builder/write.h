/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing what the diff kept as a new relocatable object: the sections the
 * patch carries, the special-section entries that describe them, their
 * relocations (to the patch's own sections, or to exported symbols for the
 * module loader), and one global symbol per carried section,
 * <prefix>s<N>, by which the generated module source names them.
 */
#ifndef PB_WRITE_H
#define PB_WRITE_H

#include "patch-builder/diff.h"

/* Where a kgraft relocation lands in the written object. */
struct pb_out_reloc {
	size_t out_sec;		/* its <prefix>s<N> */
	uint64_t offset;
	const struct pb_kreloc *k;
};

struct pb_written {
	struct pb_out_reloc *relocs;
	size_t nrelocs;
	size_t nsections;
	size_t nexterns;
};

int pb_write_object(struct pb_diff *d, const char *path, const char *prefix,
		    struct pb_written *out, char *err, size_t errlen);
/* The written name of an included section (for funcs' new_func). */
size_t pb_written_section(const struct pb_section *sec);

#endif
