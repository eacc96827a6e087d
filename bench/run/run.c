// SPDX-License-Identifier: GPL-2.0
/*
 * bench run --target=local: the whole run in order. Checks, results
 * directory, modules, probes and workloads set up; the cycles; then
 * everything taken down and the results written, complete or not.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/run/internal.h"
#include "lib/results.h"
#include "analysis/stats/rng.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "analysis/stall/metrics.h"
#include "bench/run/strategy.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

/*
 * What needs no module yet: the kernel's support, the modules built, a
 * fresh results directory. What is missing goes to stderr.
 */
static int check_and_create(struct run *r, char *err, size_t len)
{
	int ret;

	ret = run_preflight(err, len);
	if (!ret)
		ret = run_check_modules(r->rc, err, len);
	if (!ret)
		ret = results_create(&r->res, r->rc->out, err, len);
	if (ret)
		fprintf(stderr, "bench run: %s\n", err);
	return ret;
}

/*
 * The driver keeps to CPU 0; the workloads get the others. A signal ends
 * the cycles early, and the results so far are still written.
 */
static void init_driver(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	signal(SIGINT, run_on_signal);
	signal(SIGTERM, run_on_signal);
}

/* Modules, probes, then workloads; on failure r->reason says why. */
static int start_run(struct run *r, char *err, size_t len)
{
	const struct run_config *rc = r->rc;
	uint64_t duration;
	int ret;

	ret = run_setup_kernel(r, err, len);
	if (ret) {
		snprintf(r->reason, sizeof(r->reason), "%s", err);
		return ret;
	}
	/* Again, now with the timing the strategies run with. */
	run_read_knobs(r);
	run_write_metadata(r);
	/* After the core: the kgraft probe needs its tracepoints. */
	ret = run_probes_open(&r->rp, rc->probes ?: RP_DEFAULT_PROBES,
			      rc->probes != NULL, rc->counters,
			      rc->counters_explicit,
			      rc->nr_strategies * RUN_NR_PHASES,
			      r->nr_cyc * RUN_NR_PHASES, err, len);
	if (ret) {
		snprintf(r->reason, sizeof(r->reason), "%s", err);
		return ret;
	}
	/* Long enough for every cycle even if each transition took long. */
	duration = 5 * NS + r->nr_cyc * (rc->baseline_ns + rc->settled_ns +
					  rc->gap_max_ns +
					  run_transition_slack_ns(rc));
	/* Until the first cycle's baseline: recorded, but in no cycle. */
	wl_set_phase(WL_PHASE_NONE, WL_SLOT_NONE);
	ret = run_start_workloads(r, duration, err, len);
	if (ret) {
		snprintf(r->reason, sizeof(r->reason), "workload: %s", err);
		return ret;
	}
	r->t0 = r->wl[0]->t0_ns;
	run_probes_start(&r->rp, r->t0, duration);
	ret = converge_start(&r->cv, &r->pc, rc->pending_interval_ns);
	if (ret) {
		snprintf(r->reason, sizeof(r->reason),
			 "convergence sampler: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

/* Workloads stopped, probes emptied and detached, modules unloaded. */
static void stop_run(struct run *r)
{
	unsigned int i;

	run_end_phase(r);
	converge_stop(&r->cv);
	/* The drain and what it leaves over belong to no cycle. */
	wl_set_phase(WL_PHASE_NONE, WL_SLOT_NONE);
	for (i = 0; i < r->rc->nr_workloads; i++)
		if (r->wl[i])
			workload_stop(r->wl[i]);
	run_probes_write(&r->rp, &r->res);
	/* Before the probes go: the stop probe's stops are the truth. */
	run_compute_stall(r);
	/* The kgraft probe holds kgraft.ko: detach before unloading it. */
	run_probes_detach(&r->rp);
	run_teardown_kernel(r);
}

/* Every result file and the table, then the status: last, as a seal. */
static void write_results(struct run *r, int ret)
{
	unsigned int i;

	if (!r->t0)
		r->t0 = mono_ns();
	run_write_events(r);
	run_write_cycles(r);
	run_write_convergence(r);
	for (i = 0; i < r->rc->nr_workloads; i++)
		if (r->wl[i])
			run_write_workload(r, r->wl[i]);
	run_write_summary(r, ret ? "incomplete" : "complete");
	run_print_summary(r, stdout);
	results_status(&r->res, ret ? "incomplete" : "complete",
		       ret ? r->reason : NULL);
}

static void free_run(struct run *r)
{
	unsigned int i;

	for (i = 0; i < r->rc->nr_workloads; i++)
		workload_free(r->wl[i]);
	run_probes_free(&r->rp);
	stall_metrics_free(&r->sm);
	converge_free(&r->cv);
	free(r->cyc);
}

int run_local(const struct run_config *rc)
{
	struct run r = { .rc = rc };
	struct rng rng;
	char err[512] = "";
	int ret;

	r.patch = bench_patch_find(rc->patch);
	r.base = r.patch->base ? bench_patch_find(r.patch->base) : NULL;
	if (check_and_create(&r, err, sizeof(err)))
		return 1;
	results_status(&r.res, "running", NULL);
	run_write_metadata(&r);
	r.nr_cyc = rc->cycles * rc->nr_strategies;
	r.cyc = calloc(r.nr_cyc, sizeof(*r.cyc));
	if (!r.cyc)
		return 1;
	rng_seed(&rng, rc->seed);
	run_plan_cycles(&r, &rng);
	init_driver();

	ret = start_run(&r, err, sizeof(err));
	if (!ret)
		ret = run_cycles(&r, &rng);
	stop_run(&r);
	/* After the stop: a thread that failed while draining counts too. */
	if (!ret)
		ret = run_check_workloads(&r);
	write_results(&r, ret);
	free_run(&r);
	if (ret) {
		fprintf(stderr, "bench run: %s; partial results in %s\n",
			r.reason, r.res.dir);
		return 1;
	}
	printf("results in %s\n", r.res.dir);
	return 0;
}
