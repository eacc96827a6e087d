// SPDX-License-Identifier: GPL-2.0
/*
 * The run's summary by strategy: summary.json (transitions, task
 * switches, the kernel's stats, each workload by phase, stalls, probes) and
 * the same as a readable table on stdout.
 */
#include <stdio.h>
#include <string.h>

#include "bench/run/internal.h"
#include "bench/run/kpaths.h"
#include "bench/run/kstats.h"
#include "bench/run/patchctl.h"
#include "lib/results.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

/* Stall gaps above the threshold by (strategy, phase): count, lost, max. */
struct gap_sum {
	uint64_t count, lost, max;
};

static void stall_by_phase(const struct run *r, const struct workload *w,
			   struct gap_sum *g)
{
	unsigned int i, k;
	size_t n;

	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];

		for (n = 0; n < t->nr_gaps; n++) {
			int p = run_phase_at(r, t->gaps[n].t_ns, &k);
			struct gap_sum *s;

			if (p < 0 || k >= r->done)
				continue;
			s = &g[r->cyc[k].strategy * RUN_NR_PHASES + p];
			s->count++;
			s->lost += t->gaps[n].len_ns;
			if (t->gaps[n].len_ns > s->max)
				s->max = t->gaps[n].len_ns;
		}
	}
}

/* Failed operations (or mixed chains) of strategy @s's cycles in phase @p. */
static uint64_t phase_count(const struct run *r, const struct workload *w,
			    unsigned int s, int p, bool mixed)
{
	uint64_t sum = 0;
	unsigned int k, t;

	for (k = 0; k < r->nr_cyc && r->cyc[k].t_apply; k++) {
		if (r->cyc[k].strategy != s)
			continue;
		for (t = 0; t < w->nr; t++) {
			const struct wl_slot *sl =
				&w->th[t].slots[k * RUN_NR_PHASES + p];

			sum += mixed ? sl->mixed : sl->errors;
		}
	}
	return sum;
}

static void phase_hist(const struct workload *w, int idx, struct hist *h)
{
	unsigned int i;

	hist_init(h);
	for (i = 0; i < w->nr; i++)
		hist_merge(h, &w->th[i].phase[idx]);
}

static void summary_workload_json(const struct run *r, unsigned int s,
				  const struct workload *w, struct json *j,
				  const uint64_t *dur)
{
	struct gap_sum g[RUN_MAX_STRATEGIES * RUN_NR_PHASES] = { { 0 } };
	bool stall = !strcmp(w->ops->name, "stall");
	struct hist h;
	int p;

	if (stall)
		stall_by_phase(r, w, g);
	json_obj_begin(j, w->ops->name);
	for (p = 0; p < RUN_NR_PHASES; p++) {
		const struct gap_sum *gs = &g[s * RUN_NR_PHASES + p];

		json_obj_begin(j, run_phase_name(p));
		phase_hist(w, s * RUN_NR_PHASES + p, &h);
		hist_json(&h, j, "latency_ns");
		json_u64(j, "duration_ns", dur[p]);
		json_u64(j, "errors", phase_count(r, w, s, p, false));
		if (!strcmp(w->ops->name, "target"))
			json_u64(j, "mixed", phase_count(r, w, s, p, true));
		if (stall) {
			json_u64(j, "gaps_over_threshold", gs->count);
			json_u64(j, "lost_ns", gs->lost);
			json_u64(j, "largest_gap_ns", gs->max);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* Sum one stat over a strategy's completed transitions. */
static long long stat_sum(const struct run *r, unsigned int s, const char *key)
{
	long long sum = 0;
	unsigned int k;

	for (k = 0; k < r->done; k++) {
		const struct cycle *c = &r->cyc[k];

		if (c->strategy != s)
			continue;
		sum += patch_stat_get(c->apply_st, c->apply_nst, key, 0);
		sum += patch_stat_get(c->revert_st, c->revert_nst, key, 0);
	}
	return sum;
}

/* The kernel's stats of a strategy's completed applies or reverts, summed. */
static void kernel_stats(const struct run *r, unsigned int s, bool apply,
			 struct kstats *ks)
{
	unsigned int k;

	kstats_init(ks);
	for (k = 0; k < r->done; k++) {
		const struct cycle *c = &r->cyc[k];

		/* A refused apply has no revert. */
		if (c->strategy != s || (!apply && c->refused))
			continue;
		if (apply)
			kstats_add(ks, c->apply_st, c->apply_nst);
		else
			kstats_add(ks, c->revert_st, c->revert_nst);
	}
}

/* How many of strategy @s's applies were refused. */
static unsigned int refused(const struct run *r, unsigned int s)
{
	unsigned int k, n = 0;

	for (k = 0; k < r->done; k++)
		n += r->cyc[k].strategy == s && r->cyc[k].refused;
	return n;
}

static void transition_hist(const struct run *r, unsigned int s, bool apply,
			    struct hist *h)
{
	unsigned int k;

	hist_init(h);
	for (k = 0; k < r->done; k++) {
		const struct cycle *c = &r->cyc[k];

		/* A refused apply is counted apart, not as a transition. */
		if (c->strategy == s && !c->refused)
			hist_record(h, apply ? c->t_applied - c->t_apply :
				    c->t_reverted - c->t_revert);
	}
}

static void summary_strategy_json(const struct run *r, unsigned int s,
				  struct json *j)
{
	uint64_t dur[RUN_NR_PHASES] = { 0 }, d[RUN_NR_PHASES];
	char key[64];
	unsigned int i, k, done = 0;
	struct kstats ks;
	struct hist h;
	size_t n;
	int p;

	for (k = 0; k < r->done; k++) {
		if (r->cyc[k].strategy != s)
			continue;
		done++;
		run_cycle_durations(&r->cyc[k], d);
		for (p = 0; p < RUN_NR_PHASES; p++)
			dur[p] += d[p];
	}
	json_obj_begin(j, r->rc->strategies[s]);
	json_u64(j, "cycles_done", done);
	json_u64(j, "applies_refused", refused(r, s));
	json_obj_begin(j, "module_params");
	for (p = 0; p < r->nr_params[s]; p++)
		json_str(j, r->params[s][p].name, r->params[s][p].value);
	json_obj_end(j);
	json_obj_begin(j, "transitions");
	transition_hist(r, s, true, &h);
	hist_json(&h, j, "apply_ns");
	transition_hist(r, s, false, &h);
	hist_json(&h, j, "revert_ns");
	json_obj_end(j);
	json_obj_begin(j, "task_switches");
	for (n = 0; n < kpaths_nr(); n++) {
		snprintf(key, sizeof(key), "switched_%s", kpaths_name(n));
		json_i64(j, kpaths_name(n), stat_sum(r, s, key));
	}
	json_obj_end(j);
	json_obj_begin(j, "kernel");
	kernel_stats(r, s, true, &ks);
	kstats_json(&ks, j, "apply");
	kernel_stats(r, s, false, &ks);
	kstats_json(&ks, j, "revert");
	json_obj_end(j);
	json_obj_begin(j, "workloads");
	for (i = 0; i < r->rc->nr_workloads; i++)
		if (r->wl[i])
			summary_workload_json(r, s, r->wl[i], j, dur);
	json_obj_end(j);
	run_stall_summary(r, s, j, NULL);
	run_probes_strategy_json(&r->rp, s, j);
	json_obj_end(j);
}

void run_write_summary(struct run *r, const char *status)
{
	const struct run_config *rc = r->rc;
	FILE *f = results_open(&r->res, "summary.json");
	uint64_t ops, missed, mixed, errors;
	struct json j;
	struct hist h;
	unsigned int i, s;

	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "status", status);
	json_str(&j, "patch", rc->patch);
	json_u64(&j, "cycles_planned", r->nr_cyc);
	json_u64(&j, "cycles_done", r->done);
	json_obj_begin(&j, "workloads");
	for (i = 0; i < rc->nr_workloads; i++) {
		if (!r->wl[i])
			continue;
		workload_total(r->wl[i], &h, &ops, &missed, &mixed, &errors);
		json_obj_begin(&j, r->wl[i]->ops->name);
		json_u64(&j, "ops", ops);
		json_u64(&j, "missed", missed);
		json_u64(&j, "mixed", mixed);
		json_u64(&j, "errors", errors);
		json_bool(&j, "requests", r->wl[i]->ops->requests);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	run_probes_status_json(&r->rp, &j);
	json_obj_begin(&j, "strategies");
	for (s = 0; s < rc->nr_strategies; s++)
		summary_strategy_json(r, s, &j);
	json_obj_end(&j);
	json_obj_end(&j);
	fputc('\n', f);
	results_close(&r->res, "summary.json", f);
}

/* "-" for a phase that saw nothing, else the shared format. */
static void phase_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns)
		fmt_ns(buf, len, ns);
	else
		snprintf(buf, len, "-");
}

/* The readable table: per strategy, transitions, then workload x phase. */
void run_print_summary(struct run *r, FILE *f)
{
	static const double pcts[] = { 50, 99, 99.9 };
	const struct run_config *rc = r->rc;
	char b[4][32];
	unsigned int i, s;
	struct kstats ks;
	struct hist h;
	int p;

	fprintf(f, "\nbench run: patch %s, %u/%u cycles\n", rc->patch, r->done,
		r->nr_cyc);
	for (s = 0; s < rc->nr_strategies; s++) {
		transition_hist(r, s, true, &h);
		phase_ns(b[0], 32, hist_percentile(&h, 50));
		phase_ns(b[1], 32, h.max);
		transition_hist(r, s, false, &h);
		phase_ns(b[2], 32, hist_percentile(&h, 50));
		phase_ns(b[3], 32, h.max);
		fprintf(f, "\n%s: apply p50 %s max %s; revert p50 %s max %s\n",
			rc->strategies[s], b[0], b[1], b[2], b[3]);
		if (refused(r, s))
			fprintf(f, "  %u applies refused (a task stayed inside the patch)\n",
				refused(r, s));
		kernel_stats(r, s, true, &ks);
		kstats_print(&ks, "apply:", f);
		kernel_stats(r, s, false, &ks);
		kstats_print(&ks, "revert:", f);
		fprintf(f, "  %-10s %-9s %12s %9s %9s %9s %9s\n", "workload",
			"phase", "ops", "p50", "p99", "p99.9", "max");
		for (i = 0; i < rc->nr_workloads; i++) {
			const struct workload *w = r->wl[i];

			if (!w)
				continue;
			for (p = 0; p < RUN_NR_PHASES; p++) {
				size_t k;

				phase_hist(w, s * RUN_NR_PHASES + p, &h);
				for (k = 0; k < 3; k++)
					phase_ns(b[k], 32,
					       hist_percentile(&h, pcts[k]));
				phase_ns(b[3], 32, h.count ? h.max : 0);
				fprintf(f, "  %-10s %-9s %12llu %9s %9s %9s %9s\n",
					w->ops->name, run_phase_name(p),
					(unsigned long long)h.count, b[0], b[1],
					b[2], b[3]);
			}
		}
		for (i = 0; i < rc->nr_workloads; i++) {
			const struct workload *w = r->wl[i];

			if (!w || strcmp(w->ops->name, "target"))
				continue;
			fprintf(f, "  mixed chains:");
			for (p = 0; p < RUN_NR_PHASES; p++)
				fprintf(f, " %s %llu", run_phase_name(p),
					(unsigned long long)
					phase_count(r, w, s, p, true));
			fprintf(f, "\n");
		}
		run_stall_summary(r, s, NULL, f);
		run_probes_print(&r->rp, s, f);
	}
	for (i = 0; i < rc->nr_workloads; i++) {
		uint64_t ops, missed, mixed, errors;

		if (!r->wl[i] || strcmp(r->wl[i]->ops->name, "target"))
			continue;
		workload_total(r->wl[i], &h, &ops, &missed, &mixed, &errors);
		fprintf(f, "\nmixed chains: %llu of %llu calls checked\n",
			(unsigned long long)mixed, (unsigned long long)ops);
	}
}
