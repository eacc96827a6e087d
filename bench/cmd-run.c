// SPDX-License-Identifier: GPL-2.0
/* bench run: the main job. Options here; the work in bench/run/. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/builtin.h"
#include "bench/options.h"
#include "analysis/compare/compare.h"
#include "analysis/compare/finding.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
#include "bench/run/scenario.h"
#include "lib/util.h"
#include "bench/workload/workload.h"

void usage_run(FILE *f)
{
	fprintf(f,
		"usage: bench run [--strategy=<s>] [<options>]\n"
		"\n"
		"Apply and revert a live patch many times with one strategy while\n"
		"workloads run, and write a results directory. By default in the\n"
		"stock-kernel guest; --target=local uses the running kernel (root).\n"
		"\n");
	run_options_help(f, false);
}

static int parse_gap(const char *s, struct run_config *rc)
{
	char lo[64];
	const char *dash = strchr(s, '-');
	int err;

	if (!dash)
		return parse_seconds(s, 0, 3600 * 1000000000ULL, &rc->gap_min_ns) ?:
		       (rc->gap_max_ns = rc->gap_min_ns, 0);
	if ((size_t)(dash - s) >= sizeof(lo))
		return -EINVAL;
	snprintf(lo, sizeof(lo), "%.*s", (int)(dash - s), s);
	err = parse_seconds(lo, 0, 3600 * 1000000000ULL, &rc->gap_min_ns);
	return err ?: parse_seconds(dash + 1, 0, 3600 * 1000000000ULL,
				    &rc->gap_max_ns);
}

/*
 * Tasks asked for run in the population workload: add it when the list
 * lacks it. Non-zero when there is no room left for it.
 */
static int population_needed(struct run_config *rc)
{
	unsigned int i;

	if (!rc->tasks_outside && !rc->tasks_inside && !rc->spinners &&
	    !rc->churn_hz && !rc->busy_kthreads)
		return 0;
	for (i = 0; i < rc->nr_workloads; i++)
		if (!strcmp(rc->workloads[i], "population"))
			return 0;
	if (rc->nr_workloads == RUN_MAX_WORKLOADS)
		return -E2BIG;
	rc->workloads[rc->nr_workloads++] = "population";
	return 0;
}

/* What bench run's (and compare's) options fill in. */
struct run_args {
	struct run_config rc;
	bool mem_given;
	const char *scenario;		/* --scenario, on the first pass */
};

#define RA(f)		offsetof(struct run_args, rc.f)
#define MAX_NS		(3600 * 1000000000ULL)
#define STR_(x)		#x
#define STR(x)		STR_(x)

static struct run_config *cfg(void *base)
{
	return &((struct run_args *)base)->rc;
}

static int strategy_opt(const struct opt *o, const char *arg, void *base,
			char *err, size_t len)
{
	struct run_config *rc = cfg(base);

	(void)o, (void)err, (void)len;
	return run_parse_strategies(arg, rc) ?:
	       (rc->nr_strategies > 1 ? -EINVAL : 0);
}

static int strategies_opt(const struct opt *o, const char *arg, void *base,
			  char *err, size_t len)
{
	(void)o, (void)err, (void)len;
	return run_parse_strategies(arg, cfg(base));
}

static int tasks_opt(const struct opt *o, const char *arg, void *base,
		     char *err, size_t len)
{
	struct run_config *rc = cfg(base);

	(void)o, (void)err, (void)len;
	if (parse_uint(arg, 0, RUN_MAX_TASKS, &rc->tasks_outside))
		return -EINVAL;
	rc->tasks_inside = rc->tasks_outside;
	return 0;
}

/*
 * Noted on the first pass; run_options() then applies it and parses again,
 * so that the options beside it win wherever they stand.
 */
static int scenario_opt(const struct opt *o, const char *arg, void *base,
			char *err, size_t len)
{
	(void)o;
	if (scenario_find(arg)) {
		((struct run_args *)base)->scenario = arg;
		return 0;
	}
	snprintf(err, len, "unknown scenario '%s' (see 'bench list scenarios')",
		 arg);
	return -EINVAL;
}

static int knobs_opt(const struct opt *o, const char *arg, void *base,
		     char *err, size_t len)
{
	(void)o, (void)err, (void)len;
	if (strcmp(arg, "parity") && strcmp(arg, "native"))
		return -EINVAL;
	cfg(base)->knobs_native = !strcmp(arg, "native");
	return 0;
}

static int gap_opt(const struct opt *o, const char *arg, void *base,
		   char *err, size_t len)
{
	(void)o, (void)err, (void)len;
	return parse_gap(arg, cfg(base));
}

static int target_opt(const struct opt *o, const char *arg, void *base,
		      char *err, size_t len)
{
	(void)o, (void)err, (void)len;
	if (strcmp(arg, "local") && strcmp(arg, "guest"))
		return -EINVAL;
	cfg(base)->local = !strcmp(arg, "local");
	return 0;
}

static int accel_opt(const struct opt *o, const char *arg, void *base,
		     char *err, size_t len)
{
	(void)o, (void)err, (void)len;
	return guest_accel_parse(arg, &cfg(base)->accel);
}

static int no_probes_opt(const struct opt *o, const char *arg, void *base,
			 char *err, size_t len)
{
	(void)o, (void)arg, (void)err, (void)len;
	cfg(base)->probes = "none";
	return 0;
}

static int counters_opt(const struct opt *o, const char *arg, void *base,
			char *err, size_t len)
{
	struct run_config *rc = cfg(base);

	(void)err, (void)len;
	/* --no-counters has no argument and says none. */
	rc->counters_explicit |= arg != NULL;
	if (!arg || !strcmp(arg, "none"))
		rc->counters = RP_COUNTERS_NONE;
	else if (!strcmp(arg, "system"))
		rc->counters = RP_COUNTERS_SYSTEM;
	else if (!strcmp(arg, "process"))
		rc->counters = RP_COUNTERS_PROCESS;
	else
		return -EINVAL;
	(void)o;
	return 0;
}

/* Both commands' options but the strategies and --cycles' help. */
static const struct opt run_common_opts[] = {
	OPT_STRING(0, "patch", RA(patch), "<p>",
		   "which patch (default target; see 'bench list')"),
	OPT_LIST(0, "workload", RA(workloads), RA(nr_workloads),
		 RUN_MAX_WORKLOADS, "<w,...>",
		 "workloads to run (default target,stall)"),
	OPT_UINT(0, "cycles", RA(cycles), 1, 10000, "<n>",
		 "apply/revert cycles (1-10000, default 10)"),
	OPT_UINT(0, "cpus", RA(cpus), 1, 64, "<n>",
		 "guest vCPUs; CPU 0 keeps the driver (1-64, default 2)"),
	OPT_UINT(0, "threads", RA(threads), 1, 64, "<n>",
		 "threads per workload (1-64, default 1)"),
	OPT_UINT(0, "tasks-outside", RA(tasks_outside), 0, RUN_MAX_TASKS,
		 "<k>", "population workload: tasks asleep in user space, "
		 "outside the patch (0-30000; adds the population workload "
		 "when above 0)"),
	OPT_UINT(0, "tasks-inside", RA(tasks_inside), 0, RUN_MAX_TASKS,
		 "<k>", "population workload: tasks asleep inside the patched "
		 "function (0-30000; stop_machine refuses every apply while "
		 "one is)"),
	OPT_CALLBACK(0, "tasks", tasks_opt, "<k>",
		     "both: k outside and k inside (30000 at most in all)"),
	OPT_UINT(0, "spinners", RA(spinners), 0, RUN_MAX_TASKS, "<k>",
		 "population workload: user tasks spinning without ever "
		 "making a syscall"),
	OPT_U64(0, "churn", RA(churn_hz), 0, 100000, "<hz>",
		"population workload: fork/exit churn per thread a second"),
	OPT_UINT(0, "busy-kthreads", RA(busy_kthreads), 0, 64, "<n>",
		 "kernel threads of the target module looping through the "
		 "patched chain without sleeping (0-64)"),
	OPT_CALLBACK(0, "knobs", knobs_opt, "<k>",
		     "kgraft's timing: parity (default: klp's, a check or "
		     "sweep a second, fake signals after 15 s) or native "
		     "(kgraft: first check 10 s, then 2 s, signals from 10 s; "
		     "kgraft_sweep: 100 ms, 1 s)"),
	OPT_CALLBACK(0, "scenario", scenario_opt, "<name>",
		     "set the knobs above to a named scenario first; options "
		     "given beside it override ('bench list scenarios')"),
	OPT_U64(0, "rate", RA(rate_hz), 0, 10000000, "<hz>",
		"target workload: calls per second per thread "
		"(0 = back to back, the default)"),
	OPT_U64(0, "request-rate", RA(kv.rate_hz), 1, 10000000, "<hz>",
		"redis, memcached: requests a second per client thread "
		"(default 2000; scenarios redis and memcached: half the "
		"capacity measured in the guest)"),
	OPT_UINT(0, "conns", RA(kv.conns), 1, 1024, "<n>",
		 "redis, memcached: connections per client thread (default 4)"),
	OPT_UINT(0, "set-pct", RA(kv.set_pct), 0, 100, "<p>",
		 "redis, memcached: SETs in every 100 requests (default 10)"),
	OPT_UINT(0, "value-size", RA(kv.value_size), 0, 65536, "<b>",
		 "redis, memcached: bytes a value (default 64)"),
	OPT_UINT(0, "keys", RA(kv.keys), 1, 100000000, "<n>",
		 "redis, memcached: the key space (default 10000)"),
	OPT_SECONDS(0, "baseline", RA(baseline_ns), 0, MAX_NS, "<s>",
		    "baseline window per cycle (default 1)"),
	OPT_SECONDS(0, "settled", RA(settled_ns), 0, MAX_NS, "<s>",
		    "settled window after a transition (default 1)"),
	OPT_CALLBACK(0, "gap", gap_opt, "<s>[-<s>]",
		     "random gap after each cycle (default 0.2-0.6)"),
	OPT_SECONDS(0, "transition-timeout", RA(transition_timeout_ns),
		    1000000, MAX_NS, "<s>",
		    "fail a transition that takes longer (default 60)"),
	OPT_SECONDS(0, "pending-interval", RA(pending_interval_ns), 0,
		    10000000000ULL, "<s>",
		    "sample the tasks still to switch this often during "
		    "transitions (convergence.json; default 0.02, 0: never, "
		    "else at least 0.001)"),
	OPT_U64(0, "seed", RA(seed), 0, UINT64_MAX, "<n>",
		"seed of the random gaps (default: from the clock)"),
	OPT_STRING(0, "out", RA(out), "<dir>",
		   "results directory (default results/<time>-<strategy>)"),
	OPT_CALLBACK(0, "target", target_opt, "<t>",
		     "guest (default) or local"),
	OPT_CALLBACK(0, "accel", accel_opt, "<a>",
		     "guest accelerator: tcg, kvm or auto (default)"),
	OPT_UINT(0, "mem", RA(mem_mb), 256, 65536, "<MiB>",
		 "guest memory (default 2048, more for above 6000 tasks: "
		 "1024 + 160 KiB a task)",
		 OPT_SEEN(offsetof(struct run_args, mem_given))),
	OPT_STRING(0, "probes", RA(probes), "<p,...>",
		   "BPF probes by phase: stop, sched, kgraft, syscall, or "
		   "none (default " RP_DEFAULT_PROBES "; a default probe that "
		   "cannot attach is left out and named)"),
	OPT_CALLBACK_NOARG(0, "no-probes", no_probes_opt,
			   "the same as --probes none"),
	OPT_CALLBACK(0, "counters", counters_opt, "<scope>",
		     "perf counters by phase: system (default), process or "
		     "none"),
	OPT_CALLBACK_NOARG(0, "no-counters", counters_opt,
			   "the same as --counters none"),
	OPT_END(),
};

static const struct opt run_opts[] = {
	OPT_CALLBACK(0, "strategy", strategy_opt, "<s>",
		     "how to apply (default kgraft; see 'bench list')"),
	OPT_INCLUDE(run_common_opts),
	OPT_END(),
};

static const struct opt compare_opts[] = {
	OPT_CALLBACK(0, "strategies", strategies_opt, "<s,...>",
		     "the strategies to compare, two or more (see 'bench list')"),
	OPT_UINT(0, "cycles", RA(cycles), 1, 10000, "<n>",
		 "cycles per strategy (default " STR(COMPARE_DEFAULT_CYCLES)
		 "; a CI needs " STR(COMPARE_MIN_N) " on each side)"),
	OPT_INCLUDE(run_common_opts),
	OPT_END(),
};

void run_options_help(FILE *f, bool compare)
{
	opts_help(f, compare ? compare_opts : run_opts);
}

/* What one option alone cannot check; then the default directory. */
static int run_options_finish(struct run_args *a, bool compare,
			      void (*usage)(FILE *f))
{
	struct run_config *rc = &a->rc;
	static char out[256];
	char err[256];

	if (!a->mem_given)
		rc->mem_mb = run_default_mem(rc->tasks_outside +
					     rc->tasks_inside + rc->spinners);
	if (population_needed(rc)) {
		fprintf(stderr, "bench: too many workloads for the population\n");
		return EXIT_USAGE;
	}
	if (compare && rc->nr_strategies < 2) {
		fprintf(stderr, "bench compare: --strategies needs two or more\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (run_config_check(rc, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!rc->out) {
		time_t now = time(NULL);
		char stamp[32];

		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
		snprintf(out, sizeof(out), "results/%s-%s", stamp,
			 compare ? "compare" : rc->strategies[0]);
		rc->out = out;
	}
	return 0;
}

/*
 * Parse bench run's options (bench compare's with @compare, which takes
 * --strategies). Returns 0, 1 after --help, or EXIT_USAGE.
 */
int run_options(int argc, char **argv, struct run_config *rc, bool compare,
		void (*usage)(FILE *f))
{
	const struct opts_cmd cmd = {
		.name = "bench", .usage = usage,
		.opts = compare ? compare_opts : run_opts,
	};
	struct run_args a = { .mem_given = false };
	int i, pass, ret;

	/* Pass 1 finds --scenario (getopt's spelling rules and all). */
	for (pass = 0; pass < 2; pass++) {
		const struct scenario *sc = scenario_find(a.scenario ?: "");

		a = (struct run_args){ .mem_given = false };
		run_config_init(&a.rc);
		if (sc)
			scenario_apply(sc, &a.rc);
		/* Compare's own default, whatever bench run's becomes. */
		if (compare)
			a.rc.cycles = COMPARE_DEFAULT_CYCLES;
		a.rc.argc = argc;
		a.rc.argv = argv;
		i = opts_parse(&cmd, &a, argc, argv);
		if (i < 0 || !a.scenario)
			break;
	}
	if (i == OPTS_HELP)
		return 1;
	if (i < 0)
		return EXIT_USAGE;
	if (i < argc) {
		fprintf(stderr, "bench: unexpected argument '%s'\n", argv[i]);
		usage(stderr);
		return EXIT_USAGE;
	}
	ret = run_options_finish(&a, compare, usage);
	*rc = a.rc;
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_config rc;
	int ret = run_options(argc, argv, &rc, false, usage_run);

	if (ret)
		return ret == 1 ? 0 : ret;
	return rc.local ? run_local(&rc) : run_in_guest(&rc);
}
