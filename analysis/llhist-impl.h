/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside of struct llhist, shared by llhist.c (arithmetic) and llhist-codec.c
 * (text form); users go through llhist.h only.
 */
#ifndef ANALYSIS_LLHIST_IMPL_H
#define ANALYSIS_LLHIST_IMPL_H

#include "llhist.h"

struct llhist {
	uint64_t highest;	/* largest value with a bucket */
	unsigned int sig_figs;
	unsigned int sub_bits;	/* log2 of the sub-bucket count */
	size_t len;		/* counters: llhist_index(highest) + 1 */
	uint64_t count;		/* every sample, overflow included */
	uint64_t overflow;	/* samples above highest */
	uint64_t min;		/* UINT64_MAX while empty */
	uint64_t max;
	uint64_t counts[];
};

size_t llhist_index(const struct llhist *h, uint64_t v);
/* First and last value that counter @i stands for. */
uint64_t llhist_index_lowest(const struct llhist *h, size_t i);
uint64_t llhist_index_highest(const struct llhist *h, size_t i);

#endif
