// SPDX-License-Identifier: GPL-2.0
/*
 * The run's result files, but for the summary: metadata.json, events.csv
 * (each cycle's events), cycles.json (each cycle's numbers) and each
 * workload's own workload-<name>.json.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/run/internal.h"
#include "bench/run/meta.h"
#include "bench/run/patchctl.h"
#include "lib/results.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "analysis/stall/metrics.h"
#include "bench/workload/workload.h"

void run_write_events(struct run *r)
{
	FILE *f = results_open(&r->res, "events.csv");
	unsigned int k;

	if (!f)
		return;
	fprintf(f, "cycle,strategy,round,event,t_ns,result\n");
	for (k = 0; k < r->nr_cyc; k++) {
		const struct cycle *c = &r->cyc[k];
		const struct {
			const char *name;
			uint64_t t;
			int err;
		} ev[] = {
			{ "baseline", c->t_baseline, 0 },
			{ "apply", c->t_apply, 0 },
			{ "applied", c->t_applied, c->apply_err },
			{ "revert", c->t_revert, 0 },
			{ "reverted", c->t_reverted, c->revert_err },
			{ "end", c->t_end, 0 },
		};
		size_t e;

		for (e = 0; e < sizeof(ev) / sizeof(ev[0]); e++)
			if (ev[e].t)
				fprintf(f, "%u,%s,%u,%s,%llu,%d\n", k + 1,
					r->rc->strategies[c->strategy], c->round,
					ev[e].name,
					(unsigned long long)(ev[e].t - r->t0),
					ev[e].err);
	}
	results_close(&r->res, "events.csv", f);
}

static void stats_json(struct json *j, const char *key,
		       const struct patch_stat *st, int n)
{
	int i;

	json_obj_begin(j, key);
	for (i = 0; i < n; i++)
		json_i64(j, st[i].key, st[i].val);
	json_obj_end(j);
}

/*
 * Percentile @p of one (cycle, phase), if it holds the @min requests the
 * percentile needs (a tail's: 1/(1 - p)): below that the p-th is the
 * maximum under another name, and a finding would set one strategy's p99
 * against another's maximum whenever their phases differ in length.
 */
static void pct_json(struct json *j, const char *key, const struct hist *h,
		     double p, uint64_t min)
{
	if (h->count >= min)
		json_u64(j, key, hist_percentile(h, p));
}

/*
 * One (cycle, phase) of a workload over its threads: ops, failures (and
 * the target's mixed chains), the
 * exact maximum and, where the workload keeps slot histograms, the
 * percentiles of that cycle alone (bench compare's per-cycle tails).
 */
static void cycle_phase_json(const struct workload *w, unsigned int slot,
			     struct json *j)
{
	uint64_t max = 0, count = 0, errors = 0, mixed = 0;
	struct hist h;
	unsigned int t;

	hist_init(&h);
	for (t = 0; t < w->nr; t++) {
		const struct wl_thread *th = &w->th[t];
		const struct wl_slot *s = &th->slots[slot];

		count += s->count;
		errors += s->errors;
		mixed += s->mixed;
		if (s->max_ns > max)
			max = s->max_ns;
		if (slot < th->nr_slot_hist)
			hist_merge(&h, &th->slot_hist[slot]);
	}
	json_u64(j, "ops", count);
	json_u64(j, "errors", errors);
	if (!strcmp(w->ops->name, "target"))
		json_u64(j, "mixed", mixed);
	/*
	 * A server's phase without a request has no worst request: a 0 would
	 * be the best value of the cycle in bench compare's median.
	 */
	if (count || !w->ops->requests)
		json_u64(j, "max_ns", max);
	/* A histogram missing (out of memory) holds some requests only. */
	if (w->ops->requests && h.count && h.count == count) {
		pct_json(j, "p50_ns", &h, 50, 1);
		pct_json(j, "p99_ns", &h, 99, 100);
		pct_json(j, "p99_9_ns", &h, 99.9, 1000);
	}
}

/* A server's summed request latency in one (cycle, phase); false if none. */
static bool slot_sum(const struct workload *w, unsigned int slot,
		     uint64_t *sum)
{
	uint64_t count = 0;
	unsigned int t;

	*sum = 0;
	for (t = 0; t < w->nr; t++) {
		if (slot >= w->th[t].nr_slot_hist)
			return false;
		*sum += w->th[t].slot_hist[slot].sum;
		count += w->th[t].slot_hist[slot].count;
	}
	return count > 0;
}

/*
 * A server's excess delay in phase @p of cycle @k: the latency its
 * requests summed in the phase beyond what the cycle's baseline summed
 * at the same rate per second. Like the stall detector's excess lost
 * time, it does not grow with the phase's length unless the phase itself
 * delays requests, so strategies whose transitions differ in length
 * compare fairly (a maximum or a p99 grows with the phase: more draws).
 */
static void excess_delay_json(const struct workload *w, unsigned int k,
			      int p, const uint64_t *d, struct json *j)
{
	uint64_t base, sum;

	if (p == RUN_BASELINE || !d[p] || !d[RUN_BASELINE] ||
	    !slot_sum(w, k * RUN_NR_PHASES + RUN_BASELINE, &base) ||
	    !slot_sum(w, k * RUN_NR_PHASES + p, &sum))
		return;
	json_i64(j, "excess_delay_ns",
		 (int64_t)sum - llround((double)base * d[p] / d[RUN_BASELINE]));
}

/* Exact per-cycle numbers for each workload, by phase. */
static void cycle_workloads_json(const struct run *r, unsigned int k,
				 const uint64_t *d, struct json *j)
{
	unsigned int i;
	int p;

	json_obj_begin(j, "workloads");
	for (i = 0; i < r->rc->nr_workloads; i++) {
		const struct workload *w = r->wl[i];

		if (!w)
			continue;
		json_obj_begin(j, w->ops->name);
		for (p = 0; p < RUN_NR_PHASES; p++) {
			json_obj_begin(j, run_phase_name(p));
			cycle_phase_json(w, k * RUN_NR_PHASES + p, j);
			if (w->ops->requests)
				excess_delay_json(w, k, p, d, j);
			if (r->have_sm && !strcmp(w->ops->name, "stall"))
				stall_metrics_phase_json(&r->sm, k, p, j);
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
}

void run_write_cycles(struct run *r)
{
	FILE *f = results_open(&r->res, "cycles.json");
	uint64_t d[RUN_NR_PHASES];
	struct json j;
	unsigned int k;
	int p;

	if (!f)
		return;
	json_init(&j, f);
	json_arr_begin(&j, NULL);
	for (k = 0; k < r->nr_cyc && r->cyc[k].t_apply; k++) {
		const struct cycle *c = &r->cyc[k];

		run_cycle_durations(c, d);
		json_obj_begin(&j, NULL);
		json_u64(&j, "cycle", k + 1);
		json_str(&j, "strategy", r->rc->strategies[c->strategy]);
		json_u64(&j, "round", c->round);
		json_bool(&j, "complete", k < r->done);
		json_obj_begin(&j, "duration_ns");
		for (p = 0; p < RUN_NR_PHASES; p++)
			json_u64(&j, run_phase_name(p), d[p]);
		json_obj_end(&j);
		json_i64(&j, "apply_result", c->apply_err);
		json_bool(&j, "refused", c->refused);
		stats_json(&j, "apply_stats", c->apply_st, c->apply_nst);
		if (c->t_revert) {
			json_i64(&j, "revert_result", c->revert_err);
			stats_json(&j, "revert_stats", c->revert_st,
				   c->revert_nst);
		}
		cycle_workloads_json(r, k, d, &j);
		run_probes_cycle_json(&r->rp, k, &j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	fputc('\n', f);
	results_close(&r->res, "cycles.json", f);
}

/* One workload's own results (totals, timeline, gaps), as it writes them. */
void run_write_workload(struct run *r, const struct workload *w)
{
	char name[64];
	struct json j;
	FILE *f;

	snprintf(name, sizeof(name), "workload-%s.json", w->ops->name);
	f = results_open(&r->res, name);
	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	workload_json(w, &j);
	json_obj_end(&j);
	fputc('\n', f);
	results_close(&r->res, name, f);
}

void run_write_metadata(struct run *r)
{
	FILE *f = results_open(&r->res, "metadata.json");
	struct json j;

	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	meta_json(r->rc, &j);
	run_knobs_json(r, &j);
	json_obj_end(&j);
	fputc('\n', f);
	results_close(&r->res, "metadata.json", f);
}

/* Transition @p of cycle @k: its stats' bounds and its samples from @*i. */
static void convergence_one(struct run *r, unsigned int k, int p,
			    unsigned int *i, struct json *j)
{
	const struct cycle *c = &r->cyc[k];
	const struct patch_stat *st = p == RUN_APPLY ? c->apply_st :
						       c->revert_st;
	int nst = p == RUN_APPLY ? c->apply_nst : c->revert_nst;
	uint64_t asked = p == RUN_APPLY ? c->t_apply : c->t_revert;
	uint64_t done = p == RUN_APPLY ? c->t_applied : c->t_reverted;
	unsigned int slot = k * RUN_NR_PHASES + p;
	long long start = patch_stat_get(st, nst, "start_ns", 0);
	long long end = patch_stat_get(st, nst, "end_ns", 0);
	const struct converge *cv = &r->cv;

	json_obj_begin(j, NULL);
	json_u64(j, "cycle", k + 1);
	json_str(j, "strategy", r->rc->strategies[c->strategy]);
	json_u64(j, "round", c->round);
	json_str(j, "phase", run_phase_name(p));
	json_bool(j, "refused", p == RUN_APPLY && c->refused);
	json_u64(j, "asked_ns", asked - r->t0);
	json_u64(j, "settled_ns", done - asked);
	/* The kernel's own bounds, relative to the write; absent if unknown. */
	if (start > 0 && (uint64_t)start >= asked)
		json_u64(j, "start_ns", (uint64_t)start - asked);
	if (end > 0 && end >= start && (uint64_t)end >= asked)
		json_u64(j, "end_ns", (uint64_t)end - asked);
	json_i64(j, "tasks_at_start",
		 patch_stat_get(st, nst, "tasks_at_start", -1));
	json_arr_begin(j, "samples");
	for (; *i < cv->n && cv->s[*i].slot <= slot; (*i)++) {
		const struct converge_sample *s = &cv->s[*i];

		if (s->slot != slot || s->t_ns < asked)
			continue;
		json_arr_begin(j, NULL);
		json_u64(j, NULL, s->t_ns - asked);
		json_i64(j, NULL, s->pending);
		json_arr_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/*
 * convergence.json: per transition, the tasks still to switch as sampled
 * (time since the write, count), with the kernel's start and end of it.
 * Samples come in time order and slots only grow: one pass over them.
 */
void run_write_convergence(struct run *r)
{
	const struct converge *cv = &r->cv;
	unsigned int k, i = 0;
	struct json j;
	FILE *f;

	if (!cv->interval_ns)
		return;
	f = results_open(&r->res, "convergence.json");
	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "interval_ns", cv->interval_ns);
	json_bool(&j, "truncated", cv->truncated);
	json_u64(&j, "failed_reads", cv->failed_reads);
	json_u64(&j, "reads", cv->reads);
	json_u64(&j, "reads_outside", cv->outside);
	json_u64(&j, "read_max_ns", cv->read_max_ns);
	json_arr_begin(&j, "transitions");
	for (k = 0; k < r->nr_cyc && r->cyc[k].t_apply; k++) {
		const struct cycle *c = &r->cyc[k];

		if (c->t_applied)
			convergence_one(r, k, RUN_APPLY, &i, &j);
		if (c->t_revert && c->t_reverted && !c->refused)
			convergence_one(r, k, RUN_REVERT, &i, &j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	fputc('\n', f);
	results_close(&r->res, "convergence.json", f);
}
