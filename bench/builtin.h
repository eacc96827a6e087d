/* SPDX-License-Identifier: GPL-2.0 */
/* The bench subcommands, one file each (cmd-<name>.c), as perf's builtin-*.c. */
#ifndef BENCH_BUILTIN_H
#define BENCH_BUILTIN_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses of every subcommand. */
#define EXIT_USAGE	2	/* bad command line: usage printed */
#define EXIT_FAILURE_	1	/* the work failed */

struct bench_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	void (*usage)(FILE *f);
	const char *summary;
};

int cmd_vm(int argc, char **argv);
void usage_vm(FILE *f);
int cmd_run(int argc, char **argv);
void usage_run(FILE *f);
int cmd_list(int argc, char **argv);
void usage_list(FILE *f);
int cmd_compare(int argc, char **argv);
void usage_compare(FILE *f);

struct run_config;
/* bench run's options, shared with bench compare (cmd-run.c). */
int run_options(int argc, char **argv, struct run_config *rc, bool compare,
		void (*usage)(FILE *f));
/* The option list of bench run's help, or with @compare of compare's. */
void run_options_help(FILE *f, bool compare);
int cmd_report(int argc, char **argv);
void usage_report(FILE *f);
int cmd_plot(int argc, char **argv);
void usage_plot(FILE *f);
int cmd_sweep(int argc, char **argv);
void usage_sweep(FILE *f);
int cmd_workload(int argc, char **argv);
void usage_workload(FILE *f);
int cmd_patch(int argc, char **argv);
void usage_patch(FILE *f);

#endif
