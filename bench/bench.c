// SPDX-License-Identifier: GPL-2.0
/*
 * bench: drive live-patching strategies against running workloads and
 * measure what they cost. One dispatch table; each command in cmd-<name>.c.
 */
#include <stdio.h>
#include <string.h>

#include "bench/builtin.h"
#include "version.h"

static const struct bench_cmd commands[] = {
	{ "run", cmd_run, usage_run,
	  "Apply and revert a patch with one strategy under load; write results" },
	{ "compare", cmd_compare, usage_compare,
	  "Run several strategies interleaved in one guest; compare with CIs" },
	{ "list", cmd_list, usage_list,
	  "List strategies, patches and workloads" },
	{ "vm", cmd_vm, usage_vm,
	  "Run a command as root in the stock-kernel guest" },
	{ "report", cmd_report, usage_report,
	  "Tables (text, CSV, LaTeX) from results directories" },
	{ "plot", cmd_plot, usage_plot,
	  "gnuplot figures (PDF, PNG) from results directories" },
	{ "sweep", cmd_sweep, usage_sweep,
	  "A resumable matrix of runs over strategies, vCPUs and tasks" },
	{ "workload", cmd_workload, usage_workload,
	  "Run one workload with probes and counters; print its latencies" },
	{ "patch", cmd_patch, usage_patch,
	  "Build a live patch module from a source fix (object diff)" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: bench [--version] [--help] <command> [<args>]\n\n");
	fprintf(f, "The commands are:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "   %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nSee 'bench help <command>' or 'bench <command> --help'.\n");
}

static const struct bench_cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct bench_cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("bench (kgraft) %s\n", KGRAFT_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		cmd = find(argv[2]);
		if (!cmd) {
			fprintf(stderr, "bench: '%s' is not a bench command. See 'bench --help'.\n",
				argv[2]);
			return EXIT_USAGE;
		}
		cmd->usage(stdout);
		return 0;
	}
	cmd = find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "bench: '%s' is not a bench command. See 'bench --help'.\n",
			argv[1]);
		return EXIT_USAGE;
	}
	return cmd->fn(argc - 1, argv + 1);
}
