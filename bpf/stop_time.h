/* SPDX-License-Identifier: GPL-2.0 */
/* stop_time.h - per-CPU time spent stopped by stop_machine(). */
#ifndef KGRAFT_STOP_TIME_H
#define KGRAFT_STOP_TIME_H

/* Per CPU: how many stops and how long they held the CPU. */
struct stop_cpu {
	unsigned long long count;
	unsigned long long total_ns;
	unsigned long long max_ns;
};

/* One stop on one CPU, sent through the ring buffer. */
struct stop_event {
	unsigned long long start_ns;
	unsigned long long dur_ns;
	unsigned int cpu;
	unsigned int pad;
};

#endif
