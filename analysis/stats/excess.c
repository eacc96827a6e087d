// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>

#include "analysis/stats/excess.h"

void excess_rate_add(struct excess_rate *r, uint64_t lost_ns,
		     uint64_t window_ns)
{
	r->lost_ns += lost_ns;
	r->window_ns += window_ns;
}

int excess_ns(uint64_t lost_ns, const struct excess_rate *r, uint64_t len_ns,
	      int64_t *out)
{
	unsigned __int128 floor;

	if (!r->window_ns)
		return -ENODATA;
	/* Exact: seconds of windows times seconds of loss overflow 64 bits. */
	floor = ((unsigned __int128)r->lost_ns * len_ns + r->window_ns / 2) /
		r->window_ns;
	if (floor > INT64_MAX)
		floor = INT64_MAX;
	*out = (int64_t)lost_ns - (int64_t)floor;
	return 0;
}

double excess_coverage(uint64_t seen_ns, uint64_t truth_ns)
{
	return truth_ns ? (double)seen_ns / (double)truth_ns : NAN;
}
