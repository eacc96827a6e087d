/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A results directory: every file is written whole (temporary name, then
 * rename), and status.json says whether the run is complete, so no half
 * written directory looks finished.
 */
#ifndef BENCH_RESULTS_H
#define BENCH_RESULTS_H

#include <stdio.h>

struct results {
	char dir[4096];
};

/* Create @dir (which must not hold a run already); message in @err. */
int results_create(struct results *r, const char *dir, char *err, size_t len);
/* Open @name for writing; results_close() renames it into place. */
FILE *results_open(const struct results *r, const char *name);
int results_close(const struct results *r, const char *name, FILE *f);
/* Drop a file opened by results_open() unwritten (error paths). */
void results_discard(const struct results *r, const char *name, FILE *f);
/* status.json: "running", "complete" or "incomplete" with a reason. */
int results_status(const struct results *r, const char *status,
		   const char *reason);

struct json_t;

/*
 * Parse @dir/@name into a tree to json_decref(); 0, or -errno / -EINVAL
 * with a message in @err.
 */
int results_load_json(const char *dir, const char *name,
		      struct json_t **out, char *err, size_t len);

#endif
