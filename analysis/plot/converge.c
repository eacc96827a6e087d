// SPDX-License-Identifier: GPL-2.0
/*
 * converge.c - the convergence figure: tasks still to switch against the
 * time since the write to enabled, one apply per strategy (the one of
 * median length among the run's complete applies), from convergence.json.
 * Each curve starts at the kernel's own start of the transition with every
 * task pending and ends at its own end with none; between, the samples of
 * the patch's progress file. A strategy that switches every task in one
 * stop counts them all until the stop and draws as one step.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/plot/plot.h"
#include "lib/json.h"
#include "lib/results.h"

/* The first run with convergence.json, and its tree; NULL if none. */
static const struct rep_run *find_run(const struct plot_ctx *ctx,
				      json_t **conv)
{
	char err[256];
	size_t i;

	for (i = 0; i < ctx->nruns; i++)
		if (ctx->runs[i].has_summary &&
		    !results_load_json(ctx->runs[i].dir, "convergence.json",
				       conv, err, sizeof(err)))
			return &ctx->runs[i];
	return NULL;
}

static int cmp_settled(const void *a, const void *b)
{
	uint64_t x = json_u64_or_0(*(json_t *const *)a, "settled_ns");
	uint64_t y = json_u64_or_0(*(json_t *const *)b, "settled_ns");

	return (x > y) - (x < y);
}

/*
 * Strategy @s's apply of median length (the lower median), among those
 * with both kernel bounds; NULL if none. *@n says how many there were.
 */
static json_t *median_apply(json_t *tr, const char *s, size_t *n)
{
	json_t **v = calloc(json_array_size(tr) + 1, sizeof(*v));
	json_t *e, *pick = NULL;
	size_t i;

	*n = 0;
	if (!v)
		return NULL;
	json_array_foreach(tr, i, e) {
		const char *st = json_string_value(json_object_get(e, "strategy"));
		const char *ph = json_string_value(json_object_get(e, "phase"));

		if (st && ph && !strcmp(st, s) && !strcmp(ph, "apply") &&
		    !json_is_true(json_object_get(e, "refused")) &&
		    json_object_get(e, "start_ns") &&
		    json_object_get(e, "end_ns"))
			v[(*n)++] = e;
	}
	if (*n) {
		qsort(v, *n, sizeof(*v), cmp_settled);
		pick = v[(*n - 1) / 2];
	}
	free(v);
	return pick;
}

/* One series: start, samples, end; ms since the write. Least x > 0 out. */
static void write_block(FILE *dat, const char *s, const json_t *e, size_t n,
			double *min_x)
{
	double start = json_u64_or_0(e, "start_ns") / 1e6;
	double end = json_u64_or_0(e, "end_ns") / 1e6;
	json_int_t tasks = json_integer_value(json_object_get(e,
							      "tasks_at_start"));
	json_t *smp = json_object_get(e, "samples"), *p;
	size_t i;

	fprintf(dat, "# %s: apply of cycle %lld (median length of %zu), %lld tasks at start\n",
		s, (long long)json_integer_value(json_object_get(e, "cycle")),
		n, (long long)tasks);
	fprintf(dat, "%.4f %lld\n", start, (long long)tasks);
	if (start > 0 && start < *min_x)
		*min_x = start;
	json_array_foreach(smp, i, p) {
		double t = json_integer_value(json_array_get(p, 0)) / 1e6;

		if (t > start && t < end)
			fprintf(dat, "%.4f %lld\n", t, (long long)
				json_integer_value(json_array_get(p, 1)));
	}
	fprintf(dat, "%.4f 0\n\n\n", end);
}

/* The axes: log x from a little below the first point, pending from 0. */
static void write_axes(FILE *gp, double min_x, double max_x)
{
	fprintf(gp,
		"set logscale x\n"
		"set xrange [%g:%g]\n"
		"set yrange [0:*]\n"
		"set xlabel \"time since the write to enabled (ms)\"\n"
		"set ylabel \"tasks still to switch\"\n"
		"set key top right\n",
		min_x / 1.5, max_x * 1.5);
}

void plot_convergence(struct plot_ctx *ctx)
{
	static const char name[] = "convergence";
	json_t *pick[PLOT_MAX_SERIES], *conv = NULL, *tr;
	const struct rep_run *r = find_run(ctx, &conv);
	const char *who[PLOT_MAX_SERIES];
	size_t cnt[PLOT_MAX_SERIES];
	double min_x = 1e12, max_x = 0;
	unsigned int s, i, nse = 0;
	char caption[768];
	FILE *dat, *gp;

	if (!r) {
		plot_skip(ctx, name, "no run has convergence.json (bench run samples it unless --pending-interval 0)");
		return;
	}
	tr = json_object_get(conv, "transitions");
	for (s = 0; s < r->nr_strat && nse < PLOT_MAX_SERIES; s++) {
		pick[nse] = median_apply(tr, r->strat[s].name, &cnt[nse]);
		who[nse] = r->strat[s].name;
		if (pick[nse])
			nse++;
	}
	if (!nse) {
		plot_skip(ctx, name, "%s/convergence.json holds no complete apply with the kernel's start and end",
			  r->label);
		json_decref(conv);
		return;
	}
	if (plot_open_both(ctx, name, &dat, &gp)) {
		json_decref(conv);
		return;
	}
	fprintf(dat, "# ms since the write to enabled, tasks still to switch; from %s/convergence.json\n",
		r->label);
	for (i = 0; i < nse; i++) {
		double end = json_u64_or_0(pick[i], "end_ns") / 1e6;

		write_block(dat, who[i], pick[i], cnt[i], &min_x);
		if (end > max_x)
			max_x = end;
	}
	plot_style(gp, name);
	write_axes(gp, min_x < max_x ? min_x : max_x / 10, max_x);
	for (i = 0; i < nse; i++)
		fprintf(gp, "%s\"%s.dat\" index %u using 1:2 with steps ls %u title \"%s\" noenhanced",
			i ? ", \\\n     " : "plot ", name, i,
			PLOT_HEADLINE_STYLE + i, who[i]);
	fprintf(gp, "\n");
	snprintf(caption, sizeof(caption),
		 "Tasks still to switch against the time since the write to enabled (log scale), in each strategy's apply of median length in run %s: from the kernel's start of the transition (every task pending) to its end, sampled from the patch's progress file every %.0f ms between; a strategy that switches all tasks in one stop draws one step",
		 r->label, json_u64_or_0(conv, "interval_ns") / 1e6);
	json_decref(conv);
	plot_finish(ctx, name, dat, gp, NULL, caption);
}
