// SPDX-License-Identifier: GPL-2.0
/*
 * The run's configuration: its defaults, the guest memory a population
 * needs, the strategy list, and the checks that need no kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/run/internal.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "bench/run/strategy.h"
#include "bench/workload/workload.h"

/* The servers' client as the workload itself defaults it. */
static void kv_init(struct run_kv *kv)
{
	struct workload_opts o;

	workload_opts_init(&o, &workload_redis);
	kv->rate_hz = o.rate_hz;
	kv->conns = o.conns;
	kv->set_pct = o.set_pct;
	kv->value_size = o.value_size;
	kv->keys = o.keys;
}

void run_config_init(struct run_config *rc)
{
	memset(rc, 0, sizeof(*rc));
	kv_init(&rc->kv);
	rc->strategies[0] = "kgraft";
	rc->nr_strategies = 1;
	rc->patch = "target";
	rc->workloads[0] = "target";
	rc->workloads[1] = "stall";
	rc->nr_workloads = 2;
	rc->cycles = 10;
	rc->cpus = 2;
	rc->threads = 1;
	rc->baseline_ns = NS;
	rc->settled_ns = NS;
	rc->gap_min_ns = NS / 5;
	rc->gap_max_ns = 3 * NS / 5;
	rc->transition_timeout_ns = 60 * NS;
	rc->pending_interval_ns = 20 * NS / 1000;
	rc->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	rc->accel = GUEST_ACCEL_AUTO;
	rc->mem_mb = 2048;
	rc->counters = RP_COUNTERS_SYSTEM;
}

uint64_t run_transition_slack_ns(const struct run_config *rc)
{
	return (rc->knobs_native ? 20 : 40) * NS;
}

unsigned int run_default_mem(unsigned int tasks)
{
	/*
	 * 160 KiB a task over a 1 GiB floor. Measured: 30000 bench-sleepers
	 * took 3.6 GiB (120 KiB each, 20 KiB of it page tables).
	 */
	uint64_t mb = 1024 + ((uint64_t)tasks * 160 + 1023) / 1024;

	return mb < 2048 ? 2048 : (unsigned int)mb;
}

/* Splits a copy: the original stays whole for the guest's command line. */
int run_parse_strategies(const char *arg, struct run_config *rc)
{
	char *save = NULL, *s, *list = strdup(arg);

	if (!list)
		return -ENOMEM;
	rc->nr_strategies = 0;
	for (s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (rc->nr_strategies == RUN_MAX_STRATEGIES)
			return -E2BIG;
		rc->strategies[rc->nr_strategies++] = s;
	}
	return rc->nr_strategies ? 0 : -EINVAL;
}

/*
 * What a server run needs that the guest may not have, refused before it
 * boots: a histogram per cycle and phase, file descriptors for the
 * connections, memory for the key space.
 */
static int kv_check(const struct run_config *rc, const char *name, char *err,
		    size_t len)
{
	if ((uint64_t)rc->cycles * rc->nr_strategies * RUN_NR_PHASES >
	    WL_MAX_REQ_SLOTS) {
		snprintf(err, len, "%s keeps a histogram per cycle and phase: at most %u cycles in all (cycles x strategies)",
			 name, WL_MAX_REQ_SLOTS / RUN_NR_PHASES);
		return -EINVAL;
	}
	if ((uint64_t)rc->kv.conns * rc->threads > RUN_MAX_CONNS) {
		snprintf(err, len, "%s: at most %u connections in all (--conns x --threads)",
			 name, RUN_MAX_CONNS);
		return -EINVAL;
	}
	if ((uint64_t)rc->kv.keys * (rc->kv.value_size + 64) >
	    RUN_MAX_KV_BYTES) {
		snprintf(err, len, "%s: the key space would take over %u MiB of the guest (--keys x (--value-size + 64 bytes))",
			 name, RUN_MAX_KV_BYTES >> 20);
		return -EINVAL;
	}
	return 0;
}

int run_config_check(const struct run_config *rc, char *err, size_t len)
{
	unsigned int i, k;

	for (i = 0; i < rc->nr_strategies; i++) {
		if (!bench_strategy_find(rc->strategies[i])) {
			snprintf(err, len, "unknown strategy '%s' (see 'bench list')",
				 rc->strategies[i]);
			return -EINVAL;
		}
		for (k = 0; k < i; k++) {
			if (!strcmp(rc->strategies[i], rc->strategies[k])) {
				snprintf(err, len, "strategy '%s' named twice",
					 rc->strategies[i]);
				return -EINVAL;
			}
		}
	}
	if ((uint64_t)rc->cycles * rc->nr_strategies * RUN_NR_PHASES >
	    WL_MAX_SLOTS) {
		snprintf(err, len, "at most %u cycles in all (cycles x strategies)",
			 WL_MAX_SLOTS / RUN_NR_PHASES);
		return -EINVAL;
	}
	if (rc->tasks_outside + rc->tasks_inside + rc->spinners > RUN_MAX_TASKS) {
		snprintf(err, len, "at most %u tasks in all (outside and inside the patch, spinners)",
			 RUN_MAX_TASKS);
		return -EINVAL;
	}
	if (rc->pending_interval_ns && rc->pending_interval_ns < NS / 1000) {
		snprintf(err, len, "--pending-interval: 0 (never) or at least 0.001 s");
		return -EINVAL;
	}
	if (!bench_patch_find(rc->patch)) {
		snprintf(err, len, strchr(rc->patch, '/') ?
			 "'%s' holds no built patch (manifest.json of bench patch build, status built)" :
			 "unknown patch '%s' (see 'bench list')", rc->patch);
		return -EINVAL;
	}
	for (i = 0; i < rc->nr_workloads; i++)
		if (!strcmp(rc->workloads[i], "target") &&
		    !bench_patch_find(rc->patch)->workload_op) {
			snprintf(err, len, "workload target drives the test target, which patch %s does not patch: choose others (--workload stall,wakeup,...)",
				 rc->patch);
			return -EINVAL;
		}
	for (i = 0; i < rc->nr_workloads; i++) {
		const struct workload_ops *ops = workload_find(rc->workloads[i]);

		if (!ops) {
			snprintf(err, len, "unknown workload '%s' (see 'bench list')",
				 rc->workloads[i]);
			return -EINVAL;
		}
		if (ops->requests && kv_check(rc, ops->name, err, len))
			return -EINVAL;
	}
	if (rc->gap_min_ns > rc->gap_max_ns) {
		snprintf(err, len, "--gap: the minimum is above the maximum");
		return -EINVAL;
	}
	if (rc->probes) {
		char names[RP_MAX_PROBES][16];
		unsigned int n;

		if (run_probes_parse(rc->probes, names, &n, err, len))
			return -EINVAL;
	}
	return 0;
}
