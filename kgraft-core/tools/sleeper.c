// SPDX-License-Identifier: GPL-2.0
/*
 * sleeper MSECS: one call of the kgraft_target chain that sleeps MSECS
 * inside its first function. Prints "versions a b c d mixed m".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "../include/uapi/kgraft_target.h"

int main(int argc, char **argv)
{
	struct kgraft_target_sleep s = { 0 };
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s msecs\n", argv[0]);
		return 2;
	}
	s.msecs = atoi(argv[1]);
	fd = open(KGRAFT_TARGET_DEV, O_RDWR);
	if (fd < 0 || ioctl(fd, KGRAFT_TARGET_IOC_SLEEP, &s)) {
		perror("sleeper");
		return 2;
	}
	printf("versions %u %u %u %u mixed %u\n", s.call.versions[0],
	       s.call.versions[1], s.call.versions[2], s.call.versions[3],
	       s.call.mixed);
	return 0;
}
