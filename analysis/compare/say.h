/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench compare's findings in words: one sentence each, phrased by what
 * the metric measures (a short verb table, not one template), and the
 * numbers they carry (a difference and its CI in one unit).
 */
#ifndef BENCH_COMPARE_SAY_H
#define BENCH_COMPARE_SAY_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/compare/finding.h"

/*
 * @v (ns) in the unit that suits @mag: "13.1 ms"; with @sign a leading +
 * for positive values. Three significant digits at @mag.
 */
void compare_fmt_in(char *buf, size_t len, double v, double mag, bool sign);
/* "+3.2 ms [-5.1, 11.0]": an estimate and its CI in the unit of the largest. */
void compare_fmt_span(char *buf, size_t len, double est, double lo,
		      double hi, bool sign);
/* The finding as one sentence, no newline. */
void compare_sentence(const struct compare_finding *f, char *buf, size_t len);
/* All of a strategy's findings too small: one sentence for them. */
void compare_sentence_too_small(const struct compare_finding *f, char *buf,
				size_t len);

#endif
