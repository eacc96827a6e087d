// SPDX-License-Identifier: GPL-2.0
/*
 * bench sweep: the command line of sweep.h's matrix. Every cell's child
 * command line is checked with bench run's own option parser before any
 * guest starts, so a bad value fails at once (exit 2), not in cell 5.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "bench/run/run.h"
#include "bench/host/sweep.h"

void usage_sweep(FILE *f)
{
	fprintf(f,
		"usage: bench sweep --out <tree> [--strategies <s>,...] [--cpus <n>,...]\n"
		"                   [--tasks[-outside|-inside] <k>,...] [--cycles <n>]\n"
		"                   [--jobs <j>] [<run options>]\n"
		"\n"
		"Run a matrix of runs, one per vCPU count and task count, each in its\n"
		"own guest: 'bench run' for one strategy, 'bench compare' (all the\n"
		"strategies interleaved in one guest) for several. Cells go to\n"
		"<tree>/cpus<n>-tasks<k>/ (-outside<k>, -inside<k>), their output to <tree>/logs/; index.json and\n"
		"index.csv list every cell with its parameters, path and status. Run\n"
		"again, the sweep skips cells whose status.json says complete and\n"
		"reruns the others from scratch.\n"
		"\n"
		"    --out <tree>          the results tree (required)\n"
		"    --strategies <s,...>  strategies (default kgraft)\n"
		"    --cpus <n,...>        guest vCPU counts (1-64, default 2)\n"
		"    --tasks <k,...>       population workload task counts, each k asleep\n"
		"                          outside and k inside the patch (0-30000,\n"
		"                          default 0: no population workload)\n"
		"    --tasks-outside <k,...>  the same, k asleep outside the patch only\n"
		"    --tasks-inside <k,...>   the same, k asleep inside the patch only\n"
		"                          (one of the three)\n"
		"    --cycles <n>          cycles per strategy and cell\n"
		"    --jobs <j>            guests at once (1-16, default 1)\n"
		"    --bench <path>        the bench binary the cells run (default: this one)\n"
		"\n"
		"Passed to every cell: --workload (default: bench run's, plus population\n"
		"when tasks > 0), --patch, --threads, --rate, --baseline, --settled,\n"
		"--gap, --transition-timeout, --seed, --accel, --mem (see 'bench help run').\n");
}

static const char *const forwarded[] = {
	"workload", "patch", "threads", "rate", "baseline", "settled", "gap",
	"transition-timeout", "seed", "accel", "mem",
};

#define NR_FORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))
#define NR_OWN 10	/* sweep's own options, --help included */

enum {
	OPT_OUT = 256, OPT_STRATEGIES, OPT_CPUS, OPT_TASKS, OPT_CYCLES,
	OPT_JOBS, OPT_BENCH, OPT_FORWARD, OPT_TASKS_OUT, OPT_TASKS_IN,
};

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "bench sweep: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage_sweep(stderr);
	return EXIT_USAGE;
}

/* bench run's parser on each cell's command line: exit 2 if it objects. */
static int check_cells(const struct sweep *sw)
{
	char buf[8192], *argv[64];
	struct run_config rc;
	size_t i, n;
	int ret;

	for (i = 0; i < sw->ncells; i++) {
		n = sweep_argv(sw, &sw->cells[i], argv,
			       sizeof(argv) / sizeof(argv[0]), buf,
			       sizeof(buf));
		ret = run_options((int)n - 1, argv + 1, &rc,
				  sw->nr_strategies > 1, usage_sweep);
		if (ret)
			return EXIT_USAGE;
	}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	struct option opts[NR_OWN + NR_FORWARDED + 1] = {
		{ "out", required_argument, NULL, OPT_OUT },
		{ "strategies", required_argument, NULL, OPT_STRATEGIES },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "tasks", required_argument, NULL, OPT_TASKS },
		{ "cycles", required_argument, NULL, OPT_CYCLES },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "bench", required_argument, NULL, OPT_BENCH },
		{ "tasks-outside", required_argument, NULL, OPT_TASKS_OUT },
		{ "tasks-inside", required_argument, NULL, OPT_TASKS_IN },
		{ "help", no_argument, NULL, 'h' },
	};
	static char self[PATH_MAX];
	static char fwd[SWEEP_MAX_FORWARD][512];
	struct sweep sw = { .strategies = "kgraft", .jobs = 1 };
	const char *cpus = "2", *tasks = "0";
	unsigned int i, v, nv;
	char err[256], *end;
	int c, idx, ret;

	for (i = 0; i < NR_FORWARDED; i++)
		opts[NR_OWN + i] = (struct option){ forwarded[i], required_argument,
					       NULL, OPT_FORWARD };
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		switch (c) {
		case OPT_OUT:
			sw.out = optarg;
			break;
		case OPT_STRATEGIES:
			sw.strategies = optarg;
			break;
		case OPT_CPUS:
			cpus = optarg;
			break;
		case OPT_TASKS:
		case OPT_TASKS_OUT:
		case OPT_TASKS_IN:
			if (sw.tasks_opt && strcmp(sw.tasks_opt, opts[idx].name))
				return bad("%s: give one of --tasks, --tasks-outside, --tasks-inside",
					   opts[idx].name);
			sw.tasks_opt = opts[idx].name;
			sw.tasks_word = c == OPT_TASKS ? "tasks" :
					c == OPT_TASKS_OUT ? "outside" : "inside";
			tasks = optarg;
			break;
		case OPT_CYCLES:
		case OPT_JOBS:
			v = (unsigned int)strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || !v ||
			    v > (c == OPT_JOBS ? 16 : 10000))
				return bad(c == OPT_JOBS ?
					   "invalid value '%s' for --jobs (1-16)" :
					   "invalid value '%s' for --cycles (1-10000)",
					   optarg);
			if (c == OPT_JOBS)
				sw.jobs = v;
			else
				sw.cycles = v;
			break;
		case OPT_BENCH:
			sw.bench = optarg;
			break;
		case OPT_FORWARD:
			if (sw.nr_forward == SWEEP_MAX_FORWARD)
				return bad("too many options%s", "");
			snprintf(fwd[sw.nr_forward], sizeof(fwd[0]), "--%s=%s",
				 opts[idx].name, optarg);
			sw.forward[sw.nr_forward] = fwd[sw.nr_forward];
			sw.nr_forward++;
			if (!strcmp(opts[idx].name, "workload"))
				sw.workload_given = true;
			break;
		case 'h':
			usage_sweep(stdout);
			return 0;
		default:
			return bad("unknown option or missing value: '%s'",
				   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!sw.out)
		return bad("--out is required%s", "");
	if (sweep_parse_list(cpus, 1, 64, sw.cpus, SWEEP_MAX_VALUES,
			     &sw.ncpus, err, sizeof(err)))
		return bad("--cpus: %s", err);
	if (sweep_parse_list(tasks, 0, RUN_MAX_TASKS, sw.tasks, SWEEP_MAX_VALUES,
			     &sw.ntasks, err, sizeof(err)))
		return bad("--tasks: %s", err);
	for (nv = 1, i = 0; sw.strategies[i]; i++)
		nv += sw.strategies[i] == ',';
	sw.nr_strategies = nv;
	if (!sw.bench) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n < 0) {
			perror("bench sweep: /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		sw.bench = self;
	}
	if (sweep_expand(&sw)) {
		fprintf(stderr, "bench sweep: out of memory\n");
		return 1;
	}
	ret = check_cells(&sw);
	if (!ret) {
		ret = sweep_run(&sw, stderr);
		if (ret < 0) {
			fprintf(stderr, "bench sweep: %s\n", strerror(-ret));
			ret = 1;
		}
	}
	sweep_free(&sw);
	return ret;
}
