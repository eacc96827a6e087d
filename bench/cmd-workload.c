// SPDX-License-Identifier: GPL-2.0
/*
 * bench workload: run one workload on its own, with the chosen BPF probes
 * and perf counters around it; print what it saw, and optionally JSON.
 * Probes are attached before the workload starts and reset at its start,
 * so they cover exactly the workload's run.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "bench/probe/counters.h"
#include "bench/probe/probe.h"
#include "lib/util.h"
#include "bench/workload/cli.h"

#ifndef KGRAFT_VERSION
#define KGRAFT_VERSION "unknown"
#endif

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct run {
	struct workload_cmd cmd;
	struct probe *probes[MAX_PROBES];
	unsigned int nr_probes;
	struct counters *cnt;
	struct counters_snapshot before, after, phase;
	struct workload *w;
};

static void write_json(struct run *r, FILE *f, int argc, char **argv)
{
	struct utsname u;
	struct json j;
	char cmdline[1024] = "bench";
	size_t used = strlen(cmdline);
	unsigned int i;
	int k;

	for (k = 0; k < argc && used < sizeof(cmdline) - 1; k++)
		used += snprintf(cmdline + used, sizeof(cmdline) - used, " %s",
				 argv[k]);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "file_version", 1);
	json_str(&j, "tool", "bench workload");
	json_str(&j, "version", KGRAFT_VERSION);
	json_str(&j, "cmdline", cmdline);
	if (!uname(&u)) {
		json_obj_begin(&j, "sysinfo");
		json_str(&j, "sysname", u.sysname);
		json_str(&j, "release", u.release);
		json_str(&j, "version", u.version);
		json_str(&j, "machine", u.machine);
		json_obj_end(&j);
	}
	json_bool(&j, "interrupted", interrupted);
	workload_json(r->w, &j);
	json_obj_begin(&j, "probes");
	for (i = 0; i < r->nr_probes; i++)
		probe_json(r->probes[i], &j);
	json_obj_end(&j);
	if (r->cnt)
		counters_json(r->cnt, &r->phase, &j, "counters");
	json_obj_end(&j);
}

/* Written whole (atomic_open): never a half-written result. */
static int save_json(struct run *r, const char *path, int argc, char **argv)
{
	FILE *f = atomic_open(path);

	if (!f)
		return -errno;
	write_json(r, f, argc, argv);
	return atomic_close(f, path);
}

static int open_probes(struct run *r)
{
	struct probe_opts po;
	char err[512];
	unsigned int i;

	probe_opts_init(&po);
	if (!r->cmd.all_tasks) {
		po.tgids[0] = getpid();
		po.nr_tgids = 1;
	}
	/* This thread only polls and sleeps: it is not the workload. */
	po.exclude_tid = gettid();
	for (i = 0; i < r->cmd.nr_probes; i++) {
		int ret = probe_open(r->cmd.probe_names[i], &po,
				     &r->probes[i], err, sizeof(err));

		if (ret) {
			fprintf(stderr, "bench workload: %s\n", err);
			return ret;
		}
		r->nr_probes++;
	}
	return 0;
}

static void wait_polling(struct run *r)
{
	unsigned int i;

	uint64_t now;

	while (!interrupted && (now = mono_ns()) < r->w->end_ns) {
		uint64_t left = r->w->end_ns - now;
		int ms = left < 100000000ULL ? (int)(left / 1000000) + 1 : 100;
		bool polled = false;

		for (i = 0; i < r->nr_probes; i++)
			if (r->probes[i]->ops->poll) {
				probe_poll(r->probes[i], polled ? 0 : ms);
				polled = true;
			}
		if (!polled)
			sleep_ns(ms * 1000000L);
	}
	workload_stop(r->w);
}

static int run_workload(struct run *r, int argc, char **argv)
{
	char err[512];
	unsigned int i;
	int ret, failed = 0;

	if (r->cmd.mlock && mlockall(MCL_CURRENT | MCL_FUTURE))
		fprintf(stderr, "bench workload: mlockall: %s (continuing)\n",
			strerror(errno));
	if (open_probes(r))
		return EXIT_FAILURE_;
	if (r->cmd.counters) {
		ret = counters_open(&r->cnt, r->cmd.counters == 1 ? getpid() : -1,
				    err, sizeof(err));
		if (ret) {
			fprintf(stderr, "bench workload: %s\n", err);
			return EXIT_FAILURE_;
		}
		if (counters_read(r->cnt, &r->before)) {
			fprintf(stderr, "bench workload: cannot read the counters\n");
			return EXIT_FAILURE_;
		}
	}
	/*
	 * Reset before the start, so the probes see every operation; the
	 * timeline can only be aligned once the start time is known.
	 */
	for (i = 0; i < r->nr_probes; i++)
		probe_reset(r->probes[i]);
	ret = workload_start(&r->w, r->cmd.ops, &r->cmd.opts, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bench workload: %s: %s\n", r->cmd.ops->name, err);
		return EXIT_FAILURE_;
	}
	for (i = 0; i < r->nr_probes; i++)
		probe_set_timeline(r->probes[i], r->w->t0_ns,
				   r->cmd.opts.window_ns);
	wait_polling(r);
	if (r->cnt && counters_read(r->cnt, &r->after) == 0)
		counters_diff(&r->before, &r->after, &r->phase);
	for (i = 0; i < r->nr_probes; i++)
		if (probe_read(r->probes[i])) {
			fprintf(stderr, "bench workload: cannot read probe %s\n",
				r->probes[i]->ops->name);
			failed = 1;
		}

	workload_print(r->w, stdout);
	for (i = 0; i < r->nr_probes; i++)
		probe_report(r->probes[i], stdout);
	if (r->cnt)
		counters_print(r->cnt, &r->phase, stdout);
	if (r->cmd.json) {
		ret = save_json(r, r->cmd.json, argc, argv);
		if (ret) {
			fprintf(stderr, "bench workload: cannot write %s: %s\n",
				r->cmd.json, strerror(-ret));
			failed = 1;
		}
	}
	for (i = 0; i < r->w->nr; i++)
		if (r->w->th[i].err) {
			fprintf(stderr, "bench workload: thread %u failed: %s\n",
				i, r->w->th[i].errmsg);
			failed = 1;
		}
	if (interrupted) {
		fprintf(stderr, "bench workload: interrupted; results cover %.2f s\n",
			(r->w->stopped_ns - r->w->t0_ns) / 1e9);
		failed = 1;
	}
	return failed ? EXIT_FAILURE_ : 0;
}

int cmd_workload(int argc, char **argv)
{
	struct sigaction sa;
	struct run *r = calloc(1, sizeof(*r));
	unsigned int i;
	int ret;

	if (!r) {
		fprintf(stderr, "bench workload: out of memory\n");
		return EXIT_FAILURE_;
	}
	ret = workload_parse_args(argc, argv, &r->cmd);
	if (ret) {
		free(r);
		return ret < 0 ? 0 : ret;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	interrupted = 0;
	ret = run_workload(r, argc, argv);
	workload_free(r->w);
	for (i = 0; i < r->nr_probes; i++)
		probe_close(r->probes[i]);
	counters_close(r->cnt);
	free(r);
	return ret;
}
