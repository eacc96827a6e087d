/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the bench commands. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Read up to @len - 1 bytes, NUL-terminated; returns bytes read or -errno. */
int read_small_file(const char *path, char *buf, size_t len);
/*
 * Write a file whole: atomic_open() opens a temporary beside @path,
 * atomic_close() renames it into place, or removes it when anything
 * failed, so no reader ever sees a half-written file. 0 or -errno.
 */
FILE *atomic_open(const char *path);
int atomic_close(FILE *f, const char *path);
/* Give up on an atomic_open(): the temporary goes, @path is untouched. */
void atomic_discard(FILE *f, const char *path);
/* Write @s and a newline to @path atomically. */
int write_small_file(const char *path, const char *s);
void strip_newline(char *s);
int mkdir_p(const char *path);
double now_s(void);
void sleep_ns(long ns);
/* A duration in a unit that keeps about three significant digits. */
const char *fmt_ns(char *buf, size_t len, uint64_t ns);
/* The same for a signed one (an excess over a baseline can be negative). */
const char *fmt_sns(char *buf, size_t len, int64_t ns);
/*
 * In a child about to exec: stdout and stderr onto @log_fd (closed then;
 * left alone when negative), stdin from /dev/null.
 */
void child_stdio(int log_fd);
/* Pin the calling process to @cpus (@n of them; nothing when 0). 0 or -errno. */
int pin_process(const int *cpus, unsigned int n);
/* Copy @src into @dst doubling commas, as QEMU option values want. */
void escape_commas(char *dst, size_t len, const char *src);
/*
 * Parse a whole decimal number in [min, max]. Returns 0, or -EINVAL for
 * anything that is not a number, -ERANGE outside the range.
 */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_uint(const char *s, unsigned int min, unsigned int max,
	       unsigned int *out);

#endif
