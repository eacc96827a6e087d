/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe_common.h - the layout every probe's histogram and counters share
 * between its BPF object and bench (bench/probe.c reads them).
 */
#ifndef KGRAFT_PROBE_COMMON_H
#define KGRAFT_PROBE_COMMON_H

#include "hist.h"

/* One CPU's histogram, in one per-CPU array slot. */
struct probe_hist {
	unsigned long long buckets[HIST_BUCKETS];
	unsigned long long count;
	unsigned long long sum;
	unsigned long long max;
};

/* Slots of each probe's per-CPU "stats" array. */
enum probe_stat {
	PROBE_STAT_PAST_TIMELINE,	/* events after the last window */
	PROBE_STAT_NO_ROOM,		/* start not stored: map full */
	PROBE_STAT_RB_DROPPED,		/* ring buffer full: event lost */
	PROBE_NR_STATS,
};

#endif
