// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "window.h"

void window_range(const struct series_point *s, size_t n, struct interval iv,
		  size_t *lo, size_t *hi)
{
	*lo = series_lower_bound(s, n, iv.start);
	*hi = series_lower_bound(s, n, iv.end);
	if (*hi < *lo)
		*hi = *lo;
}

static int check_input(const struct series_point *s, size_t n,
		       const struct interval *iv, size_t niv)
{
	size_t i;

	if (!series_valid(s, n))
		return -EINVAL;
	for (i = 0; i < niv; i++)
		if (iv[i].start > iv[i].end ||
		    (i && iv[i].start < iv[i - 1].start))
			return -EINVAL;
	return 0;
}

/*
 * With intervals ordered by start, the first index of each range never
 * moves back, so whatever lies before the furthest end reached so far was
 * already taken: copying only past it gives the union, in time order. With
 * @out NULL it only counts.
 */
static size_t walk_union(const struct series_point *s, size_t n,
			 const struct interval *iv, size_t niv, double *out)
{
	size_t k, i, lo, hi, taken = 0, m = 0;

	for (k = 0; k < niv; k++) {
		window_range(s, n, iv[k], &lo, &hi);
		for (i = lo > taken ? lo : taken; i < hi; i++) {
			if (out)
				out[m] = s[i].v;
			m++;
		}
		if (hi > taken)
			taken = hi;
	}
	return m;
}

int window_gather(const struct series_point *s, size_t n,
		  const struct interval *iv, size_t niv,
		  double **vals, size_t *nvals)
{
	size_t m;
	int err;

	err = check_input(s, n, iv, niv);
	if (err)
		return err;
	*vals = NULL;
	*nvals = 0;
	m = walk_union(s, n, iv, niv, NULL);
	if (!m)
		return 0;
	*vals = malloc(m * sizeof(**vals));
	if (!*vals)
		return -ENOMEM;
	*nvals = walk_union(s, n, iv, niv, *vals);
	return 0;
}

/* Windows reaching past the ends of int64 time are cut there. */
static int64_t add_sat(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int window_around(const int64_t *events, size_t nev, struct window w,
		  struct interval **iv)
{
	size_t i;

	if (w.start > w.end)
		return -EINVAL;
	for (i = 1; i < nev; i++)
		if (events[i] < events[i - 1])
			return -EINVAL;
	*iv = NULL;
	if (!nev)
		return 0;
	*iv = malloc(nev * sizeof(**iv));
	if (!*iv)
		return -ENOMEM;
	for (i = 0; i < nev; i++) {
		(*iv)[i].start = add_sat(events[i], w.start);
		(*iv)[i].end = add_sat(events[i], w.end);
	}
	return 0;
}

static int summarize(const struct series_point *s, size_t n,
		     const struct interval *iv, size_t niv,
		     struct stats_summary *sum)
{
	double *v;
	size_t m;
	int err;

	err = window_gather(s, n, iv, niv, &v, &m);
	if (err)
		return err;
	err = stats_summarize(v, m, sum);
	free(v);
	return err;
}

int window_compare(const struct series_point *s, size_t n,
		   const struct interval *base, size_t nbase,
		   const struct interval *trans, size_t ntrans,
		   struct window_cmp *c)
{
	int err;

	err = summarize(s, n, base, nbase, &c->base);
	if (!err)
		err = summarize(s, n, trans, ntrans, &c->trans);
	if (err)
		return err;
	c->ratio_mean = c->trans.mean / c->base.mean;
	c->ratio_p50 = c->trans.p50 / c->base.p50;
	c->ratio_p99 = c->trans.p99 / c->base.p99;
	c->ratio_p999 = c->trans.p999 / c->base.p999;
	c->ratio_max = c->trans.max / c->base.max;
	return 0;
}
