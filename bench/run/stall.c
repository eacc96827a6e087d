// SPDX-License-Identifier: GPL-2.0
/*
 * The run's stall metrics: computed once from the stall workload's gaps
 * and the stop probe's stops, then given by strategy to summary.json and
 * the printed table.
 */
#include <stdlib.h>
#include <string.h>

#include "bench/run/internal.h"
#include "bench/run/patchctl.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "analysis/stall/metrics.h"
#include "analysis/stall/report.h"
#include "bench/workload/workload.h"

/* Each cycle's windows by phase; a part never reached is empty. */
static void cycle_windows(const struct cycle *c, struct interval *w)
{
	const uint64_t t[] = { c->t_baseline, c->t_apply, c->t_applied,
			       c->t_revert, c->t_reverted };
	int p;

	for (p = 0; p < RUN_NR_PHASES; p++)
		w[p] = t[p] && t[p + 1] ? (struct interval){
			(int64_t)t[p], (int64_t)t[p + 1] } :
			(struct interval){ 0, 0 };
}

/* The stall metrics from the stall threads' gaps and the stop probe's. */
void run_compute_stall(struct run *r)
{
	struct interval (*win)[SM_NR_PHASES] = calloc(r->nr_cyc, sizeof(*win));
	uint64_t (*kstop)[SM_NR_PHASES] = calloc(r->nr_cyc, sizeof(*kstop));
	bool *complete = calloc(r->nr_cyc, sizeof(*complete));
	struct sm_thread th[WL_MAX_THREADS];
	struct sm_input in = { .th = th };
	const struct workload *w = NULL;
	unsigned int i, k;

	for (i = 0; i < r->rc->nr_workloads; i++)
		if (r->wl[i] && !strcmp(r->wl[i]->ops->name, "stall"))
			w = r->wl[i];
	if (!w || !win || !kstop || !complete)
		goto out;
	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];

		th[in.nr_th++] = (struct sm_thread){ t->cpu, t->gaps,
			t->nr_gaps, t->gaps_over > t->nr_gaps && t->nr_gaps ?
			t->gaps[t->nr_gaps - 1].t_ns : UINT64_MAX };
	}
	for (k = 0; k < r->nr_cyc; k++) {
		const struct cycle *c = &r->cyc[k];

		cycle_windows(c, win[k]);
		complete[k] = k < r->done;
		kstop[k][RUN_APPLY] = (uint64_t)patch_stat_get(c->apply_st,
			c->apply_nst, "stop_sum_total_ns", 0);
		kstop[k][RUN_REVERT] = (uint64_t)patch_stat_get(c->revert_st,
			c->revert_nst, "stop_sum_total_ns", 0);
	}
	in.nr_stops = run_probes_stop_events(&r->rp, &in.stops);
	in.nr_cycles = r->nr_cyc;
	in.win = (const struct interval (*)[SM_NR_PHASES])win;
	in.complete = complete;
	in.kernel_stop_ns = (const uint64_t (*)[SM_NR_PHASES])kstop;
	r->have_sm = !stall_metrics_compute(&r->sm, &in);
out:
	free(win);
	free(kstop);
	free(complete);
}

/* Strategy @s's complete cycles whose apply was not refused. */
static bool *strategy_cycles(const struct run *r, unsigned int s)
{
	bool *sel = calloc(r->nr_cyc + 1, sizeof(*sel));
	unsigned int k;

	for (k = 0; sel && k < r->done; k++)
		sel[k] = r->cyc[k].strategy == s && !r->cyc[k].refused;
	return sel;
}

/* Strategy @s's stall metrics into summary.json (@j) or the table (@f). */
void run_stall_summary(const struct run *r, unsigned int s, struct json *j,
		       FILE *f)
{
	bool *sel;

	if (!r->have_sm)
		return;
	sel = strategy_cycles(r, s);
	if (sel && j)
		stall_report_json(&r->sm, sel, j);
	if (sel && f)
		stall_report_print(&r->sm, sel, f);
	free(sel);
}
