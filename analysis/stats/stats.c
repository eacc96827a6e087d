// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rank.h"
#include "analysis/stats/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double stats_percentile_sorted(const double *sorted, size_t n, double p)
{
	if (!n)
		return NAN;
	return sorted[pct_rank(p, n) - 1];
}

/*
 * Two passes: the mean first, then squared distances from it, which keeps
 * the spread of large values that a running sum of squares would lose.
 */
static void moments(const double *v, size_t n, double *mean, double *sd)
{
	double sum = 0, d;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	*mean = sum / (double)n;
	if (n < 2) {
		*sd = 0;
		return;
	}
	sum = 0;
	for (i = 0; i < n; i++) {
		d = v[i] - *mean;
		sum += d * d;
	}
	*sd = sqrt(sum / (double)(n - 1));
}

int stats_summarize_sorted(const double *sorted, size_t n,
			   struct stats_summary *s)
{
	size_t i;

	if (!n)
		return -ENODATA;
	for (i = 0; i < n; i++)
		if (isnan(sorted[i]) || (i && sorted[i] < sorted[i - 1]))
			return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->n = n;
	moments(sorted, n, &s->mean, &s->stddev);
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->p50 = stats_percentile_sorted(sorted, n, 50);
	s->p90 = stats_percentile_sorted(sorted, n, 90);
	s->p99 = stats_percentile_sorted(sorted, n, 99);
	s->p999 = stats_percentile_sorted(sorted, n, 99.9);
	s->p9999 = stats_percentile_sorted(sorted, n, 99.99);
	return 0;
}

int stats_summarize(const double *v, size_t n, struct stats_summary *s)
{
	double *copy;
	size_t i;
	int err;

	if (!n)
		return -ENODATA;
	for (i = 0; i < n; i++)
		if (isnan(v[i]))
			return -EINVAL;	/* before sorting: NaN breaks qsort */
	copy = malloc(n * sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, v, n * sizeof(*copy));
	stats_sort(copy, n);
	err = stats_summarize_sorted(copy, n, s);
	free(copy);
	return err;
}
