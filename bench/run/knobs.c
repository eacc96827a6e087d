// SPDX-License-Identifier: GPL-2.0
/*
 * knobs.c - compare models, not timer settings. kgraft sweeps every 100 ms
 * and signals pending tasks after 1 s by default; upstream livepatch on 6.1
 * retries its transition every second (klp_transition_work, HZ) and sends
 * fake signals every 15th retry (SIGNALS_TIMEOUT). With --knobs parity,
 * the default, bench gives kgraft klp's timing for the run and restores
 * what it found afterwards; --knobs native keeps kgraft's own. The values
 * in force are in the results (the strategy's module parameters).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/run/internal.h"
#include "lib/util.h"

static const struct {
	const char *name;
	const char *parity;
} knobs[RUN_NR_KNOBS] = {
	{ "sweep_interval_ms", "1000" },	/* klp: a retry a second */
	{ "signal_delay_ms", "15000" },		/* klp: 15 retries */
};

static void knob_path(char *buf, size_t len, unsigned int i)
{
	snprintf(buf, len, "/sys/module/kgraft/parameters/%s", knobs[i].name);
}

static int write_knob(unsigned int i, const char *value)
{
	char path[128];
	FILE *f;
	int ret = 0;

	knob_path(path, sizeof(path), i);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fputs(value, f) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

int run_set_knobs(struct run *r, char *err, size_t len)
{
	char path[128];
	unsigned int i;
	int ret;

	if (r->rc->knobs_native)
		return 0;
	for (i = 0; i < RUN_NR_KNOBS; i++) {
		knob_path(path, sizeof(path), i);
		ret = read_small_file(path, r->knob_saved[i],
				      sizeof(r->knob_saved[i]));
		if (ret < 0) {
			snprintf(err, len, "cannot read %s: %s", path,
				 strerror(-ret));
			return ret;
		}
		strip_newline(r->knob_saved[i]);
	}
	r->knobs_set = true;
	for (i = 0; i < RUN_NR_KNOBS; i++) {
		ret = write_knob(i, knobs[i].parity);
		if (ret) {
			knob_path(path, sizeof(path), i);
			snprintf(err, len, "cannot set %s: %s", path,
				 strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* What the run changed, back (a kgraft that bench unloaded needs none). */
void run_restore_knobs(struct run *r)
{
	unsigned int i;

	if (!r->knobs_set)
		return;
	for (i = 0; i < RUN_NR_KNOBS; i++)
		write_knob(i, r->knob_saved[i]);
	r->knobs_set = false;
}
