// SPDX-License-Identifier: GPL-2.0
/* bench vm: run a command as root in the stock-kernel guest. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bench/builtin.h"
#include "bench/host/guest.h"
#include "bench/options.h"
#include "lib/util.h"

/* What bench vm's options fill in. */
struct vm_args {
	struct guest_config cfg;
	const char *result;
	bool quiet;
};

#define VA(f)		offsetof(struct vm_args, f)
#define STR_(x)		#x
#define STR(x)		STR_(x)

static int accel_opt(const struct opt *o, const char *arg, void *base,
		     char *err, size_t len)
{
	(void)o, (void)err, (void)len;
	return guest_accel_parse(arg, &((struct vm_args *)base)->cfg.accel);
}

static int share_opt(const struct opt *o, const char *arg, void *base,
		     char *err, size_t len)
{
	struct guest_config *cfg = &((struct vm_args *)base)->cfg;

	(void)o, (void)err, (void)len;
	if (cfg->nr_shares == GUEST_MAX_SHARES)
		return -E2BIG;
	cfg->shares[cfg->nr_shares++] = arg;
	return 0;
}

static int verbose_opt(const struct opt *o, const char *arg, void *base,
		       char *err, size_t len)
{
	(void)o, (void)arg, (void)err, (void)len;
	((struct vm_args *)base)->cfg.console = stderr;
	return 0;
}

static const struct opt vm_opts[] = {
	OPT_UINT(0, "cpus", VA(cfg.cpus), 1, 64, "<n>",
		 "vCPUs (1-64, default 2)"),
	OPT_UINT(0, "mem", VA(cfg.mem_mb), 256, 65536, "<MiB>",
		 "guest memory (256-65536, default 2048)"),
	OPT_UINT(0, "timeout", VA(cfg.timeout_s), 1, 86400, "<s>",
		 "kill the guest after <s> seconds (1-86400, default 300)"),
	OPT_CALLBACK(0, "accel", accel_opt, "<a>",
		     "tcg, kvm or auto (default auto: KVM only if a probe "
		     "boot succeeds within 6 s; cached per host boot)"),
	OPT_FLAG(0, "tcg-single", VA(cfg.tcg_single),
		 "TCG with one host thread for all vCPUs: no parallelism; "
		 "avoids QEMU 7.2's multi-threaded TCG bug (vCPUs left on "
		 "stale code the kernel patched), fixed in QEMU >= 8"),
	OPT_CALLBACK(0, "share", share_opt, "<dir>",
		     "share <dir> writable at the same path (up to "
		     STR(GUEST_MAX_SHARES) ")"),
	OPT_STRING(0, "append", VA(cfg.append), "<args>",
		   "extra kernel command line"),
	OPT_STRING(0, "kernel", VA(cfg.kernel), "<file>",
		   "kernel to boot (default: the stock vmlinux in build/)"),
	OPT_STRING(0, "log-dir", VA(cfg.log_dir), "<dir>",
		   "where console.log, output.log, dmesg go "
		   "(default build/guest/runs/<time>-<pid>)"),
	OPT_STRING(0, "result", VA(result), "<file>",
		   "write the outcome as 'key value' lines (status, "
		   "timed_out, problem, boot_s, console_log, ...)"),
	OPT_CALLBACK_NOARG('v', "verbose", verbose_opt,
			   "echo the kernel console to stderr"),
	OPT_FLAG('q', "quiet", VA(quiet), "do not print the boot time"),
	OPT_END(),
};

void usage_vm(FILE *f)
{
	fprintf(f,
		"usage: bench vm [<options>] -- <command> [<args>...]\n"
		"\n"
		"Boot Debian's stock kernel under QEMU with this machine's root file\n"
		"system shared read-only, and run <command> as root in it, from the\n"
		"current directory. One word is run by /bin/sh -c; several are exec'd.\n"
		"Exits with the command's status; 1 if the guest kernel reported an\n"
		"Oops, BUG, WARNING, lockdep report, RCU stall, lockup or panic; 124\n"
		"when killed at the timeout; 125 when the guest gave no status.\n"
		"\n");
	opts_help(f, vm_opts);
}

int cmd_vm(int argc, char **argv)
{
	static const struct opts_cmd cmd = {
		.name = "bench vm", .opts = vm_opts, .usage = usage_vm,
		/* What follows the options is the guest's command. */
		.stop_at_operand = true,
	};
	struct vm_args a = { .result = NULL };
	struct guest_result res;
	int i, status;

	guest_config_init(&a.cfg);
	i = opts_parse(&cmd, &a, argc, argv);
	if (i < 0)
		return i == OPTS_HELP ? 0 : EXIT_USAGE;
	if (i >= argc) {
		fprintf(stderr, "bench vm: no command given\n");
		usage_vm(stderr);
		return EXIT_USAGE;
	}
	a.cfg.argv = argv + i;

	if (guest_run(&a.cfg, &res) < 0)
		return 125;
	status = guest_exit_status(&res, "bench vm");
	if (a.result && guest_write_result(&res, a.result) < 0) {
		fprintf(stderr, "bench vm: cannot write %s\n", a.result);
		if (!status)
			status = 1;
	}
	if (!a.quiet)
		fprintf(stderr, "bench vm: %s guest (%s, threads %s), command started %.1f s after boot began, %.1f s in all; logs in %s\n",
			guest_accel_name(res.accel),
			res.qemu[0] ? res.qemu : "QEMU version unknown",
			res.tcg_threads, res.boot_s, res.total_s, res.log_dir);
	return status;
}
