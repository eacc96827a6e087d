// SPDX-License-Identifier: GPL-2.0
/*
 * plot-dist.c - latency distributions per workload from one run's
 * (plot_detail_run()) summary.json histograms: a percentile curve (x: 1 / (1 - q) on a log
 * scale, HdrHistogram's view, so the tail gets the room) and a CDF, one
 * line per strategy and phase. Colour is the phase, dash the strategy.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/plot/plot.h"
#include "lib/results.h"
#include "lib/hist.h"

struct bucket {
	uint64_t lo, n;
};

static int cmp_bucket(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * One histogram as a block: value (µs, each bucket's upper bound capped at
 * the maximum seen), cumulative fraction, 1 / (1 - q). The number of rows.
 */
static size_t write_hist(FILE *dat, const json_t *h)
{
	json_t *b = json_object_get(h, "buckets"), *c;
	uint64_t count, max, cum = 0;
	struct bucket *v;
	const char *key;
	size_t i, n = 0;

	if (!json_object_size(b) ||
	    json_get_u64(h, "count", &count) || !count ||
	    json_get_u64(h, "max_ns", &max))
		return 0;
	v = calloc(json_object_size(b), sizeof(*v));
	if (!v)
		return 0;
	json_object_foreach(b, key, c) {
		if (!json_is_number(c))
			continue;
		v[n].lo = strtoull(key, NULL, 10);
		v[n++].n = (uint64_t)json_number_value(c);
	}
	qsort(v, n, sizeof(*v), cmp_bucket);
	for (i = 0; i < n; i++) {
		uint64_t hi = hist_bucket_hi(hist_index(v[i].lo));
		double q;

		cum += v[i].n;
		q = (double)cum / count;
		if (hi > max)
			hi = max;
		/* q = 1 has no finite 1 / (1 - q): end the curve at n. */
		fprintf(dat, "%.3f %.9f %.6g\n", hi / 1e3, q,
			q < 1 ? 1 / (1 - q) : (double)count);
	}
	fprintf(dat, "\n\n");
	free(v);
	return n;
}

/*
 * One figure over the blocks of latency-<w>.dat: the percentile curve
 * (@cdf 0) or the CDF (@cdf 1), one line a block.
 */
static void write_figure(struct plot_ctx *ctx, const struct rep_run *r,
			 const char *w, const char *name, unsigned int cdf,
			 const char *dname, unsigned int blocks, const int *ls,
			 const int *dt, const char *const *title)
{
	char cap[512];
	unsigned int b;
	FILE *gp;

	gp = plot_open(ctx, name, "gp");
	if (!gp) {
		ctx->failed++;
		return;
	}
	plot_style(gp, name);
	if (!cdf)
		fprintf(gp, "set logscale xy\nset format y \"10^{%%L}\"\n"
			"set xtics (\"50%%%%\" 2, \"90%%%%\" 10, \"99%%%%\" 100, \"99.9%%%%\" 1000, \"99.99%%%%\" 10000, \"99.999%%%%\" 100000)\n"
			"set xlabel \"percentile\"\n"
			"set ylabel \"latency (µs)\"\n");
	else
		fprintf(gp, "set logscale x\nset format x \"10^{%%L}\"\n"
			"set yrange [0:1.02]\n"
			"set xlabel \"latency (µs)\"\n"
			"set ylabel \"fraction of operations at or below\"\n"
			"set key bottom right\n");
	fprintf(gp, "plot ");
	for (b = 0; b < blocks; b++)
		fprintf(gp, "%s\"%s.dat\" index %u using %s with steps ls %d dt %d title \"%s\" noenhanced",
			b ? ", \\\n     " : "", dname, b,
			cdf ? "1:2" : "3:1", ls[b], dt[b], title[b]);
	fprintf(gp, "\n");
	snprintf(cap, sizeof(cap), cdf ?
		 "Cumulative distribution of %s latency per strategy and phase (run %s)" :
		 "Latency percentiles of workload %s per strategy and phase (run %s); x: percentile on a log scale of 1/(1-q)",
		 w, r->label);
	plot_finish(ctx, name, NULL, gp, dname, cap);
}

static void one_workload(struct plot_ctx *ctx, const struct rep_run *r,
			 json_t *strats, const char *w)
{
	char pname[128], cname[128], dname[160];
	unsigned int blocks = 0, k;
	const char *title[REP_MAX_STRAT * REP_PHASES];
	char titles[REP_MAX_STRAT * REP_PHASES][REP_NAME + 16];
	int ls[REP_MAX_STRAT * REP_PHASES], dt[REP_MAX_STRAT * REP_PHASES];
	FILE *dat;
	const char *sname;
	json_t *sv;
	size_t s = 0;
	int p;

	snprintf(dname, sizeof(dname), "latency-%s", w);
	snprintf(pname, sizeof(pname), "percentiles-%s", w);
	snprintf(cname, sizeof(cname), "cdf-%s", w);
	dat = plot_open(ctx, dname, "dat");
	if (!dat) {
		ctx->failed++;
		return;
	}
	fprintf(dat, "# workload %s, run %s: one block per strategy and phase;\n"
		"# latency (us, bucket upper bound), cumulative fraction, 1/(1-fraction)\n",
		w, r->label);
	json_object_foreach(strats, sname, sv) {
		if (blocks >= REP_MAX_STRAT * REP_PHASES)
			break;
		for (p = 0; p < REP_PHASES; p++) {
			char path[128];
			const json_t *h;

			snprintf(path, sizeof(path), "workloads.%s.%s.latency_ns",
				 w, rep_phase_names[p]);
			h = json_path(sv, path);
			if (!h)
				continue;
			fprintf(dat, "# block %u: %s, %s\n", blocks, sname,
				rep_phase_names[p]);
			if (!write_hist(dat, h))
				continue;
			snprintf(titles[blocks], sizeof(titles[0]), "%s, %s",
				 sname, rep_phase_names[p]);
			title[blocks] = titles[blocks];
			ls[blocks] = p + 1;
			dt[blocks] = (int)s + 1;
			blocks++;
		}
		s++;
	}
	fclose(dat);
	if (!blocks) {
		plot_skip(ctx, pname, "run %s has no latency histogram buckets for workload %s",
			  r->label, w);
		plot_skip(ctx, cname, "the same");
		return;
	}
	/* Both figures read the shared latency-<w>.dat. */
	for (k = 0; k < 2; k++)
		write_figure(ctx, r, w, k ? cname : pname, k, dname, blocks, ls,
			     dt, title);
}

void plot_distributions(struct plot_ctx *ctx)
{
	const struct rep_run *r = plot_detail_run(ctx);
	json_t *sum, *strats;
	char err[512];
	unsigned int k;

	if (!r || !r->has_summary) {
		plot_skip(ctx, "percentiles-*, cdf-*", "no run given has results (summary.json)");
		return;
	}
	if (results_load_json(r->dir, "summary.json", &sum, err, sizeof(err))) {
		plot_skip(ctx, "percentiles-*, cdf-*", "%s", err);
		return;
	}
	strats = json_object_get(sum, "strategies");
	if (!json_object_size(strats))
		plot_skip(ctx, "percentiles-*, cdf-*", "run %s has no strategies in summary.json",
			  r->label);
	else
		for (k = 0; k < r->nr_totals; k++)
			one_workload(ctx, r, strats, r->totals[k].name);
	json_decref(sum);
}
