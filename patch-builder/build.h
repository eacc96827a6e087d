/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench patch build: from a source fix to a kgraft patch module. The
 * kernel source of the guest's version is prepared once (source.sh);
 * the objects the fix touches are compiled before and after it with
 * function and data sections, diffed (diff.c), written (write.c), and
 * linked into a module with generated source (emit.c) against the guest's
 * headers. DIR/manifest.json says what was done and why; on a refusal it
 * holds the reasons, and no module is built.
 */
#ifndef PB_BUILD_H
#define PB_BUILD_H

#include <stdbool.h>

#define PB_EXIT_REFUSED	3	/* a clear refusal, not an error */

struct pb_build_opts {
	const char *fix;	/* the unified diff (-p1) */
	const char *out;	/* the directory written */
	const char *name;	/* the patch's name; NULL: from the fix's file */
	const char *source;	/* a prepared tree; NULL: source.sh's */
	const char *version;	/* linux-source version; NULL: the guest's */
	const char *release;	/* target kernel; NULL: build/kernel/release */
	const char *kallsyms;	/* NULL: build/kernel/<release>/kallsyms */
	const char *build;	/* the kgraft build directory */
	bool quiet;
};

int pb_build(const struct pb_build_opts *o);

#endif
