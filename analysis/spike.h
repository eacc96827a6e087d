/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spikes in a time series: samples above a threshold, grouped into
 * episodes with a start, an end, a peak and a sample count, so that a stall
 * seen by many operations counts as one spike and can be lined up with
 * patch events.
 */
#ifndef ANALYSIS_SPIKE_H
#define ANALYSIS_SPIKE_H

#include <stddef.h>
#include <stdint.h>

#include "series.h"

struct spike {
	int64_t start, end;	/* times of its first and last sample */
	int64_t peak_t;		/* time of its (first) largest sample */
	double peak;
	size_t count;		/* samples above the threshold in it */
};

/*
 * A sample is in a spike when its value is strictly above @threshold.
 * Two such samples belong to the same spike when no sample at or below
 * the threshold lies between them, or when they are at most @merge_gap
 * apart in time (merge_gap 0: only runs of consecutive samples merge).
 * *@out is malloc'd in time order, NULL when there is none. -EINVAL for an
 * invalid series (series.h), a NaN threshold or merge_gap < 0; -ENOMEM.
 */
int spike_detect(const struct series_point *s, size_t n, double threshold,
		 int64_t merge_gap, struct spike **out, size_t *nout);

/*
 * A robust threshold: @k times the median value (nearest rank, so the
 * lower of the two middle samples when n is even). One slow stretch
 * barely moves the median, where it would drag a mean and a standard
 * deviation along. -ENODATA for no samples, -EINVAL, -ENOMEM.
 */
int spike_threshold_median(const struct series_point *s, size_t n, double k,
			   double *threshold);

#endif
