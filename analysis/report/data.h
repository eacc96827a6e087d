/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report-data.h - one results directory read back into plain structs, for
 * bench report and bench plot. Nothing is recomputed from raw samples that
 * the run already summarised: the histograms' percentiles are the run's own.
 * Strategy, workload and task-switch path names are whatever the files hold,
 * so strategies added later need no change here.
 */
#ifndef BENCH_REPORT_DATA_H
#define BENCH_REPORT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REP_NAME	48
#define REP_PHASES	4		/* baseline, apply, patched, revert */
#define REP_MAX_STRAT	8
#define REP_MAX_COVERAGE 64
#define REP_MAX_WL	8
#define REP_MAX_PATHS	16
#define REP_MAX_FINDINGS 256

struct json_t;

/* A histogram object as hist_json() writes it (summary only). */
struct rep_hist {
	bool present;
	uint64_t count, min, max, p50, p90, p99, p999;
	double mean;
};

struct rep_phase {
	bool present;
	struct rep_hist lat;
	uint64_t duration_ns;
	uint64_t errors;	/* failed operations */
	bool has_mixed;		/* the target's mixed chains, counted per phase */
	uint64_t mixed;
	bool stall;		/* the stall workload's gap counters are set */
	uint64_t gaps, lost_ns, largest_gap_ns;
};

struct rep_workload {
	char name[REP_NAME];
	struct rep_phase phase[REP_PHASES];
};

struct rep_strategy {
	char name[REP_NAME];
	uint64_t cycles_done;
	struct rep_hist apply, revert;
	unsigned int nr_paths;
	char path[REP_MAX_PATHS][REP_NAME];
	int64_t switches[REP_MAX_PATHS];
	unsigned int nr_wl;
	struct rep_workload wl[REP_MAX_WL];
	/*
	 * compare.json's stall coverage per apply: the machine-wide stall
	 * over the stop probe's stopped time per CPU (stop_machine).
	 */
	unsigned int nr_coverage;
	double coverage[REP_MAX_COVERAGE];
};

/* Totals of one workload over the run (summary.json "workloads"). */
struct rep_total {
	char name[REP_NAME];
	uint64_t ops, missed, mixed, errors;
	bool requests;		/* a server's requests (redis, memcached) */
};

/* One finding of bench compare, as compare.json holds it. */
struct rep_finding {
	char metric[REP_NAME];
	char strategy[REP_NAME], reference[REP_NAME];
	char verdict[24];
	uint64_t n, reference_n;
	double difference, ci_low, ci_high;	/* ns; CI NaN when n too small */
	char sentence[320];			/* bench compare's, as printed */
};

struct rep_run {
	char dir[4096];
	char label[REP_NAME * 2];	/* the directory's last component */
	char status[16];		/* from status.json */
	char reason[256];
	bool has_summary;
	char patch[REP_NAME];
	uint64_t cycles_planned, cycles_done;
	/* parameters: from metadata.json (online_cpus, command line) */
	char kernel[REP_NAME * 2];
	char cpu_model[REP_NAME * 2];
	char accelerator[REP_NAME];
	char revision[REP_NAME];
	bool emulated;
	unsigned int cpus;		/* guest vCPUs; 0 when unknown */
	unsigned int tasks;		/* --tasks; 0 when not given */
	unsigned int threads;		/* --threads; 1 when not given */
	unsigned int nr_totals;
	struct rep_total totals[REP_MAX_WL];
	unsigned int nr_strat;
	struct rep_strategy strat[REP_MAX_STRAT];
	unsigned int nr_findings;	/* from compare.json, when present */
	struct rep_finding findings[REP_MAX_FINDINGS];
};

extern const char *const rep_phase_names[REP_PHASES];

/*
 * Read @dir. status.json must exist (else -ENOENT: not a results
 * directory); summary.json and metadata.json are read when present
 * (has_summary says which). 0, or -errno with a message in @err.
 */
int rep_load(const char *dir, struct rep_run *r, char *err, size_t len);

/*
 * Load every run named by @args: a results directory, or a sweep tree
 * (index.json, no status.json) standing for each of its cells in index
 * order. *@runs is malloc'd. 0, or -errno with a message in @err.
 */
int rep_load_all(char *const *args, size_t nargs, struct rep_run **runs,
		 size_t *nruns, char *err, size_t len);

/* The histogram object @v (NULL: absent) into @h. */
void rep_hist_from_json(const struct json_t *v, struct rep_hist *h);

const struct rep_strategy *rep_strategy(const struct rep_run *r,
					const char *name);
const struct rep_workload *rep_workload(const struct rep_strategy *s,
					const char *name);
/* The run's total of workload @name, or NULL. */
const struct rep_total *rep_total(const struct rep_run *r, const char *name);
/* The stall workload's phase @p, or NULL when the run has none. */
const struct rep_phase *rep_stall(const struct rep_strategy *s, int p);

#endif
