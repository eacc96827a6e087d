/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe.h - the BPF probes (bpf/<probe>.bpf.c), loaded, attached, read and
 * reset from C.
 *
 * Every probe records a log-linear histogram and a timeline of per-window
 * maxima (bpf/record.bpf.h); probe_read() sums the CPUs into p->hist and
 * p->win. What is particular to one probe (syscall counts by number, stops
 * per CPU, kgraft events) has its own accessors in probe-<name>.c.
 *
 *   probe_open("sched", &opts, &p, err, len);   load + attach, or say why not
 *   probe_set_timeline(p, t0, window);          align with the workload
 *   ... probe_poll(p, ms) while running (drains ring buffers) ...
 *   probe_read(p); use p->hist, p->win; probe_reset(p) between phases
 *   probe_close(p);
 */
#ifndef BENCH_PROBE_H
#define BENCH_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>

#include "bpf/probe_common.h"
#include "bpf/stop_time.h"
#include "bpf/kgraft_events.h"
#include "lib/hist.h"
#include "lib/json.h"

#define PROBE_MAX_TGIDS	64

struct probe_opts {
	/* syscall, sched: measure only these processes; none: all. */
	pid_t tgids[PROBE_MAX_TGIDS];
	unsigned int nr_tgids;
	/* syscall, sched: a thread not to measure (the driver's); 0: none. */
	pid_t exclude_tid;
	/* Timeline origin and window (CLOCK_MONOTONIC ns); 0: no timeline. */
	uint64_t t0_ns;
	uint64_t window_ns;
	/* stop: skip fentry, use the stopper-thread fallback. */
	bool stop_fallback;
};

struct probe;

struct probe_ops {
	const char *name;
	const char *summary;
	/* Load and attach; on failure say exactly what is missing. */
	int (*open)(struct probe *p, char *err, size_t len);
	/* Probe-specific reading, after the common maps were read. */
	int (*read)(struct probe *p);
	int (*reset)(struct probe *p);
	/* Drain ring buffers; optional. */
	int (*poll)(struct probe *p, int timeout_ms);
	void (*report)(struct probe *p, FILE *f);
	void (*json)(struct probe *p, struct json *j);
	void (*close)(struct probe *p);
};

struct probe {
	const struct probe_ops *ops;
	struct probe_opts opts;
	/* Filled by probe_read(). */
	struct hist hist;
	struct hist_window win[HIST_MAX_WINDOWS];
	unsigned int nr_win;		/* windows up to the last read */
	uint64_t stats[PROBE_NR_STATS];
	/* Set by each probe's open(): its common maps and .bss timeline. */
	int hist_fd, win_fd, stats_fd;
	/* Mapped BPF .bss, read by running programs: every store, in order. */
	volatile __u64 *win_t0, *win_len;
	void *priv;
};

extern const struct probe_ops probe_syscall;
extern const struct probe_ops probe_sched;
extern const struct probe_ops probe_stop;
extern const struct probe_ops probe_kgraft;
extern const struct probe_ops *const probes[];	/* NULL-terminated */

const struct probe_ops *probe_find(const char *name);
void probe_opts_init(struct probe_opts *o);

int probe_open(const char *name, const struct probe_opts *o,
	       struct probe **out, char *err, size_t len);
/* Move the timeline's origin, clearing its windows. */
void probe_set_timeline(struct probe *p, uint64_t t0_ns, uint64_t window_ns);
int probe_read(struct probe *p);
/*
 * Only the histogram (summed over the CPUs) into @out, leaving p->hist and
 * the timeline alone: one map lookup, cheap enough for every phase change.
 * -ENOENT for a probe without one.
 */
int probe_read_hist(struct probe *p, struct hist *out);
int probe_reset(struct probe *p);
int probe_poll(struct probe *p, int timeout_ms);
void probe_report(struct probe *p, FILE *f);
void probe_json(struct probe *p, struct json *j);
void probe_close(struct probe *p);

/* Helpers for probe-<name>.c. */
struct bpf_object;
struct bpf_link;
/* Attach every program that is set to load; names the one that fails. */
int probe_attach_all(struct probe *p, struct bpf_object *obj,
		     struct bpf_link **links, unsigned int max,
		     char *err, size_t len);
/* Why a load failed, with libbpf's last message and a hint for @err. */
void probe_load_error(struct probe *p, int ret, char *err, size_t len);
int probe_fill_tgids(int map_fd, const struct probe_opts *o);
/* Sum a per-CPU array of u64 over the CPUs, @n keys. */
int probe_sum_percpu_u64(int fd, unsigned int n, uint64_t *out);
/* Write zeros to keys [0, n) of a per-CPU array with @value_size values. */
int probe_zero_percpu(int fd, unsigned int n, size_t value_size);
int probe_nr_cpus(void);
/* Forget libbpf's last message (before a second attempt). */
void probe_clear_libbpf_msg(void);

/* probe-syscall.c: syscalls counted by number (entries), after read. */
uint64_t probe_syscall_count(const struct probe *p, unsigned int nr);

/* probe-stop.c */
const char *probe_stop_mode(const struct probe *p);
/* Per-CPU totals after read; returns the number of CPUs. */
int probe_stop_cpus(const struct probe *p, const struct stop_cpu **cpus);
size_t probe_stop_events(const struct probe *p, const struct stop_event **ev);

/* probe-kgraft.c: events received so far (probe_poll() drains). */
size_t probe_kgraft_events(const struct probe *p, const struct kgraft_ev **ev);
/* A field of an event, decoded with the tracefs format of its type. */
int probe_kgraft_field_u64(const struct probe *p, const struct kgraft_ev *ev,
			   const char *field, uint64_t *out);
int probe_kgraft_field_str(const struct probe *p, const struct kgraft_ev *ev,
			   const char *field, char *buf, size_t len);
const char *probe_kgraft_event_name(unsigned int type);
/*
 * The name of kgraft_task_switch's path @value, as the event's format
 * file gives it, or NULL; the @i-th path it names, in its order, or NULL.
 */
const char *probe_kgraft_path_name(const struct probe *p, uint64_t value);
const char *probe_kgraft_path_nth(const struct probe *p, unsigned int i);

#endif
