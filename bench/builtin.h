/* SPDX-License-Identifier: GPL-2.0 */
/* The bench subcommands, one file each (cmd-<name>.c), as perf's builtin-*.c. */
#ifndef BENCH_BUILTIN_H
#define BENCH_BUILTIN_H

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

#endif
