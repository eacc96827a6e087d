/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run-probes.h - bench run's BPF probes and perf counters, split by
 * (strategy, phase) and by cycle, like the workloads' own recording.
 *
 * The BPF maps are cumulative; at every phase change bench run calls
 * run_probes_boundary(), which attributes what happened since the last one
 * to the phase that ended: histograms (syscall, sched) as the difference
 * of two readings (no reset, so no event is lost between a read and a
 * reset), stop_machine's stops and kgraft's events one by one by their
 * time stamps, counters as the difference of two snapshots.
 */
#ifndef BENCH_RUN_PROBES_H
#define BENCH_RUN_PROBES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench/probe/counters.h"
#include "bench/run/kstats.h"
#include "bench/probe/probe.h"
#include "lib/results.h"

#define RP_MAX_PROBES 4
/* What bench run attaches unless told otherwise (see run_probes_open). */
#define RP_DEFAULT_PROBES "stop,sched,kgraft"

enum rp_counters {
	RP_COUNTERS_NONE,
	RP_COUNTERS_PROCESS,	/* bench and its workload threads */
	RP_COUNTERS_SYSTEM,	/* every CPU, the default */
};

/* One probe's numbers in one (cycle, phase). */
struct rp_slot {
	uint64_t count;		/* events (syscalls, wake-ups, CPU stops, switches) */
	uint64_t sum_ns;	/* their summed latency / CPU time stopped */
	uint64_t max_ns;	/* the largest */
};

struct rp_probe {
	char name[16];
	struct probe *p;		/* NULL: unavailable, see error */
	char error[512];
	char mode[32];			/* stop: multi_cpu_stop or stopper-thread */
	struct hist last;		/* cumulative histogram at the last boundary */
	struct hist *phase;		/* [nr_idx]: latencies / stop lengths */
	struct rp_slot *slot;		/* [nr_slots] */
	size_t next_ev;			/* stop, kgraft: events attributed */
	int nr_cpus;
	struct stop_cpu *cpu;		/* stop: [nr_idx][nr_cpus] */
	uint64_t (*kev)[KGRAFT_EV_NR];	/* kgraft: [nr_idx] events by type */
	uint64_t (*kpath)[KPATHS_MAX];	/* kgraft: [nr_idx] switches by path */
};

struct run_probes {
	struct rp_probe pr[RP_MAX_PROBES];
	unsigned int nr;
	enum rp_counters cnt_mode;
	struct counters *cnt;
	char cnt_scope[16];
	char cnt_error[256];
	char cnt_absent[CNT_NR][128];
	struct counters_snapshot cnt_last;
	struct counters_snapshot *cnt_phase;	/* [nr_idx] */
	struct counters_snapshot *cnt_slot;	/* [nr_slots] */
	unsigned int nr_idx, nr_slots;
	uint64_t window_ns;			/* probes' timeline window */
};

/*
 * Parse a probe list ("stop,sched", "none"); 0 or -EINVAL with the bad
 * name in @err.
 */
int run_probes_parse(const char *list, char names[][16], unsigned int *nr,
		     char *err, size_t len);

/*
 * Open the probes of @list and the counters. A probe of the default list
 * that cannot attach is left out with its reason (kept for the results);
 * one asked for by name (@explicit) fails the run, as do counters asked
 * for explicitly. @nr_idx (strategy, phase) pairs, @nr_slots (cycle, phase).
 */
int run_probes_open(struct run_probes *rp, const char *list, bool explicit,
		    enum rp_counters cnt, bool cnt_explicit, unsigned int nr_idx,
		    unsigned int nr_slots, char *err, size_t len);
/* Zero the probes, align their timelines with the workloads; first reading. */
void run_probes_start(struct run_probes *rp, uint64_t t0_ns,
		      uint64_t duration_ns);
/* What happened since the last boundary belongs to (@idx, @slot). */
void run_probes_boundary(struct run_probes *rp, unsigned int idx,
			 unsigned int slot);
/* Empty the ring buffers into memory without blocking (while waiting). */
void run_probes_drain(struct run_probes *rp);
void run_probes_skip(struct run_probes *rp);
/* Read everything for the whole-run files, then write probe-<name>.json. */
void run_probes_write(struct run_probes *rp, const struct results *res);
/*
 * The stop probe's CPU stops, every one of the run (until detached); *@ev
 * NULL when the stop probe did not run.
 */
size_t run_probes_stop_events(const struct run_probes *rp,
			      const struct stop_event **ev);
/* Detach the probes and close the counters (before kgraft.ko is unloaded:
 * the kgraft probe holds it); what was gathered stays. */
void run_probes_detach(struct run_probes *rp);
void run_probes_free(struct run_probes *rp);

/* summary.json: which probes ran and how, and why the others did not. */
void run_probes_status_json(const struct run_probes *rp, struct json *j);
/* summary.json, per strategy: "probes" and "counters" by phase. */
void run_probes_strategy_json(const struct run_probes *rp, unsigned int s,
			      struct json *j);
/* cycles.json, per cycle: "probes" and "counters" by phase. */
void run_probes_cycle_json(const struct run_probes *rp, unsigned int k,
			   struct json *j);
/* The readable table's lines for strategy @s. */
void run_probes_print(const struct run_probes *rp, unsigned int s, FILE *f);

#endif
