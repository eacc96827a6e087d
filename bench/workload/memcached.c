// SPDX-License-Identifier: GPL-2.0
/*
 * memcached.c - the memcached workload: Debian's memcached on TCP only,
 * driven by the open-loop client over the text protocol. Its own view
 * after the run: "stats" (cmd_get, cmd_set); memcached keeps no latency.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/workload/kv-client.h"

/* -u root: memcached refuses to run as root without it (the guest's
 * commands run as root); elsewhere it is ignored. */
static const char *const memcached_argv[] = {
	"memcached", "-p", "%port", "-l", "127.0.0.1", "-U", "0",
	"-m", "64", "-t", "2", "-u", "root", NULL,
};

static bool stats_whole(const char *buf, size_t len)
{
	return len >= 5 && !memcmp(buf + len - 5, "END\r\n", 5);
}

static uint64_t stat(const char *buf, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "STAT %s ", name);
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void memcached_view(int fd, struct kv_view *v)
{
	char *buf = malloc(65536);
	ssize_t n;

	if (!buf)
		return;
	n = kv_ask(fd, "stats\r\n", buf, 65536, stats_whole);
	if (n < 0) {
		snprintf(v->error, sizeof(v->error), "stats: %s",
			 strerror(-n));
	} else {
		v->gets = stat(buf, "cmd_get");
		v->sets = stat(buf, "cmd_set");
		v->ok = true;
	}
	free(buf);
}

static const struct kv_flavour memcached = {
	.prog = "memcached",
	.package = "memcached",
	.proto = &kv_memcache,
	.argv = memcached_argv,
	.view = memcached_view,
};

static int memcached_prepare(struct workload *w, char *err, size_t len)
{
	return kv_prepare(w, &memcached, err, len);
}

const struct workload_ops workload_memcached = {
	.name = "memcached",
	.summary = "memcached driven open-loop with GET/SET at a fixed rate",
	.requests = true,
	.defaults = kv_defaults,
	.prepare = memcached_prepare,
	.run = kv_client_run,
	.cleanup = kv_cleanup,
	.destroy = kv_destroy,
	.report = kv_report,
	.json = kv_json,
};
