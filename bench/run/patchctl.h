/* SPDX-License-Identifier: GPL-2.0 */
/* Driving a patch through /sys/kernel/kgraft/<patch>/ as a user would. */
#ifndef BENCH_PATCHCTL_H
#define BENCH_PATCHCTL_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#define KGRAFT_SYSFS "/sys/kernel/kgraft"
#define KGRAFT_STACKS KGRAFT_SYSFS "/stacks"

struct patchctl {
	char name[64];
	char dir[PATH_MAX];
};

/* 0 when /sys/kernel/kgraft/<name> exists, else -ENOENT. */
int patchctl_open(struct patchctl *p, const char *name);
/* Write @val to one file of the patch; 0 or -errno from the write. */
int patchctl_write(const struct patchctl *p, const char *file,
		   const char *val);
int patchctl_read(const struct patchctl *p, const char *file, char *buf,
		  size_t len);
int patchctl_read_long(const struct patchctl *p, const char *file, long *v);
/*
 * Wait until the transition file reads 0, at most @timeout_ns. Sleeps in
 * poll() (the core notifies the file) with a 20 ms fallback, so the waiting
 * costs the workload's CPUs nothing. 0, -ETIMEDOUT or -errno.
 */
int patchctl_wait_settled(const struct patchctl *p, uint64_t timeout_ns);
struct patch_stat {
	char key[48];
	long long val;
};

/* "name value" lines from @f (lines that are not are skipped); how many. */
int patch_stats_parse(FILE *f, struct patch_stat *st, size_t max);
/* The stats file ("name value" lines); returns how many, or -errno. */
int patchctl_stats(const struct patchctl *p, struct patch_stat *st,
		   size_t max);
/* The same from another file of such lines (progress). */
int patchctl_pairs(const struct patchctl *p, const char *file,
		   struct patch_stat *st, size_t max);
/* One stat by name, or @def when absent. */
long long patch_stat_get(const struct patch_stat *st, int n, const char *key,
			 long long def);

#endif
