// SPDX-License-Identifier: GPL-2.0
/* report.c - a workload's summary table and its JSON. */
#include <string.h>

#include "lib/util.h"
#include "bench/workload/workload.h"

static void print_row(FILE *f, const char *label, int tid, int cpu,
		      const struct hist *h, uint64_t ops, uint64_t missed)
{
	char a[16], b[16], c[16], d[16], cpus[12] = "-", tids[12] = "-";

	if (cpu >= 0)
		snprintf(cpus, sizeof(cpus), "%d", cpu);
	if (tid > 0)
		snprintf(tids, sizeof(tids), "%d", tid);
	fprintf(f, "%6s %7s %4s %11llu %9s %9s %9s %9s %8llu\n", label, tids,
		cpus, (unsigned long long)ops,
		fmt_ns(a, sizeof(a), hist_percentile(h, 50)),
		fmt_ns(b, sizeof(b), hist_percentile(h, 99)),
		fmt_ns(c, sizeof(c), hist_percentile(h, 99.9)),
		fmt_ns(d, sizeof(d), h->max), (unsigned long long)missed);
}

void workload_print(const struct workload *w, FILE *f)
{
	const struct workload_opts *o = &w->opts;
	uint64_t ops, missed, mixed, errors;
	double secs = (w->stopped_ns - w->t0_ns) / 1e9;
	struct hist total;
	char rate[32];
	unsigned int i;

	if (o->rate_hz)
		snprintf(rate, sizeof(rate), "%llu Hz per thread",
			 (unsigned long long)o->rate_hz);
	else
		snprintf(rate, sizeof(rate), "back to back");
	fprintf(f, "workload %s: %u thread%s, %s, %.2f s\n", w->ops->name,
		w->nr, w->nr == 1 ? "" : "s", rate, secs);
	fprintf(f, "%6s %7s %4s %11s %9s %9s %9s %9s %8s\n", "thread", "tid",
		"cpu", "ops", "p50", "p99", "p99.9", "max", "missed");
	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];
		char label[12];

		snprintf(label, sizeof(label), "%u", i);
		print_row(f, label, t->tid, t->cpu, &t->hist, t->ops,
			  t->missed);
	}
	workload_total(w, &total, &ops, &missed, &mixed, &errors);
	if (w->nr > 1)
		print_row(f, "all", 0, -1, &total, ops, missed);
	if (secs > 0)
		fprintf(f, "throughput: %.0f ops/s\n", ops / secs);
	if (errors)
		fprintf(f, "failed operations: %llu\n",
			(unsigned long long)errors);
	for (i = 0; i < w->nr; i++)
		if (w->th[i].err)
			fprintf(f, "thread %u stopped early: %s\n", i,
				w->th[i].errmsg);
	if (w->ops->report)
		w->ops->report(w, f);
}

static void timeline_json(const struct wl_thread *t, struct json *j)
{
	unsigned int i, n = t->nr_win;

	/* Trailing empty windows carry nothing: the run stopped early. */
	while (n && !t->win[n - 1].count)
		n--;
	json_obj_begin(j, "timeline");
	json_u64(j, "window_ns", t->w->opts.window_ns);
	json_u64(j, "past_end", t->past_timeline);
	json_arr_begin(j, "max_ns");
	for (i = 0; i < n; i++)
		json_u64(j, NULL, t->win[i].max_ns);
	json_arr_end(j);
	json_arr_begin(j, "count");
	for (i = 0; i < n; i++)
		json_u64(j, NULL, t->win[i].count);
	json_arr_end(j);
	json_obj_end(j);
}

void workload_json(const struct workload *w, struct json *j)
{
	const struct workload_opts *o = &w->opts;
	uint64_t ops, missed, mixed, errors;
	struct hist total;
	unsigned int i;

	json_obj_begin(j, "workload");
	json_str(j, "name", w->ops->name);
	json_u64(j, "threads", w->nr);
	json_arr_begin(j, "cpus");
	for (i = 0; i < o->nr_cpus; i++)
		json_u64(j, NULL, (uint64_t)o->cpus[i]);
	json_arr_end(j);
	json_u64(j, "rate_hz", o->rate_hz);
	json_u64(j, "duration_ns", o->duration_ns);
	json_u64(j, "window_ns", o->window_ns);
	json_u64(j, "prio", o->prio);
	json_u64(j, "t0_ns", w->t0_ns);
	json_u64(j, "elapsed_ns", w->stopped_ns - w->t0_ns);
	workload_total(w, &total, &ops, &missed, &mixed, &errors);
	json_u64(j, "ops", ops);
	json_u64(j, "missed", missed);
	json_u64(j, "mixed", mixed);
	json_u64(j, "errors", errors);
	hist_json(&total, j, "latency");
	if (w->ops->json)
		w->ops->json(w, j);
	json_arr_begin(j, "per_thread");
	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];

		json_obj_begin(j, NULL);
		json_u64(j, "thread", i);
		json_i64(j, "tid", t->tid);
		json_i64(j, "cpu", t->cpu);
		json_bool(j, "fifo", t->fifo);
		json_u64(j, "ops", t->ops);
		json_u64(j, "missed", t->missed);
		json_u64(j, "mixed", t->mixed);
		json_u64(j, "errors", t->errors);
		if (t->err)
			json_str(j, "error", t->errmsg);
		hist_json(&t->hist, j, "latency");
		if (w->opts.rate_hz && t->service.count)
			hist_json(&t->service, j, "service");
		if (t->gaps) {
			size_t k;

			json_u64(j, "gaps_over_threshold", t->gaps_over);
			json_u64(j, "lost_ns", t->lost_ns);
			json_arr_begin(j, "gaps");
			for (k = 0; k < t->nr_gaps; k++) {
				json_arr_begin(j, NULL);
				json_u64(j, NULL, t->gaps[k].t_ns);
				json_u64(j, NULL, t->gaps[k].len_ns);
				json_arr_end(j);
			}
			json_arr_end(j);
		}
		timeline_json(t, j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
