/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare-coverage.h - bench compare's check of the stall detector against
 * ground truth: per strategy, the fraction of the stop probe's stopped time
 * per CPU (or the kernel's stop total) that the machine-wide stall covered
 * in each apply, as cycles.json recorded it.
 */
#ifndef BENCH_COMPARE_COVERAGE_H
#define BENCH_COMPARE_COVERAGE_H

#include <stddef.h>
#include <stdio.h>

#include "lib/json.h"

/* The lines, for the strategies that stopped the machine in an apply. */
void compare_coverage_print(FILE *f, const json_t *cycles,
			    const char **names, size_t nr_names);
/* compare.json: "stall_coverage": { S: { source, per_apply: [...] } }. */
void compare_coverage_json(struct json *j, const json_t *cycles,
			   const char **names, size_t nr_names);

#endif
