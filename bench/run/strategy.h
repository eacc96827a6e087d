/* SPDX-License-Identifier: GPL-2.0 */
/* What bench knows of strategies and patches: names, modules, sysfs names. */
#ifndef BENCH_STRATEGY_H
#define BENCH_STRATEGY_H

struct bench_strategy {
	const char *name;
	const char *module;	/* NULL: built into kgraft.ko */
	const char *summary;
};

struct bench_patch {
	const char *name;	/* as given to --patch */
	const char *module;	/* the patch module */
	const char *sysfs;	/* its directory under /sys/kernel/kgraft */
	const char *needs;	/* a module the patched code lives in, or NULL */
	const char *workload_op; /* the target workload's op that drives it */
	const char *summary;
	const char *params;	/* module parameters it is loaded with */
	/*
	 * A cumulative patch: the bench patch it replaces, enabled before
	 * each cycle's baseline, outside every phase; NULL for the others.
	 */
	const char *base;
	bool needs_stock;	/* @needs is a stock module (modprobe) */
};

extern const struct bench_strategy bench_strategies[];
extern const struct bench_patch bench_patches[];

const struct bench_strategy *bench_strategy_find(const char *name);
/*
 * A name from the table, or the directory of a patch built by bench patch
 * build (its manifest.json says "built"): its module and sysfs name come
 * from the manifest, and the stock module it patches is loaded first.
 */
const struct bench_patch *bench_patch_find(const char *name);

#endif
