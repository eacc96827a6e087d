// SPDX-License-Identifier: GPL-2.0
/* record.c - the names results give the phases (record.h). */
#include "lib/record.h"

static const char *const phase_names[RUN_NR_PHASES] = {
	[RUN_BASELINE] = "baseline",
	[RUN_APPLY] = "apply",
	[RUN_PATCHED] = "patched",
	[RUN_REVERT] = "revert",
};

const char *run_phase_name(int phase)
{
	return phase >= 0 && phase < RUN_NR_PHASES ? phase_names[phase] : "?";
}
