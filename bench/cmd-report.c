// SPDX-License-Identifier: GPL-2.0
/*
 * bench report: tables from results directories that exist already, so a
 * run is summarised again (in another format, or beside other runs)
 * without being rerun.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bench/builtin.h"
#include "analysis/report/report.h"

void usage_report(FILE *f)
{
	fprintf(f,
		"usage: bench report [--format=<f>] [--table=<t>] <results-dir>...\n"
		"\n"
		"Tables from one or more results directories (or sweep trees, which\n"
		"stand for their cells), without rerunning anything: latency\n"
		"percentiles per strategy, workload and phase, transition times,\n"
		"the stall detector's gaps, task switches by path, workload totals\n"
		"with mixed call chains, and one row per run with its parameters.\n"
		"\n"
		"    --format <f>   text (default, aligned), csv (durations in ns;\n"
		"                   without --table, each table follows a line\n"
		"                   '# <table>'), latex (booktabs tables) or\n"
		"                   tex-macros (the paper's \\newcommand numbers)\n"
		"    --table <t>    only this table: runs, latency, transitions,\n"
		"                   stalls, switches or chains (default: all)\n");
}

enum { FMT_TEXT, FMT_CSV, FMT_LATEX, FMT_MACROS };

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "bench report: %s '%s'\n", msg, arg);
	usage_report(stderr);
	return EXIT_USAGE;
}

static int print_tables(const struct rep_run *runs, size_t n, int only,
			int fmt)
{
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
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "table", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int fmt = FMT_TEXT, only = -1, c, ret;
	struct rep_run *runs;
	char err[512];
	size_t n, i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(optarg, "csv"))
				fmt = FMT_CSV;
			else if (!strcmp(optarg, "latex"))
				fmt = FMT_LATEX;
			else if (!strcmp(optarg, "tex-macros"))
				fmt = FMT_MACROS;
			else
				return bad("unknown --format", optarg);
			break;
		case 't':
			only = report_table_find(optarg);
			if (only < 0)
				return bad("unknown --table", optarg);
			break;
		case 'h':
			usage_report(stdout);
			return 0;
		default:
			return bad("unknown option", argv[optind - 1]);
		}
	}
	if (optind == argc) {
		fprintf(stderr, "bench report: no results directory given\n");
		usage_report(stderr);
		return EXIT_USAGE;
	}
	ret = rep_load_all(argv + optind, (size_t)(argc - optind), &runs, &n,
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
	if (fmt == FMT_MACROS) {
		report_tex_macros(runs, n, stdout);
		ret = 0;
	} else {
		ret = print_tables(runs, n, only, fmt);
	}
	free(runs);
	return ret;
}
