// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "analysis/stats/interval.h"

static int by_start(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

size_t interval_normalize(struct interval *v, size_t n)
{
	size_t i, k = 0;

	qsort(v, n, sizeof(*v), by_start);
	for (i = 0; i < n; i++) {
		if (v[i].end <= v[i].start)
			continue;
		/* Touching counts as one: no instant between them is free. */
		if (k && v[i].start <= v[k - 1].end) {
			if (v[i].end > v[k - 1].end)
				v[k - 1].end = v[i].end;
			continue;
		}
		v[k++] = v[i];
	}
	return k;
}

size_t interval_intersect(const struct interval *a, size_t na,
			  const struct interval *b, size_t nb,
			  struct interval *out)
{
	size_t i = 0, j = 0, k = 0;

	/* Both sets are ordered and disjoint: one merge-like pass. */
	while (i < na && j < nb) {
		int64_t lo = a[i].start > b[j].start ? a[i].start : b[j].start;
		int64_t hi = a[i].end < b[j].end ? a[i].end : b[j].end;

		if (lo < hi)
			out[k++] = (struct interval){ lo, hi };
		if (a[i].end < b[j].end)
			i++;
		else
			j++;
	}
	return k;
}

/* The first interval that ends after @t (binary search). */
static size_t first_ending_after(const struct interval *v, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void interval_clip_sum(const struct interval *v, size_t n, int64_t lo,
		       int64_t hi, struct interval_sum *s)
{
	size_t i;

	s->total = s->count = s->longest = 0;
	for (i = first_ending_after(v, n, lo); i < n && v[i].start < hi; i++) {
		int64_t a = v[i].start > lo ? v[i].start : lo;
		int64_t b = v[i].end < hi ? v[i].end : hi;
		uint64_t len;

		if (a >= b)
			continue;
		len = (uint64_t)(b - a);
		s->total += len;
		s->count++;
		if (len > s->longest)
			s->longest = len;
	}
}
