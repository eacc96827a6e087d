/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench compare's outputs from its findings: the text (table, sentences,
 * smallest detectable differences) and compare.json, compare.csv.
 */
#ifndef BENCH_COMPARE_OUT_H
#define BENCH_COMPARE_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "analysis/compare/finding.h"
#include "analysis/compare/requests.h"

#define COMPARE_POWER_RULE \
	"n = ((1.96 + 0.84) x sigma / delta)^2 cycles per strategy " \
	"(two-sided 95%, 80% power; sigma = bootstrap SE of the difference x sqrt(n))"

struct compare_set {
	const char *reference;
	uint64_t seed;
	const char **names;		/* strategies, the reference too */
	size_t nr_names;
	struct compare_finding *f;	/* metric by metric, strategies within */
	size_t n;
	const json_t *cycles;	/* cycles.json */
	struct compare_requests req;	/* the servers' requests per phase */
};

/* Smallest detectable difference of one metric over its strategies. */
struct compare_detectable {
	const struct compare_metric *m;
	size_t rows;			/* findings of the metric */
	size_t judged;			/* findings with a CI */
	/* Least and most, of those with a spread; NULL when none has. */
	const struct compare_finding *lo, *hi;
};

void compare_detectable(const struct compare_set *s,
			const struct compare_metric *m,
			struct compare_detectable *d);
void compare_print(FILE *f, const struct compare_set *s);
void compare_write_json(FILE *f, const struct compare_set *s);
void compare_write_csv(FILE *f, const struct compare_set *s);

#endif
