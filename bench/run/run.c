// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop. Each cycle: a baseline window, apply (write enabled=1), wait
 * until the transition is over, a settled window, revert, wait, then a gap of
 * random length (seeded) so that cycles do not beat with periodic activity.
 * The driver runs on CPU 0 and sleeps while it waits; the workloads run on
 * the other CPUs, so the driver's own work is not measured as a stall.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/run/kmod.h"
#include "bench/run/kstats.h"
#include "bench/run/meta.h"
#include "bench/run/patchctl.h"
#include "lib/results.h"
#include "analysis/stats/rng.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "analysis/stall/metrics.h"
#include "analysis/stall/report.h"
#include "bench/run/strategy.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

#define NS 1000000000ULL
#define MAX_STATS 64
#define MAX_PARAMS 16

static volatile int interrupted;

void run_config_init(struct run_config *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->strategies[0] = "kgraft";
	rc->nr_strategies = 1;
	rc->patch = "target";
	rc->workloads[0] = "target";
	rc->workloads[1] = "stall";
	rc->nr_workloads = 2;
	rc->cycles = 10;
	rc->cpus = 2;
	rc->threads = 1;
	rc->baseline_ns = NS;
	rc->settled_ns = NS;
	rc->gap_min_ns = NS / 5;
	rc->gap_max_ns = 3 * NS / 5;
	rc->transition_timeout_ns = 60 * NS;
	rc->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	rc->accel = GUEST_ACCEL_AUTO;
	rc->mem_mb = 2048;
	rc->counters = RP_COUNTERS_SYSTEM;
}

unsigned int run_default_mem(unsigned int tasks)
{
	/* 160 KiB a task over a 1 GiB floor, measured with fork()ed sleepers. */
	uint64_t mb = 1024 + ((uint64_t)tasks * 160 + 1023) / 1024;

	return mb < 2048 ? 2048 : (unsigned int)mb;
}

/* Splits a copy: the original stays whole for the guest's command line. */
int run_parse_strategies(const char *arg, struct run_config *rc)
{
	char *save = NULL, *s, *list = strdup(arg);

	if (!list)
		return -ENOMEM;
	rc->nr_strategies = 0;
	for (s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (rc->nr_strategies == RUN_MAX_STRATEGIES)
			return -E2BIG;
		rc->strategies[rc->nr_strategies++] = s;
	}
	return rc->nr_strategies ? 0 : -EINVAL;
}

int run_config_check(const struct run_config *rc, char *err, size_t len)
{
	unsigned int i, k;

	for (i = 0; i < rc->nr_strategies; i++) {
		if (!bench_strategy_find(rc->strategies[i])) {
			snprintf(err, len, "unknown strategy '%s' (see 'bench list')",
				 rc->strategies[i]);
			return -EINVAL;
		}
		for (k = 0; k < i; k++) {
			if (!strcmp(rc->strategies[i], rc->strategies[k])) {
				snprintf(err, len, "strategy '%s' named twice",
					 rc->strategies[i]);
				return -EINVAL;
			}
		}
	}
	if ((uint64_t)rc->cycles * rc->nr_strategies * RUN_NR_PHASES >
	    WL_MAX_SLOTS) {
		snprintf(err, len, "at most %u cycles in all (cycles x strategies)",
			 WL_MAX_SLOTS / RUN_NR_PHASES);
		return -EINVAL;
	}
	if (rc->tasks_outside + rc->tasks_inside > RUN_MAX_TASKS) {
		snprintf(err, len, "at most %u tasks in all (outside and inside the patch)",
			 RUN_MAX_TASKS);
		return -EINVAL;
	}
	if (!bench_patch_find(rc->patch)) {
		snprintf(err, len, "unknown patch '%s' (see 'bench list')",
			 rc->patch);
		return -EINVAL;
	}
	for (i = 0; i < rc->nr_workloads; i++) {
		if (!workload_find(rc->workloads[i])) {
			snprintf(err, len, "unknown workload '%s' (see 'bench list')",
				 rc->workloads[i]);
			return -EINVAL;
		}
	}
	if (rc->gap_min_ns > rc->gap_max_ns) {
		snprintf(err, len, "--gap: the minimum is above the maximum");
		return -EINVAL;
	}
	if (rc->probes) {
		char names[RP_MAX_PROBES][16];
		unsigned int n;

		if (run_probes_parse(rc->probes, names, &n, err, len))
			return -EINVAL;
	}
	return 0;
}

int run_check_modules(const struct run_config *rc, char *err, size_t len)
{
	const struct bench_patch *patch = bench_patch_find(rc->patch);
	const char *need[RUN_MAX_STRATEGIES + 3];
	char path[4096];
	unsigned int i, n = 0;

	need[n++] = "kgraft";
	for (i = 0; i < rc->nr_strategies; i++) {
		const struct bench_strategy *s =
			bench_strategy_find(rc->strategies[i]);

		if (s && s->module)
			need[n++] = s->module;
	}
	if (patch && patch->needs)
		need[n++] = patch->needs;
	if (patch)
		need[n++] = patch->module;
	for (i = 0; i < n; i++) {
		int ret;

		if (kmod_loaded(need[i]))
			continue;
		ret = kmod_find(need[i], path, sizeof(path), err, len);
		if (ret)
			return ret;
	}
	return 0;
}

/* What one cycle saw: event times (CLOCK_MONOTONIC ns) and results. */
struct cycle {
	unsigned int strategy;		/* index into rc->strategies */
	unsigned int round;		/* 1-based cycle of that strategy */
	uint64_t t_baseline, t_apply, t_applied, t_revert, t_reverted, t_end;
	int apply_err, revert_err;
	/*
	 * The strategy refused to apply (the write failed with EBUSY:
	 * stop_machine found a task inside the patch at every attempt). A
	 * result, not a failure: the cycle goes on unpatched, its apply phase
	 * is the attempts, with no patched or revert phase.
	 */
	bool refused;
	struct patch_stat apply_st[MAX_STATS], revert_st[MAX_STATS];
	int apply_nst, revert_nst;
};

struct run {
	const struct run_config *rc;
	const struct bench_patch *patch;
	struct results res;
	struct patchctl pc;
	struct workload *wl[RUN_MAX_WORKLOADS];
	struct cycle *cyc;
	unsigned int nr_cyc;		/* cycles x strategies */
	unsigned int done;		/* cycles completed, in run order */
	uint64_t t0;
	char reason[512];
	bool loaded_core, loaded_target, loaded_patch;
	bool loaded_strategy[RUN_MAX_STRATEGIES];
	/* Each strategy's module parameters (kgraft's: kgraft.ko's), as run. */
	struct kmod_param params[RUN_MAX_STRATEGIES][MAX_PARAMS];
	int nr_params[RUN_MAX_STRATEGIES];
	struct run_probes rp;
	bool in_phase;			/* cur_idx, cur_slot are set */
	unsigned int cur_idx, cur_slot;
	struct stall_metrics sm;	/* the stall workload's, per window */
	bool have_sm;
};

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * Sleep until @deadline (ns), waking early only when interrupted; the
 * probes' ring buffers are emptied every 100 ms meanwhile.
 */
static void sleep_until(struct run *r, uint64_t deadline)
{
	uint64_t now;

	while (!interrupted && (now = mono_ns()) < deadline) {
		uint64_t left = deadline - now;

		sleep_ns(left > NS / 10 ? (long)(NS / 10) : (long)left);
		run_probes_drain(&r->rp);
	}
}

static int preflight(char *err, size_t len)
{
	if (geteuid()) {
		snprintf(err, len, "--target=local needs root (modules are loaded)");
		return -EPERM;
	}
	if (access("/proc/modules", R_OK)) {
		snprintf(err, len, "this kernel (%s) has no loadable module support",
			 "running");
		return -ENOSYS;
	}
	if (access("/sys/kernel/livepatch", F_OK)) {
		snprintf(err, len, "this kernel has no livepatch support (CONFIG_LIVEPATCH, /sys/kernel/livepatch)");
		return -ENOSYS;
	}
	if (access("/sys/kernel/tracing/events", F_OK) &&
	    access("/sys/kernel/debug/tracing/events", F_OK)) {
		snprintf(err, len, "tracefs is not mounted (/sys/kernel/tracing)");
		return -ENOSYS;
	}
	return 0;
}

static int load(const char *name, const char *params, bool *loaded, char *err,
		size_t len)
{
	char path[4096];
	int ret;

	if (kmod_loaded(name))
		return 0;
	ret = kmod_find(name, path, sizeof(path), err, len);
	if (ret)
		return ret;
	ret = kmod_load(path, params);
	if (ret) {
		snprintf(err, len, "loading %s: %s", path, strerror(-ret));
		return ret;
	}
	*loaded = true;
	return 0;
}

/* Choose the strategy for the next transitions, unless it is already set. */
static int set_strategy(struct run *r, const char *name)
{
	char cur[64];

	if (patchctl_read(&r->pc, "strategy", cur, sizeof(cur)) > 0) {
		strip_newline(cur);
		if (!strcmp(cur, name))
			return 0;
	} else if (!strcmp(name, "kgraft")) {
		return 0;	/* a core without strategies: its own lazy one */
	}
	return patchctl_write(&r->pc, "strategy", name);
}

static int setup_kernel(struct run *r, char *err, size_t len)
{
	unsigned int i;
	int ret;

	ret = load("kgraft", "", &r->loaded_core, err, len);
	/* Strategies register with the core: after it, before any use. */
	for (i = 0; !ret && i < r->rc->nr_strategies; i++) {
		const struct bench_strategy *s =
			bench_strategy_find(r->rc->strategies[i]);

		if (s->module)
			ret = load(s->module, "", &r->loaded_strategy[i], err,
				   len);
	}
	if (!ret && r->patch->needs)
		ret = load(r->patch->needs, "", &r->loaded_target, err, len);
	if (!ret)
		ret = load(r->patch->module, "", &r->loaded_patch, err, len);
	if (ret)
		return ret;
	for (i = 0; i < r->rc->nr_strategies; i++) {
		const struct bench_strategy *s =
			bench_strategy_find(r->rc->strategies[i]);

		r->nr_params[i] = kmod_params(s->module ?: "kgraft",
					      r->params[i], MAX_PARAMS);
	}
	if (patchctl_open(&r->pc, r->patch->sysfs)) {
		snprintf(err, len, "%s loaded but %s/%s is missing",
			 r->patch->module, KGRAFT_SYSFS, r->patch->sysfs);
		return -ENOENT;
	}
	return 0;
}

/*
 * Unload @name, waiting up to @wait_ns while it is in use: after an
 * immediate revert that could not prove the replacements unused, the
 * strategy keeps a reference on the patch module and drops it at a rescan
 * (every 100 ms to 1 s), which succeeds once the workloads have stopped.
 */
static void unload(const char *name, uint64_t wait_ns)
{
	uint64_t deadline = mono_ns() + wait_ns;
	int ret;

	while ((ret = kmod_unload(name)) == -EWOULDBLOCK || ret == -EBUSY) {
		if (mono_ns() > deadline)
			break;
		sleep_ns(NS / 10);
	}
	if (ret)
		fprintf(stderr, "bench run: %s stays loaded: %s\n", name,
			strerror(-ret));
}

static void teardown_kernel(struct run *r)
{
	long v = 0;
	unsigned int i;

	if (r->loaded_patch && !patchctl_read_long(&r->pc, "enabled", &v) && v) {
		patchctl_write(&r->pc, "enabled", "0");
		patchctl_wait_settled(&r->pc, r->rc->transition_timeout_ns);
	}
	if (r->loaded_patch)
		unload(r->patch->module, 5 * NS);
	/* The patch held its strategy's module: gone with it. */
	for (i = 0; i < r->rc->nr_strategies; i++)
		if (r->loaded_strategy[i])
			unload(bench_strategy_find(r->rc->strategies[i])->module,
			       0);
	if (r->loaded_target)
		unload(r->patch->needs, 0);
	if (r->loaded_core)
		unload("kgraft", 0);
}

/* Workloads run on CPUs 1..n-1; with one CPU they share it with us. */
static int start_workloads(struct run *r, uint64_t duration_ns, char *err,
			   size_t len)
{
	const struct run_config *rc = r->rc;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int i;
	long c;

	for (i = 0; i < rc->nr_workloads; i++) {
		const struct workload_ops *ops = workload_find(rc->workloads[i]);
		struct workload_opts o;
		int ret;

		workload_opts_init(&o, ops);
		o.threads = rc->threads;
		o.duration_ns = duration_ns;
		o.window_ns = 10 * 1000 * 1000;
		for (c = ncpu > 1 ? 1 : 0; c < ncpu && o.nr_cpus < WL_MAX_CPUS; c++)
			o.cpus[o.nr_cpus++] = (int)c;
		if (!strcmp(ops->name, "target")) {
			o.op = r->patch->workload_op;
			o.rate_hz = rc->rate_hz;
		}
		if (!strcmp(ops->name, "population")) {
			o.tasks = rc->tasks_outside;
			o.sleepers = rc->tasks_inside;
		}
		ret = workload_opts_check(&o, err, len);
		if (!ret)
			ret = workload_start(&r->wl[i], ops, &o, err, len);
		if (ret)
			return ret;
	}
	return 0;
}

/* Interleave: every round runs each strategy once, in a shuffled order. */
static void plan_cycles(struct run *r, struct rng *rng)
{
	unsigned int ns = r->rc->nr_strategies, round, i, k = 0;

	for (round = 0; round < r->rc->cycles; round++) {
		unsigned int order[RUN_MAX_STRATEGIES];

		for (i = 0; i < ns; i++)
			order[i] = i;
		for (i = ns; i > 1; i--) {
			unsigned int j = (unsigned int)rng_below(rng, i), t;

			t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		for (i = 0; i < ns; i++, k++) {
			r->cyc[k].strategy = order[i];
			r->cyc[k].round = round + 1;
		}
	}
}

/* The probes' numbers since the last phase change go to the phase that ends. */
static void end_phase(struct run *r)
{
	if (r->in_phase)
		run_probes_boundary(&r->rp, r->cur_idx, r->cur_slot);
	r->in_phase = false;
}

static void set_phase(struct run *r, unsigned int k, const struct cycle *c,
		      int phase)
{
	end_phase(r);
	r->cur_idx = c->strategy * RUN_NR_PHASES + phase;
	r->cur_slot = k * RUN_NR_PHASES + phase;
	r->in_phase = true;
	wl_set_phase(r->cur_idx, r->cur_slot);
}

/*
 * A workload thread that failed, or workloads that ended before the last
 * cycle, leave phases without data: the run is not complete then.
 */
static int check_workloads(struct run *r)
{
	uint64_t last = r->done ? r->cyc[r->done - 1].t_end : 0;
	unsigned int i, t;

	for (i = 0; i < r->rc->nr_workloads; i++) {
		const struct workload *w = r->wl[i];

		for (t = 0; t < w->nr; t++) {
			if (!w->th[t].err)
				continue;
			snprintf(r->reason, sizeof(r->reason),
				 "workload %s thread %u failed: %s", w->ops->name,
				 t, w->th[t].errmsg);
			return -EIO;
		}
		if (w->end_ns < last) {
			snprintf(r->reason, sizeof(r->reason),
				 "workload %s ended before the last cycle",
				 w->ops->name);
			return -EIO;
		}
	}
	return 0;
}

/* Apply or revert; returns 0 or -errno, and the time it settled. */
static int transition(struct run *r, const char *val, uint64_t *settled,
		      struct patch_stat *st, int *nst)
{
	uint64_t deadline = mono_ns() + r->rc->transition_timeout_ns;
	int ret = patchctl_write(&r->pc, "enabled", val);

	/* In slices of 100 ms, emptying the probes' ring buffers between. */
	while (!ret) {
		uint64_t now = mono_ns();

		ret = patchctl_wait_settled(&r->pc, now >= deadline ? 0 :
					    deadline - now > NS / 10 ? NS / 10 :
					    deadline - now);
		if (ret != -ETIMEDOUT || now >= deadline)
			break;
		ret = 0;
		run_probes_drain(&r->rp);
	}
	*settled = mono_ns();
	*nst = patchctl_stats(&r->pc, st, MAX_STATS);
	return ret;
}

static int run_cycles(struct run *r, struct rng *rng)
{
	const struct run_config *rc = r->rc;
	unsigned int k;
	int ret;

	for (k = 0; k < r->nr_cyc && !interrupted; k++) {
		struct cycle *c = &r->cyc[k];
		const char *name = rc->strategies[c->strategy];
		uint64_t gap = rc->gap_min_ns;

		if (rc->gap_max_ns > rc->gap_min_ns)
			gap += rng_below(rng, rc->gap_max_ns - rc->gap_min_ns + 1);
		ret = set_strategy(r, name);
		if (ret) {
			snprintf(r->reason, sizeof(r->reason),
				 "setting strategy %s: %s", name, strerror(-ret));
			return ret;
		}
		set_phase(r, k, c, RUN_BASELINE);
		c->t_baseline = mono_ns();
		sleep_until(r, c->t_baseline + rc->baseline_ns);
		if (interrupted)
			break;
		set_phase(r, k, c, RUN_APPLY);
		c->t_apply = mono_ns();
		c->apply_err = transition(r, "1", &c->t_applied, c->apply_st,
					  &c->apply_nst);
		if (c->apply_err == -EBUSY) {
			set_phase(r, k, c, RUN_BASELINE);
			c->refused = true;
			c->t_revert = c->t_reverted = c->t_applied;
			sleep_until(r, c->t_applied + gap);
			c->t_end = mono_ns();
			r->done = k + 1;
			fprintf(stderr, "bench run: cycle %u/%u (%s): apply refused after %.3f s (a task stayed inside the patch)\n",
				k + 1, r->nr_cyc, name,
				(c->t_applied - c->t_apply) / 1e9);
			continue;
		}
		set_phase(r, k, c, RUN_PATCHED);
		if (c->apply_err) {
			snprintf(r->reason, sizeof(r->reason),
				 "cycle %u: applying %s with %s failed: %s", k + 1,
				 rc->patch, name, strerror(-c->apply_err));
			return c->apply_err;
		}
		sleep_until(r, c->t_applied + rc->settled_ns);
		set_phase(r, k, c, RUN_REVERT);
		c->t_revert = mono_ns();
		c->revert_err = transition(r, "0", &c->t_reverted, c->revert_st,
					   &c->revert_nst);
		set_phase(r, k, c, RUN_BASELINE);
		if (c->revert_err) {
			snprintf(r->reason, sizeof(r->reason),
				 "cycle %u: reverting %s with %s failed: %s",
				 k + 1, rc->patch, name, strerror(-c->revert_err));
			return c->revert_err;
		}
		sleep_until(r, c->t_reverted + gap);
		c->t_end = mono_ns();
		r->done = k + 1;
		fprintf(stderr, "bench run: cycle %u/%u (%s): apply %.3f s, revert %.3f s\n",
			k + 1, r->nr_cyc, name,
			(c->t_applied - c->t_apply) / 1e9,
			(c->t_reverted - c->t_revert) / 1e9);
	}
	if (interrupted) {
		snprintf(r->reason, sizeof(r->reason),
			 "interrupted after %u of %u cycles", r->done, r->nr_cyc);
		return -EINTR;
	}
	return 0;
}

/* The cycle and phase @t falls in; -1 outside every completed part. */
static int phase_at(const struct run *r, uint64_t t, unsigned int *cycle)
{
	unsigned int k;

	for (k = 0; k < r->nr_cyc; k++) {
		const struct cycle *c = &r->cyc[k];

		if (!c->t_baseline || t < c->t_baseline)
			break;
		*cycle = k;
		if (!c->t_apply || t < c->t_apply)
			return RUN_BASELINE;
		if (!c->t_applied || t < c->t_applied)
			return RUN_APPLY;
		if (!c->t_revert || t < c->t_revert)
			return RUN_PATCHED;
		if (!c->t_reverted || t < c->t_reverted)
			return RUN_REVERT;
		if (!c->t_end || t < c->t_end)
			return RUN_BASELINE;
	}
	return -1;
}

/* How long cycle @c spent in each phase (zero for parts it never reached). */
static void cycle_durations(const struct cycle *c, uint64_t *d)
{
	d[RUN_BASELINE] = (c->t_apply ? c->t_apply - c->t_baseline : 0) +
			  (c->t_end ? c->t_end - c->t_reverted : 0);
	d[RUN_APPLY] = c->t_applied ? c->t_applied - c->t_apply : 0;
	d[RUN_PATCHED] = c->t_revert ? c->t_revert - c->t_applied : 0;
	d[RUN_REVERT] = c->t_reverted ? c->t_reverted - c->t_revert : 0;
}

/* Each cycle's windows by phase; a part never reached is empty. */
static void cycle_windows(const struct cycle *c, struct interval *w)
{
	const uint64_t t[] = { c->t_baseline, c->t_apply, c->t_applied,
			       c->t_revert, c->t_reverted };
	int p;

	for (p = 0; p < RUN_NR_PHASES; p++)
		w[p] = t[p] && t[p + 1] ? (struct interval){
			(int64_t)t[p], (int64_t)t[p + 1] } :
			(struct interval){ 0, 0 };
}

/* The stall metrics from the stall threads' gaps and the stop probe's. */
static void compute_stall(struct run *r)
{
	struct interval (*win)[SM_NR_PHASES] = calloc(r->nr_cyc, sizeof(*win));
	uint64_t (*kstop)[SM_NR_PHASES] = calloc(r->nr_cyc, sizeof(*kstop));
	bool *complete = calloc(r->nr_cyc, sizeof(*complete));
	struct sm_thread th[WL_MAX_THREADS];
	struct sm_input in = { .th = th };
	const struct workload *w = NULL;
	unsigned int i, k;

	for (i = 0; i < r->rc->nr_workloads; i++)
		if (r->wl[i] && !strcmp(r->wl[i]->ops->name, "stall"))
			w = r->wl[i];
	if (!w || !win || !kstop || !complete)
		goto out;
	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];

		th[in.nr_th++] = (struct sm_thread){ t->cpu, t->gaps,
			t->nr_gaps, t->gaps_over > t->nr_gaps && t->nr_gaps ?
			t->gaps[t->nr_gaps - 1].t_ns : UINT64_MAX };
	}
	for (k = 0; k < r->nr_cyc; k++) {
		const struct cycle *c = &r->cyc[k];

		cycle_windows(c, win[k]);
		complete[k] = k < r->done;
		kstop[k][RUN_APPLY] = (uint64_t)patch_stat_get(c->apply_st,
			c->apply_nst, "stop_sum_total_ns", 0);
		kstop[k][RUN_REVERT] = (uint64_t)patch_stat_get(c->revert_st,
			c->revert_nst, "stop_sum_total_ns", 0);
	}
	in.nr_stops = run_probes_stop_events(&r->rp, &in.stops);
	in.nr_cycles = r->nr_cyc;
	in.win = (const struct interval (*)[SM_NR_PHASES])win;
	in.complete = complete;
	in.kernel_stop_ns = (const uint64_t (*)[SM_NR_PHASES])kstop;
	r->have_sm = !stall_metrics_compute(&r->sm, &in);
out:
	free(win);
	free(kstop);
	free(complete);
}

/* Strategy @s's complete cycles whose apply was not refused. */
static bool *strategy_cycles(const struct run *r, unsigned int s)
{
	bool *sel = calloc(r->nr_cyc + 1, sizeof(*sel));
	unsigned int k;

	for (k = 0; sel && k < r->done; k++)
		sel[k] = r->cyc[k].strategy == s && !r->cyc[k].refused;
	return sel;
}

/* Strategy @s's stall metrics into summary.json (@j) or the table (@f). */
static void stall_summary(const struct run *r, unsigned int s, struct json *j,
			  FILE *f)
{
	bool *sel;

	if (!r->have_sm)
		return;
	sel = strategy_cycles(r, s);
	if (sel && j)
		stall_report_json(&r->sm, sel, j);
	if (sel && f)
		stall_report_print(&r->sm, sel, f);
	free(sel);
}

static void write_events(struct run *r)
{
	FILE *f = results_open(&r->res, "events.csv");
	unsigned int k;

	if (!f)
		return;
	fprintf(f, "cycle,strategy,round,event,t_ns,result\n");
	for (k = 0; k < r->nr_cyc; k++) {
		const struct cycle *c = &r->cyc[k];
		const struct {
			const char *name;
			uint64_t t;
			int err;
		} ev[] = {
			{ "baseline", c->t_baseline, 0 },
			{ "apply", c->t_apply, 0 },
			{ "applied", c->t_applied, c->apply_err },
			{ "revert", c->t_revert, 0 },
			{ "reverted", c->t_reverted, c->revert_err },
			{ "end", c->t_end, 0 },
		};
		size_t e;

		for (e = 0; e < sizeof(ev) / sizeof(ev[0]); e++)
			if (ev[e].t)
				fprintf(f, "%u,%s,%u,%s,%llu,%d\n", k + 1,
					r->rc->strategies[c->strategy], c->round,
					ev[e].name,
					(unsigned long long)(ev[e].t - r->t0),
					ev[e].err);
	}
	results_close(&r->res, "events.csv", f);
}

static void stats_json(struct json *j, const char *key,
		       const struct patch_stat *st, int n)
{
	int i;

	json_obj_begin(j, key);
	for (i = 0; i < n; i++)
		json_i64(j, st[i].key, st[i].val);
	json_obj_end(j);
}

/* Exact per-cycle numbers for each workload: ops and max by phase. */
static void cycle_workloads_json(const struct run *r, unsigned int k,
				 struct json *j)
{
	unsigned int i, t;
	int p;

	json_obj_begin(j, "workloads");
	for (i = 0; i < r->rc->nr_workloads; i++) {
		const struct workload *w = r->wl[i];

		if (!w)
			continue;
		json_obj_begin(j, w->ops->name);
		for (p = 0; p < RUN_NR_PHASES; p++) {
			uint64_t max = 0, count = 0;

			for (t = 0; t < w->nr; t++) {
				const struct wl_slot *s =
					&w->th[t].slots[k * RUN_NR_PHASES + p];

				count += s->count;
				if (s->max_ns > max)
					max = s->max_ns;
			}
			json_obj_begin(j, run_phase_name(p));
			json_u64(j, "ops", count);
			json_u64(j, "max_ns", max);
			if (r->have_sm && !strcmp(w->ops->name, "stall"))
				stall_metrics_phase_json(&r->sm, k, p, j);
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void write_cycles(struct run *r)
{
	FILE *f = results_open(&r->res, "cycles.json");
	uint64_t d[RUN_NR_PHASES];
	struct json j;
	unsigned int k;
	int p;

	if (!f)
		return;
	json_init(&j, f);
	json_arr_begin(&j, NULL);
	for (k = 0; k < r->nr_cyc && r->cyc[k].t_apply; k++) {
		const struct cycle *c = &r->cyc[k];

		cycle_durations(c, d);
		json_obj_begin(&j, NULL);
		json_u64(&j, "cycle", k + 1);
		json_str(&j, "strategy", r->rc->strategies[c->strategy]);
		json_u64(&j, "round", c->round);
		json_bool(&j, "complete", k < r->done);
		json_obj_begin(&j, "duration_ns");
		for (p = 0; p < RUN_NR_PHASES; p++)
			json_u64(&j, run_phase_name(p), d[p]);
		json_obj_end(&j);
		json_i64(&j, "apply_result", c->apply_err);
		json_bool(&j, "refused", c->refused);
		stats_json(&j, "apply_stats", c->apply_st, c->apply_nst);
		if (c->t_revert) {
			json_i64(&j, "revert_result", c->revert_err);
			stats_json(&j, "revert_stats", c->revert_st,
				   c->revert_nst);
		}
		cycle_workloads_json(r, k, &j);
		run_probes_cycle_json(&r->rp, k, &j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	fputc('\n', f);
	results_close(&r->res, "cycles.json", f);
}

/* One workload's own results (totals, timeline, gaps), as it writes them. */
static void write_workload(struct run *r, const struct workload *w)
{
	char name[64];
	struct json j;
	FILE *f;

	snprintf(name, sizeof(name), "workload-%s.json", w->ops->name);
	f = results_open(&r->res, name);
	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	workload_json(w, &j);
	json_obj_end(&j);
	fputc('\n', f);
	results_close(&r->res, name, f);
}

/* Stall gaps above the threshold by (strategy, phase): count, lost, max. */
struct gap_sum {
	uint64_t count, lost, max;
};

static void stall_by_phase(const struct run *r, const struct workload *w,
			   struct gap_sum *g)
{
	unsigned int i, k;
	size_t n;

	for (i = 0; i < w->nr; i++) {
		const struct wl_thread *t = &w->th[i];

		for (n = 0; n < t->nr_gaps; n++) {
			int p = phase_at(r, t->gaps[n].t_ns, &k);
			struct gap_sum *s;

			if (p < 0 || k >= r->done)
				continue;
			s = &g[r->cyc[k].strategy * RUN_NR_PHASES + p];
			s->count++;
			s->lost += t->gaps[n].len_ns;
			if (t->gaps[n].len_ns > s->max)
				s->max = t->gaps[n].len_ns;
		}
	}
}

static void phase_hist(const struct workload *w, int idx, struct hist *h)
{
	unsigned int i;

	hist_init(h);
	for (i = 0; i < w->nr; i++)
		hist_merge(h, &w->th[i].phase[idx]);
}

static void summary_workload_json(const struct run *r, unsigned int s,
				  const struct workload *w, struct json *j,
				  const uint64_t *dur)
{
	struct gap_sum g[RUN_MAX_STRATEGIES * RUN_NR_PHASES] = { { 0 } };
	bool stall = !strcmp(w->ops->name, "stall");
	struct hist h;
	int p;

	if (stall)
		stall_by_phase(r, w, g);
	json_obj_begin(j, w->ops->name);
	for (p = 0; p < RUN_NR_PHASES; p++) {
		const struct gap_sum *gs = &g[s * RUN_NR_PHASES + p];

		json_obj_begin(j, run_phase_name(p));
		phase_hist(w, s * RUN_NR_PHASES + p, &h);
		hist_json(&h, j, "latency_ns");
		json_u64(j, "duration_ns", dur[p]);
		if (stall) {
			json_u64(j, "gaps_over_threshold", gs->count);
			json_u64(j, "lost_ns", gs->lost);
			json_u64(j, "largest_gap_ns", gs->max);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* Sum one stat over a strategy's completed transitions. */
static long long stat_sum(const struct run *r, unsigned int s, const char *key)
{
	long long sum = 0;
	unsigned int k;

	for (k = 0; k < r->done; k++) {
		const struct cycle *c = &r->cyc[k];

		if (c->strategy != s)
			continue;
		sum += patch_stat_get(c->apply_st, c->apply_nst, key, 0);
		sum += patch_stat_get(c->revert_st, c->revert_nst, key, 0);
	}
	return sum;
}

/* The kernel's stats of a strategy's completed applies or reverts, summed. */
static void kernel_stats(const struct run *r, unsigned int s, bool apply,
			 struct kstats *ks)
{
	unsigned int k;

	kstats_init(ks);
	for (k = 0; k < r->done; k++) {
		const struct cycle *c = &r->cyc[k];

		/* A refused apply has no revert. */
		if (c->strategy != s || (!apply && c->refused))
			continue;
		if (apply)
			kstats_add(ks, c->apply_st, c->apply_nst);
		else
			kstats_add(ks, c->revert_st, c->revert_nst);
	}
}

/* How many of strategy @s's applies were refused. */
static unsigned int refused(const struct run *r, unsigned int s)
{
	unsigned int k, n = 0;

	for (k = 0; k < r->done; k++)
		n += r->cyc[k].strategy == s && r->cyc[k].refused;
	return n;
}

static void transition_hist(const struct run *r, unsigned int s, bool apply,
			    struct hist *h)
{
	unsigned int k;

	hist_init(h);
	for (k = 0; k < r->done; k++) {
		const struct cycle *c = &r->cyc[k];

		/* A refused apply is counted apart, not as a transition. */
		if (c->strategy == s && !c->refused)
			hist_record(h, apply ? c->t_applied - c->t_apply :
				    c->t_reverted - c->t_revert);
	}
}

static void summary_strategy_json(const struct run *r, unsigned int s,
				  struct json *j)
{
	uint64_t dur[RUN_NR_PHASES] = { 0 }, d[RUN_NR_PHASES];
	char key[64];
	unsigned int i, k, done = 0;
	struct kstats ks;
	struct hist h;
	size_t n;
	int p;

	for (k = 0; k < r->done; k++) {
		if (r->cyc[k].strategy != s)
			continue;
		done++;
		cycle_durations(&r->cyc[k], d);
		for (p = 0; p < RUN_NR_PHASES; p++)
			dur[p] += d[p];
	}
	json_obj_begin(j, r->rc->strategies[s]);
	json_u64(j, "cycles_done", done);
	json_u64(j, "applies_refused", refused(r, s));
	json_obj_begin(j, "module_params");
	for (p = 0; p < r->nr_params[s]; p++)
		json_str(j, r->params[s][p].name, r->params[s][p].value);
	json_obj_end(j);
	json_obj_begin(j, "transitions");
	transition_hist(r, s, true, &h);
	hist_json(&h, j, "apply_ns");
	transition_hist(r, s, false, &h);
	hist_json(&h, j, "revert_ns");
	json_obj_end(j);
	json_obj_begin(j, "task_switches");
	for (n = 0; n < KSTATS_NR_PATHS; n++) {
		snprintf(key, sizeof(key), "switched_%s", kstats_paths[n]);
		json_i64(j, kstats_paths[n], stat_sum(r, s, key));
	}
	json_obj_end(j);
	json_obj_begin(j, "kernel");
	kernel_stats(r, s, true, &ks);
	kstats_json(&ks, j, "apply");
	kernel_stats(r, s, false, &ks);
	kstats_json(&ks, j, "revert");
	json_obj_end(j);
	json_obj_begin(j, "workloads");
	for (i = 0; i < r->rc->nr_workloads; i++)
		if (r->wl[i])
			summary_workload_json(r, s, r->wl[i], j, dur);
	json_obj_end(j);
	stall_summary(r, s, j, NULL);
	run_probes_strategy_json(&r->rp, s, j);
	json_obj_end(j);
}

static void write_summary(struct run *r, const char *status)
{
	const struct run_config *rc = r->rc;
	FILE *f = results_open(&r->res, "summary.json");
	uint64_t ops, missed, mixed, errors;
	struct json j;
	struct hist h;
	unsigned int i, s;

	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "status", status);
	json_str(&j, "patch", rc->patch);
	json_u64(&j, "cycles_planned", r->nr_cyc);
	json_u64(&j, "cycles_done", r->done);
	json_obj_begin(&j, "workloads");
	for (i = 0; i < rc->nr_workloads; i++) {
		if (!r->wl[i])
			continue;
		workload_total(r->wl[i], &h, &ops, &missed, &mixed, &errors);
		json_obj_begin(&j, r->wl[i]->ops->name);
		json_u64(&j, "ops", ops);
		json_u64(&j, "missed", missed);
		json_u64(&j, "mixed", mixed);
		json_u64(&j, "errors", errors);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	run_probes_status_json(&r->rp, &j);
	json_obj_begin(&j, "strategies");
	for (s = 0; s < rc->nr_strategies; s++)
		summary_strategy_json(r, s, &j);
	json_obj_end(&j);
	json_obj_end(&j);
	fputc('\n', f);
	results_close(&r->res, "summary.json", f);
}

/* "-" for a phase that saw nothing, else the shared format. */
static void phase_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns)
		fmt_ns(buf, len, ns);
	else
		snprintf(buf, len, "-");
}

/* The readable table: per strategy, transitions, then workload x phase. */
static void print_summary(struct run *r, FILE *f)
{
	static const double pcts[] = { 50, 99, 99.9 };
	const struct run_config *rc = r->rc;
	char b[4][32];
	unsigned int i, s;
	struct kstats ks;
	struct hist h;
	int p;

	fprintf(f, "\nbench run: patch %s, %u/%u cycles\n", rc->patch, r->done,
		r->nr_cyc);
	for (s = 0; s < rc->nr_strategies; s++) {
		transition_hist(r, s, true, &h);
		phase_ns(b[0], 32, hist_percentile(&h, 50));
		phase_ns(b[1], 32, h.max);
		transition_hist(r, s, false, &h);
		phase_ns(b[2], 32, hist_percentile(&h, 50));
		phase_ns(b[3], 32, h.max);
		fprintf(f, "\n%s: apply p50 %s max %s; revert p50 %s max %s\n",
			rc->strategies[s], b[0], b[1], b[2], b[3]);
		if (refused(r, s))
			fprintf(f, "  %u applies refused (a task stayed inside the patch)\n",
				refused(r, s));
		kernel_stats(r, s, true, &ks);
		kstats_print(&ks, "apply:", f);
		kernel_stats(r, s, false, &ks);
		kstats_print(&ks, "revert:", f);
		fprintf(f, "  %-10s %-9s %12s %9s %9s %9s %9s\n", "workload",
			"phase", "ops", "p50", "p99", "p99.9", "max");
		for (i = 0; i < rc->nr_workloads; i++) {
			const struct workload *w = r->wl[i];

			if (!w)
				continue;
			for (p = 0; p < RUN_NR_PHASES; p++) {
				size_t k;

				phase_hist(w, s * RUN_NR_PHASES + p, &h);
				for (k = 0; k < 3; k++)
					phase_ns(b[k], 32,
					       hist_percentile(&h, pcts[k]));
				phase_ns(b[3], 32, h.count ? h.max : 0);
				fprintf(f, "  %-10s %-9s %12llu %9s %9s %9s %9s\n",
					w->ops->name, run_phase_name(p),
					(unsigned long long)h.count, b[0], b[1],
					b[2], b[3]);
			}
		}
		stall_summary(r, s, NULL, f);
		run_probes_print(&r->rp, s, f);
	}
	for (i = 0; i < rc->nr_workloads; i++) {
		uint64_t ops, missed, mixed, errors;

		if (!r->wl[i] || strcmp(r->wl[i]->ops->name, "target"))
			continue;
		workload_total(r->wl[i], &h, &ops, &missed, &mixed, &errors);
		fprintf(f, "\nmixed chains: %llu of %llu calls checked\n",
			(unsigned long long)mixed, (unsigned long long)ops);
	}
}

static void write_metadata(struct run *r)
{
	FILE *f = results_open(&r->res, "metadata.json");
	struct json j;

	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	meta_json(r->rc, &j);
	json_obj_end(&j);
	fputc('\n', f);
	results_close(&r->res, "metadata.json", f);
}

int run_local(const struct run_config *rc)
{
	struct run r = { .rc = rc };
	uint64_t duration;
	struct rng rng;
	char err[512] = "";
	cpu_set_t set;
	unsigned int i;
	int ret;

	r.patch = bench_patch_find(rc->patch);
	ret = preflight(err, sizeof(err));
	if (!ret)
		ret = run_check_modules(rc, err, sizeof(err));
	if (!ret)
		ret = results_create(&r.res, rc->out, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bench run: %s\n", err);
		return 1;
	}
	results_status(&r.res, "running", NULL);
	write_metadata(&r);
	r.nr_cyc = rc->cycles * rc->nr_strategies;
	r.cyc = calloc(r.nr_cyc, sizeof(*r.cyc));
	if (!r.cyc)
		return 1;
	rng_seed(&rng, rc->seed);
	plan_cycles(&r, &rng);

	/* The driver keeps to CPU 0; the workloads get the others. */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = setup_kernel(&r, err, sizeof(err));
	if (ret) {
		snprintf(r.reason, sizeof(r.reason), "%s", err);
		goto out;
	}
	/* After the core: the kgraft probe needs its tracepoints. */
	ret = run_probes_open(&r.rp, rc->probes ?: RP_DEFAULT_PROBES,
			      rc->probes != NULL, rc->counters,
			      rc->counters_explicit,
			      rc->nr_strategies * RUN_NR_PHASES,
			      r.nr_cyc * RUN_NR_PHASES, err, sizeof(err));
	if (ret) {
		snprintf(r.reason, sizeof(r.reason), "%s", err);
		goto out;
	}
	/* Long enough for every cycle even if each transition took long. */
	duration = 5 * NS + r.nr_cyc * (rc->baseline_ns + rc->settled_ns +
					 rc->gap_max_ns + 20 * NS);
	ret = start_workloads(&r, duration, err, sizeof(err));
	if (ret) {
		snprintf(r.reason, sizeof(r.reason), "workload: %s", err);
		goto out;
	}
	r.t0 = r.wl[0]->t0_ns;
	run_probes_start(&r.rp, r.t0, duration);
	ret = run_cycles(&r, &rng);
	if (!ret)
		ret = check_workloads(&r);
out:
	end_phase(&r);
	for (i = 0; i < rc->nr_workloads; i++)
		if (r.wl[i])
			workload_stop(r.wl[i]);
	run_probes_write(&r.rp, &r.res);
	/* Before the probes go: the stop probe's stops are the truth. */
	compute_stall(&r);
	/* The kgraft probe holds kgraft.ko: detach before unloading it. */
	run_probes_detach(&r.rp);
	teardown_kernel(&r);
	if (!r.t0)
		r.t0 = mono_ns();
	write_events(&r);
	write_cycles(&r);
	for (i = 0; i < rc->nr_workloads; i++)
		if (r.wl[i])
			write_workload(&r, r.wl[i]);
	write_summary(&r, ret ? "incomplete" : "complete");
	print_summary(&r, stdout);
	results_status(&r.res, ret ? "incomplete" : "complete",
		       ret ? r.reason : NULL);
	for (i = 0; i < rc->nr_workloads; i++)
		workload_free(r.wl[i]);
	run_probes_free(&r.rp);
	stall_metrics_free(&r.sm);
	free(r.cyc);
	if (ret) {
		fprintf(stderr, "bench run: %s; partial results in %s\n",
			r.reason, r.res.dir);
		return 1;
	}
	printf("results in %s\n", r.res.dir);
	return 0;
}
