/* SPDX-License-Identifier: GPL-2.0 */
/*
 * llhist: log-linear histogram of u64 values (nanoseconds, typically), in
 * the style of HdrHistogram: fixed memory, constant-time recording and a
 * guaranteed relative precision, so that per-thread latency histograms can
 * take every operation of a run, be merged, written to a results file as
 * one text line and read back exactly.
 *
 * Layout. With s significant figures, let 2^k be the smallest power of two
 * >= 2 * 10^s. Values below 2^k have one counter each (exact). Above, each
 * power-of-two range [2^j, 2^(j+1)) is cut into 2^(k-1) equal buckets, so a
 * bucket is never wider than 1 / 10^s of the values in it: a value read
 * back for a recorded v lies in [v, v + v / 10^s].
 *
 * Values above the highest trackable value are not clamped: they are
 * counted as overflow, are part of the total count and of min/max, and have
 * no bucket.
 *
 * Not thread-safe: keep one histogram per thread and merge them.
 */
#ifndef ANALYSIS_LLHIST_H
#define ANALYSIS_LLHIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LLHIST_SIG_FIGS_MIN	1
#define LLHIST_SIG_FIGS_MAX	5

struct llhist;

/*
 * A histogram tracking 0..@highest with @sig_figs (1..5) significant
 * figures. NULL with errno EINVAL for a bad configuration (highest 0) or
 * ENOMEM. 0..1 h in ns takes 260 KiB at 3 figures, 35 KiB at 2, 3.6 MiB at 4.
 */
struct llhist *llhist_new(uint64_t highest, unsigned int sig_figs);
void llhist_free(struct llhist *h);
/* Forget every sample; the configuration stays. */
void llhist_reset(struct llhist *h);

void llhist_record(struct llhist *h, uint64_t v);
void llhist_record_n(struct llhist *h, uint64_t v, uint64_t n);

/*
 * Add @src's samples to @dst. -EINVAL, leaving @dst unchanged, when the
 * two differ in highest trackable value or significant figures.
 */
int llhist_merge(struct llhist *dst, const struct llhist *src);

uint64_t llhist_highest(const struct llhist *h);
unsigned int llhist_sig_figs(const struct llhist *h);

/* Every sample recorded, overflow included. */
uint64_t llhist_count(const struct llhist *h);
/* Samples above the highest trackable value. */
uint64_t llhist_overflow(const struct llhist *h);
/* Exact smallest and largest value recorded, overflow included; 0 if empty. */
uint64_t llhist_min(const struct llhist *h);
uint64_t llhist_max(const struct llhist *h);
/*
 * Mean and population standard deviation of the samples in range, each
 * taken at the middle of its bucket (so within the precision above);
 * overflowed samples have no value to use and are left out. NaN when no
 * sample is in range.
 */
double llhist_mean(const struct llhist *h);
double llhist_stddev(const struct llhist *h);

/*
 * Value at percentile @p (0..100): the r-th smallest sample with r the
 * nearest rank (rank.h), i.e. the smallest value that p% of the samples are
 * at or below. It is reported as the highest value of that sample's bucket,
 * capped at llhist_max(), so it is never below the exact answer and at most
 * 10^-sig_figs above it. When the rank falls among overflowed samples the
 * answer is llhist_max(), an upper bound. 0 when empty.
 */
uint64_t llhist_percentile(const struct llhist *h, double p);

/* The range of values that share @v's bucket (pure arithmetic: any @v). */
uint64_t llhist_lowest_equivalent(const struct llhist *h, uint64_t v);
uint64_t llhist_highest_equivalent(const struct llhist *h, uint64_t v);

/*
 * Walk the non-empty buckets in increasing order, for CDFs and percentile
 * curves. Overflowed samples come last as one bucket with overflow set,
 * lo = highest + 1 and hi = llhist_max().
 *
 *	struct llhist_iter it;
 *
 *	llhist_iter_init(&it, h);
 *	while (llhist_iter_next(&it))
 *		use(it.lo, it.hi, it.count, it.cumulative);
 */
struct llhist_iter {
	const struct llhist *h;
	size_t next;		/* next counter to look at */
	bool done;
	uint64_t lo, hi;	/* this bucket holds values lo..hi */
	uint64_t count;
	uint64_t cumulative;	/* samples in this bucket and all before */
	bool overflow;
};

void llhist_iter_init(struct llhist_iter *it, const struct llhist *h);
bool llhist_iter_next(struct llhist_iter *it);

/*
 * One text line, no newline, that llhist_decode() turns back into an equal
 * histogram. Values 0, 3, 3, 40, 41 and 2000 at sf=1, highest=1000:
 *
 *	llhist/1 sf=1 highest=1000 count=6 overflow=1 min=0 max=2000 counts=1,0*2,2,0*20,2
 *
 * Header numbers are decimal. counts lists every counter from value 0 up to
 * the last non-zero one, in lower-case hex, comma-separated, with "c*N"
 * standing for N (hex) counters of c (the encoder uses it for runs of
 * zeros). Malloc'd; NULL with errno ENOMEM.
 */
char *llhist_encode(const struct llhist *h);
/*
 * Parse a line made by llhist_encode(); one trailing newline is allowed.
 * 0 and a new histogram in *@out, or -EINVAL with a reason in *@why (a
 * static string) for anything malformed or inconsistent, or -ENOMEM.
 */
int llhist_decode(const char *line, struct llhist **out, const char **why);

#endif
