// SPDX-License-Identifier: GPL-2.0
/*
 * knobs.c - compare models, not timer settings. By default kgraft (the 2014
 * model) checks for completion 10 s after the start and every 2 s after,
 * signalling pending tasks from the first check on (kGraft's own timing);
 * kgraft_sweep sweeps every 100 ms and signals after 1 s. Upstream
 * livepatch on 6.1 tries at once, retries every second (klp_transition_work,
 * HZ) and sends fake signals every 15th retry (SIGNALS_TIMEOUT). With
 * --knobs parity, the default, bench gives both klp's timing for the run
 * and restores what it found afterwards; --knobs native keeps their own.
 * The values in force are in metadata.json ("timing") and in summary.json
 * (each strategy's module parameters).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/run/internal.h"
#include "lib/json.h"
#include "lib/util.h"

static const struct {
	const char *name;
	const char *parity;
} knobs[RUN_NR_KNOBS] = {
	/* kgraft_sweep */
	{ "sweep_interval_ms", "1000" },	/* klp: a retry a second */
	{ "signal_delay_ms", "15000" },		/* klp: 15 retries */
	/* kgraft */
	{ "first_check_ms", "0" },		/* klp: a try at the start */
	{ "recheck_ms", "1000" },
	{ "fake_signal_ms", "15000" },
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

/* The knobs in force, once the run has set them up. */
void run_read_knobs(struct run *r)
{
	char path[128];
	unsigned int i;

	for (i = 0; i < RUN_NR_KNOBS; i++) {
		knob_path(path, sizeof(path), i);
		if (read_small_file(path, r->knob_run[i],
				    sizeof(r->knob_run[i])) < 0)
			snprintf(r->knob_run[i], sizeof(r->knob_run[i]), "-");
		strip_newline(r->knob_run[i]);
	}
	r->knobs_read = true;
}

/* "timing": each knob's value for the run, as kgraft.ko had it. */
void run_knobs_json(const struct run *r, struct json *j)
{
	unsigned int i;

	if (!r->knobs_read)
		return;
	json_obj_begin(j, "timing");
	for (i = 0; i < RUN_NR_KNOBS; i++) {
		char *end;
		unsigned long long v = strtoull(r->knob_run[i], &end, 10);

		if (end != r->knob_run[i] && !*end)
			json_u64(j, knobs[i].name, v);
		else
			json_str(j, knobs[i].name, r->knob_run[i]);
	}
	json_obj_end(j);
}
