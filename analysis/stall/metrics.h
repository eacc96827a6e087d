/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stall-metrics.h - what the stall detector's gaps say per transition,
 * measured so that it survives emulation noise:
 *  - excess lost time: per workload CPU, the time lost in gaps during the
 *    window minus the boot's baseline rate of lost time (its baseline
 *    windows) times the window's length; and the sum over the CPUs;
 *  - machine-wide stall: the instants at which every workload CPU was in a
 *    gap at once (the intersection of the CPUs' gap intervals): total,
 *    count, longest, and the total over the baseline rate of it;
 *  - the check against ground truth: the stop probe's stopped time per
 *    workload CPU in the window (or the kernel's stop total without the
 *    probe) and the fraction of it the machine-wide stall covered; and,
 *    stricter, the fraction covered by machine-wide stall that fell while
 *    every workload CPU was stopped (noise elsewhere cannot count).
 * A CPU with several stall threads is in a gap only while all of them are.
 * Gaps, stops and windows are CLOCK_MONOTONIC ns, the probes' clock.
 */
#ifndef BENCH_STALL_METRICS_H
#define BENCH_STALL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/stats/excess.h"
#include "analysis/stats/interval.h"
#include "bpf/stop_time.h"
#include "lib/json.h"
#include "lib/record.h"

/* The windows of a cycle, by phase (enum run_phase); {0, 0}: not reached. */
#define SM_NR_PHASES	4
#define SM_BASELINE	0

/* One stall thread's gaps. */
struct sm_thread {
	int cpu;
	const struct wl_gap *gaps;
	size_t n;
	/* Gaps past the list's end were counted only: none known after. */
	uint64_t known_until;		/* UINT64_MAX: the list is whole */
};

struct sm_input {
	const struct sm_thread *th;
	unsigned int nr_th;
	const struct stop_event *stops;	/* NULL: no stop probe */
	size_t nr_stops;
	unsigned int nr_cycles;
	const struct interval (*win)[SM_NR_PHASES];	/* [cycle][phase] */
	const bool *complete;		/* [cycle]: its baseline sets the rate */
	/* [cycle][phase]: the kernel's stop total, for a run without the probe */
	const uint64_t (*kernel_stop_ns)[SM_NR_PHASES];
};

/* One workload CPU in one window. */
struct sm_cpu {
	uint64_t lost_ns;
	int64_t excess_ns;
	uint64_t stopped_ns;		/* the stop probe's, on this CPU */
};

struct sm_window {
	bool known;			/* every gap in it was listed */
	uint64_t len_ns;
	uint64_t lost_ns;		/* over the CPUs */
	int64_t excess_ns;
	bool has_excess;		/* a baseline rate to subtract */
	struct interval_sum machine;	/* every workload CPU in a gap at once */
	int64_t machine_excess_ns;
	uint64_t machine_in_stop_ns;	/* the part while every CPU was stopped */
	uint64_t stopped_ns;		/* per workload CPU (mean), or kernel's */
	const char *stopped_source;	/* "probe", "kernel", NULL: none */
	double coverage;		/* machine.total / stopped_ns, or NaN */
	double coverage_in_stop;	/* machine_in_stop_ns / stopped_ns */
};

struct stall_metrics {
	unsigned int nr_cycles, nr_cpus;
	int *cpus;			/* the workload CPUs, ascending */
	struct sm_window *w;		/* [cycle * SM_NR_PHASES + phase] */
	struct sm_cpu *cpu;		/* [(cycle * SM_NR_PHASES + phase) * nr_cpus + i] */
	struct excess_rate *rate;	/* [nr_cpus]: baseline loss per CPU */
	struct excess_rate machine_rate;
	int64_t known_until;		/* the least of the threads' */
};

/* 0, -ENOMEM, or -ENODATA when there is no stall thread. */
int stall_metrics_compute(struct stall_metrics *sm, const struct sm_input *in);
void stall_metrics_free(struct stall_metrics *sm);

static inline const struct sm_window *
sm_window(const struct stall_metrics *sm, unsigned int cycle, int phase)
{
	return &sm->w[cycle * SM_NR_PHASES + phase];
}

static inline const struct sm_cpu *
sm_cpu(const struct stall_metrics *sm, unsigned int cycle, int phase,
       unsigned int i)
{
	return &sm->cpu[(cycle * SM_NR_PHASES + phase) * sm->nr_cpus + i];
}

/* cycles.json: the window's numbers as members of the open phase object. */
void stall_metrics_phase_json(const struct stall_metrics *sm,
			      unsigned int cycle, int phase, struct json *j);

#endif
