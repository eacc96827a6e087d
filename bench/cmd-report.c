// SPDX-License-Identifier: GPL-2.0
/*
 * bench report: tables from results directories that exist already, so a
 * run is summarised again (in another format, or beside other runs)
 * without being rerun.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/builtin.h"
#include "bench/options.h"
#include "analysis/report/report.h"

enum { FMT_TEXT, FMT_CSV, FMT_LATEX, FMT_MACROS, FMT_SENTENCES };

struct report_args {
	int fmt;
	int only;		/* a table's id; -1: all */
	const char *metric;	/* findings: only metrics with this prefix */
};

static int format_opt(const struct opt *o, const char *arg, void *base,
		      char *err, size_t len)
{
	static const struct { const char *name; int fmt; } formats[] = {
		{ "text", FMT_TEXT }, { "csv", FMT_CSV },
		{ "latex", FMT_LATEX }, { "tex-macros", FMT_MACROS },
		{ "sentences", FMT_SENTENCES },
	};
	size_t i;

	(void)o;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(arg, formats[i].name)) {
			((struct report_args *)base)->fmt = formats[i].fmt;
			return 0;
		}
	snprintf(err, len, "unknown --format '%s'", arg);
	return -EINVAL;
}

static int table_opt(const struct opt *o, const char *arg, void *base,
		     char *err, size_t len)
{
	int id = report_table_find(arg);

	(void)o;
	if (id < 0) {
		snprintf(err, len, "unknown --table '%s'", arg);
		return -EINVAL;
	}
	((struct report_args *)base)->only = id;
	return 0;
}

static const struct opt report_opts[] = {
	OPT_CALLBACK(0, "format", format_opt, "<f>",
		     "text (default, aligned), csv (durations in ns; without "
		     "--table, each table follows a line '# <table>'), latex "
		     "(booktabs tables), tex-macros (the paper's "
		     "\\newcommand numbers) or sentences (bench compare's "
		     "findings as it said them, one a line)"),
	OPT_CALLBACK(0, "table", table_opt, "<t>",
		     "only this table: runs, latency, transitions, stalls, "
		     "switches, chains, consistency, requests or findings "
		     "(default: all that have rows)"),
	OPT_STRING(0, "metric", offsetof(struct report_args, metric),
		   "<prefix>", "findings: only the metrics that start with "
		   "<prefix> (e.g. 'redis:')"),
	OPT_END(),
};

void usage_report(FILE *f)
{
	fprintf(f,
		"usage: bench report [--format=<f>] [--table=<t>] [--metric=<prefix>]\n"
		"                    <results-dir>...\n"
		"\n"
		"Tables from one or more results directories (or sweep trees, which\n"
		"stand for their cells), without rerunning anything: latency\n"
		"percentiles per strategy, workload and phase, transition times,\n"
		"the stall detector's gaps, task switches by path, workload totals\n"
		"with mixed call chains, the target's mixed chains per strategy and\n"
		"phase, the servers' requests per phase (rate,\n"
		"errors, percentiles), bench compare's findings with their CIs, and\n"
		"one row per run with its parameters.\n"
		"\n");
	opts_help(f, report_opts);
}

/* An empty findings table asked for by name: why it is empty. */
static void no_findings(const struct rep_run *runs, size_t n,
			const char *metric)
{
	size_t i;

	for (i = 0; i < n && !runs[i].nr_findings; i++)
		;
	if (i == n)
		fprintf(stderr, "bench report: no findings in any directory (bench compare writes them, to compare.json)\n");
	else if (metric)
		fprintf(stderr, "bench report: no finding's metric starts with '%s'\n",
			metric);
}

/* Each finding's sentence whose metric starts with @metric (NULL: all). */
static int print_sentences(const struct rep_run *runs, size_t n,
			   const char *metric)
{
	size_t i, k, shown = 0;

	for (i = 0; i < n; i++)
		for (k = 0; k < runs[i].nr_findings; k++) {
			const struct rep_finding *f = &runs[i].findings[k];

			if (metric && strncmp(f->metric, metric, strlen(metric)))
				continue;
			if (!f->sentence[0])
				continue;
			printf("%s\n", f->sentence);
			shown++;
		}
	if (!shown)
		no_findings(runs, n, metric);
	return shown ? 0 : 1;
}

static int print_tables(const struct rep_run *runs, size_t n,
			const struct report_args *a)
{
	int only = a->only, fmt = a->fmt;
	static const enum tab_format tf[] = {
		[FMT_TEXT] = TAB_TEXT, [FMT_CSV] = TAB_CSV,
		[FMT_LATEX] = TAB_LATEX,
	};
	bool first = true;
	int id;

	for (id = 0; id < REPORT_NR_TABLES; id++) {
		struct table t;

		if (only >= 0 && id != only)
			continue;
		/* One run has one row in "runs": the other tables say it all. */
		if (only < 0 && id == REPORT_RUNS && n == 1)
			continue;
		if (report_build(id, runs, n, &t)) {
			table_free(&t);
			fprintf(stderr, "bench report: out of memory\n");
			return 1;
		}
		if (a->metric && id == REPORT_FINDINGS)
			table_keep_prefix(&t, "metric", a->metric);
		if (!t.nrows && only == REPORT_FINDINGS)
			no_findings(runs, n, a->metric);
		if (!t.nrows && only < 0) {
			table_free(&t);
			continue;
		}
		if (!first)
			fputc('\n', stdout);
		/* Several CSV tables: a comment line names each one. */
		if (fmt == FMT_CSV && only < 0)
			printf("# %s\n", t.name);
		table_print(&t, tf[fmt], stdout);
		table_free(&t);
		first = false;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct opts_cmd cmd = {
		.name = "bench report", .opts = report_opts,
		.usage = usage_report,
	};
	struct report_args a = { .fmt = FMT_TEXT, .only = -1 };
	int first, ret;
	struct rep_run *runs;
	char err[512];
	size_t n, i;

	first = opts_parse(&cmd, &a, argc, argv);
	if (first < 0)
		return first == OPTS_HELP ? 0 : EXIT_USAGE;
	/* A filter that would filter nothing shown is a mistake: say so. */
	if (a.metric && (a.fmt == FMT_MACROS ||
			 (a.only >= 0 && a.only != REPORT_FINDINGS))) {
		fprintf(stderr, "bench report: --metric selects rows of the findings table only\n");
		usage_report(stderr);
		return EXIT_USAGE;
	}
	if (a.fmt == FMT_SENTENCES && a.only >= 0 &&
	    a.only != REPORT_FINDINGS) {
		fprintf(stderr, "bench report: --format=sentences gives the findings only\n");
		usage_report(stderr);
		return EXIT_USAGE;
	}
	if (first == argc) {
		fprintf(stderr, "bench report: no results directory given\n");
		usage_report(stderr);
		return EXIT_USAGE;
	}
	ret = rep_load_all(argv + first, (size_t)(argc - first), &runs, &n,
			   err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bench report: %s\n", err);
		/* A path that is no results directory is bad input. */
		return ret == -ENOENT ? EXIT_USAGE : 1;
	}
	if (!n) {
		fprintf(stderr, "bench report: no runs found in the sweep tree\n");
		free(runs);
		return 1;
	}
	for (i = 0; i < n; i++)
		if (!runs[i].has_summary)
			fprintf(stderr, "bench report: %s: no summary.json (status %s%s%s)\n",
				runs[i].dir, runs[i].status,
				runs[i].reason[0] ? ": " : "", runs[i].reason);
	if (a.fmt == FMT_MACROS) {
		report_tex_macros(runs, n, stdout);
		ret = 0;
	} else if (a.fmt == FMT_SENTENCES) {
		ret = print_sentences(runs, n, a.metric);
	} else {
		ret = print_tables(runs, n, &a);
	}
	free(runs);
	return ret;
}
