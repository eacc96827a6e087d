// SPDX-License-Identifier: GPL-2.0
/* bench compare's text: the table, one sentence per finding, sizes. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "analysis/compare/coverage.h"
#include "analysis/compare/out.h"
#include "analysis/compare/say.h"
#include "lib/util.h"

void compare_detectable(const struct compare_set *s,
			const struct compare_metric *m,
			struct compare_detectable *d)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->m = m;
	for (i = 0; i < s->n; i++) {
		const struct compare_finding *f = &s->f[i];

		if (f->m != m)
			continue;
		d->rows++;
		if (f->verdict == CV_TOO_SMALL ||
		    isnan(f->min_detectable))
			continue;
		d->judged++;
		/* No spread at all (both always 0) says nothing of the run. */
		if (!(f->min_detectable > 0))
			continue;
		if (!d->lo || f->min_detectable < d->lo->min_detectable)
			d->lo = f;
		if (!d->hi || f->min_detectable > d->hi->min_detectable)
			d->hi = f;
	}
}

/* Cycles each strategy has (the most over its metrics). */
static size_t cycles_of(const struct compare_set *s, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++) {
		size_t k = !strcmp(s->f[i].strategy, name) ? s->f[i].n :
			   !strcmp(s->f[i].reference, name) ? s->f[i].ref_n : 0;

		n = k > n ? k : n;
	}
	return n;
}

/* A run with too few cycles says so before anything else. */
static void too_few(FILE *f, const struct compare_set *s)
{
	size_t i, n, shown = 0;

	for (i = 0; i < s->nr_names; i++) {
		n = cycles_of(s, s->names[i]);
		if (n >= COMPARE_MIN_N)
			continue;
		fprintf(f, "%s%s %zu", shown++ ? ", " : "\nToo few cycles for confidence intervals: ",
			s->names[i], n);
	}
	if (shown)
		fprintf(f, " (a CI needs %d per side; bench compare runs 10 per strategy unless --cycles says otherwise)\n",
			COMPARE_MIN_N);
}

static void row(FILE *f, const struct compare_finding *c)
{
	char ma[32], mb[32], d[96], r[64];
	const struct bootstrap_ci *x = &c->diff;

	snprintf(ma, sizeof(ma), "-");
	if (c->n)
		fmt_sns(ma, sizeof(ma), (int64_t)llround(c->median));
	fmt_sns(mb, sizeof(mb), (int64_t)llround(c->ref_median));
	if (!c->n)
		snprintf(d, sizeof(d), "no data");
	else if (c->verdict == CV_TOO_SMALL)
		compare_fmt_in(d, sizeof(d), x->estimate, fabs(x->estimate), true);
	else
		compare_fmt_span(d, sizeof(d), x->estimate, x->lo, x->hi, true);
	if (c->ratio_err)
		snprintf(r, sizeof(r), "%s", c->ratio_err == -EDOM ?
			 "reference is 0" : "-");
	else if (c->verdict == CV_TOO_SMALL)
		snprintf(r, sizeof(r), "%.2fx", c->ratio.estimate);
	else
		snprintf(r, sizeof(r), "%.2fx [%.2f, %.2f]", c->ratio.estimate,
			 c->ratio.lo, c->ratio.hi);
	fprintf(f, "%-37s %-13s %3zu %9s %9s  %-27s %-20s %s\n", c->m->name,
		c->strategy, c->n, ma, mb, d, r,
		c->n ? compare_verdict_name(c->verdict) : "-");
}

static void table(FILE *f, const struct compare_set *s)
{
	size_t i;

	fprintf(f, "\nEach strategy against %s: medians of per-cycle values; difference (strategy - %s) and ratio with 95%% bootstrap CIs (%d resamples, seed %llu), given from %d cycles per side\n",
		s->reference, s->reference, COMPARE_RESAMPLES,
		(unsigned long long)s->seed, COMPARE_MIN_N);
	fprintf(f, "%-37s %-13s %3s %9s %9s  %-27s %-20s %s\n", "metric",
		"strategy", "n", "median", s->reference, "difference [95% CI]",
		"ratio [95% CI]", "verdict");
	for (i = 0; i < s->n; i++)
		row(f, &s->f[i]);
}

static bool all_too_small(const struct compare_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->f[i].strategy, name) &&
		    s->f[i].verdict != CV_TOO_SMALL)
			return false;
	return true;
}

static void sentences(FILE *f, const struct compare_set *s)
{
	const struct compare_finding *first;
	char buf[640];
	size_t i, k;

	fprintf(f, "\nFindings (larger is worse for every metric; \"not distinguishable\": the 95%% CI of the difference holds 0):\n");
	for (i = 0; i < s->nr_names; i++) {
		for (first = NULL, k = 0; k < s->n && !first; k++)
			if (!strcmp(s->f[k].strategy, s->names[i]))
				first = &s->f[k];
		if (!first)
			continue;
		if (all_too_small(s, s->names[i])) {
			compare_sentence_too_small(first, buf, sizeof(buf));
			fprintf(f, "  %s.\n", buf);
			continue;
		}
		for (k = 0; k < s->n; k++) {
			if (strcmp(s->f[k].strategy, s->names[i]) || !s->f[k].n)
				continue;
			compare_sentence(&s->f[k], buf, sizeof(buf));
			fprintf(f, "  %s.\n", buf);
		}
	}
}

static void detectable(FILE *f, const struct compare_set *s)
{
	struct compare_detectable d;
	char lo[32], hi[32];
	size_t m;

	for (m = 0; m < s->n && s->f[m].verdict == CV_TOO_SMALL; m++)
		;
	if (m == s->n) {
		fprintf(f, "\nSmallest difference this run tells from 0: n too small for every metric.\n");
		return;
	}
	fprintf(f, "\nSmallest difference this run tells from 0 (1.96 x the bootstrap SE of the difference against %s; least .. most over the strategies):\n",
		s->reference);
	for (m = 0; m < compare_nr_metrics; m++) {
		compare_detectable(s, &compare_metrics[m], &d);
		if (!d.rows)
			continue;
		if (!d.judged) {
			fprintf(f, "  %-37s n too small\n", compare_metrics[m].name);
			continue;
		}
		if (!d.lo) {
			fprintf(f, "  %-37s no spread: the same in every resample\n",
				compare_metrics[m].name);
			continue;
		}
		compare_fmt_in(lo, sizeof(lo), d.lo->min_detectable,
			       d.lo->min_detectable, false);
		if (d.lo->min_detectable == d.hi->min_detectable) {
			fprintf(f, "  %-37s %s, n=%zu\n",
				compare_metrics[m].name, lo, d.hi->n);
			continue;
		}
		compare_fmt_in(hi, sizeof(hi), d.hi->min_detectable,
			       d.hi->min_detectable, false);
		fprintf(f, "  %-37s %s (%s) .. %s (%s), n=%zu\n",
			compare_metrics[m].name, lo, d.lo->strategy, hi,
			d.hi->strategy, d.hi->n);
	}
}

void compare_print(FILE *f, const struct compare_set *s)
{
	size_t i;

	too_few(f, s);
	table(f, s);
	compare_requests_print(f, &s->req);
	sentences(f, s);
	if (s->cycles)
		compare_coverage_print(f, s->cycles, s->names, s->nr_names);
	detectable(f, s);
	for (i = 0; i < s->n; i++) {
		if (s->f[i].verdict == CV_SAME) {
			fprintf(f, "\nCycles to detect a difference the size of a strategy's own stop: %s.\n",
				COMPARE_POWER_RULE);
			break;
		}
	}
}
