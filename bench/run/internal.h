/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of bench run's loop share: one run's state and each
 * cycle's, and the steps run.c calls in order. Private to bench/run/.
 */
#ifndef BENCH_RUN_INTERNAL_H
#define BENCH_RUN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bench/run/converge.h"
#include "bench/run/kmod.h"
#include "bench/run/patchctl.h"
#include "lib/results.h"
#include "analysis/stats/rng.h"
#include "bench/run/run-probes.h"

struct json;
#include "bench/run/run.h"
#include "analysis/stall/metrics.h"
#include "bench/run/strategy.h"
#include "bench/workload/workload.h"

#define NS 1000000000ULL
#define MAX_STATS 64
#define MAX_PARAMS 16

/* What one cycle saw: event times (CLOCK_MONOTONIC ns) and results. */
struct cycle {
	unsigned int strategy;		/* index into rc->strategies */
	unsigned int round;		/* 1-based cycle of that strategy */
	uint64_t t_baseline, t_apply, t_applied, t_revert, t_reverted, t_end;
	int apply_err, revert_err;
	/*
	 * The strategy refused to apply (the write failed with EBUSY:
	 * stop_machine found a task inside the patch at every attempt). A
	 * result, not a failure: the cycle goes on unpatched, its apply phase
	 * is the attempts, with no patched or revert phase.
	 */
	bool refused;
	struct patch_stat apply_st[MAX_STATS], revert_st[MAX_STATS];
	int apply_nst, revert_nst;
};

/* kgraft's timing knobs that --knobs parity sets to klp's (knobs.c). */
#define RUN_NR_KNOBS	5

struct run {
	const struct run_config *rc;
	const struct bench_patch *patch;
	struct results res;
	struct patchctl pc;
	/* The patch a cumulative one replaces (bench_patch.base), or NULL. */
	const struct bench_patch *base;
	struct patchctl base_pc;
	bool loaded_base;
	struct workload *wl[RUN_MAX_WORKLOADS];
	struct cycle *cyc;
	unsigned int nr_cyc;		/* cycles x strategies */
	unsigned int done;		/* cycles completed, in run order */
	uint64_t t0;
	char reason[512];
	bool loaded_core, loaded_target, loaded_patch, loaded_busy;
	/* kgraft's timing knobs as found, restored at the end (knobs.c). */
	char knob_saved[RUN_NR_KNOBS][32];
	bool knobs_set;
	/* The knobs in force for the run, for metadata.json (knobs.c). */
	char knob_run[RUN_NR_KNOBS][32];
	bool knobs_read;
	bool loaded_strategy[RUN_MAX_STRATEGIES];
	/* Each strategy's module parameters (kgraft's: kgraft.ko's), as run. */
	struct kmod_param params[RUN_MAX_STRATEGIES][MAX_PARAMS];
	int nr_params[RUN_MAX_STRATEGIES];
	struct run_probes rp;
	bool in_phase;			/* cur_idx, cur_slot are set */
	unsigned int cur_idx, cur_slot;
	struct stall_metrics sm;	/* the stall workload's, per window */
	bool have_sm;
	struct converge cv;		/* pending tasks during transitions */
};

/* setup.c */
int run_preflight(char *err, size_t len);
int run_set_strategy(struct run *r, const char *name);
int run_enable_base(struct run *r);
int run_setup_kernel(struct run *r, char *err, size_t len);
void run_teardown_kernel(struct run *r);
int run_start_workloads(struct run *r, uint64_t duration_ns, char *err,
			size_t len);

/* cycle.c */
void run_on_signal(int sig);
void run_plan_cycles(struct run *r, struct rng *rng);
int run_cycles(struct run *r, struct rng *rng);
void run_end_phase(struct run *r);
int run_check_workloads(struct run *r);
int run_phase_at(const struct run *r, uint64_t t, unsigned int *cycle);
void run_cycle_durations(const struct cycle *c, uint64_t *d);

/* stall.c */
void run_compute_stall(struct run *r);
void run_stall_summary(const struct run *r, unsigned int s, struct json *j,
		       FILE *f);

/* write.c */
void run_write_metadata(struct run *r);
void run_write_events(struct run *r);
void run_write_cycles(struct run *r);
void run_write_workload(struct run *r, const struct workload *w);
void run_write_convergence(struct run *r);

/* summary.c */
void run_write_summary(struct run *r, const char *status);
void run_print_summary(struct run *r, FILE *f);

/* knobs.c */
int run_set_knobs(struct run *r, char *err, size_t len);
void run_restore_knobs(struct run *r);
void run_read_knobs(struct run *r);
void run_knobs_json(const struct run *r, struct json *j);

#endif
