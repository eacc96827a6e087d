/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h - log-linear latency histogram shared by the BPF probes and bench.
 *
 * Values are nanoseconds. Below HIST_SUB (16) every value has its own
 * bucket; above, each power of two is cut into HIST_SUB equal buckets, so a
 * bucket's width is at most 1/16 of its lower bound (6.25% relative
 * error), which is what percentiles of latencies need, at 16 buckets per
 * octave instead of HdrHistogram's thousands. The last bucket is open-
 * ended: it holds the top sixteenth of the last octave (from 31/32 of
 * 2^HIST_MAX_LOG2 ns, about 18 minutes) and every value above.
 *
 * This file is the only definition of the layout (index <-> bounds): BPF
 * programs, lib/hist.c, the workloads and analysis all use these
 * functions; tests/host/test_lib_hist.c checks them against brute force.
 *
 * The index is computed with shifts only, because BPF has no count-leading-
 * zeros instruction; the same inline code runs in both places so that the
 * kernel and user space can never disagree about bucket bounds.
 */
#ifndef KGRAFT_BPF_HIST_H
#define KGRAFT_BPF_HIST_H

#define HIST_SUB_BITS	4
#define HIST_SUB	(1U << HIST_SUB_BITS)
#define HIST_MAX_LOG2	40
/* Linear buckets, then HIST_SUB per octave from 2^HIST_SUB_BITS up. */
#define HIST_BUCKETS	((HIST_MAX_LOG2 - HIST_SUB_BITS + 1) * HIST_SUB)

/* Timeline: per-window maxima and counts, the window set by the reader. */
#define HIST_MAX_WINDOWS	4096

struct hist_window {
	unsigned long long max_ns;
	unsigned long long count;
};

/* floor(log2(v)) for v > 0, by binary search over the bit positions. */
static inline unsigned int hist_log2(unsigned long long v)
{
	unsigned int r = 0, shift;

	shift = (v > 0xFFFFFFFFULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static inline unsigned int hist_index(unsigned long long v)
{
	unsigned int e, shift, idx;

	if (v < HIST_SUB)
		return (unsigned int)v;
	e = hist_log2(v);
	if (e >= HIST_MAX_LOG2)
		return HIST_BUCKETS - 1;
	shift = e - HIST_SUB_BITS;
	idx = (shift + 1) * HIST_SUB + (unsigned int)(v >> shift) - HIST_SUB;
	/* Redundant for the verifier's sake: bounds the index it sees. */
	return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1;
}

/* Smallest value that falls in bucket @idx. */
static inline unsigned long long hist_bucket_lo(unsigned int idx)
{
	unsigned int shift;

	if (idx < HIST_SUB)
		return idx;
	shift = idx / HIST_SUB - 1;
	return (unsigned long long)(idx % HIST_SUB + HIST_SUB) << shift;
}

/* Largest value that falls in bucket @idx (the last one is open-ended). */
static inline unsigned long long hist_bucket_hi(unsigned int idx)
{
	if (idx < HIST_SUB)
		return idx;
	if (idx == HIST_BUCKETS - 1)
		return ~0ULL;
	return hist_bucket_lo(idx + 1) - 1;
}

#endif
