// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "spike.h"
#include "stats.h"

static void spike_start(struct spike *sp, const struct series_point *p)
{
	sp->start = p->t;
	sp->end = p->t;
	sp->peak_t = p->t;
	sp->peak = p->v;
	sp->count = 1;
}

static void spike_extend(struct spike *sp, const struct series_point *p)
{
	sp->end = p->t;
	sp->count++;
	if (p->v > sp->peak) {
		sp->peak = p->v;
		sp->peak_t = p->t;
	}
}

/*
 * Does sample @i belong to the spike whose last sample is @last? Times are
 * ordered, so the unsigned difference is the exact gap even when it spans
 * more than INT64_MAX.
 */
static bool joins(const struct series_point *s, size_t last, size_t i,
		  int64_t merge_gap)
{
	return last == i - 1 ||
	       (uint64_t)s[i].t - (uint64_t)s[last].t <= (uint64_t)merge_gap;
}

/* One pass; with @out NULL it only counts the spikes. */
static size_t scan(const struct series_point *s, size_t n, double threshold,
		   int64_t merge_gap, struct spike *out)
{
	struct spike cur = { 0 };
	size_t i, last = 0, k = 0;
	bool open = false;

	for (i = 0; i < n; i++) {
		if (!(s[i].v > threshold))
			continue;
		if (open && joins(s, last, i, merge_gap)) {
			spike_extend(&cur, &s[i]);
		} else {
			if (open && out)
				out[k] = cur;
			k += open;
			spike_start(&cur, &s[i]);
			open = true;
		}
		last = i;
	}
	if (open && out)
		out[k] = cur;
	return k + open;
}

int spike_detect(const struct series_point *s, size_t n, double threshold,
		 int64_t merge_gap, struct spike **out, size_t *nout)
{
	size_t k;

	if (isnan(threshold) || merge_gap < 0 || !series_valid(s, n))
		return -EINVAL;
	*out = NULL;
	*nout = 0;
	k = scan(s, n, threshold, merge_gap, NULL);
	if (!k)
		return 0;
	*out = malloc(k * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	*nout = scan(s, n, threshold, merge_gap, *out);
	return 0;
}

int spike_threshold_median(const struct series_point *s, size_t n, double k,
			   double *threshold)
{
	double *v;
	size_t i;

	if (!n)
		return -ENODATA;
	if (isnan(k) || !series_valid(s, n))
		return -EINVAL;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = s[i].v;
	stats_sort(v, n);
	*threshold = k * stats_percentile_sorted(v, n, 50);
	free(v);
	return 0;
}
