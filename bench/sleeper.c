// SPDX-License-Identifier: GPL-2.0
/*
 * bench-sleeper PPID: one task of bench's population asleep in user space
 * (pause()) until killed. bench starts it with posix_spawn() rather than
 * fork(): a forked sleeper copies bench's page tables (88 KiB each with
 * bench's buffers, 0.9 GiB for 10000 tasks), this small static program
 * costs a few pages. It never outlives bench: PPID is bench's, checked
 * after asking for SIGKILL on the parent's exit.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t parent = argc == 2 ? (pid_t)atoi(argv[1]) : 0;

	if (parent <= 0)
		return 2;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return 1;
	for (;;)
		pause();
}
