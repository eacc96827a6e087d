// SPDX-License-Identifier: GPL-2.0
/*
 * bench run's host side: boot the stock-kernel guest with the results
 * directory shared writable, and run the same command in it with
 * --target=local. A guest whose kernel complains fails the run, keeps the
 * partial results and names the console log (a copy sits in the results).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/results.h"
#include "bench/run/run.h"
#include "lib/util.h"

#define NS 1000000000ULL

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "r"), *out;
	size_t n;

	if (!in)
		return;
	out = fopen(to, "w");
	if (out) {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
		fclose(out);
	}
	fclose(in);
}

/* Did the run in the guest already mark its results incomplete? */
static bool marked_incomplete(const struct results *r)
{
	char path[PATH_MAX + 16], buf[512];

	snprintf(path, sizeof(path), "%s/status.json", r->dir);
	return read_small_file(path, buf, sizeof(buf)) > 0 &&
	       strstr(buf, "\"incomplete\"");
}

/* Boot, every cycle with room for slow transitions, one stuck transition. */
static unsigned int guest_timeout_s(const struct run_config *rc)
{
	uint64_t per_cycle = rc->baseline_ns + rc->settled_ns + rc->gap_max_ns +
			     run_transition_slack_ns(rc);
	uint64_t s = (120 * NS + (uint64_t)rc->cycles * rc->nr_strategies *
		      per_cycle + 2 * rc->transition_timeout_ns) / NS;

	return s > 86400 ? 86400 : (unsigned int)s;
}

int run_in_guest(const struct run_config *rc)
{
	char exe[PATH_MAX], err[512], out_arg[PATH_MAX + 16], seed_arg[64];
	char path[PATH_MAX + 32], reason[1024];
	char *argv[128];
	struct guest_config cfg;
	struct guest_result res;
	struct results r;
	ssize_t n;
	int i, argc = 0, status;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0 || rc->argc > 100) {
		fprintf(stderr, "bench run: cannot find my own binary\n");
		return 1;
	}
	exe[n] = '\0';
	/* A module not built fails here, before a guest boots for nothing. */
	if (run_check_modules(rc, err, sizeof(err)) ||
	    results_create(&r, rc->out, err, sizeof(err))) {
		fprintf(stderr, "bench run: %s\n", err);
		return 1;
	}
	snprintf(out_arg, sizeof(out_arg), "--out=%s", r.dir);
	snprintf(seed_arg, sizeof(seed_arg), "--seed=%llu",
		 (unsigned long long)rc->seed);
	argv[argc++] = exe;
	for (i = 0; i < rc->argc; i++)
		argv[argc++] = rc->argv[i];
	argv[argc++] = "--target=local";
	argv[argc++] = out_arg;
	argv[argc++] = seed_arg;
	argv[argc] = NULL;

	guest_config_init(&cfg);
	cfg.cpus = rc->cpus;
	cfg.mem_mb = rc->mem_mb;
	cfg.accel = rc->accel;
	cfg.accel = guest_resolve_accel(&cfg);
	cfg.timeout_s = guest_timeout_s(rc);
	cfg.shares[cfg.nr_shares++] = r.dir;
	cfg.argv = argv;
	/* The guest cannot tell TCG from KVM reliably: say it in metadata. */
	setenv("KGRAFT_GUEST_ACCEL", guest_accel_name(cfg.accel), 1);

	if (guest_run(&cfg, &res) < 0) {
		results_status(&r, "incomplete", "the guest could not be started");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/console.log", r.dir);
	copy_file(res.console_log, path);
	snprintf(path, sizeof(path), "%s/dmesg.log", r.dir);
	snprintf(err, sizeof(err), "%s/dmesg", res.log_dir);
	copy_file(err, path);

	status = guest_exit_status(&res, "bench run");
	if (status && res.finding.problem == CONSOLE_OK && !res.timed_out &&
	    res.status > 0 && !marked_incomplete(&r)) {
		/* It died before saying so itself (preflight, a crash). */
		snprintf(reason, sizeof(reason),
			 "the run in the guest exited with status %d (console log: %s)",
			 res.status, res.console_log);
		results_status(&r, "incomplete", reason);
	}
	if (res.finding.problem != CONSOLE_OK || res.timed_out || res.status < 0) {
		if (res.finding.problem != CONSOLE_OK)
			snprintf(reason, sizeof(reason),
				 "guest kernel reported a %s: %s (console log: %s)",
				 console_problem_name(res.finding.problem),
				 res.finding.line, res.console_log);
		else
			snprintf(reason, sizeof(reason), "%s (console log: %s)",
				 res.interrupted ? "interrupted: guest killed" :
				 res.timed_out ? "guest killed at the timeout" :
				 "the guest gave no exit status",
				 res.console_log);
		results_status(&r, "incomplete", reason);
	}
	return status ? 1 : 0;
}
