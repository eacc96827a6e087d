// SPDX-License-Identifier: GPL-2.0
/*
 * hammer: threads calling the kgraft_target chain as fast as they can and
 * checking every call. Prints one line:
 *   calls N mixed M all_v1 A all_v2 B other O
 * Usage: hammer [-t threads] [-n calls_per_thread | -f stop_file] [-e 1|2]
 * With -f it runs until stop_file exists; with -e it exits 1 unless every
 * call saw the whole chain at that version. Exits 1 if any call was mixed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "../include/uapi/kgraft_target.h"

static int fd;
static long per_thread;
static const char *stop_file;
static atomic_int stop;
static atomic_long calls, mixed, all_v1, all_v2, other;

static void *worker(void *arg)
{
	long n = 0, m = 0, v1 = 0, v2 = 0, o = 0;
	struct kgraft_target_call c;
	int i;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed) &&
	       (!per_thread || n < per_thread)) {
		if (ioctl(fd, KGRAFT_TARGET_IOC_CALL, &c)) {
			perror("ioctl");
			exit(2);
		}
		n++;
		for (i = 1; i < KGRAFT_TARGET_CHAIN_LEN; i++)
			if (c.versions[i] != c.versions[0])
				break;
		if (c.mixed || i < KGRAFT_TARGET_CHAIN_LEN)
			m++;
		else if (c.versions[0] == 1)
			v1++;
		else if (c.versions[0] == 2)
			v2++;
		else
			o++;
	}
	calls += n;
	mixed += m;
	all_v1 += v1;
	all_v2 += v2;
	other += o;
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 2, expect = 0, opt, i;
	pthread_t *tids;

	while ((opt = getopt(argc, argv, "t:n:f:e:")) != -1) {
		switch (opt) {
		case 't':
			threads = atoi(optarg);
			break;
		case 'n':
			per_thread = atol(optarg);
			break;
		case 'f':
			stop_file = optarg;
			break;
		case 'e':
			expect = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-t threads] [-n calls] [-f stop_file] [-e version]\n",
				argv[0]);
			return 2;
		}
	}
	if (threads < 1 || (!per_thread && !stop_file)) {
		fprintf(stderr, "hammer: need -n or -f, and -t >= 1\n");
		return 2;
	}
	fd = open(KGRAFT_TARGET_DEV, O_RDWR);
	if (fd < 0) {
		perror(KGRAFT_TARGET_DEV);
		return 2;
	}
	tids = calloc(threads, sizeof(*tids));
	for (i = 0; i < threads; i++)
		pthread_create(&tids[i], NULL, worker, NULL);
	if (stop_file) {
		while (access(stop_file, F_OK))
			usleep(20000);
		atomic_store(&stop, 1);
	}
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	printf("calls %ld mixed %ld all_v1 %ld all_v2 %ld other %ld\n",
	       (long)calls, (long)mixed, (long)all_v1, (long)all_v2,
	       (long)other);
	if (mixed)
		return 1;
	if (expect == 1 && all_v1 != calls)
		return 1;
	if (expect == 2 && all_v2 != calls)
		return 1;
	return 0;
}
