/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kstats.h - the kernel's per-transition stats (/sys/kernel/kgraft/<patch>/
 * stats, read after each apply and revert), summed over the transitions of
 * one strategy in one direction: tasks at the start, task switches by path,
 * and stop_machine's stops with their duration split into rendezvous,
 * stack check, switch and release. Every strategy writes the same lines
 * (zeros where they do not apply), so one summary serves all; the paths
 * are the kernel's own (kpaths.h).
 */
#ifndef BENCH_KSTATS_H
#define BENCH_KSTATS_H

#include <stdint.h>
#include <stdio.h>

#include "bench/run/kpaths.h"
#include "bench/run/patchctl.h"
#include "lib/hist.h"
#include "lib/json.h"

/* A stop's parts, as "stop_last_<part>_ns" lines. */
enum kstats_stop_part {
	KSTOP_RENDEZVOUS,	/* stop_machine() called to every CPU stopped */
	KSTOP_CHECK,		/* every stack checked */
	KSTOP_SWITCH,		/* every function switched */
	KSTOP_RELEASE,		/* switched to stop_machine() returned */
	KSTOP_TOTAL,
	KSTOP_NR,
};
extern const char *const kstats_stop_parts[KSTOP_NR];

struct kstats {
	uint64_t transitions;
	uint64_t tasks_at_start;	/* summed over the transitions */
	uint64_t switched[KPATHS_MAX];	/* by path, as kpaths.h numbers them */
	uint64_t stops;			/* every attempt, refused ones too */
	uint64_t stop_busy;		/* attempts refused: a task was inside */
	uint64_t stops_min, stops_max;	/* per transition */
	uint64_t stop_max_total_ns;	/* the longest stop */
	uint64_t stop_sum_total_ns;	/* every stop, summed */
	/* The last stop of each transition that stopped, part by part. */
	struct hist stop_last[KSTOP_NR];
};

void kstats_init(struct kstats *k);
/* Add one transition's stats lines (their paths learnt, kpaths.h). */
void kstats_add(struct kstats *k, const struct patch_stat *st, int n);
/* Task switches over every path. */
uint64_t kstats_switched(const struct kstats *k);
void kstats_json(const struct kstats *k, struct json *j, const char *key);
/* One line: "N transitions, T tasks at start, S switched (path n, ...)". */
void kstats_print(const struct kstats *k, const char *what, FILE *f);

#endif
