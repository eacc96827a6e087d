// SPDX-License-Identifier: GPL-2.0
/* data.c - read a results directory back (see report-data.h). */
#include <errno.h>
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

static void copy_str(char *dst, size_t len, const struct json_value *v)
{
	snprintf(dst, len, "%s", v && v->type == JSON_STRING ? v->str : "");
}

static uint64_t get_u64(const struct json_value *v, const char *path)
{
	uint64_t x;

	return json_get_u64(v, path, &x) ? 0 : x;
}

void rep_hist_from_json(const struct json_value *v, struct rep_hist *h)
{
	const struct json_value *m;

	memset(h, 0, sizeof(*h));
	if (!v || v->type != JSON_OBJECT)
		return;
	h->present = true;
	h->count = get_u64(v, "count");
	h->min = get_u64(v, "min_ns");
	h->max = get_u64(v, "max_ns");
	h->p50 = get_u64(v, "p50_ns");
	h->p90 = get_u64(v, "p90_ns");
	h->p99 = get_u64(v, "p99_ns");
	h->p999 = get_u64(v, "p99_9_ns");
	m = json_get(v, "mean_ns");
	h->mean = m && m->type == JSON_NUMBER ? m->num : 0;
}

static void load_workload(const char *name, const struct json_value *v,
			  struct rep_workload *w)
{
	int p;

	snprintf(w->name, sizeof(w->name), "%s", name);
	for (p = 0; p < REP_PHASES; p++) {
		const struct json_value *ph = json_get(v, rep_phase_names[p]);
		struct rep_phase *o = &w->phase[p];

		if (!ph || ph->type != JSON_OBJECT)
			continue;
		o->present = true;
		rep_hist_from_json(json_get(ph, "latency_ns"), &o->lat);
		o->duration_ns = get_u64(ph, "duration_ns");
		if (json_get(ph, "largest_gap_ns")) {
			o->stall = true;
			o->gaps = get_u64(ph, "gaps_over_threshold");
			o->lost_ns = get_u64(ph, "lost_ns");
			o->largest_gap_ns = get_u64(ph, "largest_gap_ns");
		}
	}
}

static void load_strategy(const char *name, const struct json_value *v,
			  struct rep_strategy *s)
{
	const struct json_value *ts, *wl;
	size_t i;

	snprintf(s->name, sizeof(s->name), "%s", name);
	s->cycles_done = get_u64(v, "cycles_done");
	rep_hist_from_json(json_path(v, "transitions.apply_ns"), &s->apply);
	rep_hist_from_json(json_path(v, "transitions.revert_ns"), &s->revert);
	ts = json_get(v, "task_switches");
	for (i = 0; ts && ts->type == JSON_OBJECT && i < ts->n &&
	     s->nr_paths < REP_MAX_PATHS; i++) {
		const struct json_value *c = ts->items[i];

		if (c->type != JSON_NUMBER)
			continue;
		snprintf(s->path[s->nr_paths], REP_NAME, "%s", ts->keys[i]);
		s->switches[s->nr_paths++] = (int64_t)c->num;
	}
	wl = json_get(v, "workloads");
	for (i = 0; wl && wl->type == JSON_OBJECT && i < wl->n &&
	     s->nr_wl < REP_MAX_WL; i++)
		load_workload(wl->keys[i], wl->items[i], &s->wl[s->nr_wl++]);
}

static void load_summary(const struct json_value *sum, struct rep_run *r)
{
	const struct json_value *wl, *st;
	size_t i;

	r->has_summary = true;
	copy_str(r->patch, sizeof(r->patch), json_get(sum, "patch"));
	r->cycles_planned = get_u64(sum, "cycles_planned");
	r->cycles_done = get_u64(sum, "cycles_done");
	wl = json_get(sum, "workloads");
	for (i = 0; wl && wl->type == JSON_OBJECT && i < wl->n &&
	     r->nr_totals < REP_MAX_WL; i++) {
		struct rep_total *t = &r->totals[r->nr_totals++];

		snprintf(t->name, sizeof(t->name), "%s", wl->keys[i]);
		t->ops = get_u64(wl->items[i], "ops");
		t->missed = get_u64(wl->items[i], "missed");
		t->mixed = get_u64(wl->items[i], "mixed");
		t->errors = get_u64(wl->items[i], "errors");
	}
	st = json_get(sum, "strategies");
	for (i = 0; st && st->type == JSON_OBJECT && i < st->n &&
	     r->nr_strat < REP_MAX_STRAT; i++)
		load_strategy(st->keys[i], st->items[i],
			      &r->strat[r->nr_strat++]);
}

/* "--opt N" or "--opt=N", the last one given winning, as getopt does. */
static unsigned int cmdline_uint(const struct json_value *argv,
				 const char *opt, unsigned int def)
{
	size_t i, n = strlen(opt);
	unsigned int v = def;

	for (i = 0; argv && argv->type == JSON_ARRAY && i < argv->n; i++) {
		const char *a = argv->items[i]->str, *val = NULL;

		if (argv->items[i]->type != JSON_STRING || strncmp(a, opt, n))
			continue;
		if (a[n] == '=')
			val = a + n + 1;
		else if (!a[n] && i + 1 < argv->n &&
			 argv->items[i + 1]->type == JSON_STRING)
			val = argv->items[i + 1]->str;
		if (val)
			v = (unsigned int)strtoul(val, NULL, 10);
	}
	return v;
}

static void load_metadata(const struct json_value *m, struct rep_run *r)
{
	const struct json_value *argv = json_get(m, "command_line");
	const struct json_value *e = json_get(m, "emulated");

	copy_str(r->kernel, sizeof(r->kernel), json_get(m, "kernel_release"));
	copy_str(r->cpu_model, sizeof(r->cpu_model), json_get(m, "cpu_model"));
	copy_str(r->accelerator, sizeof(r->accelerator),
		 json_get(m, "accelerator"));
	copy_str(r->revision, sizeof(r->revision),
		 json_get(m, "kgraft_revision"));
	r->emulated = e && e->type == JSON_BOOL && e->b;
	/* What the guest saw, not what was asked: the true vCPU count. */
	r->cpus = (unsigned int)get_u64(m, "online_cpus");
	/* Tasks asleep outside the patch: --tasks K puts K there (and K in). */
	r->tasks = cmdline_uint(argv, "--tasks-outside",
				cmdline_uint(argv, "--tasks", 0));
	r->threads = cmdline_uint(argv, "--threads", 1);
}

static bool has_total(const struct rep_run *r, const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_totals; i++)
		if (!strcmp(r->totals[i].name, name))
			return true;
	return false;
}

int rep_load(const char *dir, struct rep_run *r, char *err, size_t len)
{
	struct json_value *v = NULL;
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
	copy_str(r->status, sizeof(r->status), json_get(v, "status"));
	copy_str(r->reason, sizeof(r->reason), json_get(v, "reason"));
	json_free(v);
	if (!results_load_json(r->dir, "metadata.json", &v, e2, sizeof(e2))) {
		load_metadata(v, r);
		json_free(v);
	}
	ret = results_load_json(r->dir, "summary.json", &v, e2, sizeof(e2));
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		snprintf(err, len, "%s", e2);
		return ret;
	}
	load_summary(v, r);
	json_free(v);
	/*
	 * --tasks sizes the population workload; without that workload in
	 * the results, the run had no such tasks whatever its command line.
	 */
	if (!has_total(r, "population"))
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
	const struct json_value *cells;
	struct json_value *idx;
	char path[8192];
	size_t i;
	int ret;

	ret = results_load_json(dir, "index.json", &idx, err, len);
	if (ret)
		return ret;
	cells = json_get(idx, "cells");
	for (i = 0; !ret && cells && cells->type == JSON_ARRAY &&
	     i < cells->n; i++) {
		const struct json_value *p = json_get(cells->items[i], "path");

		if (!p || p->type != JSON_STRING)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, p->str);
		/* A cell not started yet has no directory: nothing to show. */
		if (access(path, F_OK))
			continue;
		ret = append(runs, n, cap, path, err, len);
	}
	json_free(idx);
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
