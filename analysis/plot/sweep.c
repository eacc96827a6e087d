// SPDX-License-Identifier: GPL-2.0
/*
 * sweep.c - the headline figures across runs (a sweep): per vCPU count, a
 * per-cycle metric of the apply transition against the number of tasks
 * asleep outside the patch, one series per strategy. Each point is the
 * median over the run's cycles with its 95% bootstrap CI (from
 * COMPARE_MIN_N cycles, as bench compare; a bare median below). At most
 * PLOT_MAX_SERIES series a figure, told apart by point shape and dash as
 * well as colour, so that a figure reads in greyscale at column width.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/finding.h"
#include "analysis/plot/plot.h"
#include "analysis/stats/bootstrap.h"
#include "lib/results.h"

struct headline {
	const char *name;	/* the figure's, before -cpus<N> */
	const char *path;	/* in each cycles.json entry, ns */
	const char *ylabel;
	const char *what;	/* the caption's subject */
	const char *missing;	/* what a run lacks when it has no values */
	bool can_be_negative;	/* an excess over a baseline: no floor at 0 */
};

static const struct headline headlines[] = {
	{ "excess-stall-vs-tasks", "workloads.stall.apply.excess_lost_ns",
	  "excess stall per apply (ms)",
	  "Time the stall detector lost during an apply transition beyond the same boot's baseline rate (excess lost time)",
	  "the stall workload's excess lost time per apply (workloads.stall.apply.excess_lost_ns in cycles.json)",
	  true },
	{ "transition-vs-tasks", "duration_ns.apply", "apply transition (ms)",
	  "Apply transition time", "transition times", false },
};

struct point {
	unsigned int tasks;
	double median, lo, hi;	/* ns; lo = hi = median without a CI */
	size_t n;
	const char *run;
};

/* Each run's cycles.json, loaded once for every figure; NULL if none. */
static json_t **load_cycles(const struct plot_ctx *ctx)
{
	json_t **cyc = calloc(ctx->nruns + 1, sizeof(*cyc));
	char err[256];
	size_t i;

	for (i = 0; cyc && i < ctx->nruns; i++)
		if (ctx->runs[i].has_summary &&
		    results_load_json(ctx->runs[i].dir, "cycles.json", &cyc[i],
				      err, sizeof(err)))
			cyc[i] = NULL;
	return cyc;
}

static void free_cycles(const struct plot_ctx *ctx, json_t **cyc)
{
	size_t i;

	for (i = 0; cyc && i < ctx->nruns; i++)
		json_decref(cyc[i]);
	free(cyc);
}

/* Strategy @s's values of @path in one run, as a point; false if none. */
static bool run_point(const json_t *cycles, const char *s, const char *path,
		      struct point *p)
{
	struct bootstrap_opts bo = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50,
		.resamples = COMPARE_RESAMPLES,
		.confidence = COMPARE_CONFIDENCE, .seed = 1,
	};
	size_t cap = json_array_size(cycles) + 1;
	double *v = malloc(cap * sizeof(*v));
	struct bootstrap_ci ci;

	p->n = v ? compare_gather(cycles, s, path, v, cap) : 0;
	if (!p->n) {
		free(v);
		return false;
	}
	p->median = p->lo = p->hi = compare_median(v, p->n);
	if (p->n >= COMPARE_MIN_N && !bootstrap_ci(v, p->n, &bo, &ci)) {
		p->lo = ci.lo;
		p->hi = ci.hi;
	}
	free(v);
	return true;
}

static int cmp_tasks(const void *a, const void *b)
{
	const struct point *p = a, *q = b;

	return (p->tasks > q->tasks) - (p->tasks < q->tasks);
}

/* Every strategy's points at @cpus vCPUs, sorted by tasks; counted. */
struct series {
	const char *strategy;
	struct point *pt;
	size_t n;
};

static size_t gather(const struct plot_ctx *ctx, json_t *const *cyc,
		     const struct headline *h, unsigned int cpus,
		     struct series *se, size_t max)
{
	size_t i, k, nse = 0;
	unsigned int s;

	for (i = 0; i < ctx->nruns; i++) {
		const struct rep_run *r = &ctx->runs[i];

		if (!cyc[i] || r->cpus != cpus)
			continue;
		for (s = 0; s < r->nr_strat; s++) {
			struct point p = { .tasks = r->tasks, .run = r->label };

			if (!run_point(cyc[i], r->strat[s].name, h->path, &p))
				continue;
			for (k = 0; k < nse &&
			     strcmp(se[k].strategy, r->strat[s].name); k++)
				;
			if (k == nse) {
				if (nse == max) {
					fprintf(stderr, "bench plot: %s: more than %zu strategies; %s left out\n",
						h->name, max, r->strat[s].name);
					continue;
				}
				se[nse].strategy = r->strat[s].name;
				se[nse].pt = calloc(ctx->nruns, sizeof(p));
				se[nse++].n = 0;
			}
			if (se[k].pt)
				se[k].pt[se[k].n++] = p;
		}
	}
	for (k = 0; k < nse; k++)
		if (se[k].pt)
			qsort(se[k].pt, se[k].n, sizeof(*se[k].pt), cmp_tasks);
	return nse;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

/* The distinct task counts over the series, ascending, in @seen. */
static unsigned int task_counts(const struct series *se, size_t nse,
				unsigned int *seen, unsigned int max)
{
	unsigned int n = 0, k;
	size_t i, j;

	for (i = 0; i < nse; i++)
		for (j = 0; j < se[i].n; j++) {
			unsigned int t = se[i].pt[j].tasks;

			for (k = 0; k < n && seen[k] != t; k++)
				;
			if (k == n && n < max)
				seen[n++] = t;
		}
	qsort(seen, n, sizeof(*seen), cmp_uint);
	return n;
}

/*
 * The data blocks and the plot command. x is logarithmic with a tic at
 * each task count: 0 tasks sit a decade below the least other count; the
 * series are nudged apart so that their bars do not hide each other.
 */
static void write_figure(FILE *dat, FILE *gp, const char *name,
			 const struct series *se, size_t nse,
			 const unsigned int *tasks, unsigned int ntasks)
{
	double zero = tasks[0] ? 0 : tasks[1] / 10.0;
	size_t i, j;

	fprintf(dat, "# tasks, x drawn at, median (ms), CI low (ms), CI high (ms), cycles, run\n");
	fprintf(gp, "set logscale x\nset xlabel \"tasks asleep outside the patch\"\n");
	fprintf(gp, "set xrange [%g:%g]\nset xtics (", (zero ? zero : tasks[0]) / 1.6,
		tasks[ntasks - 1] * 1.6);
	for (i = 0; i < ntasks; i++)
		fprintf(gp, "%s\"%u\" %g", i ? ", " : "", tasks[i],
			tasks[i] ? tasks[i] : zero);
	fprintf(gp, ")\n");
	for (i = 0; i < nse; i++) {
		double nudge = 1 + 0.05 * ((double)i - (nse - 1) / 2.0);

		fprintf(dat, "# block %zu: %s\n", i, se[i].strategy);
		for (j = 0; j < se[i].n; j++) {
			const struct point *p = &se[i].pt[j];

			fprintf(dat, "%u %g %.4f %.4f %.4f %zu %s\n", p->tasks,
				(p->tasks ? p->tasks : zero) * nudge,
				p->median / 1e6, p->lo / 1e6, p->hi / 1e6,
				p->n, p->run);
		}
		fprintf(dat, "\n\n");
		fprintf(gp, "%s\"%s.dat\" index %zu using 2:3:4:5 with yerrorlines ls %zu title \"%s\" noenhanced",
			i ? ", \\\n     " : "plot ", name, i,
			PLOT_HEADLINE_STYLE + i, se[i].strategy);
	}
	fprintf(gp, "\n");
}

static void one(struct plot_ctx *ctx, json_t *const *cyc,
		const struct headline *h, unsigned int cpus)
{
	struct series se[PLOT_MAX_SERIES] = { { 0 } };
	unsigned int tasks[64], distinct;
	char name[96], caption[512];
	FILE *dat, *gp = NULL;
	size_t nse, i;

	snprintf(name, sizeof(name), "%s-cpus%u", h->name, cpus);
	nse = gather(ctx, cyc, h, cpus, se, PLOT_MAX_SERIES);
	distinct = task_counts(se, nse, tasks, 64);
	if (!nse) {
		plot_skip(ctx, name, "no run at %u vCPUs has %s", cpus,
			  h->missing);
		goto out;
	}
	if (distinct < 2) {
		plot_skip(ctx, name, "needs runs at %u vCPUs with at least two task counts (a sweep over --tasks); found %u",
			  cpus, distinct);
		goto out;
	}
	if (plot_open_both(ctx, name, &dat, &gp))
		goto out;
	plot_style(gp, name);
	fprintf(gp, "set ylabel \"%s\"\n%s\n", h->ylabel, h->can_be_negative ?
		"set xzeroaxis lt -1 lw 0.5" : "set yrange [0:*]");
	write_figure(dat, gp, name, se, nse, tasks, distinct);
	snprintf(caption, sizeof(caption),
		 "%s against the tasks asleep outside the patch, %u vCPUs: median per cycle with its 95%% bootstrap CI (bars, from %d cycles)",
		 h->what, cpus, COMPARE_MIN_N);
	plot_finish(ctx, name, dat, gp, NULL, caption);
out:
	for (i = 0; i < nse; i++)
		free(se[i].pt);
}

void plot_sweep(struct plot_ctx *ctx)
{
	unsigned int cpus[64], ncpus = 0, k;
	json_t **cyc = load_cycles(ctx);
	size_t i, h;

	if (!cyc) {
		ctx->failed++;
		return;
	}
	for (i = 0; i < ctx->nruns; i++) {
		unsigned int c = ctx->runs[i].cpus;

		for (k = 0; k < ncpus && cpus[k] != c; k++)
			;
		if (c && k == ncpus && ncpus < 64)
			cpus[ncpus++] = c;
	}
	qsort(cpus, ncpus, sizeof(cpus[0]), cmp_uint);
	for (h = 0; h < sizeof(headlines) / sizeof(headlines[0]); h++) {
		if (!ncpus)
			plot_skip(ctx, headlines[h].name,
				  "no run says how many vCPUs it had");
		for (k = 0; k < ncpus; k++)
			one(ctx, cyc, &headlines[h], cpus[k]);
	}
	free_cycles(ctx, cyc);
}
