/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counters.h - perf counters through libperf, read as snapshots; a phase's
 * counts are the difference of the snapshots at its two ends. Context
 * switches, migrations and task clock are software events and always
 * there; cycles and instructions only where the machine (or the emulator)
 * has a PMU, and are reported as absent, with the reason, elsewhere.
 */
#ifndef BENCH_COUNTERS_H
#define BENCH_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/json.h"

enum counter_id {
	CNT_CONTEXT_SWITCHES,
	CNT_CPU_MIGRATIONS,
	CNT_TASK_CLOCK,
	CNT_CYCLES,
	CNT_INSTRUCTIONS,
	CNT_NR,
};

struct counters_snapshot {
	bool present[CNT_NR];
	uint64_t val[CNT_NR];		/* scaled for multiplexing */
	uint64_t ts_ns;			/* CLOCK_MONOTONIC when read */
};

struct counters;

const char *counter_name(enum counter_id id);
/*
 * @pid > 0: that process and the threads and children it creates from now
 * on (inherited counters); @pid == -1: every task on every online CPU.
 * Fails only when no counter at all can be opened.
 */
int counters_open(struct counters **out, pid_t pid, char *err, size_t len);
int counters_read(struct counters *c, struct counters_snapshot *s);
/* @out = @b - @a: what happened between the two snapshots. */
void counters_diff(const struct counters_snapshot *a,
		   const struct counters_snapshot *b,
		   struct counters_snapshot *out);
/* @acc += @d (values and elapsed time), for phases that recur. */
void counters_add(struct counters_snapshot *acc,
		  const struct counters_snapshot *d);
/* Why counter @id is absent, or NULL when it is present. */
const char *counters_absent(const struct counters *c, enum counter_id id);
void counters_print(const struct counters *c,
		    const struct counters_snapshot *phase, FILE *f);
void counters_json(const struct counters *c,
		   const struct counters_snapshot *phase, struct json *j,
		   const char *key);
void counters_close(struct counters *c);

#endif
