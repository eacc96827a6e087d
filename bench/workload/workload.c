// SPDX-License-Identifier: GPL-2.0
/*
 * workload.c - what every workload shares: options, threads (pinning,
 * priority), recording, the summary table and JSON. The workloads
 * themselves (workload-<name>.c) only supply a thread loop.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "bench/workload/workload.h"

const struct workload_ops *const workloads[] = {
	&workload_target,
	&workload_stall,
	&workload_wakeup,
	&workload_population,
	&workload_redis,
	&workload_memcached,
	NULL,
};

const struct workload_ops *workload_find(const char *name)
{
	const struct workload_ops *const *w;

	for (w = workloads; *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}

void workload_opts_init(struct workload_opts *o, const struct workload_ops *ops)
{
	memset(o, 0, sizeof(*o));
	o->threads = 1;
	o->duration_ns = 5ULL * 1000000000;
	o->window_ns = 10 * 1000000;
	o->threshold_ns = 20 * 1000;
	o->sleep_ms = 10;
	if (ops && ops->defaults)
		ops->defaults(o);
}

int workload_opts_check(const struct workload_opts *o, char *err, size_t len)
{
	if (!o->threads || o->threads > WL_MAX_THREADS) {
		snprintf(err, len, "threads must be 1-%d", WL_MAX_THREADS);
		return -EINVAL;
	}
	if (!o->duration_ns || !o->window_ns) {
		snprintf(err, len, "duration and window must be positive");
		return -EINVAL;
	}
	if (o->duration_ns / o->window_ns + 2 > WL_MAX_WINDOWS) {
		snprintf(err, len,
			 "the timeline would need more than %u windows: use a longer --window or a shorter --duration",
			 WL_MAX_WINDOWS);
		return -EINVAL;
	}
	if (o->rate_hz > 1000000000ULL) {
		snprintf(err, len, "rate must be at most 1e9 Hz");
		return -EINVAL;
	}
	return 0;
}

int parse_cpu_list(const char *s, int *cpus, unsigned int max,
		   unsigned int *nr)
{
	static unsigned char seen[WL_MAX_CPUS];
	unsigned int n = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	memset(seen, 0, sizeof(seen));
	while (*p) {
		unsigned long a, b;
		char *end;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		a = strtoul(p, &end, 10);
		b = a;
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			b = strtoul(p, &end, 10);
		}
		if (a > b)
			return -EINVAL;
		if (b >= WL_MAX_CPUS)
			return -ERANGE;
		for (; a <= b; a++) {
			if (seen[a])
				return -EINVAL;
			if (n == max)
				return -ERANGE;
			seen[a] = 1;
			cpus[n++] = (int)a;
		}
		if (*end == ',' && end[1])
			end++;
		else if (*end)
			return -EINVAL;
		p = end;
	}
	*nr = n;
	return 0;
}

int parse_seconds(const char *s, uint64_t min_ns, uint64_t max_ns,
		  uint64_t *out_ns)
{
	uint64_t whole = 0, frac = 0, scale = 100000000ULL;
	const char *p = s;

	if (!s || *p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > 1000000000ULL)
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (!scale)
				return -EINVAL;	/* finer than a nanosecond */
			frac += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p)
		return -EINVAL;
	whole = whole * 1000000000ULL + frac;
	if (whole < min_ns || whole > max_ns)
		return -ERANGE;
	*out_ns = whole;
	return 0;
}

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Phase in the low 16 bits, slot above: one atomic word for both. */
static unsigned int wl_phase;

void wl_set_phase(unsigned int phase, unsigned int slot)
{
	if (phase >= WL_MAX_PHASES)
		phase = 0;
	if (slot > WL_SLOT_NONE)
		slot = WL_SLOT_NONE;
	__atomic_store_n(&wl_phase, slot << 16 | phase, __ATOMIC_RELEASE);
}

void wl_record(struct wl_thread *t, uint64_t start, uint64_t lat)
{
	unsigned int ph = __atomic_load_n(&wl_phase, __ATOMIC_RELAXED);
	struct wl_slot *slot = &t->slots[ph >> 16];
	uint64_t t0 = t->w->t0_ns, i;

	hist_record(&t->hist, lat);
	hist_record(&t->phase[ph & 0xffff], lat);
	slot->count++;
	if (lat > slot->max_ns)
		slot->max_ns = lat;
	if (ph >> 16 < t->nr_slot_hist)
		hist_record(&t->slot_hist[ph >> 16], lat);
	t->ops++;
	if (start < t0)
		start = t0;
	i = (start - t0) / t->w->opts.window_ns;
	if (i >= t->nr_win) {
		t->past_timeline++;
		return;
	}
	t->win[i].count++;
	if (lat > t->win[i].max_ns)
		t->win[i].max_ns = lat;
}

void wl_error(struct wl_thread *t)
{
	unsigned int ph = __atomic_load_n(&wl_phase, __ATOMIC_RELAXED);

	t->errors++;
	t->slots[ph >> 16].errors++;
}

void wl_mixed(struct wl_thread *t)
{
	unsigned int ph = __atomic_load_n(&wl_phase, __ATOMIC_RELAXED);

	t->mixed++;
	t->slots[ph >> 16].mixed++;
}

void wl_fail(struct wl_thread *t, int err, const char *fmt, ...)
{
	va_list ap;

	t->err = err ? err : EIO;
	va_start(ap, fmt);
	vsnprintf(t->errmsg, sizeof(t->errmsg), fmt, ap);
	va_end(ap);
}

static void *thread_main(void *arg)
{
	struct wl_thread *t = arg;
	struct workload *w = t->w;

	t->tid = (pid_t)syscall(SYS_gettid);
	if (w->opts.prio) {
		struct sched_param sp = { .sched_priority = (int)w->opts.prio };

		/* Not allowed (no CAP_SYS_NICE): run anyway, say so. */
		t->fifo = !pthread_setschedparam(pthread_self(), SCHED_FIFO,
						 &sp);
	}
	w->ops->run(t);
	return NULL;
}

/* A server's per-slot histograms, all touched now, before measuring. */
static int slot_hists_init(struct wl_thread *t)
{
	unsigned int n = t->w->opts.slots ? t->w->opts.slots : 1, s;

	if (n > WL_MAX_REQ_SLOTS)
		return -E2BIG;
	t->slot_hist = malloc(n * sizeof(*t->slot_hist));
	if (!t->slot_hist)
		return -ENOMEM;
	for (s = 0; s < n; s++)
		hist_init(&t->slot_hist[s]);
	t->nr_slot_hist = n;
	return 0;
}

static int thread_init(struct workload *w, struct wl_thread *t,
		       unsigned int i)
{
	t->w = w;
	t->idx = i;
	t->cpu = w->opts.nr_cpus ? w->opts.cpus[i % w->opts.nr_cpus] : -1;
	hist_init(&t->hist);
	hist_init(&t->service);
	for (unsigned int p = 0; p < WL_MAX_PHASES; p++)
		hist_init(&t->phase[p]);
	t->nr_win = (unsigned int)(w->opts.duration_ns / w->opts.window_ns) + 1;
	t->win = calloc(t->nr_win, sizeof(*t->win));
	t->slots = calloc(WL_SLOT_NONE + 1, sizeof(*t->slots));
	if (!t->win || !t->slots)
		return -ENOMEM;
	return w->ops->requests ? slot_hists_init(t) : 0;
}

static void join_all(struct workload *w)
{
	unsigned int i;

	__atomic_store_n(&w->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < w->nr; i++)
		if (w->th[i].started) {
			pthread_join(w->th[i].th, NULL);
			w->th[i].started = false;
		}
}

int workload_start(struct workload **out, const struct workload_ops *ops,
		   const struct workload_opts *o, char *err, size_t errlen)
{
	struct workload *w;
	unsigned int i;
	int ret;

	ret = workload_opts_check(o, err, errlen);
	if (ret)
		return ret;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->ops = ops;
	w->opts = *o;
	w->nr = o->threads;
	w->th = calloc(w->nr, sizeof(*w->th));
	if (!w->th) {
		free(w);
		return -ENOMEM;
	}
	for (i = 0; i < w->nr; i++) {
		ret = thread_init(w, &w->th[i], i);
		if (ret == -E2BIG)
			snprintf(err, errlen, "%s keeps a histogram per cycle and phase: at most %u (cycles x phases), %u asked",
				 ops->name, WL_MAX_REQ_SLOTS, o->slots);
		else if (ret)
			snprintf(err, errlen, "out of memory");
		if (ret) {
			workload_free(w);
			return ret;
		}
	}
	if (ops->prepare) {
		ret = ops->prepare(w, err, errlen);
		if (ret) {
			workload_free(w);
			return ret;
		}
	}
	w->t0_ns = mono_ns();
	w->end_ns = w->t0_ns + o->duration_ns;
	for (i = 0; i < w->nr; i++) {
		struct wl_thread *t = &w->th[i];
		pthread_attr_t attr;

		pthread_attr_init(&attr);
		if (t->cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(t->cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		ret = -pthread_create(&t->th, &attr, thread_main, t);
		pthread_attr_destroy(&attr);
		if (ret) {
			snprintf(err, errlen, "cannot start thread %u%s: %s", i,
				 t->cpu >= 0 ? " (is its CPU online?)" : "",
				 strerror(-ret));
			workload_stop(w);
			workload_free(w);
			return ret;
		}
		t->started = true;
	}
	*out = w;
	return 0;
}

void workload_wait(struct workload *w, volatile sig_atomic_t *stop_flag)
{
	uint64_t now;

	while ((now = mono_ns()) < w->end_ns && !(stop_flag && *stop_flag)) {
		uint64_t left = w->end_ns - now;

		sleep_ns(left < 100000000ULL ? (long)left : 100000000L);
	}
	workload_stop(w);
}

void workload_stop(struct workload *w)
{
	if (w->stopped_ns)
		return;
	join_all(w);
	w->stopped_ns = mono_ns();
	if (w->ops->cleanup)
		w->ops->cleanup(w);
}

void workload_free(struct workload *w)
{
	unsigned int i;

	if (!w)
		return;
	/* Threads started (t0 set): stop them and undo prepare(). */
	if (w->t0_ns)
		workload_stop(w);
	if (w->ops->destroy)
		w->ops->destroy(w);
	if (w->th) {
		for (i = 0; i < w->nr; i++) {
			free(w->th[i].win);
			free(w->th[i].slots);
			free(w->th[i].slot_hist);
			free(w->th[i].gaps);
		}
	}
	free(w->th);
	free(w);
}

void workload_total(const struct workload *w, struct hist *h, uint64_t *ops,
		    uint64_t *missed, uint64_t *mixed, uint64_t *errors)
{
	unsigned int i;

	hist_init(h);
	*ops = *missed = *mixed = *errors = 0;
	for (i = 0; i < w->nr; i++) {
		hist_merge(h, &w->th[i].hist);
		*ops += w->th[i].ops;
		*missed += w->th[i].missed;
		*mixed += w->th[i].mixed;
		*errors += w->th[i].errors;
	}
}
