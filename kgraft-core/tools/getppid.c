// SPDX-License-Identifier: GPL-2.0
/*
 * getppid N: call getppid(2) N times (glibc does not cache it) and check
 * every answer against the parent pid read once at start.
 * Prints "calls N wrong W".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n, i, wrong = 0;
	pid_t ppid;

	if (argc != 2) {
		fprintf(stderr, "usage: %s count\n", argv[0]);
		return 2;
	}
	n = atol(argv[1]);
	ppid = syscall(SYS_getppid);
	for (i = 0; i < n; i++)
		if (syscall(SYS_getppid) != ppid)
			wrong++;
	printf("calls %ld wrong %ld\n", n, wrong);
	return wrong ? 1 : 0;
}
