/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.h - what a run records and its results name, shared by the run
 * loop that writes them and the analysis that reads them: the phases of a
 * cycle and the stall detector's gaps.
 */
#ifndef KGRAFT_LIB_RECORD_H
#define KGRAFT_LIB_RECORD_H

#include <stdint.h>

/*
 * What the system is doing at a moment of a run. Workloads record by
 * (strategy, phase): index strategy * RUN_NR_PHASES + phase.
 */
enum run_phase {
	RUN_BASELINE,		/* unpatched, settled */
	RUN_APPLY,		/* applying: enable written, transition running */
	RUN_PATCHED,		/* patched, settled */
	RUN_REVERT,		/* reverting */
	RUN_NR_PHASES,
};

const char *run_phase_name(int phase);

/* One gap seen by a stall thread. */
struct wl_gap {
	uint64_t t_ns;			/* when it began (CLOCK_MONOTONIC) */
	uint64_t len_ns;
};

#endif
