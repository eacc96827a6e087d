// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/finding.h"
#include "lib/record.h"
#include "analysis/stall/report.h"
#include "lib/util.h"

/* Per-cycle values of the selected cycles in @phase, for medians. */
struct sm_series {
	double excess, lost, machine, machine_excess, machine_count;
	double machine_max, stopped, coverage, coverage_in_stop;
};

#define SM_FIELDS (sizeof(struct sm_series) / sizeof(double))
#define SM_FIELD(name) (offsetof(struct sm_series, name) / sizeof(double))

/* Column @f of @n rows into @out, NaNs left out; returns how many. */
static size_t column(const struct sm_series *rows, size_t n, size_t f,
		     double *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		double v = ((const double *)&rows[i])[f];

		if (!isnan(v))
			out[k++] = v;
	}
	return k;
}

static size_t gather(const struct stall_metrics *sm, const bool *sel,
		     int phase, struct sm_series *rows)
{
	unsigned int k;
	size_t n = 0;

	for (k = 0; k < sm->nr_cycles; k++) {
		const struct sm_window *w = sm_window(sm, k, phase);

		if (!sel[k] || !w->known)
			continue;
		rows[n++] = (struct sm_series){
			w->has_excess ? (double)w->excess_ns : NAN,
			(double)w->lost_ns, (double)w->machine.total,
			w->has_excess ? (double)w->machine_excess_ns : NAN,
			(double)w->machine.count, (double)w->machine.longest,
			w->stopped_source ? (double)w->stopped_ns : NAN,
			w->coverage, w->coverage_in_stop,
		};
	}
	return n;
}

static const char *source_of(const struct stall_metrics *sm, const bool *sel,
			     int phase)
{
	unsigned int k;

	for (k = 0; k < sm->nr_cycles; k++)
		if (sel[k] && sm_window(sm, k, phase)->stopped_source)
			return sm_window(sm, k, phase)->stopped_source;
	return NULL;
}

static const char *const field_names[SM_FIELDS] = {
	"excess_lost_ns", "lost_ns", "machine_stall_ns",
	"machine_stall_excess_ns", "machine_stall_count",
	"machine_stall_max_ns", "stopped_per_cpu_ns", "stop_coverage",
	"stop_coverage_in_stop",
};

/* The least of @n values (n > 0). */
static double least(const double *v, size_t n)
{
	double m = v[0];
	size_t i;

	for (i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

static void coverage_json(const struct sm_series *rows, size_t n,
			  const char *source, double *tmp, struct json *j)
{
	size_t i, k;

	json_str(j, "stopped_source", source);
	json_arr_begin(j, "stop_coverage_per_cycle");
	for (i = 0; i < n; i++)
		json_double(j, NULL, rows[i].coverage);
	json_arr_end(j);
	k = column(rows, n, SM_FIELD(coverage), tmp);
	json_u64(j, "stop_coverage_n", k);
	json_double(j, "stop_coverage_min", k ? least(tmp, k) : NAN);
}

void stall_report_json(const struct stall_metrics *sm, const bool *sel,
		       struct json *j)
{
	struct sm_series *rows = calloc(sm->nr_cycles + 1, sizeof(*rows));
	double *tmp = calloc(sm->nr_cycles + 1, sizeof(*tmp));
	size_t n, f, k;
	int p;

	if (!rows || !tmp)
		goto out;
	json_obj_begin(j, "stall");
	for (p = 0; p < SM_NR_PHASES; p++) {
		n = gather(sm, sel, p, rows);
		json_obj_begin(j, run_phase_name(p));
		json_u64(j, "cycles", n);
		json_obj_begin(j, "median");
		for (f = 0; f < SM_FIELDS; f++) {
			k = column(rows, n, f, tmp);
			if (k)
				json_double(j, field_names[f],
					    compare_median(tmp, k));
		}
		json_obj_end(j);
		if (source_of(sm, sel, p))
			coverage_json(rows, n, source_of(sm, sel, p), tmp, j);
		json_obj_end(j);
	}
	json_obj_end(j);
out:
	free(rows);
	free(tmp);
}

void stall_coverage_print(FILE *f, const char *who, const char *phase,
			  const double *v, size_t n, const char *source)
{
	double *ok = calloc(n + 1, sizeof(*ok));
	size_t i, k = 0;

	if (!ok)
		return;
	fprintf(f, "  %s: machine-wide stall / stopped time per CPU (%s), per %s:",
		who, source, phase);
	for (i = 0; i < n; i++) {
		if (isnan(v[i])) {
			fprintf(f, " -");
			continue;
		}
		fprintf(f, " %.2f", v[i]);
		ok[k++] = v[i];
	}
	if (k)
		fprintf(f, " (median %.2f, least %.2f; n=%zu)\n",
			compare_median(ok, k), least(ok, k), k);
	else
		fprintf(f, " (no stop seen; n=0)\n");
	free(ok);
}

/* Median of field @fi over @n rows, formatted; "-" when none. */
static const char *med(char *buf, size_t len, const struct sm_series *rows,
		       size_t n, size_t fi, double *tmp)
{
	size_t k = column(rows, n, fi, tmp);

	if (!k)
		snprintf(buf, len, "-");
	else
		fmt_sns(buf, len, (int64_t)llround(compare_median(tmp, k)));
	return buf;
}

static void phase_line(const struct sm_series *rows, size_t n,
		       const char *phase, double *tmp, FILE *f)
{
	size_t k = column(rows, n, SM_FIELD(machine_count), tmp);
	double count = k ? compare_median(tmp, k) : 0;
	char b[6][32];

	fprintf(f, "  stall in %s (medians, n=%zu): excess lost %s (lost %s); machine-wide stall %s (%s over baseline; %.0f stalls, longest %s)\n",
		phase, n, med(b[0], 32, rows, n, SM_FIELD(excess), tmp),
		med(b[1], 32, rows, n, SM_FIELD(lost), tmp),
		med(b[2], 32, rows, n, SM_FIELD(machine), tmp),
		med(b[3], 32, rows, n, SM_FIELD(machine_excess), tmp),
		count,
		med(b[4], 32, rows, n, SM_FIELD(machine_max), tmp));
}

void stall_report_print(const struct stall_metrics *sm, const bool *sel,
			FILE *f)
{
	static const int phases[] = { RUN_APPLY, RUN_REVERT, RUN_BASELINE };
	struct sm_series *rows = calloc(sm->nr_cycles + 1, sizeof(*rows));
	double *tmp = calloc(sm->nr_cycles + 1, sizeof(*tmp));
	size_t i, n, c;

	if (!rows || !tmp)
		goto out;
	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		n = gather(sm, sel, phases[i], rows);
		if (n)
			phase_line(rows, n, run_phase_name(phases[i]), tmp, f);
	}
	n = gather(sm, sel, RUN_APPLY, rows);
	/* Only a strategy that stopped the machine has a truth to cover. */
	if (!column(rows, n, SM_FIELD(coverage), tmp))
		goto out;
	for (c = 0; c < n; c++)
		tmp[c] = rows[c].coverage;
	stall_coverage_print(f, "stall against stops", "apply", tmp, n,
			     source_of(sm, sel, RUN_APPLY));
	/* Stricter: only stall while every workload CPU was stopped. */
	if (strcmp(source_of(sm, sel, RUN_APPLY), "probe"))
		goto out;
	for (c = 0; c < n; c++)
		tmp[c] = rows[c].coverage_in_stop;
	stall_coverage_print(f, "the same within the stops", "apply", tmp, n,
			     "probe");
out:
	free(rows);
	free(tmp);
}
