// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "series.h"

bool series_valid(const struct series_point *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isnan(s[i].v) || (i && s[i].t < s[i - 1].t))
			return false;
	return true;
}

size_t series_lower_bound(const struct series_point *s, size_t n, int64_t t)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
