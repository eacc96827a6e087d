// SPDX-License-Identifier: GPL-2.0
/*
 * llhist.c - log-linear histogram: layout, recording, merging, statistics.
 * The text form lives in llhist-codec.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llhist-impl.h"
#include "rank.h"

static unsigned int sub_bits_for(unsigned int sig_figs)
{
	uint64_t want = 2;
	unsigned int bits = 0;

	while (sig_figs--)
		want *= 10;
	while ((1ULL << bits) < want)
		bits++;
	return bits;
}

/*
 * Counter of @v. Values below 2^sub_bits index themselves. Above, let b be
 * v's bit length minus sub_bits and half = 2^(sub_bits - 1): v >> b lies in
 * [half, 2 * half), its bucket is 2^b wide, and b * half + (v >> b) puts
 * each power of two's half buckets right after those of the one below.
 */
size_t llhist_index(const struct llhist *h, uint64_t v)
{
	unsigned int b;

	if (!(v >> h->sub_bits))
		return v;
	b = 64 - __builtin_clzll(v) - h->sub_bits;
	return ((size_t)b << (h->sub_bits - 1)) + (v >> b);
}

/* log2 of the width of counter @i's bucket. */
static unsigned int index_shift(const struct llhist *h, size_t i)
{
	if (!(i >> h->sub_bits))
		return 0;
	return (i >> (h->sub_bits - 1)) - 1;
}

uint64_t llhist_index_lowest(const struct llhist *h, size_t i)
{
	unsigned int b = index_shift(h, i);

	return (uint64_t)(i - ((size_t)b << (h->sub_bits - 1))) << b;
}

uint64_t llhist_index_highest(const struct llhist *h, size_t i)
{
	return llhist_index_lowest(h, i) + ((1ULL << index_shift(h, i)) - 1);
}

uint64_t llhist_lowest_equivalent(const struct llhist *h, uint64_t v)
{
	return llhist_index_lowest(h, llhist_index(h, v));
}

uint64_t llhist_highest_equivalent(const struct llhist *h, uint64_t v)
{
	return llhist_index_highest(h, llhist_index(h, v));
}

struct llhist *llhist_new(uint64_t highest, unsigned int sig_figs)
{
	struct llhist probe = { 0 };
	struct llhist *h;
	size_t len;

	if (!highest || sig_figs < LLHIST_SIG_FIGS_MIN ||
	    sig_figs > LLHIST_SIG_FIGS_MAX) {
		errno = EINVAL;
		return NULL;
	}
	probe.sub_bits = sub_bits_for(sig_figs);
	len = llhist_index(&probe, highest) + 1;
	h = calloc(1, sizeof(*h) + len * sizeof(h->counts[0]));
	if (!h)
		return NULL;
	h->highest = highest;
	h->sig_figs = sig_figs;
	h->sub_bits = probe.sub_bits;
	h->len = len;
	h->min = UINT64_MAX;
	return h;
}

void llhist_free(struct llhist *h)
{
	free(h);
}

void llhist_reset(struct llhist *h)
{
	memset(h->counts, 0, h->len * sizeof(h->counts[0]));
	h->count = 0;
	h->overflow = 0;
	h->min = UINT64_MAX;
	h->max = 0;
}

void llhist_record_n(struct llhist *h, uint64_t v, uint64_t n)
{
	if (!n)
		return;
	if (v > h->highest)
		h->overflow += n;
	else
		h->counts[llhist_index(h, v)] += n;
	h->count += n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void llhist_record(struct llhist *h, uint64_t v)
{
	llhist_record_n(h, v, 1);
}

int llhist_merge(struct llhist *dst, const struct llhist *src)
{
	size_t i;

	if (dst->highest != src->highest || dst->sig_figs != src->sig_figs)
		return -EINVAL;
	for (i = 0; i < dst->len; i++)
		dst->counts[i] += src->counts[i];
	dst->count += src->count;
	dst->overflow += src->overflow;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	return 0;
}

uint64_t llhist_highest(const struct llhist *h)
{
	return h->highest;
}

unsigned int llhist_sig_figs(const struct llhist *h)
{
	return h->sig_figs;
}

uint64_t llhist_count(const struct llhist *h)
{
	return h->count;
}

uint64_t llhist_overflow(const struct llhist *h)
{
	return h->overflow;
}

uint64_t llhist_min(const struct llhist *h)
{
	return h->count ? h->min : 0;
}

uint64_t llhist_max(const struct llhist *h)
{
	return h->max;
}

/* Middle of counter @i's bucket: off by at most half a bucket's width. */
static double index_middle(const struct llhist *h, size_t i)
{
	unsigned int b = index_shift(h, i);

	return (double)llhist_index_lowest(h, i) + (double)((1ULL << b) >> 1);
}

double llhist_mean(const struct llhist *h)
{
	uint64_t n = h->count - h->overflow;
	double sum = 0;
	size_t i;

	if (!n)
		return NAN;
	for (i = 0; i < h->len; i++)
		if (h->counts[i])
			sum += (double)h->counts[i] * index_middle(h, i);
	return sum / (double)n;
}

double llhist_stddev(const struct llhist *h)
{
	uint64_t n = h->count - h->overflow;
	double mean = llhist_mean(h), sum = 0, d;
	size_t i;

	if (!n)
		return NAN;
	for (i = 0; i < h->len; i++) {
		if (!h->counts[i])
			continue;
		d = index_middle(h, i) - mean;
		sum += (double)h->counts[i] * d * d;
	}
	return sqrt(sum / (double)n);
}

uint64_t llhist_percentile(const struct llhist *h, double p)
{
	uint64_t rank = pct_rank(p, h->count), seen = 0, v;
	size_t i;

	if (!rank)
		return 0;
	for (i = 0; i < h->len; i++) {
		seen += h->counts[i];
		if (seen >= rank) {
			v = llhist_index_highest(h, i);
			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}

void llhist_iter_init(struct llhist_iter *it, const struct llhist *h)
{
	memset(it, 0, sizeof(*it));
	it->h = h;
}

bool llhist_iter_next(struct llhist_iter *it)
{
	const struct llhist *h = it->h;

	while (!it->done && it->next < h->len) {
		size_t i = it->next++;

		if (!h->counts[i])
			continue;
		it->lo = llhist_index_lowest(h, i);
		it->hi = llhist_index_highest(h, i);
		it->count = h->counts[i];
		it->cumulative += it->count;
		return true;
	}
	if (it->done || !h->overflow) {
		it->done = true;
		return false;
	}
	it->done = true;
	it->overflow = true;
	it->lo = h->highest + 1;
	it->hi = h->max;
	it->count = h->overflow;
	it->cumulative += it->count;
	return true;
}
