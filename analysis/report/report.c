// SPDX-License-Identifier: GPL-2.0
/* report.c - the tables of bench report (report.h). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "analysis/report/report.h"

const char *const report_table_names[REPORT_NR_TABLES] = {
	[REPORT_RUNS] = "runs",
	[REPORT_LATENCY] = "latency",
	[REPORT_TRANSITIONS] = "transitions",
	[REPORT_STALLS] = "stalls",
	[REPORT_SWITCHES] = "switches",
	[REPORT_CHAINS] = "chains",
	[REPORT_CONSISTENCY] = "consistency",
	[REPORT_REQUESTS] = "requests",
	[REPORT_FINDINGS] = "findings",
};

int report_table_find(const char *name)
{
	int i;

	for (i = 0; i < REPORT_NR_TABLES; i++)
		if (!strcmp(report_table_names[i], name))
			return i;
	return -1;
}

/* The first cells of every row: the run's label when there are several. */
static struct tab_cell *row_start(struct table *t, const struct rep_run *r,
				  size_t n, unsigned int *c)
{
	struct tab_cell *row = table_row(t);

	*c = 0;
	if (row && n > 1)
		cell_str(&row[(*c)++], r->label);
	return row;
}

static void hist_cell(struct tab_cell *c, const struct rep_hist *h,
		      uint64_t v)
{
	if (h->present && h->count)
		cell_ns(c, v);
}

static int build_runs(const struct rep_run *runs, size_t n, struct table *t)
{
	size_t i;
	unsigned int s, c;

	table_init(t, "runs", "Runs: parameters, transition times and the stall detector during the apply transition");
	table_col(t, "run", "run", TAB_STR);
	table_col(t, "status", "status", TAB_STR);
	table_col(t, "cpus", "vCPUs", TAB_INT);
	table_col(t, "tasks", "tasks", TAB_INT);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "cycles", "cycles", TAB_INT);
	table_col(t, "apply_p50_ns", "apply p50", TAB_NS);
	table_col(t, "apply_max_ns", "apply max", TAB_NS);
	table_col(t, "revert_p50_ns", "revert p50", TAB_NS);
	table_col(t, "stall_max_ns", "largest gap in apply", TAB_NS);
	table_col(t, "stall_lost_ns", "lost in apply", TAB_NS);
	for (i = 0; i < n; i++) {
		const struct rep_run *r = &runs[i];
		struct tab_cell *row;

		if (!r->nr_strat) {
			row = table_row(t);
			if (!row)
				return -ENOMEM;
			cell_str(&row[0], r->label);
			cell_str(&row[1], r->status);
			if (r->cpus)
				cell_int(&row[2], r->cpus);
			cell_int(&row[3], r->tasks);
			continue;
		}
		for (s = 0; s < r->nr_strat; s++) {
			const struct rep_strategy *st = &r->strat[s];
			const struct rep_phase *ph = rep_stall(st, 1);

			row = table_row(t);
			if (!row)
				return -ENOMEM;
			c = 0;
			cell_str(&row[c++], r->label);
			cell_str(&row[c++], r->status);
			if (r->cpus)
				cell_int(&row[c], r->cpus);
			c++;
			cell_int(&row[c++], r->tasks);
			cell_str(&row[c++], st->name);
			cell_int(&row[c++], (int64_t)st->cycles_done);
			hist_cell(&row[c++], &st->apply, st->apply.p50);
			hist_cell(&row[c++], &st->apply, st->apply.max);
			hist_cell(&row[c++], &st->revert, st->revert.p50);
			if (ph) {
				cell_ns(&row[c], ph->largest_gap_ns);
				cell_ns(&row[c + 1], ph->lost_ns);
			}
		}
	}
	return 0;
}

static void run_col(struct table *t, size_t n)
{
	if (n > 1)
		table_col(t, "run", "run", TAB_STR);
}

static int build_latency(const struct rep_run *runs, size_t n,
			 struct table *t)
{
	unsigned int s, w, c;
	size_t i;
	int p;

	table_init(t, "latency", "Operation latency per strategy, workload and phase");
	run_col(t, n);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "workload", "workload", TAB_STR);
	table_col(t, "phase", "phase", TAB_STR);
	table_col(t, "ops", "ops", TAB_INT);
	table_col(t, "p50_ns", "p50", TAB_NS);
	table_col(t, "p99_ns", "p99", TAB_NS);
	table_col(t, "p99_9_ns", "p99.9", TAB_NS);
	table_col(t, "max_ns", "max", TAB_NS);
	for (i = 0; i < n; i++)
		for (s = 0; s < runs[i].nr_strat; s++)
			for (w = 0; w < runs[i].strat[s].nr_wl; w++)
				for (p = 0; p < REP_PHASES; p++) {
					const struct rep_strategy *st =
						&runs[i].strat[s];
					const struct rep_phase *ph =
						&st->wl[w].phase[p];
					struct tab_cell *row;

					if (!ph->present)
						continue;
					row = row_start(t, &runs[i], n, &c);
					if (!row)
						return -ENOMEM;
					cell_str(&row[c++], st->name);
					cell_str(&row[c++], st->wl[w].name);
					cell_str(&row[c++], rep_phase_names[p]);
					cell_int(&row[c++],
						 (int64_t)ph->lat.count);
					hist_cell(&row[c++], &ph->lat,
						  ph->lat.p50);
					hist_cell(&row[c++], &ph->lat,
						  ph->lat.p99);
					hist_cell(&row[c++], &ph->lat,
						  ph->lat.p999);
					hist_cell(&row[c++], &ph->lat,
						  ph->lat.max);
				}
	return 0;
}

static int build_transitions(const struct rep_run *runs, size_t n,
			     struct table *t)
{
	unsigned int s, c;
	size_t i;

	table_init(t, "transitions", "Transition times: from the write that starts a transition to its end");
	run_col(t, n);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "cycles", "cycles", TAB_INT);
	table_col(t, "apply_p50_ns", "apply p50", TAB_NS);
	table_col(t, "apply_p90_ns", "apply p90", TAB_NS);
	table_col(t, "apply_max_ns", "apply max", TAB_NS);
	table_col(t, "revert_p50_ns", "revert p50", TAB_NS);
	table_col(t, "revert_p90_ns", "revert p90", TAB_NS);
	table_col(t, "revert_max_ns", "revert max", TAB_NS);
	for (i = 0; i < n; i++)
		for (s = 0; s < runs[i].nr_strat; s++) {
			const struct rep_strategy *st = &runs[i].strat[s];
			struct tab_cell *row = row_start(t, &runs[i], n, &c);

			if (!row)
				return -ENOMEM;
			cell_str(&row[c++], st->name);
			cell_int(&row[c++], (int64_t)st->cycles_done);
			hist_cell(&row[c++], &st->apply, st->apply.p50);
			hist_cell(&row[c++], &st->apply, st->apply.p90);
			hist_cell(&row[c++], &st->apply, st->apply.max);
			hist_cell(&row[c++], &st->revert, st->revert.p50);
			hist_cell(&row[c++], &st->revert, st->revert.p90);
			hist_cell(&row[c++], &st->revert, st->revert.max);
		}
	return 0;
}

static int build_stalls(const struct rep_run *runs, size_t n, struct table *t)
{
	unsigned int s, w, c;
	size_t i;
	int p;

	table_init(t, "stalls", "Stall detector: gaps over its threshold per phase, time lost in them and the largest");
	run_col(t, n);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "workload", "workload", TAB_STR);
	table_col(t, "phase", "phase", TAB_STR);
	table_col(t, "duration_ns", "phase time", TAB_NS);
	table_col(t, "gaps", "gaps", TAB_INT);
	table_col(t, "lost_ns", "time lost", TAB_NS);
	table_col(t, "largest_gap_ns", "largest gap", TAB_NS);
	for (i = 0; i < n; i++)
		for (s = 0; s < runs[i].nr_strat; s++)
			for (w = 0; w < runs[i].strat[s].nr_wl; w++)
				for (p = 0; p < REP_PHASES; p++) {
					const struct rep_strategy *st =
						&runs[i].strat[s];
					const struct rep_phase *ph =
						&st->wl[w].phase[p];
					struct tab_cell *row;

					if (!ph->present || !ph->stall)
						continue;
					row = row_start(t, &runs[i], n, &c);
					if (!row)
						return -ENOMEM;
					cell_str(&row[c++], st->name);
					cell_str(&row[c++], st->wl[w].name);
					cell_str(&row[c++], rep_phase_names[p]);
					cell_ns(&row[c++], ph->duration_ns);
					cell_int(&row[c++], (int64_t)ph->gaps);
					cell_ns(&row[c++], ph->lost_ns);
					cell_ns(&row[c++], ph->largest_gap_ns);
				}
	return 0;
}

/* Did any strategy of @r move a task by path @name? */
static bool path_used(const struct rep_run *r, const char *name)
{
	unsigned int s, k;

	for (s = 0; s < r->nr_strat; s++)
		for (k = 0; k < r->strat[s].nr_paths; k++)
			if (!strcmp(r->strat[s].path[k], name) &&
			    r->strat[s].switches[k])
				return true;
	return false;
}

/* Paths no strategy of a run used are left out: 0 for every one. */
static int build_switches(const struct rep_run *runs, size_t n,
			  struct table *t)
{
	unsigned int s, k, c;
	size_t i;

	table_init(t, "switches", "Tasks moved to the new universe, by the path that moved them (paths no strategy of the run used left out)");
	run_col(t, n);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "path", "path", TAB_STR);
	table_col(t, "switches", "switches", TAB_INT);
	for (i = 0; i < n; i++)
		for (s = 0; s < runs[i].nr_strat; s++)
			for (k = 0; k < runs[i].strat[s].nr_paths; k++) {
				const struct rep_strategy *st =
					&runs[i].strat[s];
				struct tab_cell *row;

				if (!path_used(&runs[i], st->path[k]))
					continue;
				row = row_start(t, &runs[i], n, &c);
				if (!row)
					return -ENOMEM;
				cell_str(&row[c++], st->name);
				cell_str(&row[c++], st->path[k]);
				cell_int(&row[c++], st->switches[k]);
			}
	return 0;
}

static int build_chains(const struct rep_run *runs, size_t n,
			struct table *t)
{
	unsigned int w, c;
	size_t i;

	table_init(t, "chains", "Workload totals: operations, missed deadlines, mixed old/new call chains, errors");
	run_col(t, n);
	table_col(t, "workload", "workload", TAB_STR);
	table_col(t, "ops", "ops", TAB_INT);
	table_col(t, "missed", "missed", TAB_INT);
	table_col(t, "mixed", "mixed chains", TAB_INT);
	table_col(t, "errors", "errors", TAB_INT);
	for (i = 0; i < n; i++)
		for (w = 0; w < runs[i].nr_totals; w++) {
			const struct rep_total *tt = &runs[i].totals[w];
			struct tab_cell *row = row_start(t, &runs[i], n, &c);

			if (!row)
				return -ENOMEM;
			cell_str(&row[c++], tt->name);
			cell_int(&row[c++], (int64_t)tt->ops);
			cell_int(&row[c++], (int64_t)tt->missed);
			cell_int(&row[c++], (int64_t)tt->mixed);
			cell_int(&row[c++], (int64_t)tt->errors);
		}
	return 0;
}

/*
 * The target workload's calls per strategy, and how many ran a mixed chain
 * in each phase (runs that count them per phase: bench after the patch
 * life cycle issue; older runs give no rows).
 */
static int build_consistency(const struct rep_run *runs, size_t n,
			     struct table *t)
{
	unsigned int s, w, c;
	size_t i;
	int p;

	table_init(t, "consistency", "Calls of the target workload per strategy and the mixed old/new chains among them, by phase");
	run_col(t, n);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "calls", "calls checked", TAB_INT);
	for (p = 0; p < REP_PHASES; p++)
		table_col(t, rep_phase_names[p], rep_phase_names[p], TAB_INT);
	for (i = 0; i < n; i++)
		for (s = 0; s < runs[i].nr_strat; s++)
			for (w = 0; w < runs[i].strat[s].nr_wl; w++) {
				const struct rep_workload *wl =
					&runs[i].strat[s].wl[w];
				struct tab_cell *row;
				uint64_t calls = 0;

				if (strcmp(wl->name, "target") ||
				    !wl->phase[0].has_mixed)
					continue;
				row = row_start(t, &runs[i], n, &c);
				if (!row)
					return -ENOMEM;
				for (p = 0; p < REP_PHASES; p++)
					calls += wl->phase[p].lat.count;
				cell_str(&row[c++], runs[i].strat[s].name);
				cell_int(&row[c++], (int64_t)calls);
				for (p = 0; p < REP_PHASES; p++)
					cell_int(&row[c++],
						 (int64_t)wl->phase[p].mixed);
			}
	return 0;
}

/* One row of the requests table: strategy @st's workload @w in phase @p. */
static int request_row(struct table *t, const struct rep_run *r, size_t n,
		       const struct rep_strategy *st,
		       const struct rep_workload *w, int p)
{
	const struct rep_phase *ph = &w->phase[p];
	unsigned int c;
	struct tab_cell *row = row_start(t, r, n, &c);

	if (!row)
		return -ENOMEM;
	cell_str(&row[c++], st->name);
	cell_str(&row[c++], w->name);
	cell_str(&row[c++], rep_phase_names[p]);
	cell_int(&row[c++], (int64_t)ph->lat.count);
	if (ph->duration_ns)
		cell_int(&row[c], llround(ph->lat.count * 1e9 /
					  ph->duration_ns));
	c++;
	cell_int(&row[c++], (int64_t)ph->errors);
	hist_cell(&row[c++], &ph->lat, ph->lat.p50);
	hist_cell(&row[c++], &ph->lat, ph->lat.p99);
	hist_cell(&row[c++], &ph->lat, ph->lat.p999);
	hist_cell(&row[c++], &ph->lat, ph->lat.max);
	return 0;
}

static int build_requests(const struct rep_run *runs, size_t n,
			  struct table *t)
{
	unsigned int s, w;
	size_t i;
	int p, ret;

	table_init(t, "requests", "Requests to the servers per strategy and phase: rate, failures and latency from each request's due time, every cycle merged");
	run_col(t, n);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "workload", "server", TAB_STR);
	table_col(t, "phase", "phase", TAB_STR);
	table_col(t, "requests", "requests", TAB_INT);
	table_col(t, "rate_per_s", "req/s", TAB_INT);
	table_col(t, "errors", "errors", TAB_INT);
	table_col(t, "p50_ns", "p50", TAB_NS);
	table_col(t, "p99_ns", "p99", TAB_NS);
	table_col(t, "p99_9_ns", "p99.9", TAB_NS);
	table_col(t, "max_ns", "max", TAB_NS);
	for (i = 0; i < n; i++)
		for (s = 0; s < runs[i].nr_strat; s++)
			for (w = 0; w < runs[i].strat[s].nr_wl; w++) {
				const struct rep_strategy *st = &runs[i].strat[s];
				const struct rep_total *tot =
					rep_total(&runs[i], st->wl[w].name);

				if (!tot || !tot->requests)
					continue;
				for (p = 0; p < REP_PHASES; p++) {
					if (!st->wl[w].phase[p].present)
						continue;
					ret = request_row(t, &runs[i], n, st,
							  &st->wl[w], p);
					if (ret)
						return ret;
				}
			}
	return 0;
}

static int build_findings(const struct rep_run *runs, size_t n,
			  struct table *t)
{
	unsigned int k, c;
	size_t i;

	table_init(t, "findings", "Findings of bench compare: the difference of per-cycle medians (strategy - reference) with its 95% bootstrap CI; larger is worse for every metric");
	run_col(t, n);
	table_col(t, "metric", "metric", TAB_STR);
	table_col(t, "strategy", "strategy", TAB_STR);
	table_col(t, "reference", "against", TAB_STR);
	table_col(t, "n", "n", TAB_INT);
	table_col(t, "difference_ns", "difference", TAB_SNS);
	table_col(t, "ci_low_ns", "CI low", TAB_SNS);
	table_col(t, "ci_high_ns", "CI high", TAB_SNS);
	table_col(t, "verdict", "verdict", TAB_STR);
	for (i = 0; i < n; i++)
		for (k = 0; k < runs[i].nr_findings; k++) {
			const struct rep_finding *f = &runs[i].findings[k];
			struct tab_cell *row = row_start(t, &runs[i], n, &c);

			if (!row)
				return -ENOMEM;
			cell_str(&row[c++], f->metric);
			cell_str(&row[c++], f->strategy);
			cell_str(&row[c++], f->reference);
			cell_int(&row[c++], (int64_t)f->n);
			/* No CI below COMPARE_MIN_N: empty cells, not zeros. */
			if (!isnan(f->difference))
				cell_sns(&row[c], llround(f->difference));
			if (!isnan(f->ci_low) && !isnan(f->ci_high)) {
				cell_sns(&row[c + 1], llround(f->ci_low));
				cell_sns(&row[c + 2], llround(f->ci_high));
			}
			c += 3;
			cell_str(&row[c++], f->verdict);
		}
	return 0;
}

int report_build(enum report_table_id id, const struct rep_run *runs,
		 size_t n, struct table *t)
{
	switch (id) {
	case REPORT_RUNS:
		return build_runs(runs, n, t);
	case REPORT_LATENCY:
		return build_latency(runs, n, t);
	case REPORT_TRANSITIONS:
		return build_transitions(runs, n, t);
	case REPORT_STALLS:
		return build_stalls(runs, n, t);
	case REPORT_SWITCHES:
		return build_switches(runs, n, t);
	case REPORT_CHAINS:
		return build_chains(runs, n, t);
	case REPORT_CONSISTENCY:
		return build_consistency(runs, n, t);
	case REPORT_REQUESTS:
		return build_requests(runs, n, t);
	case REPORT_FINDINGS:
		return build_findings(runs, n, t);
	case REPORT_NR_TABLES:
		break;
	}
	return -EINVAL;
}
