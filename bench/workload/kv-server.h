/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kv-server.h - a key-value server that bench starts, pins to the workload
 * CPUs, waits for, talks to and stops: redis-server or memcached from
 * Debian, on a free loopback TCP port. The server dies with bench
 * (PR_SET_PDEATHSIG), so no run leaves one behind.
 */
#ifndef BENCH_WORKLOAD_KV_SERVER_H
#define BENCH_WORKLOAD_KV_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench/workload/kv-proto.h"

struct kv_server {
	const char *prog;		/* found on PATH */
	const struct kv_proto *proto;
	pid_t pid;			/* 0: not running */
	int port;
	int status;			/* wait status once it exited */
	bool exited;
	bool ready;			/* answered once: its log can go */
	char log[96];			/* its stdout and stderr */
};

/*
 * Start @argv (argv[0] is the program; "%port" in an argument becomes the
 * port) on @cpus, and wait until it answers a GET. 0, or -errno with the
 * reason (and the end of the server's log) in @err.
 */
int kv_server_start(struct kv_server *s, const struct kv_proto *proto,
		    const char *const argv[], const int *cpus,
		    unsigned int nr_cpus, char *err, size_t len);
/* True once the server has exited (reaped; s->status says how). */
bool kv_server_exited(struct kv_server *s);
/* "exited with status 1" or "killed by signal 9", for messages. */
const char *kv_server_how(const struct kv_server *s, char *buf, size_t len);
/* SIGTERM, then SIGKILL after 5 s; reaps it. */
void kv_server_stop(struct kv_server *s);

/* A blocking TCP connection to the server, Nagle off; fd or -errno. */
int kv_connect(int port);
/*
 * Send @len bytes of requests on a blocking @fd and read until @nr replies
 * came back; how many were errors in @errors. 0 or -errno.
 */
int kv_roundtrip(int fd, const struct kv_proto *proto, const char *buf,
		 size_t len, unsigned int nr, unsigned int *errors);
/*
 * Send @cmd (a whole request) and read its reply into @out (NUL-ended)
 * until @done says it is whole; its length or -errno.
 */
ssize_t kv_ask(int fd, const char *cmd, char *out, size_t len,
	       bool (*done)(const char *buf, size_t len));

#endif
