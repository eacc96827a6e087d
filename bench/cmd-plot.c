// SPDX-License-Identifier: GPL-2.0
/*
 * bench plot: gnuplot figures from results directories, each with its data
 * and script beside it; figures.tsv lists what was made (name, data file,
 * caption) for the paper's build.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "bench/options.h"
#include "analysis/plot/plot.h"
#include "lib/results.h"
#include "lib/util.h"

static int parse_formats(char *list, struct plot_ctx *ctx)
{
	char *save = NULL, *s;

	ctx->pdf = ctx->png = false;
	for (s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (!strcmp(s, "pdf"))
			ctx->pdf = true;
		else if (!strcmp(s, "png"))
			ctx->png = true;
		else
			return -1;
	}
	return ctx->pdf || ctx->png ? 0 : -1;
}

struct plot_args {
	struct plot_ctx ctx;
	const char *dir;
};

static int format_opt(const struct opt *o, const char *arg, void *base,
		      char *err, size_t len)
{
	char fmts[64];

	(void)o;
	snprintf(fmts, sizeof(fmts), "%s", arg);
	if (!parse_formats(fmts, &((struct plot_args *)base)->ctx))
		return 0;
	snprintf(err, len, "--format takes pdf, png or pdf,png, not '%s'",
		 arg);
	return -EINVAL;
}

static int redirection_opt(const struct opt *o, const char *arg, void *base,
			   char *err, size_t len)
{
	(void)o;
	if (access(arg, R_OK)) {
		snprintf(err, len, "cannot read --redirection '%s'", arg);
		return -EINVAL;
	}
	((struct plot_args *)base)->ctx.redirection = arg;
	return 0;
}

static const struct opt plot_opts[] = {
	OPT_STRING('o', "out", offsetof(struct plot_args, dir), "<dir>",
		   "where the figures go (default <first-dir>/figures)"),
	OPT_CALLBACK(0, "format", format_opt, "<f,...>",
		     "pdf, png or both (default pdf,png)"),
	OPT_CALLBACK(0, "redirection", redirection_opt, "<f>",
		     "the saved output of tests/kernel/bench-kgraft.sh "
		     "(\"chain_ns <path> <ns>\" lines; default: a run's "
		     "redirection.txt or redirection.csv)"),
	OPT_END(),
};

void usage_plot(FILE *f)
{
	fprintf(f,
		"usage: bench plot [--out <dir>] [--format pdf,png] [--redirection <file>]\n"
		"                  <results-dir>...\n"
		"\n"
		"gnuplot figures from results directories (or sweep trees): per\n"
		"strategy, a latency timeline around the patch events with each\n"
		"transition shaded; per workload, latency percentiles and CDFs per\n"
		"strategy and phase (these from the first run with results); across runs,\n"
		"per vCPU count, the excess stall and the transition time of an apply\n"
		"against the tasks, a series per strategy (median per cycle with its\n"
		"95%% bootstrap CI); the tasks still to switch against time in each\n"
		"strategy's apply of median length (from the first run with\n"
		"convergence.json); the redirection's cost per call from the output of\n"
		"tests/kernel/bench-kgraft.sh, the median of its rounds with a 95%% CI.\n"
		"Each figure's .dat and .gp sit beside it; a figure whose data is\n"
		"missing is skipped with a message.\n"
		"\n");
	opts_help(f, plot_opts);
}

int cmd_plot(int argc, char **argv)
{
	static const struct opts_cmd cmd = {
		.name = "bench plot", .opts = plot_opts, .usage = usage_plot,
	};
	struct plot_args a = { .ctx = { .pdf = true, .png = true } };
	struct plot_ctx ctx;
	char err[512], out[8192];
	struct results res;
	struct rep_run *runs;
	const char *dir;
	size_t n;
	int first, ret;

	first = opts_parse(&cmd, &a, argc, argv);
	if (first < 0)
		return first == OPTS_HELP ? 0 : EXIT_USAGE;
	ctx = a.ctx;
	dir = a.dir;
	if (first == argc) {
		fprintf(stderr, "bench plot: no results directory given\n");
		usage_plot(stderr);
		return EXIT_USAGE;
	}
	ret = rep_load_all(argv + first, (size_t)(argc - first), &runs, &n,
			   err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bench plot: %s\n", err);
		return ret == -ENOENT ? EXIT_USAGE : 1;
	}
	if (!dir) {
		snprintf(out, sizeof(out), "%s/figures", argv[first]);
		dir = out;
	}
	if (mkdir_p(dir) < 0) {
		fprintf(stderr, "bench plot: cannot create %s: %s\n", dir,
			strerror(errno));
		free(runs);
		return 1;
	}
	ctx.out = dir;
	ctx.runs = runs;
	ctx.nruns = n;
	snprintf(res.dir, sizeof(res.dir), "%s", dir);
	ctx.manifest = results_open(&res, "figures.tsv");
	plot_timelines(&ctx);
	plot_distributions(&ctx);
	plot_sweep(&ctx);
	plot_convergence(&ctx);
	plot_redirection(&ctx);
	if (ctx.manifest && results_close(&res, "figures.tsv", ctx.manifest))
		ctx.failed++;
	fprintf(stderr, "bench plot: %u figure%s in %s, %u skipped, %u failed\n",
		ctx.made, ctx.made == 1 ? "" : "s", dir, ctx.skipped,
		ctx.failed);
	free(runs);
	return ctx.failed ? 1 : 0;
}
