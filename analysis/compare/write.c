// SPDX-License-Identifier: GPL-2.0
/* compare.json and compare.csv from bench compare's findings. */
#include <math.h>
#include <stdbool.h>

#include "analysis/compare/coverage.h"
#include "analysis/compare/out.h"
#include "analysis/compare/say.h"
#include "lib/json.h"

/* The older table, kept for what reads it: ratios, CIs from n >= 5. */
static void json_row(struct json *j, const struct compare_finding *f)
{
	bool judged = f->verdict != CV_TOO_SMALL;

	json_obj_begin(j, NULL);
	json_str(j, "metric", f->m->name);
	json_str(j, "path", f->m->path);
	json_str(j, "strategy", f->strategy);
	json_u64(j, "n", f->n);
	json_u64(j, "baseline_n", f->ref_n);
	if (!f->ratio_err) {
		json_double(j, "median_ns", f->median);
		json_double(j, "baseline_median_ns", f->ref_median);
		json_double(j, "ratio", f->ratio.estimate);
		json_double(j, "ci_lo", judged ? f->ratio.lo : NAN);
		json_double(j, "ci_hi", judged ? f->ratio.hi : NAN);
	}
	json_obj_end(j);
}

static void json_finding(struct json *j, const struct compare_finding *f)
{
	const struct bootstrap_ci *d = &f->diff;
	char sentence[640];

	compare_sentence(f, sentence, sizeof(sentence));
	json_obj_begin(j, NULL);
	json_str(j, "metric", f->m->name);
	json_str(j, "strategy", f->strategy);
	json_str(j, "reference", f->reference);
	json_str(j, "unit", "ns");
	json_double(j, "difference", d->estimate);
	json_double(j, "ci_low", d->lo);
	json_double(j, "ci_high", d->hi);
	json_u64(j, "n", f->n);
	json_u64(j, "reference_n", f->ref_n);
	json_str(j, "verdict", compare_verdict_name(f->verdict));
	json_double(j, "median", f->median);
	json_double(j, "reference_median", f->ref_median);
	json_double(j, "ratio", f->ratio_err ? NAN : f->ratio.estimate);
	json_double(j, "se", d->se);
	json_double(j, "min_detectable", f->min_detectable);
	if (f->verdict == CV_SAME) {
		json_double(j, "own_stop", f->stop_source ? f->stop_ns : NAN);
		if (f->stop_source)
			json_str(j, "own_stop_source", f->stop_source);
		else
			json_none(j, "own_stop_source");
		json_double(j, "cycles_needed", f->cycles_needed);
	}
	json_str(j, "sentence", sentence);
	json_obj_end(j);
}

static void json_detectable(struct json *j, const struct compare_set *s)
{
	struct compare_detectable d;
	size_t m;

	json_arr_begin(j, "detectable");
	for (m = 0; m < compare_nr_metrics; m++) {
		compare_detectable(s, &compare_metrics[m], &d);
		if (!d.rows)
			continue;
		json_obj_begin(j, NULL);
		json_str(j, "metric", d.m->name);
		json_str(j, "unit", "ns");
		json_double(j, "least", d.lo ? d.lo->min_detectable : NAN);
		json_str(j, "least_strategy", d.lo ? d.lo->strategy : "");
		json_double(j, "most", d.hi ? d.hi->min_detectable : NAN);
		json_str(j, "most_strategy", d.hi ? d.hi->strategy : "");
		json_obj_end(j);
	}
	json_arr_end(j);
}

void compare_write_json(FILE *f, const struct compare_set *s)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "baseline", s->reference);
	json_str(&j, "statistic", "median of per-cycle values");
	json_double(&j, "confidence", COMPARE_CONFIDENCE);
	json_u64(&j, "resamples", COMPARE_RESAMPLES);
	json_u64(&j, "seed", s->seed);
	json_u64(&j, "min_n", COMPARE_MIN_N);
	json_str(&j, "min_detectable_rule",
		 "1.96 x bootstrap SE of the difference of medians");
	json_str(&j, "cycles_needed_rule", COMPARE_POWER_RULE);
	json_arr_begin(&j, "rows");
	for (i = 0; i < s->n; i++)
		json_row(&j, &s->f[i]);
	json_arr_end(&j);
	json_arr_begin(&j, "findings");
	for (i = 0; i < s->n; i++)
		json_finding(&j, &s->f[i]);
	json_arr_end(&j);
	json_detectable(&j, s);
	compare_requests_json(&j, &s->req);
	if (s->cycles)
		compare_coverage_json(&j, s->cycles, s->names, s->nr_names);
	json_obj_end(&j);
	fputc('\n', f);
}

/* A number, or an empty field for what was not computed. */
static void csv_num(FILE *f, double v, const char *fmt)
{
	fputc(',', f);
	if (isfinite(v))
		fprintf(f, fmt, v);
}

void compare_write_csv(FILE *f, const struct compare_set *s)
{
	size_t i;

	fprintf(f, "metric,strategy,n,median_ns,baseline,baseline_n,baseline_median_ns,ratio,ci_lo,ci_hi,difference_ns,diff_ci_lo,diff_ci_hi,verdict\n");
	for (i = 0; i < s->n; i++) {
		const struct compare_finding *c = &s->f[i];
		bool judged = c->verdict != CV_TOO_SMALL;

		fprintf(f, "%s,%s,%zu", c->m->name, c->strategy, c->n);
		csv_num(f, c->median, "%.0f");
		fprintf(f, ",%s,%zu", c->reference, c->ref_n);
		csv_num(f, c->ref_median, "%.0f");
		csv_num(f, c->ratio_err ? NAN : c->ratio.estimate, "%g");
		csv_num(f, judged ? c->ratio.lo : NAN, "%g");
		csv_num(f, judged ? c->ratio.hi : NAN, "%g");
		csv_num(f, c->diff.estimate, "%.0f");
		csv_num(f, c->diff.lo, "%.0f");
		csv_num(f, c->diff.hi, "%.0f");
		fprintf(f, ",%s\n", compare_verdict_name(c->verdict));
	}
}
