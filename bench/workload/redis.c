// SPDX-License-Identifier: GPL-2.0
/*
 * redis.c - the redis workload: Debian's redis-server, without persistence,
 * driven by the open-loop client over RESP. Its own view after the run:
 * INFO commandstats (calls per command) and INFO latencystats (Redis 7:
 * percentiles of each command's execution time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/workload/kv-client.h"

static const char *const redis_argv[] = {
	"redis-server", "--port", "%port", "--bind", "127.0.0.1",
	"--save", "", "--appendonly", "no", "--protected-mode", "no",
	"--daemonize", "no", "--dir", "/tmp", "--loglevel", "warning",
	NULL,
};

static bool resp_whole(const char *buf, size_t len)
{
	size_t used;

	return kv_resp.parse(buf, len, &used) != KV_REPLY_MORE;
}

/* A number after "@key" in @info ("cmdstat_get:calls=" 12), or @def. */
static double field(const char *info, const char *key, double def)
{
	const char *p = strstr(info, key);

	return p ? strtod(p + strlen(key), NULL) : def;
}

static void redis_view(int fd, struct kv_view *v)
{
	static const char stats[] =
		"*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n";
	static const char lat[] = "*2\r\n$4\r\nINFO\r\n$12\r\nlatencystats\r\n";
	char *buf = malloc(65536), *line;
	ssize_t n;

	if (!buf)
		return;
	n = kv_ask(fd, stats, buf, 65536, resp_whole);
	if (n < 0) {
		snprintf(v->error, sizeof(v->error), "INFO commandstats: %s",
			 strerror(-n));
		goto out;
	}
	v->gets = field(buf, "cmdstat_get:calls=", 0);
	v->sets = field(buf, "cmdstat_set:calls=", 0);
	v->ok = true;
	n = kv_ask(fd, lat, buf, 65536, resp_whole);
	line = n > 0 ? strstr(buf, "latency_percentiles_usec_get:") : NULL;
	if (line) {
		/* This line only: the commands come in no fixed order. */
		line[strcspn(line, "\r\n")] = '\0';
		v->p50_us = field(line, "p50=", 0);
		v->p99_us = field(line, ",p99=", 0);
		v->have_latency = true;
	}
out:
	free(buf);
}

static const struct kv_flavour redis = {
	.prog = "redis-server",
	.package = "redis-server",
	.proto = &kv_resp,
	.argv = redis_argv,
	.view = redis_view,
};

static int redis_prepare(struct workload *w, char *err, size_t len)
{
	return kv_prepare(w, &redis, err, len);
}

const struct workload_ops workload_redis = {
	.name = "redis",
	.summary = "redis-server driven open-loop with GET/SET at a fixed rate",
	.requests = true,
	.defaults = kv_defaults,
	.prepare = redis_prepare,
	.run = kv_client_run,
	.cleanup = kv_cleanup,
	.destroy = kv_destroy,
	.report = kv_report,
	.json = kv_json,
};
