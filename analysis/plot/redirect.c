// SPDX-License-Identifier: GPL-2.0
/*
 * plot-redirect.c - the per-call cost of the redirection, from the output
 * of kgraft-core's benchmark (tests/kernel/bench-kgraft.sh, whose lines
 * "chain_ns <path> <ns> ..." give the median ns per pass through the target
 * chain: unpatched, kgraft slow and fast handler, livepatch) saved to a
 * file, or from a CSV of "path,ns_per_call" rows. The file is bench plot
 * --redirection, else redirection.txt or redirection.csv in a results
 * directory given. No file, no figure: nothing is estimated in its place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/plot/plot.h"

void plot_redirection(struct plot_ctx *ctx)
{
	const char *name = "redirection-cost";
	char path[8192], line[256], label[128];
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
	dat = in ? plot_open(ctx, name, "dat") : NULL;
	gp = dat ? plot_open(ctx, name, "gp") : NULL;
	if (!gp) {
		if (in)
			fclose(in);
		if (dat)
			fclose(dat);
		ctx->failed++;
		return;
	}
	fprintf(dat, "# from %s: index, path, ns per call\n", path);
	while (fgets(line, sizeof(line), in))
		if ((sscanf(line, "chain_ns %127s %lf", label, &ns) == 2 ||
		     sscanf(line, "%127[^,],%lf", label, &ns) == 2) && ns >= 0)
			fprintf(dat, "%u \"%s\" %.3f\n", rows++, label, ns);
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
		"plot \"%s.dat\" using 1:3:xtic(2) with boxes ls 1\n", name);
	plot_finish(ctx, name, dat, gp, NULL,
		    "Nanoseconds per pass through the target's chain of patched functions, by redirection path (median of the benchmark's rounds)");
}
