// SPDX-License-Identifier: GPL-2.0
/*
 * What a run sets up and takes down around its cycles: the kernel checks,
 * the modules (core, strategies, target, patch) loaded and unloaded, the
 * strategy chosen for a transition, and the workloads started.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/run/internal.h"
#include "bench/run/kmod.h"
#include "bench/run/patchctl.h"
#include "bench/run/run.h"
#include "bench/run/strategy.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

int run_check_modules(const struct run_config *rc, char *err, size_t len)
{
	const struct bench_patch *patch = bench_patch_find(rc->patch);
	const char *need[RUN_MAX_STRATEGIES + 4];
	char path[4096];
	unsigned int i, n = 0;

	need[n++] = "kgraft";
	for (i = 0; i < rc->nr_strategies; i++) {
		const struct bench_strategy *s =
			bench_strategy_find(rc->strategies[i]);

		if (s && s->module)
			need[n++] = s->module;
	}
	/* A built patch's object module is the stock kernel's own. */
	if (patch && patch->needs && !patch->needs_stock)
		need[n++] = patch->needs;
	if (patch)
		need[n++] = patch->module;
	if (patch && patch->base)
		need[n++] = bench_patch_find(patch->base)->module;
	for (i = 0; i < n; i++) {
		int ret;

		if (kmod_loaded(need[i]))
			continue;
		ret = kmod_find(need[i], path, sizeof(path), err, len);
		if (ret)
			return ret;
	}
	return 0;
}

int run_preflight(char *err, size_t len)
{
	if (geteuid()) {
		snprintf(err, len, "--target=local needs root (modules are loaded)");
		return -EPERM;
	}
	if (access("/proc/modules", R_OK)) {
		snprintf(err, len, "this kernel (%s) has no loadable module support",
			 "running");
		return -ENOSYS;
	}
	if (access("/sys/kernel/livepatch", F_OK)) {
		snprintf(err, len, "this kernel has no livepatch support (CONFIG_LIVEPATCH, /sys/kernel/livepatch)");
		return -ENOSYS;
	}
	if (access("/sys/kernel/tracing/events", F_OK) &&
	    access("/sys/kernel/debug/tracing/events", F_OK)) {
		snprintf(err, len, "tracefs is not mounted (/sys/kernel/tracing)");
		return -ENOSYS;
	}
	return 0;
}

static int load(const char *name, const char *params, bool *loaded, char *err,
		size_t len)
{
	char path[4096];
	int ret;

	if (kmod_loaded(name))
		return 0;
	ret = kmod_find(name, path, sizeof(path), err, len);
	if (ret)
		return ret;
	ret = kmod_load(path, params);
	if (ret) {
		snprintf(err, len, "loading %s: %s", path, strerror(-ret));
		return ret;
	}
	*loaded = true;
	return 0;
}

/*
 * The target module's busy kthreads exist only if it was loaded with
 * busy_kthreads=N: load it so, or check that it was (a patch that needs
 * the target has just loaded it without; then it is reloaded).
 */
static int load_busy(struct run *r, char *err, size_t len)
{
	const char *path = "/sys/module/kgraft_target/parameters/busy_kthreads";
	char params[32], have[16] = "";
	bool *loaded = r->loaded_target ? &r->loaded_target : &r->loaded_busy;
	int ret;

	if (r->loaded_target) {
		ret = kmod_unload("kgraft_target");
		if (ret) {
			snprintf(err, len, "reloading kgraft_target for its busy kthreads: %s",
				 strerror(-ret));
			return ret;
		}
		r->loaded_target = false;
	}
	snprintf(params, sizeof(params), "busy_kthreads=%u",
		 r->rc->busy_kthreads);
	ret = load("kgraft_target", params, loaded, err, len);
	if (ret)
		return ret;
	read_small_file(path, have, sizeof(have));
	if ((unsigned int)strtoul(have, NULL, 10) != r->rc->busy_kthreads) {
		snprintf(err, len, "kgraft_target is loaded with busy_kthreads=%u, not %u: unload it first",
			 (unsigned int)strtoul(have, NULL, 10),
			 r->rc->busy_kthreads);
		return -EBUSY;
	}
	return 0;
}

/* Disable the patch if it is enabled, and wait until it settles. */
static int patch_off(const struct patchctl *pc, uint64_t timeout_ns)
{
	long v = 0;
	int ret = patchctl_read_long(pc, "enabled", &v);

	if (ret || !v)
		return ret;
	ret = patchctl_write(pc, "enabled", "0");
	return ret ?: patchctl_wait_settled(pc, timeout_ns);
}

static int set_strategy(const struct patchctl *pc, const char *name)
{
	char cur[64];

	if (patchctl_read(pc, "strategy", cur, sizeof(cur)) > 0) {
		strip_newline(cur);
		if (!strcmp(cur, name))
			return 0;
	} else if (!strcmp(name, "kgraft")) {
		return 0;	/* a core without a strategy file: its default */
	}
	return patchctl_write(pc, "strategy", name);
}

/* Choose the strategy for the next transitions, unless it is already set. */
int run_set_strategy(struct run *r, const char *name)
{
	int ret = set_strategy(&r->pc, name);

	if (ret || !r->base)
		return ret;
	/* A cumulative patch replaces patches of its own strategy here. */
	ret = set_strategy(&r->base_pc, name);
	if (ret == -EBUSY) {
		/* Left enabled by another strategy's refused apply. */
		ret = patch_off(&r->base_pc, r->rc->transition_timeout_ns);
		if (!ret)
			ret = set_strategy(&r->base_pc, name);
	}
	return ret;
}

/*
 * The replace scenario: the patch the measured one replaces is enabled
 * (again: the last revert left it replaced) and settled, outside every
 * phase. A refused apply (stop_machine) leaves it enabled.
 */
int run_enable_base(struct run *r)
{
	long v = 0;
	int ret;

	if (!r->base)
		return 0;
	ret = patchctl_read_long(&r->base_pc, "enabled", &v);
	if (!ret && !v)
		ret = patchctl_write(&r->base_pc, "enabled", "1");
	if (!ret)
		ret = patchctl_wait_settled(&r->base_pc,
					    r->rc->transition_timeout_ns);
	return ret;
}

int run_setup_kernel(struct run *r, char *err, size_t len)
{
	unsigned int i;
	int ret;

	ret = load("kgraft", "", &r->loaded_core, err, len);
	if (!ret)
		ret = run_set_knobs(r, err, len);
	/* Strategies register with the core: after it, before any use. */
	for (i = 0; !ret && i < r->rc->nr_strategies; i++) {
		const struct bench_strategy *s =
			bench_strategy_find(r->rc->strategies[i]);

		if (s->module)
			ret = load(s->module, "", &r->loaded_strategy[i], err,
				   len);
	}
	if (!ret && r->patch->needs && r->patch->needs_stock) {
		if (!kmod_loaded(r->patch->needs)) {
			ret = kmod_load_stock(r->patch->needs, err, len);
			r->loaded_target = !ret;
		}
	} else if (!ret && r->patch->needs) {
		ret = load(r->patch->needs, "", &r->loaded_target, err, len);
	}
	if (!ret && r->rc->busy_kthreads)
		ret = load_busy(r, err, len);
	if (!ret && r->base)
		ret = load(r->base->module, r->base->params ?: "",
			   &r->loaded_base, err, len);
	if (!ret)
		ret = load(r->patch->module, r->patch->params ?: "",
			   &r->loaded_patch, err, len);
	if (ret)
		return ret;
	for (i = 0; i < r->rc->nr_strategies; i++) {
		const struct bench_strategy *s =
			bench_strategy_find(r->rc->strategies[i]);

		r->nr_params[i] = kmod_params(s->module ?: "kgraft",
					      r->params[i], MAX_PARAMS);
	}
	if (patchctl_open(&r->pc, r->patch->sysfs)) {
		snprintf(err, len, "%s loaded but %s/%s is missing",
			 r->patch->module, KGRAFT_SYSFS, r->patch->sysfs);
		return -ENOENT;
	}
	if (r->base && patchctl_open(&r->base_pc, r->base->sysfs)) {
		snprintf(err, len, "%s loaded but %s/%s is missing",
			 r->base->module, KGRAFT_SYSFS, r->base->sysfs);
		return -ENOENT;
	}
	return 0;
}

/*
 * Unload @name, waiting up to @wait_ns while it is in use: after an
 * immediate revert that could not prove the replacements unused, the
 * strategy keeps a reference on the patch module and drops it at a rescan
 * (every 100 ms to 1 s), which succeeds once the workloads have stopped.
 */
static int unload(const char *name, uint64_t wait_ns)
{
	uint64_t deadline = mono_ns() + wait_ns;
	int ret;

	while ((ret = kmod_unload(name)) == -EWOULDBLOCK || ret == -EBUSY) {
		if (mono_ns() > deadline)
			break;
		sleep_ns(NS / 10);
	}
	if (ret)
		fprintf(stderr, "bench run: %s stays loaded: %s\n", name,
			strerror(-ret));
	return ret;
}

void run_teardown_kernel(struct run *r)
{
	unsigned int i;

	if (r->loaded_patch) {
		patch_off(&r->pc, r->rc->transition_timeout_ns);
		unload(r->patch->module, 5 * NS);
	}
	if (r->loaded_base) {
		patch_off(&r->base_pc, r->rc->transition_timeout_ns);
		unload(r->base->module, 5 * NS);
	}
	/* The patch held its strategy's module: gone with it. */
	for (i = 0; i < r->rc->nr_strategies; i++)
		if (r->loaded_strategy[i])
			unload(bench_strategy_find(r->rc->strategies[i])->module,
			       0);
	if (r->loaded_target)
		unload(r->patch->needs, 0);
	if (r->loaded_busy)
		unload("kgraft_target", 0);
	/* Gone with the module, the knobs need no restoring; else they do. */
	if (r->loaded_core && !unload("kgraft", 0))
		r->knobs_set = false;
	run_restore_knobs(r);
}

/* Workloads run on CPUs 1..n-1; with one CPU they share it with us. */
int run_start_workloads(struct run *r, uint64_t duration_ns, char *err,
			size_t len)
{
	const struct run_config *rc = r->rc;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int i;
	long c;

	for (i = 0; i < rc->nr_workloads; i++) {
		const struct workload_ops *ops = workload_find(rc->workloads[i]);
		struct workload_opts o;
		int ret;

		workload_opts_init(&o, ops);
		o.threads = rc->threads;
		o.slots = r->nr_cyc * RUN_NR_PHASES;
		o.duration_ns = duration_ns;
		o.window_ns = 10 * 1000 * 1000;
		for (c = ncpu > 1 ? 1 : 0; c < ncpu && o.nr_cpus < WL_MAX_CPUS; c++)
			o.cpus[o.nr_cpus++] = (int)c;
		if (!strcmp(ops->name, "target")) {
			o.op = r->patch->workload_op;
			o.rate_hz = rc->rate_hz;
		}
		if (ops->requests) {	/* the servers */
			o.rate_hz = rc->kv.rate_hz;
			o.conns = rc->kv.conns;
			o.set_pct = rc->kv.set_pct;
			o.value_size = rc->kv.value_size;
			o.keys = rc->kv.keys;
		}
		if (!strcmp(ops->name, "population")) {
			o.tasks = rc->tasks_outside;
			o.sleepers = rc->tasks_inside;
			o.spinners = rc->spinners;
			o.rate_hz = rc->churn_hz;
			o.kthread = rc->busy_kthreads > 0;
		}
		ret = workload_opts_check(&o, err, len);
		if (!ret)
			ret = workload_start(&r->wl[i], ops, &o, err, len);
		if (ret)
			return ret;
	}
	return 0;
}
