// SPDX-License-Identifier: GPL-2.0
/*
 * hammer: threads calling the kgraft_target chain as fast as they can and
 * checking every call. Prints one line:
 *   calls N mixed M all_v1 A all_v2 B other O
 * and with -p a second line counting each chain seen, by its versions:
 *   chains 1111 N 2222 M 3331 K
 * A chain is mixed when the target says so: links of different versions,
 * unless its chains parameter lists them as a consistent state.
 * Usage: hammer [-t threads] [-n calls_per_thread | -f stop_file] [-e 1|2] [-p]
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

/* Chains seen, by their versions packed a digit per link (-p). */
#define MAX_CHAINS 64
static pthread_mutex_t chains_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int chain_key[MAX_CHAINS];
static long chain_count[MAX_CHAINS];
static int nr_chains;

static unsigned int chain_pack(const struct kgraft_target_call *c)
{
	unsigned int key = 0;
	int i;

	for (i = 0; i < KGRAFT_TARGET_CHAIN_LEN; i++)
		key = key * 10 + (c->versions[i] < 10 ? c->versions[i] : 9);
	return key;
}

static void chains_add(const unsigned int *key, const long *count, int n)
{
	int i, j;

	pthread_mutex_lock(&chains_lock);
	for (i = 0; i < n; i++) {
		for (j = 0; j < nr_chains && chain_key[j] != key[i]; j++)
			;
		if (j == nr_chains) {
			if (nr_chains == MAX_CHAINS)
				continue;
			chain_key[nr_chains++] = key[i];
		}
		chain_count[j] += count[i];
	}
	pthread_mutex_unlock(&chains_lock);
}

static void *worker(void *arg)
{
	long n = 0, m = 0, v1 = 0, v2 = 0, o = 0;
	unsigned int key[MAX_CHAINS], k;
	long count[MAX_CHAINS] = { 0 };
	struct kgraft_target_call c;
	int i, nk = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed) &&
	       (!per_thread || n < per_thread)) {
		if (ioctl(fd, KGRAFT_TARGET_IOC_CALL, &c)) {
			perror("ioctl");
			exit(2);
		}
		n++;
		k = chain_pack(&c);
		for (i = 0; i < nk && key[i] != k; i++)
			;
		if (i == nk && nk < MAX_CHAINS)
			key[nk++] = k;
		if (i < nk)
			count[i]++;
		for (i = 1; i < KGRAFT_TARGET_CHAIN_LEN; i++)
			if (c.versions[i] != c.versions[0])
				break;
		if (c.mixed)
			m++;
		else if (i < KGRAFT_TARGET_CHAIN_LEN)
			o++;	/* a consistent chain of several versions */
		else if (c.versions[0] == 1)
			v1++;
		else if (c.versions[0] == 2)
			v2++;
		else
			o++;
	}
	chains_add(key, count, nk);
	calls += n;
	mixed += m;
	all_v1 += v1;
	all_v2 += v2;
	other += o;
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 2, expect = 0, print_chains = 0, opt, i;
	pthread_t *tids;

	while ((opt = getopt(argc, argv, "t:n:f:e:p")) != -1) {
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
		case 'p':
			print_chains = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-t threads] [-n calls] [-f stop_file] [-e version] [-p]\n",
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
	if (print_chains) {
		printf("chains");
		for (i = 0; i < nr_chains; i++)
			printf(" %04u %ld", chain_key[i], chain_count[i]);
		printf("\n");
	}
	if (mixed)
		return 1;
	if (expect == 1 && all_v1 != calls)
		return 1;
	if (expect == 2 && all_v2 != calls)
		return 1;
	return 0;
}
