// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/requests.h"
#include "analysis/report/data.h"
#include "lib/results.h"
#include "lib/util.h"

/* A server's phase as rep_load() read it from summary.json. */
static void fill(struct compare_request_row *row, const struct rep_phase *ph)
{
	row->requests = ph->lat.count;
	row->duration_ns = ph->duration_ns;
	row->errors = ph->errors;
	row->p50_ns = ph->lat.p50;
	row->p99_ns = ph->lat.p99;
	row->p99_9_ns = ph->lat.p999;
	row->max_ns = ph->lat.max;
}

/*
 * The leftovers of server @wl: bench run writes them with the workload's
 * own results (workload-<name>.json), not in summary.json. A file that is
 * missing or older than the counts: nothing to say.
 */
static void load_left(const char *dir, const char *wl,
		      struct compare_requests *r)
{
	struct compare_request_left *l;
	char name[96], err[256];
	const json_t *w;
	json_t *v;
	size_t i;

	for (i = 0; i < r->nr_left; i++)
		if (!strcmp(r->left[i].workload, wl))
			return;
	if (r->nr_left == COMPARE_MAX_SERVERS)
		return;
	snprintf(name, sizeof(name), "workload-%s.json", wl);
	if (results_load_json(dir, name, &v, err, sizeof(err)))
		return;
	w = json_object_get(v, "workload");
	if (json_object_get(w, "unanswered")) {
		l = &r->left[r->nr_left++];
		l->workload = wl;
		l->unanswered = json_u64_or_0(w, "unanswered");
		l->unsent = json_u64_or_0(w, "unsent");
		l->timeouts = json_u64_or_0(w, "timeouts");
	}
	json_decref(v);
}

static int add_row(struct compare_requests *r, size_t *cap,
		   const struct rep_strategy *st, const struct rep_workload *w,
		   int p)
{
	struct compare_request_row *row;

	if (r->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		row = realloc(r->rows, *cap * sizeof(*row));
		if (!row)
			return -ENOMEM;
		r->rows = row;
	}
	row = &r->rows[r->n++];
	row->workload = w->name;
	row->strategy = st->name;
	row->phase = rep_phase_names[p];
	fill(row, &w->phase[p]);
	return 0;
}

int compare_requests_collect(const char *dir, const struct rep_run *run,
			     const char **names, size_t nr_names,
			     struct compare_requests *r)
{
	size_t i, cap = 0;
	unsigned int w;
	int p;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < nr_names; i++) {
		const struct rep_strategy *st = rep_strategy(run, names[i]);

		for (w = 0; st && w < st->nr_wl; w++) {
			const struct rep_total *tot =
				rep_total(run, st->wl[w].name);

			if (!tot || !tot->requests)
				continue;
			load_left(dir, st->wl[w].name, r);
			for (p = 0; p < REP_PHASES; p++) {
				if (!st->wl[w].phase[p].present)
					continue;
				if (add_row(r, &cap, st, &st->wl[w], p)) {
					compare_requests_free(r);
					return -ENOMEM;
				}
			}
		}
	}
	return 0;
}

void compare_requests_free(struct compare_requests *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

double compare_request_rate(const struct compare_request_row *row)
{
	return row->duration_ns ? row->requests * 1e9 / row->duration_ns : 0;
}

/* The whole run's leftovers of @wl, as the workload counted them. */
static void leftovers(FILE *f, const struct compare_requests *r,
		      const char *wl)
{
	const struct compare_request_left *l;
	size_t i;

	for (i = 0; i < r->nr_left && strcmp(r->left[i].workload, wl); i++)
		;
	if (i == r->nr_left)
		return;
	l = &r->left[i];
	fprintf(f, "  %s over the whole run: %llu unanswered and %llu never sent at the end (counted above at their time to the end: lower bounds), %llu timed out\n",
		wl, (unsigned long long)l->unanswered,
		(unsigned long long)l->unsent,
		(unsigned long long)l->timeouts);
}

static void ns_cell(char *buf, size_t len, uint64_t ns, uint64_t count)
{
	if (count)
		fmt_ns(buf, len, ns);
	else
		snprintf(buf, len, "-");
}

static void print_row(FILE *f, const struct compare_request_row *row)
{
	char b[4][32];

	ns_cell(b[0], sizeof(b[0]), row->p50_ns, row->requests);
	ns_cell(b[1], sizeof(b[1]), row->p99_ns, row->requests);
	ns_cell(b[2], sizeof(b[2]), row->p99_9_ns, row->requests);
	ns_cell(b[3], sizeof(b[3]), row->max_ns, row->requests);
	fprintf(f, "  %-13s %-9s %10llu %9.1f %7llu %9s %9s %9s %9s\n",
		row->strategy, row->phase, (unsigned long long)row->requests,
		compare_request_rate(row), (unsigned long long)row->errors,
		b[0], b[1], b[2], b[3]);
}

/*
 * A table per server. The rows come strategy by strategy, each with all
 * its servers: a run of redis and memcached interleaves them.
 */
void compare_requests_print(FILE *f, const struct compare_requests *r)
{
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		const char *wl = r->rows[i].workload;

		for (k = 0; k < i && strcmp(r->rows[k].workload, wl); k++)
			;
		if (k < i)
			continue;	/* printed with its first row */
		fprintf(f, "\nRequests to %s per phase (every cycle of a strategy merged; latency from each request's due time):\n",
			wl);
		fprintf(f, "  %-13s %-9s %10s %9s %7s %9s %9s %9s %9s\n",
			"strategy", "phase", "requests", "req/s", "errors",
			"p50", "p99", "p99.9", "max");
		for (k = i; k < r->n; k++)
			if (!strcmp(r->rows[k].workload, wl))
				print_row(f, &r->rows[k]);
		leftovers(f, r, wl);
	}
}

void compare_requests_json(struct json *j, const struct compare_requests *r)
{
	size_t i;

	json_arr_begin(j, "requests");
	for (i = 0; i < r->n; i++) {
		const struct compare_request_row *row = &r->rows[i];

		json_obj_begin(j, NULL);
		json_str(j, "workload", row->workload);
		json_str(j, "strategy", row->strategy);
		json_str(j, "phase", row->phase);
		json_u64(j, "requests", row->requests);
		json_u64(j, "duration_ns", row->duration_ns);
		json_double(j, "rate_per_s", compare_request_rate(row));
		json_u64(j, "errors", row->errors);
		json_u64(j, "p50_ns", row->p50_ns);
		json_u64(j, "p99_ns", row->p99_ns);
		json_u64(j, "p99_9_ns", row->p99_9_ns);
		json_u64(j, "max_ns", row->max_ns);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void compare_requests_csv(FILE *f, const struct compare_requests *r)
{
	size_t i;

	fprintf(f, "workload,strategy,phase,requests,duration_ns,rate_per_s,errors,p50_ns,p99_ns,p99_9_ns,max_ns\n");
	for (i = 0; i < r->n; i++) {
		const struct compare_request_row *row = &r->rows[i];

		fprintf(f, "%s,%s,%s,%llu,%llu,%.3f,%llu,%llu,%llu,%llu,%llu\n",
			row->workload, row->strategy, row->phase,
			(unsigned long long)row->requests,
			(unsigned long long)row->duration_ns,
			compare_request_rate(row),
			(unsigned long long)row->errors,
			(unsigned long long)row->p50_ns,
			(unsigned long long)row->p99_ns,
			(unsigned long long)row->p99_9_ns,
			(unsigned long long)row->max_ns);
	}
}
