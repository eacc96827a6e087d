// SPDX-License-Identifier: GPL-2.0
/* bench vm: run a command as root in the stock-kernel guest. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bench/builtin.h"
#include "bench/host/guest.h"
#include "lib/util.h"

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
		"\n"
		"    --cpus <n>        vCPUs (1-64, default 2)\n"
		"    --mem <MiB>       guest memory (256-65536, default 2048)\n"
		"    --timeout <s>     kill the guest after <s> seconds (1-86400, default 300)\n"
		"    --accel <a>       tcg, kvm or auto (default auto: KVM only if a probe\n"
		"                      boot succeeds within 6 s; cached per host boot)\n"
		"    --tcg-single      TCG with one host thread for all vCPUs: no parallelism;\n"
		"                      avoids QEMU 7.2's multi-threaded TCG bug (vCPUs left\n"
		"                      on stale code the kernel patched), fixed in QEMU >= 8\n"
		"    --share <dir>     share <dir> writable at the same path (up to %d)\n"
		"    --append <args>   extra kernel command line\n"
		"    --kernel <file>   kernel to boot (default: the stock vmlinux in build/)\n"
		"    --log-dir <dir>   where console.log, output.log, dmesg go\n"
		"                      (default build/guest/runs/<time>-<pid>)\n"
		"    --result <file>   write the outcome as 'key value' lines (status,\n"
		"                      timed_out, problem, boot_s, console_log, ...)\n"
		"    -v, --verbose     echo the kernel console to stderr\n"
		"    -q, --quiet       do not print the boot time\n",
		GUEST_MAX_SHARES);
}

static const char *option_name(const struct option *o, int val)
{
	for (; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

int cmd_vm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "accel", required_argument, NULL, 'a' },
		{ "share", required_argument, NULL, 's' },
		{ "append", required_argument, NULL, 'A' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "log-dir", required_argument, NULL, 'l' },
		{ "result", required_argument, NULL, 'r' },
		{ "tcg-single", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct guest_config cfg;
	struct guest_result res;
	const char *result = NULL;
	bool quiet = false;
	int c, status;

	guest_config_init(&cfg);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+vqh", opts, NULL)) != -1) {
		int err = 0;

		switch (c) {
		case 'c':
			err = parse_uint(optarg, 1, 64, &cfg.cpus);
			break;
		case 'm':
			err = parse_uint(optarg, 256, 65536, &cfg.mem_mb);
			break;
		case 't':
			err = parse_uint(optarg, 1, 86400, &cfg.timeout_s);
			break;
		case 'a':
			err = guest_accel_parse(optarg, &cfg.accel);
			break;
		case 's':
			if (cfg.nr_shares == GUEST_MAX_SHARES)
				err = -1;
			else
				cfg.shares[cfg.nr_shares++] = optarg;
			break;
		case 'A':
			cfg.append = optarg;
			break;
		case 'k':
			cfg.kernel = optarg;
			break;
		case 'l':
			cfg.log_dir = optarg;
			break;
		case 'r':
			result = optarg;
			break;
		case 'T':
			cfg.tcg_single = true;
			break;
		case 'v':
			cfg.console = stderr;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage_vm(stdout);
			return 0;
		default:
			usage_vm(stderr);
			return EXIT_USAGE;
		}
		if (err) {
			fprintf(stderr, "bench vm: invalid value '%s' for --%s\n",
				optarg, option_name(opts, c));
			usage_vm(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bench vm: no command given\n");
		usage_vm(stderr);
		return EXIT_USAGE;
	}
	cfg.argv = argv + optind;

	if (guest_run(&cfg, &res) < 0)
		return 125;
	status = guest_exit_status(&res, "bench vm");
	if (result && guest_write_result(&res, result) < 0) {
		fprintf(stderr, "bench vm: cannot write %s\n", result);
		if (!status)
			status = 1;
	}
	if (!quiet)
		fprintf(stderr, "bench vm: %s guest (%s, threads %s), command started %.1f s after boot began, %.1f s in all; logs in %s\n",
			guest_accel_name(res.accel),
			res.qemu[0] ? res.qemu : "QEMU version unknown",
			res.tcg_threads, res.boot_s, res.total_s, res.log_dir);
	return status;
}
