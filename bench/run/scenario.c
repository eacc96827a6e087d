// SPDX-License-Identifier: GPL-2.0
/*
 * scenario.c - the scenarios (scenario.h). Each isolates one thing that a
 * consistency model has to deal with: many tasks to switch, tasks asleep
 * inside the patched code, kernel threads that never sleep, user tasks
 * that never enter the kernel, tasks appearing and vanishing.
 */
#include <string.h>

#include "bench/run/run.h"
#include "bench/run/scenario.h"

static const struct scenario scenarios[] = {
	{ "idle", "the target and the stall detector alone, no other tasks",
	  "target,stall", .tasks_outside = 0 },
	{ "tasks-1k", "1000 processes asleep in user space, outside the patch",
	  "target,stall", .tasks_outside = 1000 },
	{ "tasks-10k", "10000 processes asleep outside the patch",
	  "target,stall", .tasks_outside = 10000 },
	{ "tasks-30k", "30000 processes asleep outside the patch",
	  "target,stall", .tasks_outside = 30000 },
	{ "sleepers-in-patch",
	  "100 processes asleep inside the patched chain (10 ms naps)",
	  "target,stall", .tasks_inside = 100 },
	{ "busy-kthreads",
	  "2 kernel threads looping through the patched chain, never sleeping",
	  "target,stall", .busy_kthreads = 2 },
	{ "spinners",
	  "4 user processes spinning without ever making a syscall",
	  "target,stall", .spinners = 4 },
	{ "churn", "fork/exit churn, 500 a second (a thread)",
	  "target,stall", .churn_hz = 500 },
	/*
	 * Where the 2014 model and the hybrid differ: user tasks that a stack
	 * check would switch at once (asleep or spinning in user space) wait
	 * for the fake signal, and busy kthreads switch at their loop's top
	 * rather than when caught preempted.
	 */
	{ "models",
	  "2 busy kthreads, 2 spinners, 100 asleep inside the patch, 1000 outside",
	  "target,stall", .tasks_outside = 1000, .tasks_inside = 100,
	  .spinners = 2, .busy_kthreads = 2 },
	/*
	 * Real servers at half the capacity tests/platform/kv-capacity.sh
	 * measured in the 2-vCPU TCG guest (redis 40000/s, memcached 6500/s,
	 * one client thread over 4 connections, 2026-12-02), beside 1000
	 * sleeping tasks, so that stop_machine's stack checks take
	 * milliseconds. No spinning stall detector: it would share the
	 * server's CPU.
	 */
	{ "redis", "redis-server at 20000 requests/s (half its measured capacity), 1000 tasks asleep outside the patch",
	  "redis", .tasks_outside = 1000, .request_rate_hz = 20000 },
	{ "memcached", "memcached at 3250 requests/s (half its measured capacity), 1000 tasks asleep outside the patch",
	  "memcached", .tasks_outside = 1000, .request_rate_hz = 3250 },
	/*
	 * The update production systems apply most: a cumulative patch (v3)
	 * replacing the one in place (v2) under load. The apply measured is
	 * the replacement; the revert goes back to the original code.
	 */
	{ "replace",
	  "v2 of the chain enabled before each cycle, replaced by a cumulative v3 (the apply), then reverted; 1000 tasks asleep outside",
	  "target,stall", .tasks_outside = 1000, .patch = "replace" },
};

#define NR_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

const struct scenario *scenario_find(const char *name)
{
	size_t i;

	for (i = 0; i < NR_SCENARIOS; i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

void scenario_apply(const struct scenario *s, struct run_config *rc)
{
	static char lists[NR_SCENARIOS][64];
	char *list = lists[s - scenarios], *tok, *save;

	/* run_config keeps pointers: split a copy that lives on. */
	snprintf(list, sizeof(lists[0]), "%s", s->workloads);
	rc->nr_workloads = 0;
	for (tok = strtok_r(list, ",", &save); tok &&
	     rc->nr_workloads < RUN_MAX_WORKLOADS;
	     tok = strtok_r(NULL, ",", &save))
		rc->workloads[rc->nr_workloads++] = tok;
	rc->tasks_outside = s->tasks_outside;
	rc->tasks_inside = s->tasks_inside;
	rc->spinners = s->spinners;
	rc->busy_kthreads = s->busy_kthreads;
	rc->churn_hz = s->churn_hz;
	if (s->request_rate_hz)
		rc->kv.rate_hz = s->request_rate_hz;
	if (s->patch)
		rc->patch = s->patch;
	rc->scenario = s->name;
}

void scenario_list(FILE *f, const char *indent)
{
	size_t i;

	for (i = 0; i < NR_SCENARIOS; i++)
		fprintf(f, "%s%-18s %s\n", indent, scenarios[i].name,
			scenarios[i].summary);
}
