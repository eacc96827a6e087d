// SPDX-License-Identifier: GPL-2.0
/*
 * The strategies and patches bench can drive. kgraft's two lazy strategies
 * are built into kgraft.ko; the others are modules of their own
 * (strategies/<name>/, built as build/kmod/strategies/<name>/kgraft_<name>.ko)
 * that must be loaded after kgraft.ko and before a patch selects them.
 */
#include <stddef.h>
#include <string.h>

#include "bench/run/strategy.h"

const struct bench_strategy bench_strategies[] = {
	{ "kgraft", NULL,
	  "kGraft 2014: lazy per-task switching at syscalls, user returns, kthread loop tops; no stack check" },
	{ "kgraft_sweep", NULL,
	  "kgraft plus upstream's stack-checking sweep every 100 ms (the hybrid)" },
	{ "stop_machine", "kgraft_stop_machine",
	  "stop every CPU, check every stack, switch at once (Ksplice, early kpatch)" },
	{ "klp", "kgraft_klp",
	  "upstream livepatch (klp_enable_patch): the hybrid per-task model" },
	{ "immediate", "kgraft_immediate",
	  "switch every function at once, no check: the unsafe lower bound" },
	{ NULL, NULL, NULL },
};

const struct bench_patch bench_patches[] = {
	{ "target", "kgraft_patch_target", "kgraft_patch_target",
	  "kgraft_target", "ioctl",
	  "every function of the test target's call chain (v2)", NULL, NULL },
	{ "vmlinux", "kgraft_patch_vmlinux", "kgraft_patch_vmlinux", NULL,
	  "getppid", "getppid(2)'s __x64_sys_getppid, on the syscall hot path",
	  NULL, NULL },
	{ "replace", "kgraft_patch_target_v3", "kgraft_patch_target_v3",
	  "kgraft_target", "ioctl",
	  "v3 of the chain, cumulative: apply replaces patch target (v2), enabled before each cycle",
	  "replace=1", "target" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct bench_strategy *bench_strategy_find(const char *name)
{
	const struct bench_strategy *s;

	for (s = bench_strategies; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

const struct bench_patch *bench_patch_find(const char *name)
{
	const struct bench_patch *p;

	for (p = bench_patches; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}
