// SPDX-License-Identifier: GPL-2.0
/*
 * plot-sweep.c - figures across runs (a sweep): the stall detector's
 * largest gap during the apply transition against the vCPU count, and the
 * transition time against the task count. One series per strategy and
 * value of the other parameter, so that a line joins only runs that differ
 * in the plotted parameter alone.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/plot/plot.h"

struct point {
	const struct rep_run *r;
	const struct rep_strategy *s;
	unsigned int x, other;
};

static int cmp_point(const void *a, const void *b)
{
	const struct point *p = a, *q = b;
	int c = strcmp(p->s->name, q->s->name);

	if (c)
		return c;
	if (p->other != q->other)
		return p->other < q->other ? -1 : 1;
	return p->x < q->x ? -1 : p->x > q->x;
}

/* Runs with results, as points sorted into series; distinct x values. */
static size_t gather(const struct plot_ctx *ctx, bool by_cpus,
		     struct point **out, unsigned int *distinct)
{
	unsigned int xs[64], nx = 0, k;
	struct point *pt;
	size_t i, n = 0, cap = 0;

	for (i = 0; i < ctx->nruns; i++)
		cap += ctx->runs[i].nr_strat;
	pt = calloc(cap ? cap : 1, sizeof(*pt));
	if (!pt) {
		*out = NULL;
		*distinct = 0;
		return 0;
	}
	for (i = 0; i < ctx->nruns; i++) {
		const struct rep_run *r = &ctx->runs[i];
		unsigned int s;

		if (by_cpus && !r->cpus)
			continue;
		for (s = 0; s < r->nr_strat; s++) {
			struct point *p = &pt[n++];

			p->r = r;
			p->s = &r->strat[s];
			p->x = by_cpus ? r->cpus : r->tasks;
			p->other = by_cpus ? r->tasks : r->cpus;
			for (k = 0; k < nx && xs[k] != p->x; k++)
				;
			if (k == nx && nx < 64)
				xs[nx++] = p->x;
		}
	}
	qsort(pt, n, sizeof(*pt), cmp_point);
	*out = pt;
	*distinct = nx;
	return n;
}

/*
 * Write the series as data blocks and the matching plot command: @cols
 * are the columns drawn, solid then dashed, with @what as their titles.
 */
static unsigned int write_series(FILE *dat, FILE *gp, const char *name,
				 const struct point *pt, size_t n,
				 bool by_cpus, bool stall,
				 const char *const what[2])
{
	unsigned int blocks = 0, colour = 0;
	size_t i, start;

	for (i = 0; i < n; i = start) {
		const struct rep_strategy *s = pt[i].s;
		unsigned int rows = 0;
		size_t j;

		start = i;
		while (start < n && !strcmp(pt[start].s->name, s->name) &&
		       pt[start].other == pt[i].other)
			start++;
		fprintf(dat, "# block %u: %s, %s %u\n", blocks, s->name,
			by_cpus ? "tasks" : "vCPUs", pt[i].other);
		for (j = i; j < start; j++) {
			const struct rep_strategy *st = pt[j].s;

			if (stall) {
				const struct rep_phase *a = rep_stall(st, 1);
				const struct rep_phase *b = rep_stall(st, 0);

				if (!a || !b)
					continue;
				fprintf(dat, "%u %.3f %.3f %s\n", pt[j].x,
					a->largest_gap_ns / 1e6,
					b->largest_gap_ns / 1e6, pt[j].r->label);
			} else {
				if (!st->apply.count)
					continue;
				fprintf(dat, "%u %.3f %.3f %s\n", pt[j].x,
					st->apply.p50 / 1e6,
					st->apply.max / 1e6, pt[j].r->label);
			}
			rows++;
		}
		fprintf(dat, "\n\n");
		if (rows) {
			fprintf(gp, "%s\"%s.dat\" index %u using 1:2 with linespoints ls %u title \"%s, %s %u: %s\" noenhanced, \\\n"
				"     \"%s.dat\" index %u using 1:3 with linespoints ls %u title \"%s, %s %u: %s\" noenhanced",
				blocks ? ", \\\n     " : "plot ", name, blocks,
				colour % 8 + 1, s->name,
				by_cpus ? "tasks" : "vCPUs", pt[i].other,
				what[0], name, blocks, colour % 8 + 11,
				s->name, by_cpus ? "tasks" : "vCPUs",
				pt[i].other, what[1]);
			colour++;
		}
		blocks++;
	}
	if (colour)
		fprintf(gp, "\n");
	return colour;
}

static void one(struct plot_ctx *ctx, bool by_cpus)
{
	static const char *const stall_what[2] = {
		"largest gap, apply", "largest gap, baseline",
	};
	static const char *const trans_what[2] = {
		"apply p50", "apply max",
	};
	const char *name = by_cpus ? "stall-vs-cpus" : "transition-vs-tasks";
	unsigned int distinct, series;
	struct point *pt;
	FILE *dat, *gp;
	size_t n;

	n = gather(ctx, by_cpus, &pt, &distinct);
	if (distinct < 2) {
		plot_skip(ctx, name, "needs runs with at least two %s counts (a sweep over --%s); found %u",
			  by_cpus ? "vCPU" : "task", by_cpus ? "cpus" : "tasks",
			  distinct);
		free(pt);
		return;
	}
	dat = plot_open(ctx, name, "dat");
	gp = dat ? plot_open(ctx, name, "gp") : NULL;
	if (!gp) {
		if (dat)
			fclose(dat);
		free(pt);
		ctx->failed++;
		return;
	}
	plot_style(gp, name);
	/* A series per strategy and run size: the key goes under the plot. */
	fprintf(gp, "set key outside below horizontal maxcols 2 samplen 1.5 spacing 0.9 font \",5\"\n");
	if (by_cpus) {
		fprintf(dat, "# vCPUs, stall detector's largest gap during apply (ms), during baseline (ms), run\n");
		fprintf(gp, "set xlabel \"guest vCPUs\"\nset ylabel \"largest gap (ms)\"\n"
			"set xtics 1\nset offsets 0.2, 0.2, 0, 0\n");
	} else {
		bool zero = pt[0].x == 0;
		size_t i;

		for (i = 0; i < n; i++)
			zero |= pt[i].x == 0;
		fprintf(dat, "# tasks, apply transition p50 (ms), max (ms), run\n");
		fprintf(gp, "%sset xlabel \"tasks\"\nset ylabel \"apply transition (ms)\"\n",
			zero ? "" : "set logscale x\n");
	}
	fprintf(gp, "set yrange [0:*]\n");
	series = write_series(dat, gp, name, pt, n, by_cpus, by_cpus,
			      by_cpus ? stall_what : trans_what);
	free(pt);
	if (!series) {
		fclose(dat);
		fclose(gp);
		plot_skip(ctx, name, "no run has %s", by_cpus ?
			  "stall detector results (workload stall)" :
			  "transition times");
		return;
	}
	plot_finish(ctx, name, dat, gp, NULL, by_cpus ?
		    "The stall detector's largest gap during the apply transition (solid) and during the baseline (dashed) against the number of guest vCPUs" :
		    "Apply transition time, median (solid) and maximum (dashed) per run, against the number of tasks of the population workload");
}

void plot_sweep(struct plot_ctx *ctx)
{
	one(ctx, true);
	one(ctx, false);
}
