/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scenario.h - named sets of run knobs (bench run --scenario NAME, listed
 * by bench list): the situations in which live-patching models differ. A
 * scenario sets the knobs before the rest of the command line is read (a
 * second pass of the option parser), so any option given beside it
 * overrides that knob alone.
 */
#ifndef BENCH_RUN_SCENARIO_H
#define BENCH_RUN_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

struct run_config;

struct scenario {
	const char *name;
	const char *summary;
	/* The workloads, comma-separated; population is added as needed. */
	const char *workloads;
	unsigned int tasks_outside;	/* asleep in user space */
	unsigned int tasks_inside;	/* asleep inside the patched chain */
	unsigned int spinners;		/* user tasks that never syscall */
	unsigned int busy_kthreads;	/* kthreads that never sleep */
	uint64_t churn_hz;		/* fork/exit a second, per thread */
	uint64_t request_rate_hz;	/* redis, memcached; 0: their default */
	const char *patch;		/* NULL: the run's --patch */
};

/* NULL when unknown. */
const struct scenario *scenario_find(const char *name);
/* Set @rc's knobs from @s. */
void scenario_apply(const struct scenario *s, struct run_config *rc);
/* One line each, for bench list and the usage text. */
void scenario_list(FILE *f, const char *indent);

#endif
