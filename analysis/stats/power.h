/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How large a comparison must be, from the spread it saw. The rule, for a
 * two-sided test at 95% (z = 1.96) with 80% power (z = 0.84): a difference
 * of statistics measured with (bootstrap) standard error @se at @n cycles
 * per side has a per-cycle spread sigma = se * sqrt(n), and detecting a true
 * difference @delta takes about ((1.96 + 0.84) * sigma / delta)^2 cycles per
 * side. The smallest difference a run itself tells from 0 is 1.96 * se.
 * Normal approximations: rough for the few cycles a guest run has, which is
 * why they size the next run rather than judge this one.
 */
#ifndef ANALYSIS_POWER_H
#define ANALYSIS_POWER_H

#include <stddef.h>

#define POWER_Z_ALPHA	1.96	/* two-sided 95% */
#define POWER_Z_BETA	0.84	/* 80% power */

/* Per-side size that gives the spread of unequal sides @na, @nb. */
double power_n_eff(size_t na, size_t nb);
/*
 * Cycles per side, rounded up, to detect @delta (> 0); NaN when @se or
 * @delta is not > 0 or @n is 0 (no spread seen: nothing to scale).
 */
double power_cycles_needed(double se, double n, double delta);
/* 1.96 * @se: the smallest difference whose 95% interval leaves out 0. */
double power_min_detectable(double se);

#endif
