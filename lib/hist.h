/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h - the user-space side of the log-linear histogram whose bucket
 * layout is defined once, in bpf/hist.h: recording, merging, percentiles.
 * The workloads record into it directly; the probes' per-CPU BPF
 * histograms are summed into it, and analysis reads its JSON back through
 * the same bucket functions, so all of them agree on every bound.
 */
#ifndef LIB_HIST_H
#define LIB_HIST_H

#include <stdint.h>

#include "bpf/hist.h"
#include "lib/json.h"

struct hist {
	uint64_t buckets[HIST_BUCKETS];
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
};

void hist_init(struct hist *h);

static inline void hist_record(struct hist *h, uint64_t v)
{
	h->buckets[hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/*
 * @out = what was recorded between two readings of one cumulative
 * histogram (@before, then @now). Counts are exact; the maximum is exact
 * when it grew in between, else the upper bound of the highest bucket that
 * grew (within 1/16); the minimum is that bucket's lower bound.
 */
void hist_sub(struct hist *out, const struct hist *before,
	      const struct hist *now);
/* Add @src's counts to @dst. */
void hist_merge(struct hist *dst, const struct hist *src);
/*
 * Add one CPU's BPF histogram. BPF keeps no minimum (it would cost a
 * compare on every event for a number nobody reads), so the minimum is
 * taken as the lower bound of the first non-empty bucket.
 */
void hist_add_buckets(struct hist *dst, const unsigned long long *buckets,
		      uint64_t count, uint64_t sum, uint64_t max);
/*
 * The value at percentile @p (0-100): the upper bound of the bucket that
 * holds it, never above the largest value seen. 0 for an empty histogram.
 */
uint64_t hist_percentile(const struct hist *h, double p);
double hist_mean(const struct hist *h);
/* As JSON: count, sum, min, max, mean, percentiles, buckets {lo: n}. */
void hist_json(const struct hist *h, struct json *j, const char *key);

#endif
