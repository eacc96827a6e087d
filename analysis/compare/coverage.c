// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/coverage.h"
#include "analysis/stall/report.h"

#define APPLY "workloads.stall.apply."

/* Strategy @s's fractions, in cycle order; NaN for an apply without a stop. */
static size_t fractions(const json_t *cycles, const char *s,
			double *out, const char **source)
{
	size_t i, n = 0;

	*source = NULL;
	for (i = 0; i < json_array_size(cycles); i++) {
		const json_t *c = json_array_get(cycles, i);
		const char *name =
			json_string_value(json_object_get(c, "strategy"));
		const char *src = json_string_value(
			json_path(c, APPLY "stopped_source"));
		const json_t *v = json_path(c, APPLY "stop_coverage");

		if (!name || strcmp(name, s) ||
		    !json_is_true(json_object_get(c, "complete")) || !src)
			continue;
		*source = src;
		out[n++] = json_is_number(v) ? json_number_value(v) : NAN;
	}
	return n;
}

/* Did any apply stop the machine? Only those strategies get a line. */
static bool any(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			return true;
	return false;
}

void compare_coverage_print(FILE *f, const json_t *cycles,
			    const char **names, size_t nr_names)
{
	double *v = calloc(json_array_size(cycles) + 1, sizeof(*v));
	const char *source;
	bool head = false;
	size_t i, n;

	for (i = 0; v && i < nr_names; i++) {
		n = fractions(cycles, names[i], v, &source);
		if (!n || !any(v, n))
			continue;
		if (!head)
			fprintf(f, "\nThe stall detector against ground truth (machine-wide stall over the stopped time per CPU in each apply; 1.00: every stopped instant seen):\n");
		head = true;
		stall_coverage_print(f, names[i], "apply", v, n, source);
	}
	free(v);
}

void compare_coverage_json(struct json *j, const json_t *cycles,
			   const char **names, size_t nr_names)
{
	double *v = calloc(json_array_size(cycles) + 1, sizeof(*v));
	const char *source;
	size_t i, k, n;

	json_obj_begin(j, "stall_coverage");
	for (i = 0; v && i < nr_names; i++) {
		n = fractions(cycles, names[i], v, &source);
		if (!n || !any(v, n))
			continue;
		json_obj_begin(j, names[i]);
		json_str(j, "stopped_source", source);
		json_arr_begin(j, "per_apply");
		for (k = 0; k < n; k++)
			json_double(j, NULL, v[k]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_obj_end(j);
	free(v);
}
