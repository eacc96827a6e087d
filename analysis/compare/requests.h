/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench compare's requests table: for each workload that keeps per-cycle
 * request histograms (the servers), per strategy and phase, the requests
 * served, their rate, failures and latency percentiles over all cycles, so
 * the findings' per-cycle tails stand beside throughput and errors.
 */
#ifndef BENCH_COMPARE_REQUESTS_H
#define BENCH_COMPARE_REQUESTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/json.h"

struct compare_request_row {
	const char *workload, *strategy, *phase;
	uint64_t requests;
	uint64_t duration_ns;		/* time the strategy spent in the phase */
	uint64_t errors;		/* failed requests, over its cycles */
	uint64_t p50_ns, p99_ns, p99_9_ns, max_ns;
};

/* What the end of the run left open, as workload-<name>.json counts it. */
struct compare_request_left {
	const char *workload;
	uint64_t unanswered, unsent, timeouts;
};

#define COMPARE_MAX_SERVERS	8

struct compare_requests {
	struct compare_request_row *rows;
	size_t n;
	struct compare_request_left left[COMPARE_MAX_SERVERS];
	size_t nr_left;
};

struct rep_run;

/*
 * From @run as rep_load() read results directory @dir (the workloads
 * marked "requests", their phases per strategy in @names; the rows point
 * into @run), and each server's leftovers from @dir's
 * workload-<name>.json: 0 (perhaps with no rows) or -ENOMEM.
 */
int compare_requests_collect(const char *dir, const struct rep_run *run,
			     const char **names, size_t nr_names,
			     struct compare_requests *r);
void compare_requests_free(struct compare_requests *r);
/* Requests per second of a row; 0 for a phase of no time. */
double compare_request_rate(const struct compare_request_row *row);
void compare_requests_print(FILE *f, const struct compare_requests *r);
/* compare.json: "requests": [ one object per row ]. */
void compare_requests_json(struct json *j, const struct compare_requests *r);
void compare_requests_csv(FILE *f, const struct compare_requests *r);

#endif
