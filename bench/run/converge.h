/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Convergence: how many tasks are still to switch, sampled from the patch's
 * progress file (pending_tasks) by a thread of its own while a transition
 * runs, so that a write that blocks (a synchronous transition) does not
 * stop the sampling. Written to convergence.json.
 */
#ifndef BENCH_RUN_CONVERGE_H
#define BENCH_RUN_CONVERGE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "bench/run/patchctl.h"

/* One sample: when (CLOCK_MONOTONIC ns), which transition, how many. */
struct converge_sample {
	uint64_t t_ns;
	unsigned int slot;
	long pending;
};

/* At most this many samples a run: 16 MiB, 3.9 h of transitions at 20 ms. */
#define CONVERGE_MAX_SAMPLES	(1U << 20)

struct converge {
	const struct patchctl *pc;
	uint64_t interval_ns;
	pthread_t thread;
	bool started;
	/* Written by the driver, read by the sampler. */
	int slot;			/* the transition's slot; -1: none */
	uint64_t slot_t0;		/* when it was asked for */
	bool stop;
	/* The sampler's own until converge_stop(). */
	struct converge_sample *s;
	unsigned int n;
	bool truncated;
	unsigned long failed_reads;
	/* Reads in a transition, and those that described none in progress. */
	unsigned long reads, outside;
	uint64_t read_max_ns;		/* the slowest read of the stats */
};

/* Start the sampler thread (nothing if @interval_ns is 0); 0 or -errno. */
int converge_start(struct converge *c, const struct patchctl *pc,
		   uint64_t interval_ns);
/* Sample transition @slot, asked for at @t0; slot -1 pauses. */
void converge_set(struct converge *c, int slot, uint64_t t0);
/* Join the thread; the samples stay until converge_free(). */
void converge_stop(struct converge *c);
void converge_free(struct converge *c);

#endif
