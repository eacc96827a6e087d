/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kv-client.h - the open-loop GET/SET client of the redis and memcached
 * workloads: each workload thread sends its requests on its own schedule
 * (rate_hz a thread) over its own connections, and records each reply's
 * latency from when the request was due (openloop.h).
 */
#ifndef BENCH_WORKLOAD_KV_CLIENT_H
#define BENCH_WORKLOAD_KV_CLIENT_H

#include <stdint.h>

#include "bench/workload/kv-server.h"
#include "bench/workload/workload.h"

/* The largest value a request carries (a connection buffers 256 KiB). */
#define KV_MAX_VALUE	(64 * 1024)

/* What one thread counted beside struct wl_thread's own counters. */
struct kv_counts {
	uint64_t gets, sets;
	uint64_t timeouts;		/* no reply within KV_TIMEOUT_NS */
	uint64_t unanswered;		/* still in flight when the run ended */
	uint64_t unsent;		/* fell due but never went out */
};

/* What the server itself counted, read once the threads stopped. */
struct kv_view {
	bool ok;			/* read; else error says why */
	uint64_t gets, sets;		/* requests it processed */
	bool have_latency;		/* redis: its own execution time */
	double p50_us, p99_us;		/* of GET */
	char error[96];
};

/* The shared state of a redis or memcached workload. */
struct kv_workload {
	const struct kv_flavour *fl;
	struct kv_server server;
	struct kv_counts *counts;	/* one per thread */
	struct kv_view view;
};

/* A server bench can drive: redis.c, memcached.c. */
struct kv_flavour {
	const char *prog;		/* on PATH */
	const char *package;		/* the Debian package that has it */
	const struct kv_proto *proto;
	const char *const *argv;	/* "%port" becomes the port */
	/* Read the server's own counts on @fd (a connection to it). */
	void (*view)(int fd, struct kv_view *v);
};

/* The workload_ops of a flavour (kv-workload.c). */
void kv_defaults(struct workload_opts *o);
int kv_prepare(struct workload *w, const struct kv_flavour *fl, char *err,
	       size_t len);
void kv_cleanup(struct workload *w);
void kv_destroy(struct workload *w);
void kv_report(const struct workload *w, FILE *f);
void kv_json(const struct workload *w, struct json *j);

/* One thread's client loop, until workload_done(). */
void kv_client_run(struct wl_thread *t);
/* SET every key once, so that GETs hit; 0 or -errno with @err. */
int kv_populate(struct kv_workload *kv, const struct workload_opts *o,
		char *err, size_t len);
/* The key of number @i. */
void kv_key(char *buf, size_t len, unsigned int i);
/* All threads' counts. */
void kv_total(const struct workload *w, struct kv_counts *sum);

#endif
