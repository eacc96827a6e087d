// SPDX-License-Identifier: GPL-2.0
/*
 * plot-redirect.c - the per-call cost of the redirection, from the output
 * of kgraft-core's benchmark (tests/kernel/bench-kgraft.sh) saved to a
 * file, or from a CSV of "path,ns_per_call" rows. The benchmark's first
 * block has a line per path through the target chain (unpatched, kgraft
 * slow and fast handler, livepatch): "<path> min <ns> median <ns> (all:
 * <ns per round>...)"; each bar is the median of the rounds with its 95%
 * bootstrap CI (from COMPARE_MIN_N rounds). Older outputs' "chain_ns
 * <path> <ns>" lines give bare medians. The file is bench plot
 * --redirection, else redirection.txt or redirection.csv in a results
 * directory given. No file, no figure: nothing is estimated in its place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/compare/finding.h"
#include "analysis/plot/plot.h"
#include "analysis/stats/bootstrap.h"

#define MAX_ROUNDS 256

/*
 * One line of the benchmark's output as median and CI (ns; lo = hi =
 * median without a CI); false if it is no path's line.
 */
static bool parse_line(const char *line, char *label, double *med,
		       double *lo, double *hi, size_t *n)
{
	struct bootstrap_opts bo = {
		.stat = BOOTSTRAP_PERCENTILE, .p = 50,
		.resamples = COMPARE_RESAMPLES,
		.confidence = COMPARE_CONFIDENCE, .seed = 1,
	};
	double v[MAX_ROUNDS], mn;
	struct bootstrap_ci ci;
	const char *all;
	int used;

	*n = 0;
	if (sscanf(line, "chain_ns %127s %lf", label, med) == 2 ||
	    sscanf(line, "%127[^,],%lf", label, med) == 2) {
		*lo = *hi = *med;
		return *med >= 0;
	}
	if (sscanf(line, "%127s min %lf median %lf", label, &mn, med) != 3)
		return false;
	*lo = *hi = *med;
	all = strstr(line, "(all:");
	for (all = all ? all + 5 : NULL;
	     all && *n < MAX_ROUNDS && sscanf(all, "%lf%n", &v[*n], &used) == 1;
	     all += used)
		(*n)++;
	if (*n >= COMPARE_MIN_N && !bootstrap_ci(v, *n, &bo, &ci)) {
		*med = compare_median(v, *n);
		*lo = ci.lo;
		*hi = ci.hi;
	}
	return *med >= 0;
}

void plot_redirection(struct plot_ctx *ctx)
{
	const char *name = "redirection-cost";
	char path[8192], line[4096], label[128];
	unsigned int rows = 0;
	bool found = false;
	FILE *in, *dat, *gp;
	double ns;
	size_t i;

	if (ctx->redirection) {
		snprintf(path, sizeof(path), "%s", ctx->redirection);
		found = true;
	}
	for (i = 0; i < ctx->nruns && !found; i++) {
		snprintf(path, sizeof(path), "%s/redirection.txt",
			 ctx->runs[i].dir);
		found = !access(path, R_OK);
		if (found)
			break;
		snprintf(path, sizeof(path), "%s/redirection.csv",
			 ctx->runs[i].dir);
		found = !access(path, R_OK);
	}
	if (!found) {
		plot_skip(ctx, name, "no output of the redirection benchmark (tests/kernel/bench-kgraft.sh): give --redirection FILE, or put redirection.txt in a results directory");
		return;
	}
	in = fopen(path, "r");
	if (!in) {
		plot_skip(ctx, name, "%s: %s", path, strerror(errno));
		return;
	}
	if (plot_open_both(ctx, name, &dat, &gp)) {
		fclose(in);
		return;
	}
	fprintf(dat, "# from %s: index, path, ns per call (median), CI low, CI high, rounds\n",
		path);
	/* The first block only: the chain; the syscall block follows it. */
	while (fgets(line, sizeof(line), in)) {
		double lo, hi;
		size_t n;

		if (line[0] == '#') {
			if (rows)
				break;
			continue;
		}
		if (parse_line(line, label, &ns, &lo, &hi, &n))
			fprintf(dat, "%u \"%s\" %.3f %.3f %.3f %zu\n", rows++,
				label, ns, lo, hi, n);
	}
	fclose(in);
	if (!rows) {
		fclose(dat);
		fclose(gp);
		plot_skip(ctx, name, "%s has no \"chain_ns <path> <ns>\" lines nor path,ns_per_call rows",
			  path);
		return;
	}
	plot_style(gp, name);
	fprintf(gp, "set style fill solid 0.7 noborder\n"
		"set boxwidth 0.6\n"
		"set yrange [0:*]\n"
		"set ylabel \"ns per call\"\n"
		"set xtics rotate by -20\n"
		"unset key\n"
		"plot \"%s.dat\" using 1:3:xtic(2) with boxes ls 1, \\\n"
		"     \"%s.dat\" using 1:3:4:5 with yerrorbars lc rgb \"#000000\" pt 0\n",
		name, name);
	plot_finish(ctx, name, dat, gp, NULL,
		    "Nanoseconds per pass through the target's chain of patched functions, by redirection path: median of the benchmark's rounds with its 95% bootstrap CI (bars, from 5 rounds)");
}
