// SPDX-License-Identifier: GPL-2.0
/*
 * bench sweep: the command line of sweep.h's matrix. Every cell's child
 * command line is checked with bench run's own option parser before any
 * guest starts, so a bad value fails at once (exit 2), not in cell 5.
 */
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "bench/options.h"
#include "bench/run/run.h"
#include "bench/host/sweep.h"

/* What bench sweep's options fill in. */
struct sweep_args {
	struct sweep sw;
	const char *cpus, *tasks;
};

#define SA(f)		offsetof(struct sweep_args, f)

/* --tasks, --tasks-outside or --tasks-inside: one of them, as often. */
static int tasks_opt(const struct opt *o, const char *arg, void *base,
		     char *err, size_t len)
{
	struct sweep_args *a = base;
	const char *name = o->long_name;

	if (a->sw.tasks_opt && strcmp(a->sw.tasks_opt, name)) {
		snprintf(err, len,
			 "%s: give one of --tasks, --tasks-outside, --tasks-inside",
			 name);
		return -EINVAL;
	}
	a->sw.tasks_opt = name;
	a->sw.tasks_word = !strcmp(name, "tasks") ? "tasks" :
			   !strcmp(name, "tasks-outside") ? "outside" :
							    "inside";
	a->tasks = arg;
	return 0;
}

/* A bench run option for every cell, as --<name>=<value>. */
static int forward_opt(const struct opt *o, const char *arg, void *base,
		       char *err, size_t len)
{
	static char fwd[SWEEP_MAX_FORWARD][512];
	struct sweep *sw = &((struct sweep_args *)base)->sw;

	if (sw->nr_forward == SWEEP_MAX_FORWARD) {
		snprintf(err, len, "too many options");
		return -E2BIG;
	}
	snprintf(fwd[sw->nr_forward], sizeof(fwd[0]), "--%s=%s",
		 o->long_name, arg);
	sw->forward[sw->nr_forward] = fwd[sw->nr_forward];
	sw->nr_forward++;
	if (!strcmp(o->long_name, "workload"))
		sw->workload_given = true;
	return 0;
}

/* Hidden from the option list: the help's last paragraph names them. */
#define FORWARD(name)	OPT_CALLBACK(0, name, forward_opt, "<v>", NULL)

static const struct opt sweep_opts[] = {
	OPT_STRING(0, "out", SA(sw.out), "<tree>",
		   "the results tree (required)"),
	OPT_STRING(0, "strategies", SA(sw.strategies), "<s,...>",
		   "strategies (default kgraft)"),
	OPT_STRING(0, "cpus", SA(cpus), "<n,...>",
		   "guest vCPU counts (1-64, default 2)"),
	OPT_CALLBACK(0, "tasks", tasks_opt, "<k,...>",
		     "population workload task counts, each k asleep outside "
		     "and k inside the patch (0-30000, default 0: no "
		     "population workload)"),
	OPT_CALLBACK(0, "tasks-outside", tasks_opt, "<k,...>",
		     "the same, k asleep outside the patch only"),
	OPT_CALLBACK(0, "tasks-inside", tasks_opt, "<k,...>",
		     "the same, k asleep inside the patch only (one of the "
		     "three)"),
	OPT_UINT(0, "cycles", SA(sw.cycles), 1, 10000, "<n>",
		 "cycles per strategy and cell"),
	OPT_UINT(0, "jobs", SA(sw.jobs), 1, 16, "<j>",
		 "guests at once (1-16, default 1)"),
	OPT_STRING(0, "bench", SA(sw.bench), "<path>",
		   "the bench binary the cells run (default: this one)"),
	FORWARD("workload"), FORWARD("patch"), FORWARD("threads"),
	FORWARD("rate"), FORWARD("baseline"), FORWARD("settled"),
	FORWARD("gap"), FORWARD("transition-timeout"),
	FORWARD("pending-interval"), FORWARD("seed"),
	FORWARD("accel"), FORWARD("mem"), FORWARD("knobs"),
	FORWARD("spinners"), FORWARD("churn"), FORWARD("busy-kthreads"),
	FORWARD("request-rate"), FORWARD("conns"), FORWARD("set-pct"),
	FORWARD("value-size"), FORWARD("keys"),
	OPT_END(),
};

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
		"\n");
	opts_help(f, sweep_opts);
	fprintf(f,
		"\n"
		"Passed to every cell: --workload (default: bench run's, plus population\n"
		"when tasks > 0), --patch, --threads, --rate, --baseline, --settled,\n"
		"--gap, --transition-timeout, --pending-interval, --seed, --accel,\n"
		"--mem, --knobs, --spinners, --churn, --busy-kthreads, --request-rate,\n"
		"--conns, --set-pct, --value-size, --keys (see 'bench help run'). What\n"
		"the timing knobs alone do: the same sweep twice, with --knobs=parity\n"
		"and --knobs=native.\n");
}

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
	static const struct opts_cmd cmd = {
		.name = "bench sweep", .opts = sweep_opts,
		.usage = usage_sweep,
	};
	static char self[PATH_MAX];
	struct sweep_args a = {
		.sw = { .strategies = "kgraft", .jobs = 1 },
		.cpus = "2", .tasks = "0",
	};
	struct sweep sw;
	unsigned int i, nv;
	char err[256];
	int first, ret;

	first = opts_parse(&cmd, &a, argc, argv);
	if (first < 0)
		return first == OPTS_HELP ? 0 : EXIT_USAGE;
	sw = a.sw;
	if (first < argc)
		return bad("unexpected argument '%s'", argv[first]);
	if (!sw.out)
		return bad("--out is required%s", "");
	if (sweep_parse_list(a.cpus, 1, 64, sw.cpus, SWEEP_MAX_VALUES,
			     &sw.ncpus, err, sizeof(err)))
		return bad("--cpus: %s", err);
	if (sweep_parse_list(a.tasks, 0, RUN_MAX_TASKS, sw.tasks, SWEEP_MAX_VALUES,
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
