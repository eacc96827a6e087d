// SPDX-License-Identifier: GPL-2.0
/*
 * sysw FILE VALUE: one write(2) of VALUE (as given, no newline) to FILE;
 * prints 0 if it succeeded, else the errno number.
 * sysw -d MODULE: delete_module(2) of MODULE; prints 0 or the errno.
 * sysw -i KO PARAMS: finit_module(2) of the file KO; prints 0 or the errno.
 * (A shell's echo cannot report the errno; perl starts too slowly under
 * emulation.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc == 4 && !strcmp(argv[1], "-i")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0 || syscall(SYS_finit_module, fd, argv[3], 0))
			printf("%d\n", errno);
		else
			printf("0\n");
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE VALUE | -d MODULE | -i KO PARAMS\n",
			argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "-d")) {
		if (syscall(SYS_delete_module, argv[2], O_NONBLOCK))
			printf("%d\n", errno);
		else
			printf("0\n");
		return 0;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0 || write(fd, argv[2], strlen(argv[2])) < 0)
		printf("%d\n", errno);
	else
		printf("0\n");
	return 0;
}
