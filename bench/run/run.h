/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench run: apply and revert a patch with one strategy, many times, while
 * workloads run, and write a results directory. The host side boots the
 * stock-kernel guest and runs the same command in it with --target=local.
 */
#ifndef BENCH_RUN_H
#define BENCH_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "bench/host/guest.h"
#include "lib/record.h"

#define RUN_MAX_WORKLOADS 4
#define RUN_MAX_STRATEGIES 6

struct run_config {
	/* One for bench run; several, interleaved cycle by cycle, for compare. */
	const char *strategies[RUN_MAX_STRATEGIES];
	unsigned int nr_strategies;
	const char *patch;
	const char *out;
	const char *workloads[RUN_MAX_WORKLOADS];
	unsigned int nr_workloads;
	unsigned int cycles;		/* per strategy */
	unsigned int cpus;		/* guest vCPUs; CPU 0 keeps the driver */
	unsigned int threads;		/* per workload */
	unsigned int tasks_outside;	/* population: asleep in user space */
	unsigned int tasks_inside;	/* population: asleep in the patch */
	unsigned int spinners;		/* population: never make a syscall */
	unsigned int busy_kthreads;	/* the target's never-sleeping kthreads */
	uint64_t churn_hz;		/* population: fork/exit, per thread */
	const char *scenario;		/* --scenario, or NULL */
	bool knobs_native;		/* kgraft's own timing, not klp's */
	uint64_t rate_hz;		/* target workload; 0: back to back */
	struct run_kv {			/* the redis and memcached clients */
		uint64_t rate_hz;	/* requests a second, per thread */
		unsigned int conns;	/* per thread */
		unsigned int set_pct;	/* SETs in 100 requests */
		unsigned int value_size;
		unsigned int keys;
	} kv;
	uint64_t baseline_ns;
	uint64_t settled_ns;
	uint64_t gap_min_ns, gap_max_ns;
	uint64_t transition_timeout_ns;
	uint64_t pending_interval_ns;	/* convergence sampling; 0: none */
	uint64_t seed;
	bool local;
	enum guest_accel accel;
	unsigned int mem_mb;		/* run_default_mem() unless given */
	const char *probes;		/* BPF probes; NULL: the default set */
	int counters;			/* enum rp_counters */
	bool counters_explicit;		/* --counters given: failing is fatal */
	int argc;			/* the whole command line, for metadata */
	char **argv;
};

/* A server run: its connections in all, and its key space in the guest. */
#define RUN_MAX_CONNS		1024
#define RUN_MAX_KV_BYTES	(512U << 20)

/* Most tasks the population workload holds (outside and inside). */
#define RUN_MAX_TASKS	30000

void run_config_init(struct run_config *rc);
/*
 * Room a cycle leaves for its two transitions beyond its windows: under
 * klp's timing (--knobs parity) a task that only a fake signal moves
 * takes 15 s a transition.
 */
uint64_t run_transition_slack_ns(const struct run_config *rc);
/*
 * Guest memory for a population of @tasks: 2048 MiB, or more for large
 * populations (each sleeping task costs about 150 KiB, and the kernel's
 * threads-max is memory / 128 KiB).
 */
unsigned int run_default_mem(unsigned int tasks);
/* Parse "a,b,c" into rc->strategies. */
int run_parse_strategies(const char *list, struct run_config *rc);
/* Check what does not need the kernel; message in @err. */
int run_config_check(const struct run_config *rc, char *err, size_t len);

/*
 * Are the modules the run loads built (core, strategies, target, patch)?
 * Checked before anything starts, so a missing one fails at once.
 */
int run_check_modules(const struct run_config *rc, char *err, size_t len);

int run_local(const struct run_config *rc);
int run_in_guest(const struct run_config *rc);

#endif
