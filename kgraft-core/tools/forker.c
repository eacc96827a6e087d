// SPDX-License-Identifier: GPL-2.0
/*
 * forker N: create N short-lived processes, each exiting at once, and reap
 * them. vfork() because a full fork costs ~10 ms under QEMU TCG; the child
 * is a new process all the same (own pid, sched_process_fork/free fire).
 * Prints "forked N".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child only calls _exit(), as vfork() requires. */
static pid_t spawn(void)
{
	pid_t pid = vfork();

	if (!pid)
		_exit(0);
	return pid;
}

int main(int argc, char **argv)
{
	long n, i, done = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s count\n", argv[0]);
		return 2;
	}
	n = atol(argv[1]);
	for (i = 0; i < n; i++) {
		pid_t pid = spawn();

		if (pid < 0) {
			perror("vfork");
			break;
		}
		if (waitpid(pid, NULL, 0) == pid)
			done++;
	}
	printf("forked %ld\n", done);
	return done == n ? 0 : 1;
}
