// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"

int read_small_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (!len)
		return -EINVAL;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

static void tmp_name(char *tmp, size_t len, const char *path)
{
	snprintf(tmp, len, "%s.tmp%d", path, (int)getpid());
}

FILE *atomic_open(const char *path)
{
	char tmp[PATH_MAX];

	tmp_name(tmp, sizeof(tmp), path);
	return fopen(tmp, "w");
}

int atomic_close(FILE *f, const char *path)
{
	char tmp[PATH_MAX];
	int err = ferror(f) ? -EIO : 0;

	if (fclose(f) && !err)
		err = -errno;
	tmp_name(tmp, sizeof(tmp), path);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

void atomic_discard(FILE *f, const char *path)
{
	char tmp[PATH_MAX];

	fclose(f);
	tmp_name(tmp, sizeof(tmp), path);
	unlink(tmp);
}

int write_small_file(const char *path, const char *s)
{
	FILE *f = atomic_open(path);

	if (!f)
		return -errno;
	fprintf(f, "%s\n", s);
	return atomic_close(f, path);
}

void strip_newline(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sleep_ns(long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

const char *fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 10000)
		snprintf(buf, len, "%.2fus", ns / 1e3);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000ULL)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

const char *fmt_sns(char *buf, size_t len, int64_t ns)
{
	if (ns >= 0)
		return fmt_ns(buf, len, (uint64_t)ns);
	if (len > 1) {
		buf[0] = '-';
		fmt_ns(buf + 1, len - 1, (uint64_t)0 - (uint64_t)ns);
	}
	return buf;
}

void escape_commas(char *dst, size_t len, const char *src)
{
	size_t o = 0;

	for (; *src; src++) {
		size_t need = *src == ',' ? 2 : 1;

		if (o + need >= len)
			break;
		if (*src == ',')
			dst[o++] = ',';
		dst[o++] = *src;
	}
	dst[o] = '\0';
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_uint(const char *s, unsigned int min, unsigned int max,
	       unsigned int *out)
{
	uint64_t v;
	int err = parse_u64(s, min, max, &v);

	if (!err)
		*out = (unsigned int)v;
	return err;
}

void child_stdio(int log_fd)
{
	int fd;

	if (log_fd >= 0) {
		dup2(log_fd, 1);
		dup2(log_fd, 2);
		if (log_fd > 2)
			close(log_fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		if (fd > 0)
			close(fd);
	}
}

int pin_process(const int *cpus, unsigned int n)
{
	cpu_set_t set;
	unsigned int i;

	if (!n)
		return 0;
	CPU_ZERO(&set);
	for (i = 0; i < n; i++)
		CPU_SET(cpus[i], &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}
