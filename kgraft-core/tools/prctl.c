// SPDX-License-Identifier: GPL-2.0
/*
 * prctl: the test of a patch built from a fix to prctl(2) (the patch
 * builder's, tests/patches/prctl-answer.diff).
 *   prctl count OPTION N   call prctl(OPTION, 0, 0, 0, 0) N times; print
 *                          "<result> <times>" per distinct result, where a
 *                          result is the return value or -errno
 *   prctl name NAME        PR_SET_NAME then PR_GET_NAME; print what it reads
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#define MAX_RESULTS 16

int main(int argc, char **argv)
{
	long seen[MAX_RESULTS], times[MAX_RESULTS], n, i;
	int nseen = 0, j;
	char name[17] = "";

	if (argc == 3 && !strcmp(argv[1], "name")) {
		if (prctl(PR_SET_NAME, argv[2], 0, 0, 0) ||
		    prctl(PR_GET_NAME, name, 0, 0, 0)) {
			perror("prctl");
			return 1;
		}
		printf("%s\n", name);
		return 0;
	}
	if (argc != 4 || strcmp(argv[1], "count")) {
		fprintf(stderr, "usage: %s count OPTION N | name NAME\n", argv[0]);
		return 2;
	}
	n = atol(argv[3]);
	for (i = 0; i < n; i++) {
		long r = prctl((int)strtol(argv[2], NULL, 0), 0, 0, 0, 0);

		if (r < 0)
			r = -errno;
		for (j = 0; j < nseen && seen[j] != r; j++)
			;
		if (j == nseen && nseen < MAX_RESULTS) {
			seen[nseen] = r;
			times[nseen++] = 0;
		}
		if (j < nseen)
			times[j]++;
	}
	for (j = 0; j < nseen; j++)
		printf("%ld %ld\n", seen[j], times[j]);
	return 0;
}
