// SPDX-License-Identifier: GPL-2.0
/* run-probes.c - bench run's probes and counters by phase (run-probes.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

#define MIN_WINDOW_NS	10000000ULL	/* the workloads' timeline window */

int run_probes_parse(const char *list, char names[][16], unsigned int *nr,
		     char *err, size_t len)
{
	const char *s = list;

	*nr = 0;
	if (!strcmp(list, "none"))
		return 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned int i;

		if (!n || n >= 16) {
			snprintf(err, len, "--probes: bad list '%s'", list);
			return -EINVAL;
		}
		if (*nr == RP_MAX_PROBES) {
			snprintf(err, len, "--probes: at most %d probes",
				 RP_MAX_PROBES);
			return -EINVAL;
		}
		snprintf(names[*nr], 16, "%.*s", (int)n, s);
		if (!probe_find(names[*nr])) {
			snprintf(err, len, "unknown probe '%s' (bench workload --help lists them)",
				 names[*nr]);
			return -EINVAL;
		}
		for (i = 0; i < *nr; i++)
			if (!strcmp(names[i], names[*nr])) {
				snprintf(err, len, "probe '%s' named twice",
					 names[i]);
				return -EINVAL;
			}
		(*nr)++;
		s += n;
		if (*s == ',')
			s++;
	}
	return *nr ? 0 : -EINVAL;
}

static bool is(const struct rp_probe *pr, const char *name)
{
	return !strcmp(pr->name, name);
}

static int alloc_probe(struct rp_probe *pr, unsigned int nr_idx,
		       unsigned int nr_slots)
{
	unsigned int i;

	pr->nr_cpus = probe_nr_cpus();
	pr->phase = calloc(nr_idx, sizeof(*pr->phase));
	pr->slot = calloc(nr_slots, sizeof(*pr->slot));
	pr->cpu = calloc((size_t)nr_idx * pr->nr_cpus, sizeof(*pr->cpu));
	pr->kev = calloc(nr_idx, sizeof(*pr->kev));
	pr->kpath = calloc(nr_idx, sizeof(*pr->kpath));
	if (!pr->phase || !pr->slot || !pr->cpu || !pr->kev || !pr->kpath)
		return -ENOMEM;
	for (i = 0; i < nr_idx; i++)
		hist_init(&pr->phase[i]);
	hist_init(&pr->last);
	return 0;
}

/* The core's paths in the order the event's format lists them. */
static void learn_paths(const struct probe *p)
{
	const char *name;
	unsigned int i;

	for (i = 0; (name = probe_kgraft_path_nth(p, i)); i++)
		kpaths_index(name);
}

static int open_counters(struct run_probes *rp, bool explicit, char *err,
			 size_t len)
{
	unsigned int i;
	int ret;

	snprintf(rp->cnt_scope, sizeof(rp->cnt_scope), "%s",
		 rp->cnt_mode == RP_COUNTERS_PROCESS ? "process" : "system");
	ret = counters_open(&rp->cnt,
			    rp->cnt_mode == RP_COUNTERS_PROCESS ? getpid() : -1,
			    rp->cnt_error, sizeof(rp->cnt_error));
	if (ret) {
		rp->cnt = NULL;
		if (explicit) {
			snprintf(err, len, "%s", rp->cnt_error);
			return ret;
		}
		fprintf(stderr, "bench run: going on without counters: %s\n",
			rp->cnt_error);
		return 0;
	}
	for (i = 0; i < CNT_NR; i++) {
		const char *why = counters_absent(rp->cnt, i);

		if (why)
			snprintf(rp->cnt_absent[i], sizeof(rp->cnt_absent[i]),
				 "%s", why);
	}
	return 0;
}

int run_probes_open(struct run_probes *rp, const char *list, bool explicit,
		    enum rp_counters cnt, bool cnt_explicit, unsigned int nr_idx,
		    unsigned int nr_slots, char *err, size_t len)
{
	char names[RP_MAX_PROBES][16];
	struct probe_opts po;
	unsigned int i;
	int ret;

	memset(rp, 0, sizeof(*rp));
	rp->nr_idx = nr_idx;
	rp->nr_slots = nr_slots;
	rp->cnt_mode = cnt;
	ret = run_probes_parse(list, names, &rp->nr, err, len);
	if (ret)
		return ret;
	for (i = 0; i < rp->nr; i++) {
		struct rp_probe *pr = &rp->pr[i];

		snprintf(pr->name, sizeof(pr->name), "%s", names[i]);
		if (alloc_probe(pr, nr_idx, nr_slots)) {
			snprintf(err, len, "probes: out of memory");
			return -ENOMEM;
		}
		probe_opts_init(&po);
		/* The driver (this thread) only writes sysfs and sleeps. */
		po.exclude_tid = gettid();
		/*
		 * syscall: the workloads' own calls (threads of this process);
		 * sched: every task, because what a strategy does to the
		 * wake-ups of kthreads and other processes is part of its cost.
		 */
		if (is(pr, "syscall")) {
			po.tgids[0] = getpid();
			po.nr_tgids = 1;
		}
		ret = probe_open(pr->name, &po, &pr->p, pr->error,
				 sizeof(pr->error));
		if (ret) {
			pr->p = NULL;
			if (explicit) {
				snprintf(err, len, "%s", pr->error);
				return ret;
			}
			fprintf(stderr, "bench run: going on without probe %s: %s\n",
				pr->name, pr->error);
			continue;
		}
		if (is(pr, "stop"))
			snprintf(pr->mode, sizeof(pr->mode), "%s",
				 probe_stop_mode(pr->p));
		if (is(pr, "kgraft"))
			learn_paths(pr->p);
	}
	rp->cnt_phase = calloc(nr_idx, sizeof(*rp->cnt_phase));
	rp->cnt_slot = calloc(nr_slots, sizeof(*rp->cnt_slot));
	if (!rp->cnt_phase || !rp->cnt_slot) {
		snprintf(err, len, "probes: out of memory");
		return -ENOMEM;
	}
	if (cnt != RP_COUNTERS_NONE)
		return open_counters(rp, cnt_explicit, err, len);
	return 0;
}

void run_probes_start(struct run_probes *rp, uint64_t t0_ns,
		      uint64_t duration_ns)
{
	uint64_t w = duration_ns / HIST_MAX_WINDOWS + 1;
	unsigned int i;

	/* The whole run in the BPF timeline's windows, 10 ms at the finest. */
	w = (w + MIN_WINDOW_NS - 1) / MIN_WINDOW_NS * MIN_WINDOW_NS;
	rp->window_ns = w;
	for (i = 0; i < rp->nr; i++) {
		struct rp_probe *pr = &rp->pr[i];

		if (!pr->p)
			continue;
		probe_reset(pr->p);
		probe_set_timeline(pr->p, t0_ns, w);
		if (probe_read_hist(pr->p, &pr->last))
			hist_init(&pr->last);
	}
	if (rp->cnt && counters_read(rp->cnt, &rp->cnt_last))
		memset(&rp->cnt_last, 0, sizeof(rp->cnt_last));
}

static void slot_add(struct rp_slot *s, uint64_t n, uint64_t sum,
		     uint64_t max)
{
	s->count += n;
	s->sum_ns += sum;
	if (max > s->max_ns)
		s->max_ns = max;
}

static void boundary_hist(struct rp_probe *pr, unsigned int idx,
			  unsigned int slot)
{
	struct hist now, d;

	if (probe_read_hist(pr->p, &now))
		return;
	hist_sub(&d, &pr->last, &now);
	hist_merge(&pr->phase[idx], &d);
	slot_add(&pr->slot[slot], d.count, d.sum, d.count ? d.max : 0);
	pr->last = now;
}

/* Stops are attributed one by one, by the time each began. */
static void boundary_stop(struct rp_probe *pr, unsigned int idx,
			  unsigned int slot, uint64_t until)
{
	const struct stop_event *ev;
	size_t n = probe_stop_events(pr->p, &ev);

	for (; pr->next_ev < n && ev[pr->next_ev].start_ns < until;
	     pr->next_ev++) {
		const struct stop_event *e = &ev[pr->next_ev];
		struct stop_cpu *c;

		hist_record(&pr->phase[idx], e->dur_ns);
		slot_add(&pr->slot[slot], 1, e->dur_ns, e->dur_ns);
		if ((int)e->cpu >= pr->nr_cpus)
			continue;
		c = &pr->cpu[(size_t)idx * pr->nr_cpus + e->cpu];
		c->count++;
		c->total_ns += e->dur_ns;
		if (e->dur_ns > c->max_ns)
			c->max_ns = e->dur_ns;
	}
}

static void boundary_kgraft(struct rp_probe *pr, unsigned int idx,
			    unsigned int slot, uint64_t until)
{
	const struct kgraft_ev *ev;
	size_t n = probe_kgraft_events(pr->p, &ev);

	for (; pr->next_ev < n && ev[pr->next_ev].ts_ns < until;
	     pr->next_ev++) {
		const struct kgraft_ev *e = &ev[pr->next_ev];
		const char *name;
		uint64_t path;
		int i;

		if (e->type >= KGRAFT_EV_NR)
			continue;
		pr->kev[idx][e->type]++;
		if (e->type != KGRAFT_EV_TASK_SWITCH)
			continue;
		slot_add(&pr->slot[slot], 1, 0, 0);
		if (probe_kgraft_field_u64(pr->p, e, "path", &path))
			continue;
		/* By the name the event's format gives the value. */
		name = probe_kgraft_path_name(pr->p, path);
		i = name ? kpaths_index(name) : -1;
		if (i >= 0)
			pr->kpath[idx][i]++;
	}
}

void run_probes_boundary(struct run_probes *rp, unsigned int idx,
			 unsigned int slot)
{
	uint64_t now = mono_ns();
	unsigned int i;

	if (idx >= rp->nr_idx || slot >= rp->nr_slots)
		return;
	for (i = 0; i < rp->nr; i++) {
		struct rp_probe *pr = &rp->pr[i];

		if (!pr->p)
			continue;
		if (pr->p->ops->poll)
			probe_poll(pr->p, 0);
		if (is(pr, "stop"))
			boundary_stop(pr, idx, slot, now);
		else if (is(pr, "kgraft"))
			boundary_kgraft(pr, idx, slot, now);
		else
			boundary_hist(pr, idx, slot);
	}
	if (rp->cnt) {
		struct counters_snapshot cur, d;

		if (!counters_read(rp->cnt, &cur)) {
			counters_diff(&rp->cnt_last, &cur, &d);
			counters_add(&rp->cnt_phase[idx], &d);
			counters_add(&rp->cnt_slot[slot], &d);
			rp->cnt_last = cur;
		}
	}
}

/*
 * What the probes saw since the last boundary belongs to no phase (the
 * set-up of a cumulative patch's base): dropped, not attributed.
 */
void run_probes_skip(struct run_probes *rp)
{
	uint64_t now = mono_ns();
	unsigned int i;

	for (i = 0; i < rp->nr; i++) {
		struct rp_probe *pr = &rp->pr[i];

		if (!pr->p)
			continue;
		if (pr->p->ops->poll)
			probe_poll(pr->p, 0);
		if (is(pr, "stop")) {
			const struct stop_event *ev;
			size_t n = probe_stop_events(pr->p, &ev);

			while (pr->next_ev < n && ev[pr->next_ev].start_ns < now)
				pr->next_ev++;
		} else if (is(pr, "kgraft")) {
			const struct kgraft_ev *ev;
			size_t n = probe_kgraft_events(pr->p, &ev);

			while (pr->next_ev < n && ev[pr->next_ev].ts_ns < now)
				pr->next_ev++;
		} else {
			probe_read_hist(pr->p, &pr->last);
		}
	}
	if (rp->cnt)
		counters_read(rp->cnt, &rp->cnt_last);
}

void run_probes_drain(struct run_probes *rp)
{
	unsigned int i;

	for (i = 0; i < rp->nr; i++)
		if (rp->pr[i].p && rp->pr[i].p->ops->poll)
			probe_poll(rp->pr[i].p, 0);
}

void run_probes_write(struct run_probes *rp, const struct results *res)
{
	unsigned int i;

	for (i = 0; i < rp->nr; i++) {
		struct rp_probe *pr = &rp->pr[i];
		char name[64];
		struct json j;
		FILE *f;

		if (!pr->p || probe_read(pr->p))
			continue;
		snprintf(name, sizeof(name), "probe-%s.json", pr->name);
		f = results_open(res, name);
		if (!f)
			continue;
		json_init(&j, f);
		json_obj_begin(&j, NULL);
		json_str(&j, "scope", "the whole run");
		json_obj_begin(&j, "probe");
		/* probe_json() writes one member named after the probe. */
		probe_json(pr->p, &j);
		json_obj_end(&j);
		json_obj_end(&j);
		fputc('\n', f);
		results_close(res, name, f);
	}
}

size_t run_probes_stop_events(const struct run_probes *rp,
			      const struct stop_event **ev)
{
	unsigned int i;

	*ev = NULL;
	for (i = 0; i < rp->nr; i++)
		if (is(&rp->pr[i], "stop") && rp->pr[i].p)
			return probe_stop_events(rp->pr[i].p, ev);
	return 0;
}

void run_probes_detach(struct run_probes *rp)
{
	unsigned int i;

	for (i = 0; i < rp->nr; i++) {
		probe_close(rp->pr[i].p);
		rp->pr[i].p = NULL;
	}
	counters_close(rp->cnt);
	rp->cnt = NULL;
}

void run_probes_free(struct run_probes *rp)
{
	unsigned int i;

	run_probes_detach(rp);
	for (i = 0; i < rp->nr; i++) {
		free(rp->pr[i].phase);
		free(rp->pr[i].slot);
		free(rp->pr[i].cpu);
		free(rp->pr[i].kev);
		free(rp->pr[i].kpath);
	}
	free(rp->cnt_phase);
	free(rp->cnt_slot);
	memset(rp, 0, sizeof(*rp));
}

/* Did the probe run (it may have been detached since)? */
static bool ran(const struct rp_probe *pr)
{
	return !pr->error[0];
}

void run_probes_status_json(const struct run_probes *rp, struct json *j)
{
	unsigned int i;

	json_obj_begin(j, "probes");
	for (i = 0; i < rp->nr; i++) {
		const struct rp_probe *pr = &rp->pr[i];

		json_obj_begin(j, pr->name);
		json_bool(j, "attached", ran(pr));
		if (!ran(pr))
			json_str(j, "error", pr->error);
		if (pr->mode[0])
			json_str(j, "mode", pr->mode);
		json_obj_end(j);
	}
	json_u64(j, "timeline_window_ns", rp->window_ns);
	json_obj_end(j);
	json_obj_begin(j, "counters");
	json_str(j, "scope", rp->cnt_mode == RP_COUNTERS_NONE ? "none" :
		 rp->cnt_scope);
	if (rp->cnt_error[0])
		json_str(j, "error", rp->cnt_error);
	json_obj_end(j);
}

static void counters_phase_json(const struct run_probes *rp,
				const struct counters_snapshot *c,
				struct json *j, const char *key)
{
	unsigned int i;

	json_obj_begin(j, key);
	json_u64(j, "elapsed_ns", c->ts_ns);
	for (i = 0; i < CNT_NR; i++) {
		if (c->present[i])
			json_u64(j, counter_name(i), c->val[i]);
		else
			json_none(j, counter_name(i));
	}
	json_obj_begin(j, "absent");
	for (i = 0; i < CNT_NR; i++)
		if (!c->present[i])
			json_str(j, counter_name(i), rp->cnt_absent[i][0] ?
				 rp->cnt_absent[i] : "not read");
	json_obj_end(j);
	json_obj_end(j);
}

static void probe_phase_json(const struct rp_probe *pr, unsigned int idx,
			     struct json *j)
{
	unsigned int i;
	int c;

	if (is(pr, "kgraft")) {
		for (i = 0; i < KGRAFT_EV_NR; i++)
			json_u64(j, probe_kgraft_event_name(i), pr->kev[idx][i]);
		json_obj_begin(j, "task_switch_by_path");
		for (i = 0; i < kpaths_nr(); i++)
			json_u64(j, kpaths_name(i), pr->kpath[idx][i]);
		json_obj_end(j);
		return;
	}
	hist_json(&pr->phase[idx], j, is(pr, "stop") ? "stop_ns" :
		  "latency_ns");
	if (!is(pr, "stop"))
		return;
	json_arr_begin(j, "per_cpu");
	for (c = 0; c < pr->nr_cpus; c++) {
		const struct stop_cpu *sc =
			&pr->cpu[(size_t)idx * pr->nr_cpus + c];

		json_obj_begin(j, NULL);
		json_u64(j, "cpu", (uint64_t)c);
		json_u64(j, "stops", sc->count);
		json_u64(j, "total_ns", sc->total_ns);
		json_u64(j, "max_ns", sc->max_ns);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void run_probes_strategy_json(const struct run_probes *rp, unsigned int s,
			      struct json *j)
{
	unsigned int i;
	int p;

	json_obj_begin(j, "probes");
	for (i = 0; i < rp->nr; i++) {
		const struct rp_probe *pr = &rp->pr[i];

		if (!ran(pr))
			continue;
		json_obj_begin(j, pr->name);
		for (p = 0; p < RUN_NR_PHASES; p++) {
			json_obj_begin(j, run_phase_name(p));
			probe_phase_json(pr, s * RUN_NR_PHASES + p, j);
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
	if (rp->cnt_mode == RP_COUNTERS_NONE || rp->cnt_error[0])
		return;
	json_obj_begin(j, "counters");
	for (p = 0; p < RUN_NR_PHASES; p++)
		counters_phase_json(rp, &rp->cnt_phase[s * RUN_NR_PHASES + p],
				    j, run_phase_name(p));
	json_obj_end(j);
}

void run_probes_cycle_json(const struct run_probes *rp, unsigned int k,
			   struct json *j)
{
	unsigned int i;
	int p;

	json_obj_begin(j, "probes");
	for (i = 0; i < rp->nr; i++) {
		const struct rp_probe *pr = &rp->pr[i];

		if (!ran(pr))
			continue;
		json_obj_begin(j, pr->name);
		for (p = 0; p < RUN_NR_PHASES; p++) {
			const struct rp_slot *sl =
				&pr->slot[k * RUN_NR_PHASES + p];

			json_obj_begin(j, run_phase_name(p));
			json_u64(j, "count", sl->count);
			if (!is(pr, "kgraft")) {
				json_u64(j, "sum_ns", sl->sum_ns);
				json_u64(j, "max_ns", sl->max_ns);
			}
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
	if (rp->cnt_mode == RP_COUNTERS_NONE || rp->cnt_error[0])
		return;
	json_obj_begin(j, "counters");
	for (p = 0; p < RUN_NR_PHASES; p++)
		counters_phase_json(rp, &rp->cnt_slot[k * RUN_NR_PHASES + p],
				    j, run_phase_name(p));
	json_obj_end(j);
}

/* Per second of the phase, so that phases of different lengths compare. */
static double rate(uint64_t v, uint64_t ns)
{
	return ns ? v * 1e9 / ns : 0;
}

void run_probes_print(const struct run_probes *rp, unsigned int s, FILE *f)
{
	static const double pcts[] = { 50, 99, 99.9 };
	char b[4][32];
	unsigned int i, k;
	int p, c;

	for (i = 0; i < rp->nr; i++) {
		const struct rp_probe *pr = &rp->pr[i];

		if (!ran(pr) || is(pr, "kgraft"))
			continue;
		for (p = 0; p < RUN_NR_PHASES; p++) {
			unsigned int idx = s * RUN_NR_PHASES + p;
			const struct hist *h = &pr->phase[idx];

			for (k = 0; k < 3; k++)
				if (h->count)
					fmt_ns(b[k], 32, hist_percentile(h, pcts[k]));
				else
					snprintf(b[k], 32, "-");
			if (h->count)
				fmt_ns(b[3], 32, h->max);
			else
				snprintf(b[3], 32, "-");
			fprintf(f, "  %-10s %-9s %12llu %9s %9s %9s %9s", pr->name,
				run_phase_name(p), (unsigned long long)h->count,
				b[0], b[1], b[2], b[3]);
			if (is(pr, "stop") && h->count) {
				fprintf(f, "  stopped");
				for (c = 0; c < pr->nr_cpus; c++) {
					const struct stop_cpu *sc = &pr->cpu[(size_t)idx * pr->nr_cpus + c];

					if (sc->count)
						fprintf(f, " cpu%d %s", c,
							fmt_ns(b[0], 32, sc->total_ns));
				}
			}
			fputc('\n', f);
		}
	}
	if (!rp->cnt_mode || rp->cnt_error[0])
		return;
	for (p = 0; p < RUN_NR_PHASES; p++) {
		const struct counters_snapshot *cs =
			&rp->cnt_phase[s * RUN_NR_PHASES + p];

		fprintf(f, "  %-10s %-9s", "counters", run_phase_name(p));
		for (i = 0; i < CNT_NR; i++)
			if (cs->present[i] && i != CNT_TASK_CLOCK)
				fprintf(f, " %s %.0f/s", counter_name(i),
					rate(cs->val[i], cs->ts_ns));
		fputc('\n', f);
	}
}
