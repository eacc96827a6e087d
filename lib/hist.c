// SPDX-License-Identifier: GPL-2.0
/* hist.c - log-linear histograms: merge, percentiles. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/rank.h"
#include "lib/hist.h"

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_sub(struct hist *out, const struct hist *before,
	      const struct hist *now)
{
	unsigned int i, lo = HIST_BUCKETS, hi = 0;

	hist_init(out);
	for (i = 0; i < HIST_BUCKETS; i++) {
		uint64_t n = now->buckets[i] > before->buckets[i] ?
			     now->buckets[i] - before->buckets[i] : 0;

		out->buckets[i] = n;
		out->count += n;
		if (n && i < lo)
			lo = i;
		if (n)
			hi = i;
	}
	if (!out->count)
		return;
	out->sum = now->sum > before->sum ? now->sum - before->sum : 0;
	out->min = hist_bucket_lo(lo);
	/*
	 * A maximum that grew was reached in between: exact. Otherwise the
	 * largest value in between is only known to its bucket.
	 */
	if (now->max > before->max)
		out->max = now->max;
	else
		out->max = hist_bucket_hi(hi) < now->max ? hist_bucket_hi(hi) :
			   now->max;
	if (out->min > out->max)
		out->min = out->max;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	unsigned int i;

	for (i = 0; i < HIST_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->count && src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

void hist_add_buckets(struct hist *dst, const unsigned long long *buckets,
		      uint64_t count, uint64_t sum, uint64_t max)
{
	unsigned int i;
	int first = -1;

	for (i = 0; i < HIST_BUCKETS; i++) {
		if (buckets[i] && first < 0)
			first = (int)i;
		dst->buckets[i] += buckets[i];
	}
	dst->count += count;
	dst->sum += sum;
	if (first >= 0 && hist_bucket_lo(first) < dst->min)
		dst->min = hist_bucket_lo(first);
	if (max > dst->max)
		dst->max = max;
}

uint64_t hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0, v;
	unsigned int i;

	if (!h->count)
		return 0;
	if (p <= 0)
		return h->min;
	if (p >= 100)
		return h->max;
	/*
	 * The smallest value with at least p% of the samples at or below it,
	 * by the rank rule the analysis library uses (a bare ceil() gets
	 * p99.9 of 1000 samples wrong).
	 */
	rank = pct_rank(p, h->count);
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			break;
	}
	if (i == HIST_BUCKETS)
		return h->max;
	v = hist_bucket_hi(i);
	if (v > h->max)
		v = h->max;
	if (v < h->min)
		v = h->min;
	return v;
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

void hist_json(const struct hist *h, struct json *j, const char *key)
{
	static const struct { const char *name; double p; } pcts[] = {
		{ "p50", 50 }, { "p90", 90 }, { "p99", 99 }, { "p99_9", 99.9 },
		{ "p99_99", 99.99 },
	};
	char lo[24];
	unsigned int i;

	json_obj_begin(j, key);
	json_u64(j, "count", h->count);
	json_u64(j, "sum_ns", h->sum);
	json_u64(j, "min_ns", h->count ? h->min : 0);
	json_u64(j, "max_ns", h->max);
	json_double(j, "mean_ns", hist_mean(h));
	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		char name[24];

		snprintf(name, sizeof(name), "%s_ns", pcts[i].name);
		json_u64(j, name, hist_percentile(h, pcts[i].p));
	}
	/* Sparse, keyed by each bucket's lower bound, as cyclictest does. */
	json_obj_begin(j, "buckets");
	for (i = 0; i < HIST_BUCKETS; i++) {
		if (!h->buckets[i])
			continue;
		snprintf(lo, sizeof(lo), "%llu", hist_bucket_lo(i));
		json_u64(j, lo, h->buckets[i]);
	}
	json_obj_end(j);
	json_obj_end(j);
}
