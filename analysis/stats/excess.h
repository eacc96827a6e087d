/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time lost above a noise floor. Under emulation a spinning thread loses
 * time all the time; what a transition costs is what it lost beyond the
 * rate the same boot showed in its baseline windows, scaled to the
 * transition's length. And the check of such a measure against a known
 * truth (a probe's stopped time): the fraction of the truth it covered.
 */
#ifndef ANALYSIS_EXCESS_H
#define ANALYSIS_EXCESS_H

#include <stdint.h>

/* A baseline: so much time lost in so much time watched. */
struct excess_rate {
	uint64_t lost_ns;
	uint64_t window_ns;
};

void excess_rate_add(struct excess_rate *r, uint64_t lost_ns,
		     uint64_t window_ns);

/*
 * @lost_ns minus what the baseline rate loses in @len_ns, rounded to the
 * nearest ns; negative when the window lost less than the baseline rate.
 * 0, or -ENODATA when the rate watched nothing (nothing to subtract).
 */
int excess_ns(uint64_t lost_ns, const struct excess_rate *r, uint64_t len_ns,
	      int64_t *out);

/* @seen / @truth; NaN when there is no truth to cover (@truth == 0). */
double excess_coverage(uint64_t seen_ns, uint64_t truth_ns);

#endif
