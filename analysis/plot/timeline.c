// SPDX-License-Identifier: GPL-2.0
/*
 * plot-timeline.c - per strategy, each workload's worst latency per 10 ms
 * window from a cycle's baseline to its revert, every cycle overlaid and
 * aligned on the apply event, with each cycle's transition shaded. Drawn
 * from one run (plot_detail_run()): timelines are per run, not per sweep.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot/plot.h"
#include "lib/results.h"
#include "lib/json.h"

#define MAX_CYCLES 4096

struct cycle_ev {
	char strategy[REP_NAME];
	int64_t baseline, apply, applied, revert;
	int seen;		/* bit per event found */
};

/* events.csv into @cy (indexed by cycle - 1); the number of cycles. */
static size_t read_events(const char *dir, struct cycle_ev *cy, size_t max)
{
	char path[8192], line[512], strat[REP_NAME], ev[32];
	unsigned long cycle, round;
	long long t;
	size_t n = 0;
	int res;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events.csv", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		struct cycle_ev *c;

		if (sscanf(line, "%lu,%47[^,],%lu,%31[^,],%lld,%d", &cycle,
			   strat, &round, ev, &t, &res) != 6 || !cycle ||
		    cycle > max)
			continue;
		c = &cy[cycle - 1];
		snprintf(c->strategy, sizeof(c->strategy), "%s", strat);
		if (!strcmp(ev, "baseline")) {
			c->baseline = t;
			c->seen |= 1;
		} else if (!strcmp(ev, "apply")) {
			c->apply = t;
			c->seen |= 2;
		} else if (!strcmp(ev, "applied") && !res) {
			c->applied = t;
			c->seen |= 4;
		} else if (!strcmp(ev, "revert")) {
			c->revert = t;
			c->seen |= 8;
		}
		if (cycle > n)
			n = cycle;
	}
	fclose(f);
	return n;
}

/* One workload's windows around each cycle of @s, as one data block. */
static unsigned int write_block(FILE *dat, const json_t *w,
				const struct cycle_ev *cy, size_t ncy,
				const char *s)
{
	const json_t *th = json_object_get(w, "per_thread");
	unsigned int points = 0;
	size_t i, k, c;

	for (i = 0; i < json_array_size(th); i++) {
		const json_t *tl =
			json_object_get(json_array_get(th, i), "timeline");
		const json_t *mx = json_object_get(tl, "max_ns");
		uint64_t win;

		if (!json_is_array(mx) ||
		    json_get_u64(tl, "window_ns", &win) || !win)
			continue;
		for (c = 0; c < ncy; c++) {
			if (strcmp(cy[c].strategy, s) || (cy[c].seen & 15) != 15)
				continue;
			for (k = 0; k < json_array_size(mx); k++) {
				int64_t t = (int64_t)(k * win + win / 2);
				double m = json_number_value(
					json_array_get(mx, k));

				if (t < cy[c].baseline || t > cy[c].revert ||
				    m <= 0)
					continue;
				fprintf(dat, "%.3f %.3f %zu\n",
					(t - cy[c].apply) / 1e6, m / 1e3,
					c + 1);
				points++;
			}
			/* A blank line: no line drawn from cycle to cycle. */
			fprintf(dat, "\n");
		}
	}
	fprintf(dat, "\n\n");
	return points;
}

static void one_strategy(struct plot_ctx *ctx, const struct rep_run *r,
			 const char *s, const struct cycle_ev *cy, size_t ncy,
			 json_t **wl, const char **wname,
			 unsigned int nwl)
{
	char name[128], cap[512];
	unsigned int k, blocks = 0, points = 0, ncycles = 0;
	FILE *dat, *gp;
	size_t c;

	snprintf(name, sizeof(name), "timeline-%s", s);
	if (plot_open_both(ctx, name, &dat, &gp))
		return;
	fprintf(dat, "# %s, run %s: per workload (one block each), per thread and cycle:\n"
		"# ms since the apply event, worst latency in the 10 ms window (us), cycle\n",
		s, r->label);
	plot_style(gp, name);
	for (k = 0; k < nwl; k++) {
		fprintf(dat, "# block %u: %s\n", blocks, wname[k]);
		points += write_block(dat, wl[k], cy, ncy, s);
		blocks++;
	}
	for (c = 0; c < ncy; c++) {
		if (strcmp(cy[c].strategy, s) || (cy[c].seen & 15) != 15)
			continue;
		ncycles++;
		fprintf(gp, "set object rect from %.3f, graph 0 to %.3f, graph 1 behind fc rgb \"#E69F00\" fs transparent solid 0.15 noborder\n",
			0.0, (cy[c].applied - cy[c].apply) / 1e6);
	}
	if (!points) {
		fclose(dat);
		fclose(gp);
		plot_skip(ctx, name, "run %s has no timeline windows inside the cycles of %s",
			  r->label, s);
		return;
	}
	/*
	 * Points, not lines: a window where no operation ended has no
	 * point, and a line across it would draw a latency never seen.
	 */
	fprintf(gp, "set logscale y\nset format y \"10^{%%L}\"\n"
		"set xlabel \"time since the apply event (ms); shaded: transitions\"\n"
		"set ylabel \"worst latency per 10 ms window (µs)\"\n"
		"set key top right\n"
		"plot ");
	for (k = 0; k < blocks; k++)
		fprintf(gp, "%s\"%s.dat\" index %u using 1:2 with points ls %u ps 0.35 title \"%s\" noenhanced",
			k ? ", \\\n     " : "", name, k, k + 1, wname[k]);
	fprintf(gp, "\n");
	snprintf(cap, sizeof(cap),
		 "Worst latency per 10 ms window of each workload around %u %s transitions (run %s), aligned on the apply event; shaded: each transition from its start to its end",
		 ncycles, s, r->label);
	plot_finish(ctx, name, dat, gp, NULL, cap);
}

void plot_timelines(struct plot_ctx *ctx)
{
	const struct rep_run *r = plot_detail_run(ctx);
	json_t *wl[REP_MAX_WL];
	const char *wname[REP_MAX_WL];
	unsigned int nwl = 0, k;
	struct cycle_ev *cy;
	char err[512];
	size_t ncy;

	if (!r || !r->nr_strat) {
		plot_skip(ctx, "timeline-*", "no run given has results (summary.json)");
		return;
	}
	cy = calloc(MAX_CYCLES, sizeof(*cy));
	if (!cy) {
		ctx->failed++;
		return;
	}
	ncy = read_events(r->dir, cy, MAX_CYCLES);
	for (k = 0; k < r->nr_totals; k++) {
		char file[REP_NAME + 32];
		json_t *v;

		snprintf(file, sizeof(file), "workload-%s.json",
			 r->totals[k].name);
		if (results_load_json(r->dir, file, &v, err, sizeof(err)))
			continue;
		if (!json_path(v, "workload.per_thread")) {
			json_decref(v);
			continue;
		}
		/* Keep the root to release: the member lives inside it. */
		wl[nwl] = v;
		wname[nwl++] = r->totals[k].name;
	}
	if (!ncy || !nwl) {
		plot_skip(ctx, "timeline-*", "run %s lacks %s", r->label,
			  !ncy ? "events.csv" : "workload-<name>.json timelines");
	} else {
		json_t *inner[REP_MAX_WL];

		for (k = 0; k < nwl; k++)
			inner[k] = json_object_get(wl[k], "workload");
		for (k = 0; k < r->nr_strat; k++)
			one_strategy(ctx, r, r->strat[k].name, cy, ncy, inner,
				     wname, nwl);
	}
	for (k = 0; k < nwl; k++)
		json_decref(wl[k]);
	free(cy);
}
