/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sweep.h - bench sweep: a matrix of runs over vCPU and task counts, each
 * cell one `bench run` (one strategy) or `bench compare` (several, in one
 * guest) child process writing its own results directory under one tree.
 * The tree's index.json and index.csv list every cell with its parameters,
 * path and state. Resumable: a cell whose status.json says complete is not
 * run again; any other is cleared and run again.
 */
#ifndef BENCH_SWEEP_H
#define BENCH_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SWEEP_MAX_VALUES	32
#define SWEEP_MAX_FORWARD	32

enum sweep_state {
	SWEEP_PENDING,		/* not run yet */
	SWEEP_RUNNING,
	SWEEP_COMPLETE,		/* status.json says complete */
	SWEEP_INCOMPLETE,	/* ran, but the run is not complete */
	SWEEP_SKIPPED,		/* complete from an earlier sweep */
};

struct sweep_cell {
	unsigned int cpus, tasks;
	char path[64];			/* relative to the tree */
	enum sweep_state state;
	int exit_status;		/* of the child; -1 before it ends */
	double seconds;			/* the child's wall time */
	char reason[256];		/* from status.json when not complete */
	int pid;
	double started;
};

struct sweep {
	const char *strategies;		/* "a,b": compare; "a": run */
	unsigned int nr_strategies;
	unsigned int cpus[SWEEP_MAX_VALUES], ncpus;
	unsigned int tasks[SWEEP_MAX_VALUES], ntasks;
	/* Where the tasks sleep: bench run's option and the cells' word. */
	const char *tasks_opt;		/* "tasks" (NULL), "tasks-outside", ... */
	const char *tasks_word;		/* "tasks" (NULL), "outside", "inside" */
	unsigned int cycles;		/* 0: the child's default */
	unsigned int jobs;
	const char *out;		/* the tree */
	const char *bench;		/* the child binary */
	bool workload_given;		/* else the sweep picks per cell */
	const char *forward[SWEEP_MAX_FORWARD];	/* "--opt=value" for children */
	unsigned int nr_forward;
	struct sweep_cell *cells;
	size_t ncells;
};

extern const char *const sweep_state_names[];

/*
 * "1,2,4" into @v: each in [@lo, @hi], none twice, at most @max. 0, or
 * -EINVAL with the reason in @err.
 */
int sweep_parse_list(const char *s, unsigned int lo, unsigned int hi,
		     unsigned int *v, unsigned int max, unsigned int *n,
		     char *err, size_t len);

/* The cells, cpus-major, in the order given. 0 or -ENOMEM. */
int sweep_expand(struct sweep *sw);
void sweep_free(struct sweep *sw);

/* "complete", "incomplete", "running" or "" (none) from @dir/status.json. */
void sweep_read_status(const char *dir, char *status, size_t len,
		       char *reason, size_t rlen);

/*
 * The child's argument vector for @c into @argv (NULL-terminated, at most
 * @max entries), its strings in @buf. The number of arguments.
 */
size_t sweep_argv(const struct sweep *sw, const struct sweep_cell *c,
		  char **argv, size_t max, char *buf, size_t len);

/* Seconds left: @left cells (running ones included) at @mean s each. */
double sweep_eta(double mean, size_t left, unsigned int jobs);

/* index.json and index.csv in the tree, each replaced whole. */
int sweep_write_index(const struct sweep *sw);
/*
 * Take each cell's exit status and time from the tree's index.json of an
 * earlier sweep, so a rerun that skips the cell keeps them. 0 (also when
 * there is no index yet) or -errno.
 */
int sweep_read_index(struct sweep *sw);

/*
 * Run every cell not complete yet, @sw->jobs at a time, printing progress
 * to @progress. 0 when every cell is complete, 1 when some are not, or
 * -errno.
 */
int sweep_run(struct sweep *sw, FILE *progress);

#endif
