/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stall-report.h - the stall metrics of one strategy's cycles, for
 * summary.json and bench run's table, and the stall-against-stop-probe
 * line that bench run and bench compare both print.
 */
#ifndef BENCH_STALL_REPORT_H
#define BENCH_STALL_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/stall/metrics.h"

/* summary.json: member "stall" over the cycles @sel[k] marks. */
void stall_report_json(const struct stall_metrics *sm, const bool *sel,
		       struct json *j);
/* bench run's lines for the cycles @sel[k] marks. */
void stall_report_print(const struct stall_metrics *sm, const bool *sel,
			FILE *f);
/*
 * "  S: machine-wide stall / stopped time per CPU, per apply: 0.97 ..."
 * with median and least, from @n fractions (NaN: no stop in that apply).
 */
void stall_coverage_print(FILE *f, const char *who, const char *phase,
			  const double *v, size_t n, const char *source);

#endif
