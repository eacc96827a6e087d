// SPDX-License-Identifier: GPL-2.0
/*
 * iowq N MSECS: make io_uring create N io-wq worker threads (N opens of
 * FIFOs for reading, forced to io-wq with IOSQE_ASYNC, each blocking its
 * worker until a writer comes; a pipe read would not block one, io-wq
 * polls pollable files instead), print
 * "workers N" and "tids T..." once they exist, keep them blocked for MSECS, then open the
 * FIFOs for writing, reap every completion and print "completed N".
 * io-wq workers come from create_io_thread(), which fires no
 * sched_process_fork: the kernel tests use them to check that kgraft knows
 * every task, not only forked ones.
 */
#include <dirent.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 256

/* Threads of this process whose name starts with iou-wrk; prints their
 * tids when @out is set. */
static int count_workers(FILE *out)
{
	char path[300], comm[32];
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir("/proc/self/task");

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "iou-wrk", 7)) {
			n++;
			if (out)
				fprintf(out, " %s", d->d_name);
		}
		fclose(f);
	}
	closedir(dir);
	return n;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	static char fifo[MAX_WORKERS][64];
	static int wfd[MAX_WORKERS];
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int n, ms, i, ret, seen = 0, tries;

	if (argc != 3 || (n = atoi(argv[1])) < 1 || n > MAX_WORKERS ||
	    (ms = atoi(argv[2])) < 0) {
		fprintf(stderr, "usage: %s workers(1-%d) msecs\n", argv[0],
			MAX_WORKERS);
		return 2;
	}
	ret = io_uring_queue_init(n, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "iowq: io_uring_queue_init: %s\n", strerror(-ret));
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		snprintf(fifo[i], sizeof(fifo[i]), "/tmp/iowq.%d.%d",
			 (int)getpid(), i);
		unlink(fifo[i]);
		if (mkfifo(fifo[i], 0600) || !sqe) {
			perror("iowq: mkfifo");
			return 1;
		}
		io_uring_prep_openat(sqe, AT_FDCWD, fifo[i], O_RDONLY, 0);
		/* Straight to io-wq: inline, the open would be non-blocking. */
		io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	}
	ret = io_uring_submit(&ring);
	if (ret != n) {
		fprintf(stderr, "iowq: submitted %d of %d\n", ret, n);
		return 1;
	}
	/* Workers are created as the requests are punted: wait for them. */
	for (tries = 0; tries < 500 && count_workers(NULL) < n; tries++)
		nap_ms(10);
	printf("workers %d\ntids", count_workers(NULL));
	count_workers(stdout);
	printf("\n");
	fflush(stdout);
	nap_ms(ms);
	/* A writer's open completes each reader's. */
	for (i = 0; i < n; i++)
		wfd[i] = open(fifo[i], O_WRONLY);
	for (i = 0; i < n; i++) {
		if (io_uring_wait_cqe(&ring, &cqe))
			break;
		if (cqe->res >= 0) {
			seen++;
			close(cqe->res);
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	for (i = 0; i < n; i++) {
		if (wfd[i] >= 0)
			close(wfd[i]);
		unlink(fifo[i]);
	}
	printf("completed %d\n", seen);
	io_uring_queue_exit(&ring);
	return seen == n ? 0 : 1;
}
