/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workload.h - the applications whose experience bench measures.
 *
 * A workload is a set of threads (pinned round-robin to a CPU list) that
 * each record every operation's latency into their own histogram and into
 * a timeline of per-window maxima; nothing is shared on the hot path. All
 * times are CLOCK_MONOTONIC nanoseconds, the clock of bpf_ktime_get_ns(),
 * so workload timelines, probe timelines and patch events line up.
 *
 * Use: workload_opts_init() for a workload's defaults, adjust,
 * workload_start(), then workload_wait() (runs out the duration) or
 * workload_stop() (ends early), read w->th[], workload_free().
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/hist.h"
#include "lib/json.h"
#include "lib/record.h"

#define WL_MAX_THREADS	256
#define WL_MAX_CPUS	1024
#define WL_MAX_WINDOWS	(1U << 20)
/*
 * Per stall thread, the gap list is sized from the planned duration; more
 * gaps are counted only. A stall thread sharing its CPU under TCG sees
 * about 1300 gaps a second (1.4M in an 18-minute run with 30000 tasks):
 * room for 4000 a second, at least 16 MiB, at most 512 MiB, allocated
 * zeroed so that only the pages gaps reach are touched.
 */
#define WL_GAPS_PER_SEC	4000ULL
#define WL_MIN_GAPS	(1UL << 20)
#define WL_MAX_GAPS	(1UL << 25)
#define WL_MAX_PHASES	32	/* phases a driver can split recording into */
#define WL_MAX_SLOTS	40000	/* (cycle, phase) slots with exact maxima */
/* A server's slots with a histogram each: 4.7 KiB a slot and thread. */
#define WL_MAX_REQ_SLOTS 4096
/* Outside every cycle (start-up, drain): a phase and slot of their own. */
#define WL_PHASE_NONE	(WL_MAX_PHASES - 1)
#define WL_SLOT_NONE	WL_MAX_SLOTS

struct workload_opts {
	unsigned int threads;
	unsigned int nr_cpus;		/* 0: threads are not pinned */
	int cpus[WL_MAX_CPUS];		/* thread i runs on cpus[i % nr_cpus] */
	uint64_t rate_hz;		/* per thread; 0: back to back */
	uint64_t duration_ns;
	uint64_t window_ns;		/* timeline window */
	uint64_t threshold_ns;		/* stall: record gaps above this */
	unsigned int prio;		/* SCHED_FIFO priority; 0: SCHED_OTHER */
	const char *op;			/* target: which operation */
	unsigned int tasks;		/* population: sleepers in user space */
	unsigned int sleepers;		/* population: sleepers in the target */
	unsigned int sleep_ms;		/* population: one sleep in the target */
	unsigned int spinners;		/* population: spinning in user space */
	bool kthread;			/* population: count the target's kthread */
	unsigned int conns;		/* redis, memcached: per thread */
	unsigned int set_pct;		/* redis, memcached: SETs in 100 */
	unsigned int value_size;	/* redis, memcached: bytes */
	unsigned int keys;		/* redis, memcached: key space */
	/*
	 * (cycle, phase) slots the driver will set (0: slot 0 alone); a
	 * workload that serves requests keeps a histogram for each.
	 */
	unsigned int slots;
};

/* Operations, failures and the largest latency in one (cycle, phase) slot. */
struct wl_slot {
	uint64_t max_ns;
	uint64_t count;
	uint64_t errors;
	uint64_t mixed;		/* target: chains that ran mixed */
};

struct workload;

struct wl_thread {
	struct workload *w;
	unsigned int idx;
	pthread_t th;
	bool started;
	pid_t tid;
	int cpu;			/* pinned CPU, or -1 */
	bool fifo;			/* got SCHED_FIFO */
	struct hist hist;		/* every operation's latency */
	struct hist service;		/* target at a rate: from actual start */
	struct hist phase[WL_MAX_PHASES]; /* by the phase set with wl_set_phase */
	struct wl_slot *slots;		/* WL_MAX_SLOTS + 1, by wl_set_phase's */
	struct hist *slot_hist;		/* requests: opts.slots histograms */
	unsigned int nr_slot_hist;
	uint64_t ops;
	uint64_t missed;		/* periods begun late or skipped */
	uint64_t mixed;			/* target: chains that ran mixed */
	uint64_t errors;		/* failed operations */
	struct hist_window *win;	/* per-window max and count */
	unsigned int nr_win;
	uint64_t past_timeline;		/* operations after the last window */
	struct wl_gap *gaps;		/* stall: gaps above the threshold */
	size_t nr_gaps;
	size_t max_gaps;		/* room in gaps */
	uint64_t gaps_over;		/* gaps above the threshold in all */
	uint64_t lost_ns;		/* stall: sum of those gaps */
	int err;			/* errno that ended the thread early */
	char errmsg[160];
	void *priv;			/* the workload's per-thread state */
};

struct workload_ops {
	const char *name;
	const char *summary;
	/*
	 * Keep a histogram per (cycle, phase) slot, for percentiles per cycle:
	 * for request-serving workloads, whose tail is the finding. Made
	 * before the threads start, never while they measure.
	 */
	bool requests;
	/* The workload's own defaults, over the common ones. */
	void (*defaults)(struct workload_opts *o);
	/* Check options, open devices, start helper tasks; optional. */
	int (*prepare)(struct workload *w, char *err, size_t errlen);
	/* One thread's loop: runs until workload_done(). */
	void (*run)(struct wl_thread *t);
	/* Undo prepare() once the threads stopped (results stay); optional. */
	void (*cleanup)(struct workload *w);
	/* Free what is left in priv; optional. */
	void (*destroy)(struct workload *w);
	/* Extra summary lines and JSON fields; optional. */
	void (*report)(const struct workload *w, FILE *f);
	void (*json)(const struct workload *w, struct json *j);
};

struct workload {
	const struct workload_ops *ops;
	struct workload_opts opts;
	uint64_t t0_ns;			/* start, origin of the timelines */
	uint64_t end_ns;		/* t0 + duration */
	uint64_t stopped_ns;		/* when the threads had all stopped */
	int stop;			/* set to end the threads (atomic) */
	unsigned int nr;
	struct wl_thread *th;
	void *priv;			/* the workload's shared state */
};

extern const struct workload_ops workload_target;
extern const struct workload_ops workload_stall;
extern const struct workload_ops workload_wakeup;
extern const struct workload_ops workload_population;
extern const struct workload_ops workload_redis;
extern const struct workload_ops workload_memcached;

/* The target workload's operations, for help texts. */
const char *target_op_names(void);

/* The population's sleeping processes (while it runs); returns how many. */
unsigned int population_pids(const struct workload *w, const pid_t **pids);

/* NULL-terminated list of every workload. */
extern const struct workload_ops *const workloads[];
const struct workload_ops *workload_find(const char *name);

void workload_opts_init(struct workload_opts *o, const struct workload_ops *ops);
/* Check options that do not depend on the workload; message in @err. */
int workload_opts_check(const struct workload_opts *o, char *err, size_t len);

/* Parse "0-3,6": CPU numbers below WL_MAX_CPUS, each once. */
int parse_cpu_list(const char *s, int *cpus, unsigned int max,
		   unsigned int *nr);
/* Parse seconds with up to 9 decimals ("2", "0.25") in [min_ns, max_ns]. */
int parse_seconds(const char *s, uint64_t min_ns, uint64_t max_ns,
		  uint64_t *out_ns);

int workload_start(struct workload **out, const struct workload_ops *ops,
		   const struct workload_opts *o, char *err, size_t errlen);
/* Wait until the duration is over (or @stop_flag is set), then stop. */
void workload_wait(struct workload *w, volatile sig_atomic_t *stop_flag);
void workload_stop(struct workload *w);
void workload_free(struct workload *w);

static inline bool workload_done(const struct workload *w, uint64_t now_ns)
{
	return __atomic_load_n(&w->stop, __ATOMIC_RELAXED) ||
	       now_ns >= w->end_ns;
}

uint64_t mono_ns(void);
/*
 * Every operation is also recorded into th[].phase[@phase] and counted in
 * th[].slots[@slot]; a driver (bench run) sets both at each patch event, so
 * that percentiles per phase and maxima per cycle are exact rather than
 * inferred from timeline windows.
 */
void wl_set_phase(unsigned int phase, unsigned int slot);
/* Record one operation that began (or was due) at @start and took @lat. */
void wl_record(struct wl_thread *t, uint64_t start, uint64_t lat);
/* Count one failed operation (in the thread and its current slot). */
void wl_error(struct wl_thread *t);
/* A target call that ran a mixed chain, in the current phase's slot. */
void wl_mixed(struct wl_thread *t);
/* Mark the thread as failed with errno @err and a message. */
void wl_fail(struct wl_thread *t, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* All threads merged. */
void workload_total(const struct workload *w, struct hist *h, uint64_t *ops,
		    uint64_t *missed, uint64_t *mixed, uint64_t *errors);
void workload_print(const struct workload *w, FILE *f);
/* The workload as one JSON object member named "workload". */
void workload_json(const struct workload *w, struct json *j);

#endif
