// SPDX-License-Identifier: GPL-2.0
/*
 * The strategies and patches bench can drive. kgraft's two lazy strategies
 * are built into kgraft.ko; the others are modules of their own
 * (strategies/<name>/, built as build/kmod/strategies/<name>/kgraft_<name>.ko)
 * that must be loaded after kgraft.ko and before a patch selects them.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bench/run/kmod.h"
#include "bench/run/strategy.h"
#include "lib/json.h"

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
	  "every function of the test target's call chain (v2)", NULL, NULL,
	  false },
	{ "vmlinux", "kgraft_patch_vmlinux", "kgraft_patch_vmlinux", NULL,
	  "getppid", "getppid(2)'s __x64_sys_getppid, on the syscall hot path",
	  NULL, NULL, false },
	{ "replace", "kgraft_patch_target_v3", "kgraft_patch_target_v3",
	  "kgraft_target", "ioctl",
	  "v3 of the chain, cumulative: apply replaces patch target (v2), enabled before each cycle",
	  "replace=1", "target", false },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false },
};

const struct bench_strategy *bench_strategy_find(const char *name)
{
	const struct bench_strategy *s;

	for (s = bench_strategies; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* The one built patch of this run, read from its manifest once. */
static struct bench_patch built;
static char built_name[PATH_MAX], built_module[96], built_sysfs[64];
static char built_needs[64], built_summary[PATH_MAX + 64];

static const struct bench_patch *built_patch(const char *dir)
{
	char path[PATH_MAX + 16], err[128];
	const char *status, *module, *sysfs;
	json_t *m, *fn;
	size_t i;
	FILE *f;

	if (built.name && !strcmp(built_name, dir))
		return &built;
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	m = json_read(f, err, sizeof(err));
	fclose(f);
	if (!m)
		return NULL;
	status = json_string_value(json_object_get(m, "status"));
	module = json_string_value(json_object_get(m, "module"));
	sysfs = json_string_value(json_object_get(m, "name"));
	if (!status || strcmp(status, "built") || !module || !sysfs) {
		json_decref(m);
		return NULL;
	}
	snprintf(built_name, sizeof(built_name), "%s", dir);
	snprintf(built_module, sizeof(built_module), "%s", module);
	snprintf(built_sysfs, sizeof(built_sysfs), "%s", sysfs);
	built_needs[0] = '\0';
	json_array_foreach(json_object_get(m, "functions"), i, fn) {
		const char *obj = json_string_value(json_object_get(fn, "object"));

		if (obj && strcmp(obj, "vmlinux"))
			snprintf(built_needs, sizeof(built_needs), "%s", obj);
	}
	snprintf(built_summary, sizeof(built_summary),
		 "built by bench patch build from %s",
		 json_string_value(json_object_get(m, "fix")) ?: "?");
	json_decref(m);
	built = (struct bench_patch){
		.name = built_name, .module = built_module,
		.sysfs = built_sysfs, .summary = built_summary,
		.needs = built_needs[0] ? built_needs : NULL,
		.needs_stock = true,
	};
	kmod_add_dir(dir);
	return &built;
}

const struct bench_patch *bench_patch_find(const char *name)
{
	const struct bench_patch *p;

	for (p = bench_patches; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return strchr(name, '/') ? built_patch(name) : NULL;
}
