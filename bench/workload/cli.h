/* SPDX-License-Identifier: GPL-2.0 */
/* cli.h - the command line of 'bench workload', parsed. */
#ifndef BENCH_WORKLOAD_CLI_H
#define BENCH_WORKLOAD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "bench/workload/workload.h"

#define MAX_PROBES	8

struct workload_cmd {
	const struct workload_ops *ops;
	struct workload_opts opts;
	bool rate_set, prio_set, mlock, all_tasks;
	const char *json;
	const char *probe_names[MAX_PROBES];
	unsigned int nr_probes;
	int counters;			/* 0 none, 1 process, 2 system */
};

void usage_workload(FILE *f);
/*
 * Parse "workload <name> [<options>]" (argv[0] is "workload") into @c.
 * 0 when it is a run; -1 when --help was printed; EXIT_USAGE (2) after
 * saying what is wrong and printing the usage to stderr.
 */
int workload_parse_args(int argc, char **argv, struct workload_cmd *c);

#endif
