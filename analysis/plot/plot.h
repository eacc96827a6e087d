/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plot.h - bench plot's figures. Each figure is three files in the output
 * directory: <name>.dat (the numbers), <name>.gp (a gnuplot script that
 * reads only that .dat) and <name>.pdf / <name>.png, so anyone can re-plot
 * with `gnuplot -e 'fmt="png"' <name>.gp` from that directory. A figure
 * whose data the runs lack is skipped with a message naming what is missing.
 */
#ifndef BENCH_PLOT_H
#define BENCH_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/report/data.h"

/*
 * Headline figures: at most this many series, drawn with line styles
 * PLOT_HEADLINE_STYLE + i, which differ in dash and point shape as well
 * as colour (greyscale print).
 */
#define PLOT_MAX_SERIES		5
#define PLOT_HEADLINE_STYLE	21

struct plot_ctx {
	const char *out;		/* output directory */
	bool pdf, png;
	const struct rep_run *runs;
	size_t nruns;
	FILE *manifest;			/* figures.tsv: name, data, caption */
	const char *redirection;	/* the redirection benchmark's output */
	unsigned int made, skipped, failed;
};

/*
 * The common style, written at the top of every script: terminal chosen
 * by the variable fmt (pdf: pdfcairo, png: pngcairo), font, line styles
 * 1-8 (one colour per strategy or series), grid and key.
 */
void plot_style(FILE *gp, const char *name);

/* Open <out>/<name>.<ext> for writing; NULL with a message on failure. */
FILE *plot_open(struct plot_ctx *ctx, const char *name, const char *ext);
/*
 * Open <name>.dat and <name>.gp; -1 (nothing left open, the figure counted
 * as failed) if either cannot be.
 */
int plot_open_both(struct plot_ctx *ctx, const char *name, FILE **dat,
		   FILE **gp);
/*
 * Close @dat and @gp, run gnuplot on the script once per format and check
 * each output (non-empty). Counts the figure as made or failed, and adds it
 * to the manifest (figures.tsv: name, data file, caption). @dat is NULL
 * when the script reads a data file shared with another figure, named
 * @data (without .dat); else @data is NULL and the data file is <name>.dat.
 */
int plot_finish(struct plot_ctx *ctx, const char *name, FILE *dat, FILE *gp,
		const char *data, const char *caption);
/* Count a figure as skipped and say why on stderr. */
void plot_skip(struct plot_ctx *ctx, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The run that per-run figures (timelines, distributions) come from: the
 * first one given that has results (summary.json). NULL if none has.
 */
const struct rep_run *plot_detail_run(const struct plot_ctx *ctx);

/* The figures; each makes zero or more and counts them in @ctx. */
void plot_timelines(struct plot_ctx *ctx);
void plot_distributions(struct plot_ctx *ctx);
void plot_sweep(struct plot_ctx *ctx);
void plot_redirection(struct plot_ctx *ctx);
void plot_convergence(struct plot_ctx *ctx);

#endif
