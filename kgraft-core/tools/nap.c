// SPDX-License-Identifier: GPL-2.0
/*
 * nap N: N threads asleep in the kernel (in pause(), outside any patched
 * function) until the process is killed. Prints "ready N" once all exist.
 * Small thread stacks so that 10000 fit in a small guest.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t t;
	long n, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s threads\n", argv[0]);
		return 2;
	}
	n = atol(argv[1]);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		if (pthread_create(&t, &attr, sleeper, NULL)) {
			fprintf(stderr, "nap: only %ld threads\n", i);
			return 1;
		}
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
