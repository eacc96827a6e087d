// SPDX-License-Identifier: GPL-2.0
/* data.c - read a results directory back (see report-data.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/report/data.h"
#include "lib/results.h"
#include "lib/json.h"

const char *const rep_phase_names[REP_PHASES] = {
	"baseline", "apply", "patched", "revert",
};

static void copy_str(char *dst, size_t len, const json_t *v)
{
	snprintf(dst, len, "%s", json_is_string(v) ? json_string_value(v) : "");
}

void rep_hist_from_json(const json_t *v, struct rep_hist *h)
{
	const json_t *m;

	memset(h, 0, sizeof(*h));
	if (!json_is_object(v))
		return;
	h->present = true;
	h->count = json_u64_or_0(v, "count");
	h->min = json_u64_or_0(v, "min_ns");
	h->max = json_u64_or_0(v, "max_ns");
	h->p50 = json_u64_or_0(v, "p50_ns");
	h->p90 = json_u64_or_0(v, "p90_ns");
	h->p99 = json_u64_or_0(v, "p99_ns");
	h->p999 = json_u64_or_0(v, "p99_9_ns");
	m = json_object_get(v, "mean_ns");
	h->mean = json_is_number(m) ? json_number_value(m) : 0;
}

static void load_workload(const char *name, const json_t *v,
			  struct rep_workload *w)
{
	int p;

	snprintf(w->name, sizeof(w->name), "%s", name);
	for (p = 0; p < REP_PHASES; p++) {
		const json_t *ph = json_object_get(v, rep_phase_names[p]);
		struct rep_phase *o = &w->phase[p];

		if (!json_is_object(ph))
			continue;
		o->present = true;
		rep_hist_from_json(json_object_get(ph, "latency_ns"), &o->lat);
		o->duration_ns = json_u64_or_0(ph, "duration_ns");
		o->errors = json_u64_or_0(ph, "errors");
		if (json_object_get(ph, "mixed")) {
			o->has_mixed = true;
			o->mixed = json_u64_or_0(ph, "mixed");
		}
		if (json_object_get(ph, "largest_gap_ns")) {
			o->stall = true;
			o->gaps = json_u64_or_0(ph, "gaps_over_threshold");
			o->lost_ns = json_u64_or_0(ph, "lost_ns");
			o->largest_gap_ns = json_u64_or_0(ph, "largest_gap_ns");
		}
	}
}

static void load_strategy(const char *name, const json_t *v,
			  struct rep_strategy *s)
{
	json_t *ts, *wl, *c;
	const char *key;

	snprintf(s->name, sizeof(s->name), "%s", name);
	s->cycles_done = json_u64_or_0(v, "cycles_done");
	rep_hist_from_json(json_path(v, "transitions.apply_ns"), &s->apply);
	rep_hist_from_json(json_path(v, "transitions.revert_ns"), &s->revert);
	ts = json_object_get(v, "task_switches");
	json_object_foreach(ts, key, c) {
		if (s->nr_paths == REP_MAX_PATHS)
			break;
		if (!json_is_number(c))
			continue;
		snprintf(s->path[s->nr_paths], REP_NAME, "%s", key);
		s->switches[s->nr_paths++] = (int64_t)json_number_value(c);
	}
	wl = json_object_get(v, "workloads");
	json_object_foreach(wl, key, c) {
		if (s->nr_wl == REP_MAX_WL)
			break;
		load_workload(key, c, &s->wl[s->nr_wl++]);
	}
}

static void load_summary(const json_t *sum, struct rep_run *r)
{
	json_t *wl, *st, *v;
	const char *key;

	r->has_summary = true;
	copy_str(r->patch, sizeof(r->patch), json_object_get(sum, "patch"));
	r->cycles_planned = json_u64_or_0(sum, "cycles_planned");
	r->cycles_done = json_u64_or_0(sum, "cycles_done");
	wl = json_object_get(sum, "workloads");
	json_object_foreach(wl, key, v) {
		struct rep_total *t = &r->totals[r->nr_totals];

		if (r->nr_totals == REP_MAX_WL)
			break;
		r->nr_totals++;
		snprintf(t->name, sizeof(t->name), "%s", key);
		t->ops = json_u64_or_0(v, "ops");
		t->missed = json_u64_or_0(v, "missed");
		t->mixed = json_u64_or_0(v, "mixed");
		t->errors = json_u64_or_0(v, "errors");
		t->requests = json_is_true(json_object_get(v, "requests"));
	}
	st = json_object_get(sum, "strategies");
	json_object_foreach(st, key, v) {
		if (r->nr_strat == REP_MAX_STRAT)
			break;
		load_strategy(key, v, &r->strat[r->nr_strat++]);
	}
}

/* "--opt N" or "--opt=N", the last one given winning, as getopt does. */
static unsigned int cmdline_uint(const json_t *argv, const char *opt,
				 unsigned int def)
{
	size_t i, n = strlen(opt);
	unsigned int v = def;

	for (i = 0; i < json_array_size(argv); i++) {
		const char *a = json_string_value(json_array_get(argv, i));
		const char *val = NULL;

		if (!a || strncmp(a, opt, n))
			continue;
		if (a[n] == '=')
			val = a + n + 1;
		else if (!a[n])
			val = json_string_value(json_array_get(argv, i + 1));
		if (val)
			v = (unsigned int)strtoul(val, NULL, 10);
	}
	return v;
}

static void load_metadata(const json_t *m, struct rep_run *r)
{
	const json_t *argv = json_object_get(m, "command_line");

	copy_str(r->kernel, sizeof(r->kernel),
		 json_object_get(m, "kernel_release"));
	copy_str(r->cpu_model, sizeof(r->cpu_model),
		 json_object_get(m, "cpu_model"));
	copy_str(r->accelerator, sizeof(r->accelerator),
		 json_object_get(m, "accelerator"));
	copy_str(r->revision, sizeof(r->revision),
		 json_object_get(m, "kgraft_revision"));
	r->emulated = json_is_true(json_object_get(m, "emulated"));
	/* What the guest saw, not what was asked: the true vCPU count. */
	r->cpus = (unsigned int)json_u64_or_0(m, "online_cpus");
	/*
	 * Tasks asleep outside the patch, as the run recorded them (a
	 * scenario sets them too); older runs only have the command line,
	 * where --tasks K puts K there (and K in).
	 */
	if (json_object_get(m, "tasks_outside"))
		r->tasks = (unsigned int)json_u64_or_0(m, "tasks_outside");
	else
		r->tasks = cmdline_uint(argv, "--tasks-outside",
					cmdline_uint(argv, "--tasks", 0));
	r->threads = cmdline_uint(argv, "--threads", 1);
}

const struct rep_total *rep_total(const struct rep_run *r, const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_totals; i++)
		if (!strcmp(r->totals[i].name, name))
			return &r->totals[i];
	return NULL;
}

static double get_double(const json_t *v, const char *key)
{
	const json_t *x = json_object_get(v, key);

	return json_is_number(x) ? json_number_value(x) : NAN;
}

/* compare.json's stall coverage, per strategy that has one. */
static void load_coverage(const json_t *cmp, struct rep_run *r)
{
	const json_t *all = json_object_get(cmp, "stall_coverage");
	unsigned int s;

	for (s = 0; all && s < r->nr_strat; s++) {
		struct rep_strategy *st = &r->strat[s];
		const json_t *one = json_object_get(all, st->name), *v;
		size_t i;

		json_array_foreach(json_object_get(one, "per_apply"), i, v)
			if (json_is_number(v) &&
			    st->nr_coverage < REP_MAX_COVERAGE)
				st->coverage[st->nr_coverage++] =
					json_number_value(v);
	}
}

/* compare.json's findings, when bench compare has written them. */
static void load_findings(const json_t *cmp, struct rep_run *r)
{
	const json_t *all = json_object_get(cmp, "findings"), *v;
	size_t i;

	json_array_foreach(all, i, v) {
		struct rep_finding *f = &r->findings[r->nr_findings];

		if (r->nr_findings == REP_MAX_FINDINGS)
			break;
		r->nr_findings++;
		copy_str(f->metric, sizeof(f->metric),
			 json_object_get(v, "metric"));
		copy_str(f->strategy, sizeof(f->strategy),
			 json_object_get(v, "strategy"));
		copy_str(f->reference, sizeof(f->reference),
			 json_object_get(v, "reference"));
		copy_str(f->verdict, sizeof(f->verdict),
			 json_object_get(v, "verdict"));
		copy_str(f->sentence, sizeof(f->sentence),
			 json_object_get(v, "sentence"));
		f->n = json_u64_or_0(v, "n");
		f->reference_n = json_u64_or_0(v, "reference_n");
		f->difference = get_double(v, "difference");
		f->ci_low = get_double(v, "ci_low");
		f->ci_high = get_double(v, "ci_high");
	}
}

int rep_load(const char *dir, struct rep_run *r, char *err, size_t len)
{
	json_t *v = NULL;
	const char *base;
	char e2[256];
	size_t n;
	int ret;

	memset(r, 0, sizeof(*r));
	r->threads = 1;
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	n = strlen(r->dir);
	while (n > 1 && r->dir[n - 1] == '/')
		r->dir[--n] = '\0';
	base = strrchr(r->dir, '/');
	snprintf(r->label, sizeof(r->label), "%s", base ? base + 1 : r->dir);
	ret = results_load_json(r->dir, "status.json", &v, err, len);
	if (ret) {
		if (ret == -ENOENT)
			snprintf(err, len, "%s is not a results directory (no status.json)",
				 dir);
		return ret;
	}
	copy_str(r->status, sizeof(r->status), json_object_get(v, "status"));
	copy_str(r->reason, sizeof(r->reason), json_object_get(v, "reason"));
	json_decref(v);
	if (!results_load_json(r->dir, "metadata.json", &v, e2, sizeof(e2))) {
		load_metadata(v, r);
		json_decref(v);
	}
	ret = results_load_json(r->dir, "summary.json", &v, e2, sizeof(e2));
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		snprintf(err, len, "%s", e2);
		return ret;
	}
	load_summary(v, r);
	json_decref(v);
	if (!results_load_json(r->dir, "compare.json", &v, e2, sizeof(e2))) {
		load_findings(v, r);
		load_coverage(v, r);
		json_decref(v);
	}
	/*
	 * --tasks sizes the population workload; without that workload in
	 * the results, the run had no such tasks whatever its command line.
	 */
	if (!rep_total(r, "population"))
		r->tasks = 0;
	return 0;
}

const struct rep_strategy *rep_strategy(const struct rep_run *r,
					const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_strat; i++)
		if (!strcmp(r->strat[i].name, name))
			return &r->strat[i];
	return NULL;
}

const struct rep_workload *rep_workload(const struct rep_strategy *s,
					const char *name)
{
	unsigned int i;

	for (i = 0; i < s->nr_wl; i++)
		if (!strcmp(s->wl[i].name, name))
			return &s->wl[i];
	return NULL;
}

const struct rep_phase *rep_stall(const struct rep_strategy *s, int p)
{
	unsigned int i;

	for (i = 0; i < s->nr_wl; i++)
		if (s->wl[i].phase[p].present && s->wl[i].phase[p].stall)
			return &s->wl[i].phase[p];
	return NULL;
}

static int append(struct rep_run **runs, size_t *n, size_t *cap,
		  const char *dir, char *err, size_t len)
{
	int ret;

	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		struct rep_run *r = realloc(*runs, c * sizeof(*r));

		if (!r) {
			snprintf(err, len, "out of memory");
			return -ENOMEM;
		}
		*runs = r;
		*cap = c;
	}
	ret = rep_load(dir, &(*runs)[*n], err, len);
	if (!ret)
		(*n)++;
	return ret;
}

/* Each cell of the sweep tree @dir, from its index.json. */
static int append_tree(struct rep_run **runs, size_t *n, size_t *cap,
		       const char *dir, char *err, size_t len)
{
	const json_t *cells;
	json_t *idx;
	char path[8192];
	size_t i;
	int ret;

	ret = results_load_json(dir, "index.json", &idx, err, len);
	if (ret)
		return ret;
	cells = json_object_get(idx, "cells");
	for (i = 0; !ret && i < json_array_size(cells); i++) {
		const char *p = json_string_value(
			json_object_get(json_array_get(cells, i), "path"));

		if (!p)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, p);
		/* A cell not started yet has no directory: nothing to show. */
		if (access(path, F_OK))
			continue;
		ret = append(runs, n, cap, path, err, len);
	}
	json_decref(idx);
	return ret;
}

int rep_load_all(char *const *args, size_t nargs, struct rep_run **runs,
		 size_t *nruns, char *err, size_t len)
{
	char path[8192];
	size_t i, cap = 0;
	int ret = 0;

	*runs = NULL;
	*nruns = 0;
	for (i = 0; !ret && i < nargs; i++) {
		snprintf(path, sizeof(path), "%s/status.json", args[i]);
		if (access(path, F_OK)) {
			snprintf(path, sizeof(path), "%s/index.json", args[i]);
			if (!access(path, F_OK)) {
				ret = append_tree(runs, nruns, &cap, args[i],
						  err, len);
				continue;
			}
		}
		ret = append(runs, nruns, &cap, args[i], err, len);
	}
	if (ret) {
		free(*runs);
		*runs = NULL;
		*nruns = 0;
	}
	return ret;
}
