// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats/bootstrap.h"
#include "lib/rank.h"
#include "analysis/stats/rng.h"
#include "analysis/stats/stats.h"

/* One sample set: sorted values and the scratch counts of a resample. */
struct sample_set {
	double *v;
	uint32_t *hits;		/* how often each sorted value was drawn */
	size_t n;
};

static int set_init(struct sample_set *s, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isnan(v[i]))
			return -EINVAL;
	s->n = n;
	s->v = malloc(n * sizeof(*s->v));
	s->hits = malloc(n * sizeof(*s->hits));
	if (!s->v || !s->hits)
		return -ENOMEM;
	memcpy(s->v, v, n * sizeof(*s->v));
	stats_sort(s->v, n);
	return 0;
}

static void set_free(struct sample_set *s)
{
	free(s->v);
	free(s->hits);
}

/* The statistic of the set as given: every value drawn once. */
static double stat_of_sorted(const struct sample_set *s,
			     const struct bootstrap_opts *o)
{
	double sum = 0;
	size_t i;

	if (o->stat == BOOTSTRAP_PERCENTILE)
		return stats_percentile_sorted(s->v, s->n, o->p);
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	return sum / (double)s->n;
}

/*
 * Statistic of one resample. Drawing indices into the sorted values and
 * counting hits means the resample never needs sorting: its r-th smallest
 * value is where the running hit count reaches r. O(n) per resample.
 */
static double resample_stat(struct sample_set *s,
			    const struct bootstrap_opts *o, struct rng *r)
{
	uint64_t rank, seen = 0;
	double sum = 0;
	size_t i;

	memset(s->hits, 0, s->n * sizeof(*s->hits));
	for (i = 0; i < s->n; i++)
		s->hits[rng_below(r, s->n)]++;
	if (o->stat == BOOTSTRAP_MEAN) {
		for (i = 0; i < s->n; i++)
			sum += s->hits[i] * s->v[i];
		return sum / (double)s->n;
	}
	rank = pct_rank(o->p, s->n);
	for (i = 0; i < s->n; i++) {
		seen += s->hits[i];
		if (seen >= rank)
			break;
	}
	return s->v[i];
}

static double ratio(double num, double den)
{
	if (den == 0)
		return num == 0 ? 1 : (num > 0 ? INFINITY : -INFINITY);
	return num / den;
}

static int check_opts(const struct bootstrap_opts *o, size_t na, size_t nb)
{
	if (!na || !nb)
		return -ENODATA;
	if (!o->resamples || !(o->confidence > 0 && o->confidence < 1))
		return -EINVAL;
	if (o->stat == BOOTSTRAP_PERCENTILE && !(o->p >= 0 && o->p <= 100))
		return -EINVAL;
	if (o->stat != BOOTSTRAP_MEAN && o->stat != BOOTSTRAP_PERCENTILE)
		return -EINVAL;
	/* hits[] are 32-bit: a value drawn more often would wrap */
	if (na > UINT32_MAX || nb > UINT32_MAX)
		return -EINVAL;
	return 0;
}

static double difference(double a, double b)
{
	return a - b;
}

/* Standard deviation, n - 1 form, of the resampled values. */
static double spread(const double *v, unsigned int n)
{
	double mean = 0, ss = 0;
	unsigned int i;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		mean += v[i];
	mean /= n;
	for (i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	return sqrt(ss / (n - 1));
}

static int run(struct sample_set *a, struct sample_set *b,
	       const struct bootstrap_opts *o,
	       double (*combine)(double, double), struct bootstrap_ci *ci)
{
	double *vals, tail = (1 - o->confidence) / 2 * 100;
	unsigned int i;
	struct rng r;

	vals = malloc(o->resamples * sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	rng_seed(&r, o->seed);
	for (i = 0; i < o->resamples; i++) {
		double sa = resample_stat(a, o, &r);

		/* One set: its statistic alone, nothing else drawn. */
		vals[i] = b ? combine(sa, resample_stat(b, o, &r)) : sa;
	}
	ci->se = spread(vals, o->resamples);
	stats_sort(vals, o->resamples);
	ci->lo = stats_percentile_sorted(vals, o->resamples, tail);
	ci->hi = stats_percentile_sorted(vals, o->resamples, 100 - tail);
	free(vals);
	return 0;
}

/* Both intervals: @ratio_of_stats picks the ratio, else the difference. */
static int interval(const double *a, size_t na, const double *b, size_t nb,
		    const struct bootstrap_opts *o, bool ratio_of_stats,
		    struct bootstrap_ci *ci)
{
	struct sample_set sa = { 0 }, sb = { 0 };
	double sta, stb;
	int err;

	err = check_opts(o, na, nb);
	if (err)
		return err;
	err = set_init(&sa, a, na);
	if (!err)
		err = set_init(&sb, b, nb);
	if (err)
		goto out;
	sta = stat_of_sorted(&sa, o);
	stb = stat_of_sorted(&sb, o);
	if (ratio_of_stats && stb == 0) {
		err = -EDOM;
		goto out;
	}
	ci->estimate = ratio_of_stats ? sta / stb : sta - stb;
	err = run(&sa, &sb, o, ratio_of_stats ? ratio : difference, ci);
out:
	set_free(&sa);
	set_free(&sb);
	return err;
}

int bootstrap_ci(const double *a, size_t na, const struct bootstrap_opts *o,
		 struct bootstrap_ci *ci)
{
	struct sample_set sa = { 0 };
	int err = check_opts(o, na, 1);

	if (err)
		return err;
	err = set_init(&sa, a, na);
	if (!err) {
		ci->estimate = stat_of_sorted(&sa, o);
		err = run(&sa, NULL, o, NULL, ci);
	}
	set_free(&sa);
	return err;
}

int bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
		       const struct bootstrap_opts *o, struct bootstrap_ci *ci)
{
	return interval(a, na, b, nb, o, true, ci);
}

int bootstrap_diff_ci(const double *a, size_t na, const double *b, size_t nb,
		      const struct bootstrap_opts *o, struct bootstrap_ci *ci)
{
	return interval(a, na, b, nb, o, false, ci);
}
