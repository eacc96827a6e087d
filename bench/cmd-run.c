// SPDX-License-Identifier: GPL-2.0
/* bench run: the main job. Options here; the work in run.c. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/builtin.h"
#include "analysis/compare/compare.h"
#include "bench/run/run-probes.h"
#include "bench/run/run.h"
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
		"\n"
		"    --strategy <s>        how to apply (default kgraft; see 'bench list')\n"
		"    --patch <p>           which patch (default target; see 'bench list')\n"
		"    --workload <w,...>    workloads to run (default target,stall)\n"
		"    --cycles <n>          apply/revert cycles (1-10000, default 10)\n"
		"    --cpus <n>            guest vCPUs; CPU 0 keeps the driver (1-64, default 2)\n"
		"    --threads <n>         threads per workload (1-64, default 1)\n"
		"    --tasks-outside <k>   population workload: tasks asleep in user space,\n"
		"                          outside the patch (0-30000; adds the population\n"
		"                          workload when above 0)\n"
		"    --tasks-inside <k>    population workload: tasks asleep inside the\n"
		"                          patched function (0-30000; stop_machine refuses\n"
		"                          every apply while one is)\n"
		"    --tasks <k>           both: k outside and k inside (30000 at most in all)\n"
		"    --rate <hz>           target workload: calls per second per thread\n"
		"                          (0 = back to back, the default)\n"
		"    --baseline <s>        baseline window per cycle (default 1)\n"
		"    --settled <s>         settled window after a transition (default 1)\n"
		"    --gap <s>[-<s>]       random gap after each cycle (default 0.2-0.6)\n"
		"    --transition-timeout <s>  fail a transition that takes longer (default 60)\n"
		"    --seed <n>            seed of the random gaps (default: from the clock)\n"
		"    --out <dir>           results directory (default results/<time>-<strategy>)\n"
		"    --target <t>          guest (default) or local\n"
		"    --accel <a>           guest accelerator: tcg, kvm or auto (default)\n"
		"    --mem <MiB>           guest memory (default 2048, more for above 6000\n"
		"                          tasks: 1024 + 160 KiB a task)\n"
		"    --probes <p,...>      BPF probes by phase: stop, sched, kgraft, syscall,\n"
		"                          or none (default " RP_DEFAULT_PROBES "; a default\n"
		"                          probe that cannot attach is left out and named)\n"
		"    --no-probes           the same as --probes none\n"
		"    --counters <scope>    perf counters by phase: system (default),\n"
		"                          process or none\n"
		"    --no-counters         the same as --counters none\n");
}

/* Splits a copy: the original stays whole for the guest's command line. */
static int parse_workloads(const char *arg, struct run_config *rc)
{
	char *save = NULL, *w, *list = strdup(arg);

	if (!list)
		return -ENOMEM;
	rc->nr_workloads = 0;
	for (w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (rc->nr_workloads == RUN_MAX_WORKLOADS)
			return -E2BIG;
		rc->workloads[rc->nr_workloads++] = w;
	}
	return rc->nr_workloads ? 0 : -EINVAL;
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

	if (!rc->tasks_outside && !rc->tasks_inside)
		return 0;
	for (i = 0; i < rc->nr_workloads; i++)
		if (!strcmp(rc->workloads[i], "population"))
			return 0;
	if (rc->nr_workloads == RUN_MAX_WORKLOADS)
		return -E2BIG;
	rc->workloads[rc->nr_workloads++] = "population";
	return 0;
}

/*
 * Parse bench run's options (shared with bench compare, which takes
 * --strategies). Returns 0, 1 after --help, or EXIT_USAGE.
 */
int run_options(int argc, char **argv, struct run_config *rc, bool compare,
		void (*usage)(FILE *f))
{
	enum {
		OPT_STRATEGY = 256, OPT_PATCH, OPT_WORKLOAD, OPT_CYCLES,
		OPT_CPUS, OPT_THREADS, OPT_TASKS, OPT_RATE, OPT_BASELINE,
		OPT_SETTLED, OPT_GAP, OPT_TTIMEOUT, OPT_SEED, OPT_OUT,
		OPT_TARGET, OPT_ACCEL, OPT_MEM, OPT_STRATEGIES, OPT_PROBES,
		OPT_NO_PROBES, OPT_COUNTERS, OPT_NO_COUNTERS, OPT_TASKS_OUT,
		OPT_TASKS_IN,
	};
	static const struct option opts[] = {
		{ "strategy", required_argument, NULL, OPT_STRATEGY },
		{ "patch", required_argument, NULL, OPT_PATCH },
		{ "workload", required_argument, NULL, OPT_WORKLOAD },
		{ "cycles", required_argument, NULL, OPT_CYCLES },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "tasks", required_argument, NULL, OPT_TASKS },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "settled", required_argument, NULL, OPT_SETTLED },
		{ "gap", required_argument, NULL, OPT_GAP },
		{ "transition-timeout", required_argument, NULL, OPT_TTIMEOUT },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "mem", required_argument, NULL, OPT_MEM },
		{ "strategies", required_argument, NULL, OPT_STRATEGIES },
		{ "probes", required_argument, NULL, OPT_PROBES },
		{ "no-probes", no_argument, NULL, OPT_NO_PROBES },
		{ "counters", required_argument, NULL, OPT_COUNTERS },
		{ "no-counters", no_argument, NULL, OPT_NO_COUNTERS },
		{ "tasks-outside", required_argument, NULL, OPT_TASKS_OUT },
		{ "tasks-inside", required_argument, NULL, OPT_TASKS_IN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char out[256];
	bool mem_given = false;
	char err[256];
	int c;

	run_config_init(rc);
	/* Compare's own default, whatever bench run's becomes. */
	if (compare)
		rc->cycles = COMPARE_DEFAULT_CYCLES;
	rc->argc = argc;
	rc->argv = argv;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		const uint64_t max_s = 3600 * 1000000000ULL;
		int e = 0;

		switch (c) {
		case OPT_STRATEGY:
			e = compare ? -EINVAL : run_parse_strategies(optarg, rc);
			e = e ?: (rc->nr_strategies > 1 ? -EINVAL : 0);
			break;
		case OPT_STRATEGIES:
			e = compare ? run_parse_strategies(optarg, rc) : -EINVAL;
			break;
		case OPT_PATCH:
			rc->patch = optarg;
			break;
		case OPT_WORKLOAD:
			e = parse_workloads(optarg, rc);
			break;
		case OPT_CYCLES:
			e = parse_uint(optarg, 1, 10000, &rc->cycles);
			break;
		case OPT_CPUS:
			e = parse_uint(optarg, 1, 64, &rc->cpus);
			break;
		case OPT_THREADS:
			e = parse_uint(optarg, 1, 64, &rc->threads);
			break;
		case OPT_TASKS:
			e = parse_uint(optarg, 0, RUN_MAX_TASKS,
				       &rc->tasks_outside);
			rc->tasks_inside = rc->tasks_outside;
			break;
		case OPT_TASKS_OUT:
			e = parse_uint(optarg, 0, RUN_MAX_TASKS,
				       &rc->tasks_outside);
			break;
		case OPT_TASKS_IN:
			e = parse_uint(optarg, 0, RUN_MAX_TASKS,
				       &rc->tasks_inside);
			break;
		case OPT_RATE:
			e = parse_u64(optarg, 0, 10000000, &rc->rate_hz);
			break;
		case OPT_BASELINE:
			e = parse_seconds(optarg, 0, max_s, &rc->baseline_ns);
			break;
		case OPT_SETTLED:
			e = parse_seconds(optarg, 0, max_s, &rc->settled_ns);
			break;
		case OPT_GAP:
			e = parse_gap(optarg, rc);
			break;
		case OPT_TTIMEOUT:
			e = parse_seconds(optarg, 1000000, max_s,
					  &rc->transition_timeout_ns);
			break;
		case OPT_SEED:
			e = parse_u64(optarg, 0, UINT64_MAX, &rc->seed);
			break;
		case OPT_OUT:
			rc->out = optarg;
			break;
		case OPT_TARGET:
			if (!strcmp(optarg, "local"))
				rc->local = true;
			else if (!strcmp(optarg, "guest"))
				rc->local = false;
			else
				e = -EINVAL;
			break;
		case OPT_ACCEL:
			e = guest_accel_parse(optarg, &rc->accel);
			break;
		case OPT_MEM:
			e = parse_uint(optarg, 256, 65536, &rc->mem_mb);
			mem_given = true;
			break;
		case OPT_PROBES:
			rc->probes = optarg;
			break;
		case OPT_NO_PROBES:
			rc->probes = "none";
			break;
		case OPT_COUNTERS:
			rc->counters_explicit = true;
			if (!strcmp(optarg, "system"))
				rc->counters = RP_COUNTERS_SYSTEM;
			else if (!strcmp(optarg, "process"))
				rc->counters = RP_COUNTERS_PROCESS;
			else if (!strcmp(optarg, "none"))
				rc->counters = RP_COUNTERS_NONE;
			else
				e = -EINVAL;
			break;
		case OPT_NO_COUNTERS:
			rc->counters = RP_COUNTERS_NONE;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
		if (e) {
			fprintf(stderr, "bench: invalid value '%s' for --%s\n",
				optarg, opts[c - OPT_STRATEGY].name);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bench: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!mem_given)
		rc->mem_mb = run_default_mem(rc->tasks_outside +
					     rc->tasks_inside);
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

int cmd_run(int argc, char **argv)
{
	struct run_config rc;
	int ret = run_options(argc, argv, &rc, false, usage_run);

	if (ret)
		return ret == 1 ? 0 : ret;
	return rc.local ? run_local(&rc) : run_in_guest(&rc);
}
