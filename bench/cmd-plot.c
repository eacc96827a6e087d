// SPDX-License-Identifier: GPL-2.0
/*
 * bench plot: gnuplot figures from results directories, each with its data
 * and script beside it; figures.tsv lists what was made (name, data file,
 * caption) for the paper's build.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "analysis/plot/plot.h"
#include "lib/results.h"
#include "lib/util.h"

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
		"the largest stall against vCPUs and the transition time against\n"
		"tasks; the redirection's cost per call from the output of\n"
		"tests/kernel/bench-kgraft.sh. Each figure's .dat and .gp sit beside\n"
		"it; a figure whose data is missing is skipped with a message.\n"
		"\n"
		"    --out <dir>         where the figures go (default <first-dir>/figures)\n"
		"    --format <f,...>    pdf, png or both (default pdf,png)\n"
		"    --redirection <f>   the saved output of tests/kernel/bench-kgraft.sh\n"
		"                        (\"chain_ns <path> <ns>\" lines; default: a run's\n"
		"                        redirection.txt or redirection.csv)\n");
}

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "bench plot: %s '%s'\n", msg, arg);
	usage_plot(stderr);
	return EXIT_USAGE;
}

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

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "redirection", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct plot_ctx ctx = { .pdf = true, .png = true };
	char err[512], out[8192], fmts[64];
	struct results res;
	struct rep_run *runs;
	const char *dir = NULL;
	size_t n;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case 'f':
			snprintf(fmts, sizeof(fmts), "%s", optarg);
			if (parse_formats(fmts, &ctx))
				return bad("--format takes pdf, png or pdf,png, not",
					   optarg);
			break;
		case 'r':
			if (access(optarg, R_OK))
				return bad("cannot read --redirection", optarg);
			ctx.redirection = optarg;
			break;
		case 'h':
			usage_plot(stdout);
			return 0;
		default:
			return bad("unknown option", argv[optind - 1]);
		}
	}
	if (optind == argc) {
		fprintf(stderr, "bench plot: no results directory given\n");
		usage_plot(stderr);
		return EXIT_USAGE;
	}
	ret = rep_load_all(argv + optind, (size_t)(argc - optind), &runs, &n,
			   err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bench plot: %s\n", err);
		return ret == -ENOENT ? EXIT_USAGE : 1;
	}
	if (!dir) {
		snprintf(out, sizeof(out), "%s/figures", argv[optind]);
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
	plot_redirection(&ctx);
	if (ctx.manifest && results_close(&res, "figures.tsv", ctx.manifest))
		ctx.failed++;
	fprintf(stderr, "bench plot: %u figure%s in %s, %u skipped, %u failed\n",
		ctx.made, ctx.made == 1 ? "" : "s", dir, ctx.skipped,
		ctx.failed);
	free(runs);
	return ctx.failed ? 1 : 0;
}
