// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stall/metrics.h"

/* A normalised set, grown as needed. */
struct iset {
	struct interval *v;
	size_t n;
};

static int iset_from_gaps(struct iset *s, const struct sm_thread *t)
{
	size_t i;

	s->v = malloc((t->n ? t->n : 1) * sizeof(*s->v));
	if (!s->v)
		return -ENOMEM;
	for (i = 0; i < t->n; i++)
		s->v[i] = (struct interval){ (int64_t)t->gaps[i].t_ns,
			(int64_t)(t->gaps[i].t_ns + t->gaps[i].len_ns) };
	s->n = interval_normalize(s->v, t->n);
	return 0;
}

/* @acc = @acc ∩ @b; @acc starts as NULL meaning "everything". */
static int iset_and(struct iset *acc, struct iset *b, bool *first)
{
	struct interval *out;

	if (*first) {
		*acc = *b;
		b->v = NULL;
		*first = false;
		return 0;
	}
	out = malloc((acc->n + b->n + 1) * sizeof(*out));
	if (!out)
		return -ENOMEM;
	acc->n = interval_intersect(acc->v, acc->n, b->v, b->n, out);
	free(acc->v);
	acc->v = out;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The distinct CPUs of the stall threads, ascending. */
static int find_cpus(struct stall_metrics *sm, const struct sm_input *in)
{
	unsigned int i, n = 0;

	sm->cpus = malloc(in->nr_th * sizeof(*sm->cpus));
	if (!sm->cpus)
		return -ENOMEM;
	sm->known_until = INT64_MAX;
	for (i = 0; i < in->nr_th; i++) {
		sm->cpus[n++] = in->th[i].cpu;
		if (in->th[i].known_until < (uint64_t)sm->known_until)
			sm->known_until = (int64_t)in->th[i].known_until;
	}
	qsort(sm->cpus, n, sizeof(*sm->cpus), cmp_int);
	for (i = 0, sm->nr_cpus = 0; i < n; i++)
		if (!sm->nr_cpus || sm->cpus[sm->nr_cpus - 1] != sm->cpus[i])
			sm->cpus[sm->nr_cpus++] = sm->cpus[i];
	return 0;
}

/* CPU @cpu's gaps: when every stall thread on it was in one. */
static int cpu_gaps(const struct sm_input *in, int cpu, struct iset *out)
{
	bool first = true;
	unsigned int i;
	int ret = 0;

	out->v = NULL;
	out->n = 0;
	for (i = 0; i < in->nr_th && !ret; i++) {
		struct iset t;

		if (in->th[i].cpu != cpu)
			continue;
		ret = iset_from_gaps(&t, &in->th[i]);
		if (!ret)
			ret = iset_and(out, &t, &first);
		free(t.v);
	}
	return ret;
}

/* The stop probe's stops on CPU @cpu. */
static int cpu_stops(const struct sm_input *in, int cpu, struct iset *out)
{
	size_t i;

	out->n = 0;
	out->v = malloc((in->nr_stops + 1) * sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (i = 0; i < in->nr_stops; i++)
		if ((int)in->stops[i].cpu == cpu)
			out->v[out->n++] = (struct interval){
				(int64_t)in->stops[i].start_ns,
				(int64_t)(in->stops[i].start_ns +
					  in->stops[i].dur_ns) };
	out->n = interval_normalize(out->v, out->n);
	return 0;
}

static uint64_t win_len(const struct interval *iv)
{
	return iv->end > iv->start ? (uint64_t)(iv->end - iv->start) : 0;
}

/* Each CPU's gaps and stops, and their intersections over the CPUs. */
struct sm_sets {
	struct iset *gaps, *stops;	/* [nr_cpus] */
	struct iset all;		/* every CPU in a gap at once */
	struct iset in_stop;		/* that, while every CPU was stopped */
};

static uint64_t clipped(const struct iset *s, const struct interval *iv)
{
	struct interval_sum sum;

	interval_clip_sum(s->v, s->n, iv->start, iv->end, &sum);
	return sum.total;
}

/* What the sets hold in one window; a baseline window adds to the rates. */
static void fill_window(struct stall_metrics *sm, const struct sm_input *in,
			const struct sm_sets *st, unsigned int k, int p)
{
	const struct interval *iv = &in->win[k][p];
	struct sm_window *w = &sm->w[k * SM_NR_PHASES + p];
	bool base = p == SM_BASELINE && in->complete[k];
	unsigned int i;

	/* A window past a full gap list would read as one without gaps. */
	w->known = iv->end <= sm->known_until;
	base = base && w->known;
	w->len_ns = win_len(iv);
	for (i = 0; i < sm->nr_cpus; i++) {
		struct sm_cpu *c = &sm->cpu[(k * SM_NR_PHASES + p) *
					    sm->nr_cpus + i];

		c->lost_ns = clipped(&st->gaps[i], iv);
		c->stopped_ns = clipped(&st->stops[i], iv);
		if (base)
			excess_rate_add(&sm->rate[i], c->lost_ns, w->len_ns);
	}
	interval_clip_sum(st->all.v, st->all.n, iv->start, iv->end,
			  &w->machine);
	w->machine_in_stop_ns = clipped(&st->in_stop, iv);
	if (base)
		excess_rate_add(&sm->machine_rate, w->machine.total, w->len_ns);
}

/* Totals over the CPUs, excesses over the rates, the ground truth. */
static void finish_window(struct stall_metrics *sm, const struct sm_input *in,
			  unsigned int k, int p)
{
	struct sm_window *w = &sm->w[k * SM_NR_PHASES + p];
	uint64_t stopped = 0;
	unsigned int i;

	w->has_excess = true;
	for (i = 0; i < sm->nr_cpus; i++) {
		struct sm_cpu *c = &sm->cpu[(k * SM_NR_PHASES + p) *
					    sm->nr_cpus + i];

		w->lost_ns += c->lost_ns;
		stopped += c->stopped_ns;
		if (excess_ns(c->lost_ns, &sm->rate[i], w->len_ns,
			      &c->excess_ns))
			w->has_excess = false;
		else
			w->excess_ns += c->excess_ns;
	}
	if (excess_ns(w->machine.total, &sm->machine_rate, w->len_ns,
		      &w->machine_excess_ns))
		w->has_excess = false;
	if (in->stops) {
		w->stopped_ns = stopped / sm->nr_cpus;
		w->stopped_source = "probe";
	} else if (in->kernel_stop_ns && in->kernel_stop_ns[k][p]) {
		w->stopped_ns = in->kernel_stop_ns[k][p];
		w->stopped_source = "kernel";
	}
	w->coverage = excess_coverage(w->machine.total, w->stopped_ns);
	w->coverage_in_stop = in->stops ?
		excess_coverage(w->machine_in_stop_ns, w->stopped_ns) : NAN;
}

static int alloc_metrics(struct stall_metrics *sm, const struct sm_input *in)
{
	size_t nw = (size_t)in->nr_cycles * SM_NR_PHASES;

	sm->nr_cycles = in->nr_cycles;
	sm->w = calloc(nw ? nw : 1, sizeof(*sm->w));
	sm->cpu = calloc(nw * sm->nr_cpus + 1, sizeof(*sm->cpu));
	sm->rate = calloc(sm->nr_cpus, sizeof(*sm->rate));
	return sm->w && sm->cpu && sm->rate ? 0 : -ENOMEM;
}

/* Per CPU: its gaps and stops; then their intersections. */
static int make_sets(struct stall_metrics *sm, const struct sm_input *in,
		     struct sm_sets *st)
{
	bool first_gap = true, first_stop = true;
	struct iset stopped = { NULL, 0 };
	unsigned int i;
	int ret = 0;

	st->gaps = calloc(sm->nr_cpus, sizeof(*st->gaps));
	st->stops = calloc(sm->nr_cpus, sizeof(*st->stops));
	if (!st->gaps || !st->stops)
		return -ENOMEM;
	for (i = 0; i < sm->nr_cpus && !ret; i++) {
		struct iset g, s;

		ret = cpu_gaps(in, sm->cpus[i], &st->gaps[i]) ?:
		      cpu_stops(in, sm->cpus[i], &st->stops[i]);
		if (ret)
			break;
		/* Copies: the running intersections consume their input. */
		g = (struct iset){ malloc((st->gaps[i].n + 1) * sizeof(*g.v)),
				   st->gaps[i].n };
		s = (struct iset){ malloc((st->stops[i].n + 1) * sizeof(*s.v)),
				   st->stops[i].n };
		if (g.v && s.v) {
			memcpy(g.v, st->gaps[i].v, g.n * sizeof(*g.v));
			memcpy(s.v, st->stops[i].v, s.n * sizeof(*s.v));
			ret = iset_and(&st->all, &g, &first_gap) ?:
			      iset_and(&stopped, &s, &first_stop);
		} else {
			ret = -ENOMEM;
		}
		free(g.v);
		free(s.v);
	}
	st->in_stop.v = malloc((st->all.n + stopped.n + 1) * sizeof(*stopped.v));
	if (!ret && st->in_stop.v)
		st->in_stop.n = interval_intersect(st->all.v, st->all.n,
						   stopped.v, stopped.n,
						   st->in_stop.v);
	free(stopped.v);
	return ret ?: st->in_stop.v ? 0 : -ENOMEM;
}

static void free_sets(const struct stall_metrics *sm, struct sm_sets *st)
{
	unsigned int i;

	for (i = 0; i < sm->nr_cpus; i++) {
		free(st->gaps ? st->gaps[i].v : NULL);
		free(st->stops ? st->stops[i].v : NULL);
	}
	free(st->gaps);
	free(st->stops);
	free(st->all.v);
	free(st->in_stop.v);
}

int stall_metrics_compute(struct stall_metrics *sm, const struct sm_input *in)
{
	struct sm_sets st = { 0 };
	unsigned int k;
	int ret, p;

	memset(sm, 0, sizeof(*sm));
	if (!in->nr_th)
		return -ENODATA;
	ret = find_cpus(sm, in) ?: alloc_metrics(sm, in);
	if (!ret)
		ret = make_sets(sm, in, &st);
	/* Two passes: every baseline window sets the rates the excess needs. */
	for (k = 0; !ret && k < in->nr_cycles; k++)
		for (p = 0; p < SM_NR_PHASES; p++)
			fill_window(sm, in, &st, k, p);
	for (k = 0; !ret && k < in->nr_cycles; k++)
		for (p = 0; p < SM_NR_PHASES; p++)
			finish_window(sm, in, k, p);
	free_sets(sm, &st);
	if (ret)
		stall_metrics_free(sm);
	return ret;
}

void stall_metrics_free(struct stall_metrics *sm)
{
	free(sm->cpus);
	free(sm->w);
	free(sm->cpu);
	free(sm->rate);
	memset(sm, 0, sizeof(*sm));
}

void stall_metrics_phase_json(const struct stall_metrics *sm,
			      unsigned int cycle, int phase, struct json *j)
{
	const struct sm_window *w = sm_window(sm, cycle, phase);
	unsigned int i;

	if (!w->known) {
		/* Say why the numbers are missing rather than write zeros. */
		json_bool(j, "stall_gaps_truncated", true);
		return;
	}
	json_u64(j, "lost_ns", w->lost_ns);
	if (w->has_excess) {
		json_i64(j, "excess_lost_ns", w->excess_ns);
		json_i64(j, "machine_stall_excess_ns", w->machine_excess_ns);
	}
	json_u64(j, "machine_stall_ns", w->machine.total);
	json_u64(j, "machine_stall_count", w->machine.count);
	json_u64(j, "machine_stall_max_ns", w->machine.longest);
	if (w->stopped_source) {
		json_str(j, "stopped_source", w->stopped_source);
		json_u64(j, "stopped_per_cpu_ns", w->stopped_ns);
		json_u64(j, "machine_stall_in_stop_ns", w->machine_in_stop_ns);
		if (!isnan(w->coverage))
			json_double(j, "stop_coverage", w->coverage);
		if (!isnan(w->coverage_in_stop))
			json_double(j, "stop_coverage_in_stop",
				    w->coverage_in_stop);
	}
	json_arr_begin(j, "per_cpu");
	for (i = 0; i < sm->nr_cpus; i++) {
		const struct sm_cpu *c = sm_cpu(sm, cycle, phase, i);

		json_obj_begin(j, NULL);
		json_i64(j, "cpu", sm->cpus[i]);
		json_u64(j, "lost_ns", c->lost_ns);
		if (w->has_excess)
			json_i64(j, "excess_lost_ns", c->excess_ns);
		json_u64(j, "stopped_ns", c->stopped_ns);
		json_obj_end(j);
	}
	json_arr_end(j);
}
