/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - the tables of bench report, built from loaded results
 * directories (report-data.h), and the LaTeX number macros of the paper.
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/report/data.h"
#include "analysis/report/table.h"

enum report_table_id {
	REPORT_RUNS,		/* one row per run and strategy, with parameters */
	REPORT_LATENCY,		/* per strategy, workload, phase: percentiles */
	REPORT_TRANSITIONS,	/* apply and revert times */
	REPORT_STALLS,		/* the stall detector's gaps per phase */
	REPORT_SWITCHES,	/* task switches by path */
	REPORT_CHAINS,		/* workload totals incl. mixed chains */
	REPORT_CONSISTENCY,	/* the target's mixed chains per strategy, phase */
	REPORT_REQUESTS,	/* a server's requests per strategy and phase */
	REPORT_FINDINGS,	/* bench compare's findings, with their CIs */
	REPORT_NR_TABLES,
};

extern const char *const report_table_names[REPORT_NR_TABLES];

/* The table's id by name, or -1. */
int report_table_find(const char *name);

/*
 * Fill @t (table_init'd by this function) from @runs. With more than one
 * run every table starts with a "run" column. 0, or -ENOMEM.
 */
int report_build(enum report_table_id id, const struct rep_run *runs,
		 size_t n, struct table *t);

/*
 * \newcommand definitions of every number the paper quotes, aggregated over
 * @runs (a sweep): parameters, environment and per-strategy results.
 * Names are \kg<What><Strategy>, strategy names in CamelCase letters.
 */
void report_tex_macros(const struct rep_run *runs, size_t n, FILE *f);

/* @name as CamelCase letters ("stop_machine" -> "StopMachine"). */
const char *report_macro_name(const char *name, char *buf, size_t len);

#endif
