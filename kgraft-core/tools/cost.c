// SPDX-License-Identifier: GPL-2.0
/*
 * cost chain N: ns per pass through kgraft_target's chain, N passes run in
 * the kernel (KGRAFT_TARGET_IOC_BENCH). Prints "chain_ns X".
 * cost syscall N: ns per getppid(2) round trip, N calls.
 * Prints "syscall_ns X".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "../include/uapi/kgraft_target.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s chain|syscall count\n", argv[0]);
		return 2;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "chain")) {
		struct kgraft_target_bench b = { .loops = n };
		int fd = open(KGRAFT_TARGET_DEV, O_RDWR);

		if (fd < 0 || ioctl(fd, KGRAFT_TARGET_IOC_BENCH, &b)) {
			perror("cost chain");
			return 2;
		}
		printf("chain_ns %.1f\n", (double)b.ns / n);
		return 0;
	}
	if (!strcmp(argv[1], "syscall")) {
		double t0 = now_ns();

		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
		printf("syscall_ns %.1f\n", (now_ns() - t0) / n);
		return 0;
	}
	fprintf(stderr, "cost: unknown mode %s\n", argv[1]);
	return 2;
}
