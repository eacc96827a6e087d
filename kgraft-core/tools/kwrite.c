// SPDX-License-Identifier: GPL-2.0
/*
 * kwrite FILE VALUE: have kgraft_target.ko write VALUE to FILE from inside
 * kgraft_target_write_file() (KGRAFT_TARGET_IOC_WRITE); prints 0 if the
 * write succeeded, else the errno number, as sysw does.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "../include/uapi/kgraft_target.h"

int main(int argc, char **argv)
{
	struct kgraft_target_write w = { 0 };
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(w.path) ||
	    strlen(argv[2]) >= sizeof(w.value)) {
		fprintf(stderr, "usage: %s file value\n", argv[0]);
		return 2;
	}
	strcpy(w.path, argv[1]);
	strcpy(w.value, argv[2]);
	fd = open(KGRAFT_TARGET_DEV, O_RDWR);
	if (fd < 0 || ioctl(fd, KGRAFT_TARGET_IOC_WRITE, &w)) {
		perror("kwrite");
		return 2;
	}
	printf("%lld\n", w.result < 0 ? -(long long)w.result : 0LL);
	return 0;
}
