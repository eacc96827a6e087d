// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/run/patchctl.h"
#include "lib/util.h"

int patchctl_open(struct patchctl *p, const char *name)
{
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->dir, sizeof(p->dir), KGRAFT_SYSFS "/%s", name);
	return access(p->dir, F_OK) ? -ENOENT : 0;
}

int patchctl_write(const struct patchctl *p, const char *file,
		   const char *val)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", p->dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

int patchctl_read(const struct patchctl *p, const char *file, char *buf,
		  size_t len)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", p->dir, file);
	return read_small_file(path, buf, len);
}

int patchctl_read_long(const struct patchctl *p, const char *file, long *v)
{
	char buf[64], *end;
	int n = patchctl_read(p, file, buf, sizeof(buf));

	if (n < 0)
		return n;
	*v = strtol(buf, &end, 10);
	return end == buf ? -EINVAL : 0;
}

int patchctl_wait_settled(const struct patchctl *p, uint64_t timeout_ns)
{
	char path[PATH_MAX + 64], buf[16];
	double deadline = now_s() + timeout_ns / 1e9;
	int fd;

	snprintf(path, sizeof(path), "%s/transition", p->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI | POLLERR };
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		buf[n] = '\0';
		if (atoi(buf) == 0)
			break;
		if (now_s() > deadline) {
			close(fd);
			return -ETIMEDOUT;
		}
		poll(&pfd, 1, 20);
	}
	close(fd);
	return 0;
}

int patch_stats_parse(FILE *f, struct patch_stat *st, size_t max)
{
	char line[256];
	size_t n = 0;

	/* Line by line, so that one odd line does not end the parsing. */
	while (n < max && fgets(line, sizeof(line), f))
		if (sscanf(line, "%47s %lld", st[n].key, &st[n].val) == 2)
			n++;
	return (int)n;
}

int patchctl_stats(const struct patchctl *p, struct patch_stat *st,
		   size_t max)
{
	return patchctl_pairs(p, "stats", st, max);
}

int patchctl_pairs(const struct patchctl *p, const char *file,
		   struct patch_stat *st, size_t max)
{
	char path[PATH_MAX + 64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/%s", p->dir, file);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = patch_stats_parse(f, st, max);
	fclose(f);
	return n;
}

long long patch_stat_get(const struct patch_stat *st, int n, const char *key,
			 long long def)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(st[i].key, key))
			return st[i].val;
	return def;
}
