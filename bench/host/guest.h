/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stock-kernel guest: boots Debian's kernel under QEMU with the host's
 * root file system shared read-only and runs one command in it as root.
 * One implementation, used by `bench vm`, `bench run` and the tests.
 */
#ifndef BENCH_GUEST_H
#define BENCH_GUEST_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "bench/host/console.h"

#define GUEST_MAX_SHARES 4

enum guest_accel {
	GUEST_ACCEL_AUTO,	/* KVM if a probe boot succeeds, else TCG */
	GUEST_ACCEL_TCG,
	GUEST_ACCEL_KVM,
};

struct guest_config {
	unsigned int cpus;
	unsigned int mem_mb;
	unsigned int timeout_s;		/* whole run, boot included */
	enum guest_accel accel;
	/*
	 * TCG with one host thread for all vCPUs: no parallelism. QEMU 7.2's
	 * multi-threaded TCG left vCPUs on stale code after the kernel
	 * patched text another vCPU ran (soft lockups); QEMU >= 8 (make deps
	 * installs it from backports) does not, so this is opt-in.
	 */
	bool tcg_single;
	const char *kernel;		/* NULL: the stock kernel in build/ */
	const char *initrd;		/* NULL: build/guest/initramfs.cpio.gz */
	const char *append;		/* extra kernel command line, or NULL */
	const char *shares[GUEST_MAX_SHARES];	/* writable, same path inside */
	unsigned int nr_shares;
	const char *log_dir;		/* NULL: a new dir under build/guest/runs */
	char *const *argv;		/* the command, run from the current dir */
	FILE *out;			/* the command's output goes here, or NULL */
	FILE *console;			/* echo the console here, or NULL */
};

struct guest_result {
	int status;			/* command's exit status, -1 if none */
	bool timed_out;
	int interrupted;		/* the signal that stopped us, or 0 */
	enum guest_accel accel;		/* what was used */
	char qemu[128];			/* "QEMU emulator version ..." */
	const char *tcg_threads;	/* "multi", "single" or "-" (KVM) */
	struct console_finding finding;	/* first kernel problem, if any */
	char finding_file[PATH_MAX];	/* log the finding was in */
	double boot_s;			/* start to the command's first output */
	double total_s;
	char log_dir[PATH_MAX];
	char console_log[PATH_MAX];
};

void guest_config_init(struct guest_config *cfg);

/* The accelerator a run with @cfg would use (probes KVM for "auto"). */
enum guest_accel guest_resolve_accel(const struct guest_config *cfg);

/*
 * Boot, run, collect. Returns 0 when the guest ran (look at @res for what
 * happened) or -1 with a message on stderr when it could not be started.
 */
int guest_run(const struct guest_config *cfg, struct guest_result *res);

/*
 * What a run amounts to as an exit status: the command's status when the
 * console is clean; 1 for a kernel problem after a clean exit; 124 when
 * killed at the timeout; 128 + the signal when interrupted; 125 when the
 * guest gave no status. Prints why.
 */
int guest_exit_status(const struct guest_result *res, const char *prog);

/* Write @res as "key value" lines (for scripts); returns 0 or -errno. */
int guest_write_result(const struct guest_result *res, const char *path);

/* Build directory: the one the running binary lives in. */
const char *guest_build_dir(void);

const char *guest_accel_name(enum guest_accel a);

/* The first line of `qemu-system-x86_64 --version`, or "" (cached). */
const char *guest_qemu_version(void);
int guest_accel_parse(const char *s, enum guest_accel *a);

#endif
