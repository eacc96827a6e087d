// SPDX-License-Identifier: GPL-2.0
/*
 * report-macros.c - every number the paper quotes, as LaTeX macros made
 * from a results tree, so that no number in the text is typed in. The
 * paper's sentences are written so that they stay true whichever way the
 * numbers fall; where a comparison is stated, its wording is a macro too
 * (\kgStallVerdict...).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report/report.h"

const char *report_macro_name(const char *name, char *buf, size_t len)
{
	static const char *const digits[] = {
		"Zero", "One", "Two", "Three", "Four",
		"Five", "Six", "Seven", "Eight", "Nine",
	};
	bool up = true;
	size_t o = 0;

	for (; *name && o + 6 < len; name++) {
		if (isalpha((unsigned char)*name)) {
			buf[o++] = up ? (char)toupper((unsigned char)*name) :
					*name;
			up = false;
		} else if (isdigit((unsigned char)*name)) {
			o += (size_t)snprintf(buf + o, len - o, "%s",
					      digits[*name - '0']);
			up = true;
		} else {
			up = true;
		}
	}
	buf[o] = '\0';
	return buf;
}

static void def(FILE *f, const char *name, const char *suffix,
		const char *value)
{
	fprintf(f, "\\newcommand{\\kg%s%s}{%s}\n", name, suffix, value);
}

static void def_ns(FILE *f, const char *name, const char *suffix, bool have,
		   uint64_t ns)
{
	char buf[64];

	def(f, name, suffix, have ? tex_ns(ns, buf, sizeof(buf)) : "n/a");
}

static void def_u64(FILE *f, const char *name, const char *suffix,
		    uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	def(f, name, suffix, buf);
}

/* "1, 2 and 4" from the distinct values of @v (sorted ascending). */
static void def_list(FILE *f, const char *name, const unsigned int *v,
		     size_t n)
{
	unsigned int u[64];
	size_t nu = 0, i, k;
	char buf[512];
	size_t o = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < nu && u[k] != v[i]; k++)
			;
		if (k == nu && nu < 64)
			u[nu++] = v[i];
	}
	for (i = 1; i < nu; i++)
		for (k = i; k > 0 && u[k - 1] > u[k]; k--) {
			unsigned int x = u[k];

			u[k] = u[k - 1];
			u[k - 1] = x;
		}
	buf[0] = '\0';
	for (i = 0; i < nu && o + 32 < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
				      !i ? "" : i + 1 == nu ? " and " : ", ",
				      u[i]);
	def(f, name, "", nu ? buf : "n/a");
}

/* What one strategy did over every run that has it. */
struct agg {
	unsigned int runs;
	uint64_t cycles;
	bool have_apply, have_revert, have_stall, have_target;
	uint64_t apply_p50_min, apply_p50_max, apply_max;
	uint64_t revert_p50_min, revert_p50_max, revert_max;
	uint64_t stall_apply, stall_base;	/* largest gaps */
	uint64_t lost_apply, lost_base, dur_apply, dur_base;
	uint64_t target_p99_apply, target_p99_base;
	int64_t switches;
	double coverage[REP_MAX_COVERAGE];	/* stall coverage per apply */
	unsigned int nr_coverage;
};

static void upd_min(uint64_t *m, uint64_t v, bool first)
{
	if (first || v < *m)
		*m = v;
}

static void upd_max(uint64_t *m, uint64_t v)
{
	if (v > *m)
		*m = v;
}

static void aggregate(const struct rep_run *runs, size_t n, const char *name,
		      struct agg *a)
{
	size_t i;
	unsigned int k;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		const struct rep_strategy *s = rep_strategy(&runs[i], name);
		const struct rep_workload *tw;
		const struct rep_phase *pa, *pb;

		if (!s)
			continue;
		a->runs++;
		a->cycles += s->cycles_done;
		for (k = 0; k < s->nr_paths; k++)
			a->switches += s->switches[k];
		if (s->apply.present && s->apply.count) {
			upd_min(&a->apply_p50_min, s->apply.p50,
				!a->have_apply);
			upd_max(&a->apply_p50_max, s->apply.p50);
			upd_max(&a->apply_max, s->apply.max);
			a->have_apply = true;
		}
		if (s->revert.present && s->revert.count) {
			upd_min(&a->revert_p50_min, s->revert.p50,
				!a->have_revert);
			upd_max(&a->revert_p50_max, s->revert.p50);
			upd_max(&a->revert_max, s->revert.max);
			a->have_revert = true;
		}
		pa = rep_stall(s, 1);
		pb = rep_stall(s, 0);
		if (pa && pb) {
			a->have_stall = true;
			upd_max(&a->stall_apply, pa->largest_gap_ns);
			upd_max(&a->stall_base, pb->largest_gap_ns);
			a->lost_apply += pa->lost_ns;
			a->lost_base += pb->lost_ns;
			a->dur_apply += pa->duration_ns;
			a->dur_base += pb->duration_ns;
		}
		for (k = 0; k < s->nr_coverage &&
		     a->nr_coverage < REP_MAX_COVERAGE; k++)
			a->coverage[a->nr_coverage++] = s->coverage[k];
		tw = rep_workload(s, "target");
		if (tw && tw->phase[0].lat.count && tw->phase[1].lat.count) {
			a->have_target = true;
			upd_max(&a->target_p99_apply, tw->phase[1].lat.p99);
			upd_max(&a->target_p99_base, tw->phase[0].lat.p99);
		}
	}
}

static void def_pct(FILE *f, const char *name, const char *suffix, bool have,
		    uint64_t part, uint64_t whole)
{
	char buf[32];

	if (!have || !whole) {
		def(f, name, suffix, "n/a");
		return;
	}
	snprintf(buf, sizeof(buf), "%.1f\\,\\%%", 100.0 * part / whole);
	def(f, name, suffix, buf);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/*
 * The stall coverage of the applies: how many, the least and the median
 * (the lower one) of the machine-wide stall over the stopped time.
 */
static void coverage_macros(FILE *f, const char *m, struct agg *a)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u", a->nr_coverage);
	def(f, "CoverageN", m, buf);
	if (!a->nr_coverage) {
		def(f, "CoverageMin", m, "n/a");
		def(f, "CoverageMedian", m, "n/a");
		return;
	}
	qsort(a->coverage, a->nr_coverage, sizeof(a->coverage[0]),
	      cmp_double);
	snprintf(buf, sizeof(buf), "%.2f", a->coverage[0]);
	def(f, "CoverageMin", m, buf);
	snprintf(buf, sizeof(buf), "%.2f", a->coverage[(a->nr_coverage - 1) / 2]);
	def(f, "CoverageMedian", m, buf);
}

static void strategy_macros(const struct rep_run *runs, size_t n,
			    const char *name, FILE *f)
{
	char m[64], buf[128];
	struct agg a;

	aggregate(runs, n, name, &a);
	report_macro_name(name, m, sizeof(m));
	def(f, "Name", m, tex_escape(name, buf, sizeof(buf)));
	def_u64(f, "Runs", m, a.runs);
	def_u64(f, "Cycles", m, a.cycles);
	def_ns(f, "ApplyMedianMin", m, a.have_apply, a.apply_p50_min);
	def_ns(f, "ApplyMedianMax", m, a.have_apply, a.apply_p50_max);
	def_ns(f, "ApplyMax", m, a.have_apply, a.apply_max);
	def_ns(f, "RevertMedianMin", m, a.have_revert, a.revert_p50_min);
	def_ns(f, "RevertMedianMax", m, a.have_revert, a.revert_p50_max);
	def_ns(f, "RevertMax", m, a.have_revert, a.revert_max);
	def_ns(f, "StallApply", m, a.have_stall, a.stall_apply);
	def_ns(f, "StallBaseline", m, a.have_stall, a.stall_base);
	def(f, "StallVerdict", m, !a.have_stall ? "n/a" :
	    a.stall_apply > a.stall_base ? "longer than" : "no longer than");
	def_pct(f, "LostApply", m, a.have_stall, a.lost_apply, a.dur_apply);
	def_pct(f, "LostBaseline", m, a.have_stall, a.lost_base, a.dur_base);
	def_ns(f, "TargetPNinetyNineApply", m, a.have_target,
	       a.target_p99_apply);
	def_ns(f, "TargetPNinetyNineBaseline", m, a.have_target,
	       a.target_p99_base);
	snprintf(buf, sizeof(buf), "%lld", (long long)a.switches);
	def(f, "Switches", m, buf);
	coverage_macros(f, m, &a);
}

void report_tex_macros(const struct rep_run *runs, size_t n, FILE *f)
{
	const char *names[REP_MAX_STRAT * 8];
	unsigned int cpus[256] = { 0 }, tasks[256] = { 0 };
	size_t i, nn = 0, complete = 0, nc = 0;
	uint64_t mixed = 0, target_ops = 0, cycles = 0;
	unsigned int s, k;
	char buf[512], list[512] = "";
	const struct rep_run *first = n ? &runs[0] : NULL;

	fprintf(f, "%% generated by bench report --format=tex-macros; do not edit\n");
	for (i = 0; i < n; i++) {
		const struct rep_run *r = &runs[i];

		complete += !strcmp(r->status, "complete");
		cycles += r->cycles_done;
		if (nc < 256) {
			cpus[nc] = r->cpus;
			tasks[nc++] = r->tasks;
		}
		for (k = 0; k < r->nr_totals; k++) {
			mixed += r->totals[k].mixed;
			if (!strcmp(r->totals[k].name, "target"))
				target_ops += r->totals[k].ops;
		}
		for (s = 0; s < r->nr_strat; s++) {
			size_t j;

			for (j = 0; j < nn; j++)
				if (!strcmp(names[j], r->strat[s].name))
					break;
			if (j == nn && nn < sizeof(names) / sizeof(names[0]))
				names[nn++] = r->strat[s].name;
		}
	}
	def_u64(f, "Runs", "", n);
	def_u64(f, "RunsComplete", "", complete);
	def_u64(f, "CyclesAll", "", cycles);
	def_list(f, "CpusList", cpus, nc);
	def_list(f, "TasksList", tasks, nc);
	for (i = 0; i < nn; i++) {
		size_t o = strlen(list);
		char e[128];

		snprintf(list + o, sizeof(list) - o, "%s%s",
			 !i ? "" : i + 1 == nn ? " and " : ", ",
			 tex_escape(names[i], e, sizeof(e)));
	}
	def(f, "StrategyList", "", nn ? list : "n/a");
	def_u64(f, "NrStrategies", "", nn);
	def_u64(f, "MixedChains", "", mixed);
	def_u64(f, "TargetOps", "", target_ops);
	def(f, "Kernel", "", first ? tex_escape(first->kernel, buf,
						 sizeof(buf)) : "n/a");
	def(f, "CpuModel", "", first ? tex_escape(first->cpu_model, buf,
						   sizeof(buf)) : "n/a");
	def(f, "Accel", "", first ? tex_escape(first->accelerator, buf,
						sizeof(buf)) : "n/a");
	def(f, "Emulated", "", first && first->emulated ? "emulated" :
	    "not emulated");
	def(f, "Revision", "", first ? tex_escape(first->revision, buf,
						   sizeof(buf)) : "n/a");
	def(f, "Patch", "", first ? tex_escape(first->patch, buf,
						sizeof(buf)) : "n/a");
	for (i = 0; i < nn; i++)
		strategy_macros(runs, n, names[i], f);
	/* The paper defines \strategysummary{Name}: one paragraph each. */
	fprintf(f, "\\newcommand{\\kgForEachStrategy}{");
	for (i = 0; i < nn; i++)
		fprintf(f, "\\strategysummary{%s}",
			report_macro_name(names[i], buf, sizeof(buf)));
	fprintf(f, "}\n");
}
