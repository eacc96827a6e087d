// SPDX-License-Identifier: GPL-2.0
/*
 * sweep-exec.c - run the sweep's cells as child processes, @jobs at a
 * time. Each child is a whole `bench run` or `bench compare` with its own
 * guest, its output in <tree>/logs/<cell>.log. A cell's outcome is what its
 * status.json says, not the child's exit status alone: only "complete"
 * counts, so an interrupted cell is run again by the next sweep.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/host/sweep.h"
#include "lib/util.h"

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* An unfinished cell's directory goes: bench run wants a fresh one. */
static int clear_cell(const char *dir)
{
	if (access(dir, F_OK))
		return 0;
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) ? -errno : 0;
}

static const char *fmt_secs(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t % 3600 / 60);
	else if (t >= 60)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%lds", t);
	return buf;
}

static int start(struct sweep *sw, struct sweep_cell *c, FILE *progress)
{
	char dir[8192], log[8192], buf[8192], *argv[64];
	pid_t pid;
	int fd;

	snprintf(dir, sizeof(dir), "%s/%s", sw->out, c->path);
	if (clear_cell(dir)) {
		snprintf(c->reason, sizeof(c->reason), "cannot clear %s: %s",
			 dir, strerror(errno));
		c->state = SWEEP_INCOMPLETE;
		return -EIO;
	}
	snprintf(log, sizeof(log), "%s/logs", sw->out);
	if (mkdir_p(log) < 0)
		return -errno;
	snprintf(log, sizeof(log), "%s/logs/%s.log", sw->out, c->path);
	sweep_argv(sw, c, argv, sizeof(argv) / sizeof(argv[0]), buf,
		   sizeof(buf));
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(127);
		child_stdio(fd);
		execv(argv[0], argv);
		fprintf(stderr, "bench sweep: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	c->pid = pid;
	c->state = SWEEP_RUNNING;
	c->started = now_s();
	c->reason[0] = '\0';
	fprintf(progress, "bench sweep: started %s (log %s)\n", c->path, log);
	return 0;
}

static void finish(struct sweep *sw, struct sweep_cell *c, int status)
{
	char dir[8192], st[32];

	c->pid = -1;
	c->seconds = now_s() - c->started;
	c->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) :
			 128 + WTERMSIG(status);
	snprintf(dir, sizeof(dir), "%s/%s", sw->out, c->path);
	sweep_read_status(dir, st, sizeof(st), c->reason, sizeof(c->reason));
	if (!strcmp(st, "complete")) {
		c->state = SWEEP_COMPLETE;
		return;
	}
	c->state = SWEEP_INCOMPLETE;
	if (!c->reason[0])
		snprintf(c->reason, sizeof(c->reason),
			 "exit status %d, status %s; see logs/%s.log",
			 c->exit_status, st[0] ? st : "missing", c->path);
}

static void report_progress(const struct sweep *sw, const struct sweep_cell *c,
			    FILE *progress)
{
	size_t i, done = 0, todo = 0, running = 0, ran = 0;
	double total = 0;
	char a[32], b[32];

	for (i = 0; i < sw->ncells; i++) {
		const struct sweep_cell *x = &sw->cells[i];

		switch (x->state) {
		case SWEEP_PENDING:
			todo++;
			break;
		case SWEEP_RUNNING:
			running++;
			break;
		case SWEEP_COMPLETE:
		case SWEEP_INCOMPLETE:
			ran++;
			total += x->seconds;
			done++;
			break;
		case SWEEP_SKIPPED:
			done++;
			break;
		}
	}
	fprintf(progress, "bench sweep: [%zu/%zu] %s %s in %s; %zu running, %zu waiting",
		done, sw->ncells, c->path, sweep_state_names[c->state],
		fmt_secs(c->seconds, a, sizeof(a)), running, todo);
	/* The estimate comes from the cells of this sweep that ran. */
	if (ran && todo + running)
		fprintf(progress, ", about %s left",
			fmt_secs(sweep_eta(total / ran, todo + running,
					   sw->jobs), b, sizeof(b)));
	fputc('\n', progress);
	if (c->state == SWEEP_INCOMPLETE)
		fprintf(progress, "bench sweep: %s: %s\n", c->path, c->reason);
}

/* The cell of child @pid is over; 1 when it was one of ours. */
static unsigned int reap(struct sweep *sw, pid_t pid, int status,
			 FILE *progress)
{
	size_t i;

	for (i = 0; i < sw->ncells; i++) {
		if (sw->cells[i].pid != pid)
			continue;
		finish(sw, &sw->cells[i], status);
		report_progress(sw, &sw->cells[i], progress);
		return 1;
	}
	return 0;
}

/*
 * Two sweeps on one tree would clear each other's cells: the lock
 * lives as long as this process, so a killed sweep leaves none.
 */
static int lock_tree(const struct sweep *sw, FILE *progress)
{
	char path[8192];
	int lock;

	snprintf(path, sizeof(path), "%s/.sweep.lock", sw->out);
	lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0)
		return -errno;
	if (flock(lock, LOCK_EX | LOCK_NB)) {
		fprintf(progress, "bench sweep: another sweep is running on %s\n",
			sw->out);
		close(lock);
		return -EBUSY;
	}
	return lock;
}

/* Cells complete already are not rerun; the index starts from them. */
static void skip_complete(struct sweep *sw, FILE *progress)
{
	char dir[8192], st[32], reason[256];
	size_t i, skipped = 0;

	for (i = 0; i < sw->ncells; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", sw->out, sw->cells[i].path);
		sweep_read_status(dir, st, sizeof(st), reason, sizeof(reason));
		if (!strcmp(st, "complete")) {
			sw->cells[i].state = SWEEP_SKIPPED;
			skipped++;
		}
	}
	/* What the skipped cells took, from the last index; others rerun. */
	if (sweep_read_index(sw))
		fprintf(progress, "bench sweep: %s/index.json unreadable: writing a new one\n",
			sw->out);
	for (i = 0; i < sw->ncells; i++) {
		if (sw->cells[i].state == SWEEP_SKIPPED)
			continue;
		sw->cells[i].exit_status = -1;
		sw->cells[i].seconds = 0;
	}
	if (skipped)
		fprintf(progress, "bench sweep: %zu of %zu cells complete already, not rerun\n",
			skipped, sw->ncells);
	sweep_write_index(sw);
}

/* The pending cells, @jobs at a time, until all ran or one cannot start. */
static int run_cells(struct sweep *sw, FILE *progress)
{
	unsigned int running = 0;
	size_t next = 0;
	int ret = 0;

	for (;;) {
		int status;
		pid_t pid;

		while (running < sw->jobs && next < sw->ncells) {
			struct sweep_cell *c = &sw->cells[next++];

			if (c->state != SWEEP_PENDING)
				continue;
			ret = start(sw, c, progress);
			if (ret)
				break;
			running++;
		}
		sweep_write_index(sw);
		if (ret || !running)
			break;
		pid = wait(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		running -= reap(sw, pid, status, progress);
	}
	/* On an error, the children already started still finish. */
	while (running) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		running -= reap(sw, pid, status, progress);
	}
	return ret;
}

int sweep_run(struct sweep *sw, FILE *progress)
{
	size_t i, bad = 0;
	int lock, ret;

	if (mkdir_p(sw->out) < 0)
		return -errno;
	lock = lock_tree(sw, progress);
	if (lock < 0)
		return lock;
	skip_complete(sw, progress);
	ret = run_cells(sw, progress);
	for (i = 0; i < sw->ncells; i++)
		bad += sw->cells[i].state != SWEEP_COMPLETE &&
		       sw->cells[i].state != SWEEP_SKIPPED;
	sweep_write_index(sw);
	close(lock);
	if (ret)
		return ret;
	fprintf(progress, "bench sweep: %zu of %zu cells complete; index in %s/index.json\n",
		sw->ncells - bad, sw->ncells, sw->out);
	return bad ? 1 : 0;
}
