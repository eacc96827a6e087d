// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop. Each cycle: a baseline window, apply (write enabled=1), wait
 * until the transition is over, a settled window, revert, wait, then a gap of
 * random length (seeded) so that cycles do not beat with periodic activity.
 * A cumulative patch (--patch replace) has the patch it replaces enabled
 * before each baseline, in no phase: its apply is the replacement.
 * The driver runs on CPU 0 and sleeps while it waits; the workloads run on
 * the other CPUs, so the driver's own work is not measured as a stall.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/run/internal.h"
#include "bench/run/kpaths.h"
#include "bench/run/patchctl.h"
#include "analysis/stats/rng.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

static volatile int interrupted;

void run_on_signal(int sig)
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

/* Interleave: every round runs each strategy once, in a shuffled order. */
void run_plan_cycles(struct run *r, struct rng *rng)
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
void run_end_phase(struct run *r)
{
	if (r->in_phase)
		run_probes_boundary(&r->rp, r->cur_idx, r->cur_slot);
	r->in_phase = false;
}

static void set_phase(struct run *r, unsigned int k, const struct cycle *c,
		      int phase)
{
	run_end_phase(r);
	r->cur_idx = c->strategy * RUN_NR_PHASES + phase;
	r->cur_slot = k * RUN_NR_PHASES + phase;
	r->in_phase = true;
	wl_set_phase(r->cur_idx, r->cur_slot);
}

/*
 * A workload thread that failed, or workloads that ended before the last
 * cycle, leave phases without data: the run is not complete then.
 */
int run_check_workloads(struct run *r)
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
	int ret;

	converge_set(&r->cv, (int)r->cur_slot, mono_ns());
	ret = patchctl_write(&r->pc, "enabled", val);

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
	converge_set(&r->cv, -1, 0);
	*nst = patchctl_stats(&r->pc, st, MAX_STATS);
	kpaths_learn_stats(st, *nst);
	return ret;
}

int run_cycles(struct run *r, struct rng *rng)
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
		if (r->base) {
			/* Its set-up belongs to no phase (run_enable_base()). */
			run_end_phase(r);
			wl_set_phase(WL_PHASE_NONE, WL_SLOT_NONE);
		}
		ret = run_set_strategy(r, name);
		if (ret) {
			snprintf(r->reason, sizeof(r->reason),
				 "setting strategy %s: %s", name, strerror(-ret));
			return ret;
		}
		ret = run_enable_base(r);
		if (ret) {
			snprintf(r->reason, sizeof(r->reason),
				 "cycle %u: enabling %s, which %s replaces, with %s: %s",
				 k + 1, r->base->name, rc->patch, name,
				 strerror(-ret));
			return ret;
		}
		if (r->base)
			run_probes_skip(&r->rp);
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
int run_phase_at(const struct run *r, uint64_t t, unsigned int *cycle)
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
void run_cycle_durations(const struct cycle *c, uint64_t *d)
{
	d[RUN_BASELINE] = (c->t_apply ? c->t_apply - c->t_baseline : 0) +
			  (c->t_end ? c->t_end - c->t_reverted : 0);
	d[RUN_APPLY] = c->t_applied ? c->t_applied - c->t_apply : 0;
	d[RUN_PATCHED] = c->t_revert ? c->t_revert - c->t_applied : 0;
	d[RUN_REVERT] = c->t_reverted ? c->t_reverted - c->t_revert : 0;
}
