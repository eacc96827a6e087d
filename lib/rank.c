// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "lib/rank.h"

/*
 * p / 100 * n is computed in floating point, and decimal percentiles such
 * as 99.9 are not exact in binary: 99.9 / 100 * 1000 comes out a hair above
 * 999, and a bare ceil() would then pick rank 1000. A few ulps of slack
 * (relative 1e-14) keep exact products exact; a true fractional part that
 * small would need a percentile with 14 significant digits.
 */
uint64_t pct_rank(double p, uint64_t n)
{
	double x, r;

	if (!n)
		return 0;
	if (!(p > 0))
		return 1;
	if (p >= 100)
		return n;
	x = p / 100 * (double)n;
	r = ceil(x - x * 1e-14);
	if (r < 1)
		return 1;
	if (r >= (double)n)
		return n;
	return (uint64_t)r;
}
