// SPDX-License-Identifier: GPL-2.0
/* counters.c - libperf counters per phase (see counters.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/perf_event.h>
#include <perf/core.h>
#include <perf/cpumap.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>

#include "bench/probe/counters.h"

static const struct {
	const char *name;
	__u32 type;
	__u64 config;
} counter_defs[CNT_NR] = {
	[CNT_CONTEXT_SWITCHES] = { "context-switches", PERF_TYPE_SOFTWARE,
				   PERF_COUNT_SW_CONTEXT_SWITCHES },
	[CNT_CPU_MIGRATIONS] = { "cpu-migrations", PERF_TYPE_SOFTWARE,
				 PERF_COUNT_SW_CPU_MIGRATIONS },
	[CNT_TASK_CLOCK] = { "task-clock-ns", PERF_TYPE_SOFTWARE,
			     PERF_COUNT_SW_TASK_CLOCK },
	[CNT_CYCLES] = { "cycles", PERF_TYPE_HARDWARE,
			 PERF_COUNT_HW_CPU_CYCLES },
	[CNT_INSTRUCTIONS] = { "instructions", PERF_TYPE_HARDWARE,
			       PERF_COUNT_HW_INSTRUCTIONS },
};

struct counters {
	pid_t pid;
	struct perf_cpu_map *cpus;
	struct perf_thread_map *threads;
	struct perf_evsel *evsel[CNT_NR];
	char absent[CNT_NR][128];
};

const char *counter_name(enum counter_id id)
{
	return id < CNT_NR ? counter_defs[id].name : "?";
}

/* libperf's own messages would interleave with our output. */
static int quiet(enum libperf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void open_one(struct counters *c, enum counter_id id)
{
	struct perf_event_attr attr;
	struct perf_evsel *e;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = counter_defs[id].type;
	attr.config = counter_defs[id].config;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	/* Per process: follow the threads it starts after opening. */
	attr.inherit = c->pid > 0;
	e = perf_evsel__new(&attr);
	if (!e) {
		snprintf(c->absent[id], sizeof(c->absent[id]), "out of memory");
		return;
	}
	ret = perf_evsel__open(e, c->cpus, c->threads);
	if (ret) {
		int err = ret < 0 ? -ret : errno;

		snprintf(c->absent[id], sizeof(c->absent[id]), "%s%s",
			 strerror(err),
			 attr.type == PERF_TYPE_HARDWARE &&
			 (err == ENOENT || err == EOPNOTSUPP || err == ENODEV) ?
			 " (no hardware PMU here)" : "");
		perf_evsel__delete(e);
		return;
	}
	c->evsel[id] = e;
}

int counters_open(struct counters **out, pid_t pid, char *err, size_t len)
{
	struct counters *c = calloc(1, sizeof(*c));
	unsigned int i, n = 0;

	if (!c)
		return -ENOMEM;
	libperf_init(quiet);
	c->pid = pid;
	if (pid > 0) {
		c->cpus = perf_cpu_map__dummy_new();
		c->threads = perf_thread_map__new_array(1, &pid);
	} else {
		c->cpus = perf_cpu_map__new(NULL);	/* online CPUs */
		c->threads = perf_thread_map__new_dummy();
	}
	if (!c->cpus || !c->threads) {
		snprintf(err, len, "counters: out of memory");
		counters_close(c);
		return -ENOMEM;
	}
	for (i = 0; i < CNT_NR; i++) {
		open_one(c, i);
		n += c->evsel[i] != NULL;
	}
	if (!n) {
		snprintf(err, len, "counters: none could be opened (%s: %s); perf_event_paranoid or permissions?",
			 counter_defs[0].name, c->absent[0]);
		counters_close(c);
		return -EACCES;
	}
	*out = c;
	return 0;
}

int counters_read(struct counters *c, struct counters_snapshot *s)
{
	struct timespec ts;
	unsigned int i;
	int k, nr = perf_cpu_map__nr(c->cpus);

	memset(s, 0, sizeof(*s));
	for (i = 0; i < CNT_NR; i++) {
		if (!c->evsel[i])
			continue;
		for (k = 0; k < nr; k++) {
			struct perf_counts_values v;

			memset(&v, 0, sizeof(v));
			if (perf_evsel__read(c->evsel[i], k, 0, &v))
				return -EIO;
			/* Multiplexed: extrapolate to the enabled time. */
			perf_counts_values__scale(&v, true, NULL);
			s->val[i] += v.val;
		}
		s->present[i] = true;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->ts_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return 0;
}

void counters_diff(const struct counters_snapshot *a,
		   const struct counters_snapshot *b,
		   struct counters_snapshot *out)
{
	unsigned int i;

	for (i = 0; i < CNT_NR; i++) {
		out->present[i] = a->present[i] && b->present[i];
		/* Scaling can make a later estimate smaller: clamp at 0. */
		out->val[i] = b->val[i] > a->val[i] ? b->val[i] - a->val[i] : 0;
	}
	out->ts_ns = b->ts_ns - a->ts_ns;
}

void counters_add(struct counters_snapshot *acc,
		  const struct counters_snapshot *d)
{
	unsigned int i;

	for (i = 0; i < CNT_NR; i++) {
		acc->present[i] = d->present[i];
		acc->val[i] += d->val[i];
	}
	acc->ts_ns += d->ts_ns;
}

const char *counters_absent(const struct counters *c, enum counter_id id)
{
	return c->evsel[id] ? NULL : c->absent[id];
}

void counters_print(const struct counters *c,
		    const struct counters_snapshot *phase, FILE *f)
{
	unsigned int i;

	fprintf(f, "counters (%s, %.2f s):\n",
		c->pid > 0 ? "this process" : "all CPUs", phase->ts_ns / 1e9);
	for (i = 0; i < CNT_NR; i++) {
		if (phase->present[i])
			fprintf(f, "  %-18s %14llu\n", counter_defs[i].name,
				(unsigned long long)phase->val[i]);
		else
			fprintf(f, "  %-18s %14s  (%s)\n", counter_defs[i].name,
				"absent", c->absent[i]);
	}
}

void counters_json(const struct counters *c,
		   const struct counters_snapshot *phase, struct json *j,
		   const char *key)
{
	unsigned int i;

	json_obj_begin(j, key);
	json_str(j, "scope", c->pid > 0 ? "process" : "system");
	json_u64(j, "elapsed_ns", phase->ts_ns);
	for (i = 0; i < CNT_NR; i++) {
		if (phase->present[i])
			json_u64(j, counter_defs[i].name, phase->val[i]);
		else
			json_none(j, counter_defs[i].name);
	}
	json_obj_begin(j, "absent");
	for (i = 0; i < CNT_NR; i++)
		if (!phase->present[i])
			json_str(j, counter_defs[i].name, c->absent[i]);
	json_obj_end(j);
	json_obj_end(j);
}

void counters_close(struct counters *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < CNT_NR; i++)
		if (c->evsel[i]) {
			perf_evsel__close(c->evsel[i]);
			perf_evsel__delete(c->evsel[i]);
		}
	perf_cpu_map__put(c->cpus);
	perf_thread_map__put(c->threads);
	free(c);
}
