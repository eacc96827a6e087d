// SPDX-License-Identifier: GPL-2.0
/*
 * kv-workload.c - what the redis and memcached workloads share: start the
 * server on the workload CPUs, store the key space, run the open-loop
 * client in every thread (kv-client.c), then read the server's own counts
 * and stop it. The counts are the cross-check: every request bench sent
 * must have been processed, no more (bench's own probes aside).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/workload/kv-client.h"

void kv_defaults(struct workload_opts *o)
{
	o->rate_hz = 2000;
	o->conns = 4;
	o->set_pct = 10;
	o->value_size = 64;
	o->keys = 10000;
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
		if (!access(buf, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static int check_opts(const struct workload_opts *o, char *err, size_t len)
{
	if (!o->rate_hz) {
		snprintf(err, len, "an open-loop client needs a rate (--rate)");
		return -EINVAL;
	}
	/* A connection's buffers hold many requests of KV_MAX_VALUE. */
	if (!o->conns || o->conns > 1024 || !o->keys ||
	    o->set_pct > 100 || o->value_size > KV_MAX_VALUE) {
		snprintf(err, len, "connections 1-1024, keys >= 1, set percentage 0-100 and value size up to %u bytes",
			 KV_MAX_VALUE);
		return -EINVAL;
	}
	return 0;
}

int kv_prepare(struct workload *w, const struct kv_flavour *fl, char *err,
	       size_t len)
{
	const struct workload_opts *o = &w->opts;
	struct kv_workload *kv;
	int e = check_opts(o, err, len);

	if (e)
		return e;
	if (!on_path(fl->prog)) {
		snprintf(err, len, "%s not found (Debian package %s: make deps installs it)",
			 fl->prog, fl->package);
		return -ENOENT;
	}
	kv = calloc(1, sizeof(*kv));
	if (!kv || !(kv->counts = calloc(o->threads, sizeof(*kv->counts)))) {
		free(kv);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	kv->fl = fl;
	w->priv = kv;
	e = kv_server_start(&kv->server, fl->proto, fl->argv, o->cpus,
			    o->nr_cpus, err, len);
	if (!e)
		e = kv_populate(kv, o, err, len);
	if (e)
		kv_cleanup(w);
	return e;
}

void kv_cleanup(struct workload *w)
{
	struct kv_workload *kv = w->priv;
	int fd;

	if (!kv || !kv->server.pid)
		return;
	if (!kv_server_exited(&kv->server)) {
		fd = kv_connect(kv->server.port);
		if (fd >= 0) {
			kv->fl->view(fd, &kv->view);
			close(fd);
		} else {
			snprintf(kv->view.error, sizeof(kv->view.error),
				 "connect: %s", strerror(-fd));
		}
	}
	kv_server_stop(&kv->server);
	/* A server that never answered keeps its log: the error names it. */
	if (kv->server.ready)
		unlink(kv->server.log);
	kv->server.pid = 0;
}

void kv_destroy(struct workload *w)
{
	struct kv_workload *kv = w->priv;

	if (kv)
		free(kv->counts);
	free(kv);
	w->priv = NULL;
}

/* The server's count less bench's set-up requests (never below 0). */
static uint64_t less_setup(uint64_t count, uint64_t setup)
{
	return count > setup ? count - setup : 0;
}

void kv_report(const struct workload *w, FILE *f)
{
	const struct kv_workload *kv = w->priv;
	const struct kv_view *v = &kv->view;
	struct kv_counts c;

	kv_total(w, &c);
	fprintf(f, "%s, open loop at %llu/s a thread over %u connection%s each: sent %llu GET, %llu SET; at the end %llu unanswered and %llu never sent (each recorded with the time to the end: a lower bound), %llu timed out\n",
		kv->server.prog, (unsigned long long)w->opts.rate_hz,
		w->opts.conns, w->opts.conns == 1 ? "" : "s",
		(unsigned long long)c.gets,
		(unsigned long long)c.sets, (unsigned long long)c.unanswered,
		(unsigned long long)c.unsent, (unsigned long long)c.timeouts);
	if (!v->ok) {
		fprintf(f, "%s's own counts: not read (%s)\n", kv->server.prog,
			v->error[0] ? v->error : "the server had exited");
		return;
	}
	/* Set-up: one GET to see it answer, one SET per key. */
	fprintf(f, "%s's own counts, less bench's set-up (1 GET, %u SET): %llu GET, %llu SET\n",
		kv->server.prog, w->opts.keys,
		(unsigned long long)less_setup(v->gets, 1),
		(unsigned long long)less_setup(v->sets, w->opts.keys));
	if (v->have_latency)
		fprintf(f, "%s's own GET execution time: p50 %.1f us, p99 %.1f us (bench: from due time to reply)\n",
			kv->server.prog, v->p50_us, v->p99_us);
	fprintf(f, "latency is from each request's due time (coordinated omission corrected); missed: sent a period or more late\n");
}

void kv_json(const struct workload *w, struct json *j)
{
	const struct kv_workload *kv = w->priv;
	const struct kv_view *v = &kv->view;
	struct kv_counts c;

	kv_total(w, &c);
	json_str(j, "server", kv->server.prog);
	json_u64(j, "connections", w->opts.conns);
	json_u64(j, "set_pct", w->opts.set_pct);
	json_u64(j, "value_size", w->opts.value_size);
	json_u64(j, "keys", w->opts.keys);
	json_u64(j, "gets", c.gets);
	json_u64(j, "sets", c.sets);
	json_u64(j, "unanswered", c.unanswered);
	json_u64(j, "unsent", c.unsent);
	json_u64(j, "timeouts", c.timeouts);
	json_obj_begin(j, "server_view");
	json_bool(j, "read", v->ok);
	if (v->ok) {
		json_u64(j, "gets", less_setup(v->gets, 1));
		json_u64(j, "sets", less_setup(v->sets, w->opts.keys));
		if (v->have_latency) {
			json_double(j, "get_p50_us", v->p50_us);
			json_double(j, "get_p99_us", v->p99_us);
		}
	}
	json_obj_end(j);
}
