// SPDX-License-Identifier: GPL-2.0
/*
 * probe-kgraft.c - the core's tracepoints (bpf/kgraft_events) into a ring
 * buffer with time stamps, decoded with each event's tracefs format. The
 * events exist only while kgraft-core is loaded; without it the probe says
 * which tracepoint is missing and where it looked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "kgraft_events.skel.h"
#include "bench/probe/format.h"
#include "bench/probe/probe.h"
#include "lib/util.h"

#define KGRAFT_LINKS		KGRAFT_EV_NR
#define KGRAFT_MAX_EVENTS	(1U << 18)
#define KGRAFT_MAX_PATHS	32

static const char *const event_names[KGRAFT_EV_NR] = {
	[KGRAFT_EV_TRANSITION_START] = "kgraft_transition_start",
	[KGRAFT_EV_TRANSITION_END] = "kgraft_transition_end",
	[KGRAFT_EV_TASK_SWITCH] = "kgraft_task_switch",
	[KGRAFT_EV_STOP] = "kgraft_stop",
};

struct kgraft_priv {
	struct kgraft_events_bpf *skel;
	struct bpf_link *links[KGRAFT_LINKS];
	struct ring_buffer *rb;
	struct tp_format fmt[KGRAFT_EV_NR];
	/* kgraft_task_switch's path values and their names, from its format. */
	struct tp_symbol path[KGRAFT_MAX_PATHS];
	unsigned int nr_path;
	struct kgraft_ev *ev;
	size_t nr_ev, cap_ev;
	uint64_t ev_dropped;
	uint64_t by_type[KGRAFT_EV_NR];
};

const char *probe_kgraft_event_name(unsigned int type)
{
	return type < KGRAFT_EV_NR ? event_names[type] : "unknown";
}

static const char *tracefs_events(void)
{
	if (!access("/sys/kernel/tracing/events", F_OK))
		return "/sys/kernel/tracing/events";
	if (!access("/sys/kernel/debug/tracing/events", F_OK))
		return "/sys/kernel/debug/tracing/events";
	return NULL;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct kgraft_priv *k = ctx;
	const struct kgraft_ev *e = data;

	if (size < sizeof(*e))
		return 0;
	if (e->type < KGRAFT_EV_NR)
		k->by_type[e->type]++;
	if (k->nr_ev == k->cap_ev) {
		size_t cap = k->cap_ev ? k->cap_ev * 2 : 256;
		struct kgraft_ev *n;

		if (cap > KGRAFT_MAX_EVENTS) {
			k->ev_dropped++;
			return 0;
		}
		n = realloc(k->ev, cap * sizeof(*n));
		if (!n) {
			k->ev_dropped++;
			return 0;
		}
		k->ev = n;
		k->cap_ev = cap;
	}
	k->ev[k->nr_ev++] = *e;
	return 0;
}

static int read_formats(struct kgraft_priv *k, char *err, size_t len)
{
	const char *dir = tracefs_events();
	char path[256], text[8192];
	unsigned int i;
	int ret;

	if (!dir) {
		snprintf(err, len,
			 "kgraft: no tracefs (looked for /sys/kernel/tracing and /sys/kernel/debug/tracing): mount it with 'mount -t tracefs nodev /sys/kernel/tracing'");
		return -ENOENT;
	}
	for (i = 0; i < KGRAFT_EV_NR; i++) {
		snprintf(path, sizeof(path), "%s/kgraft/%s/format", dir,
			 event_names[i]);
		ret = read_small_file(path, text, sizeof(text));
		if (ret < 0) {
			snprintf(err, len,
				 "kgraft: tracepoint kgraft:%s is missing (%s: %s): is kgraft-core loaded?",
				 event_names[i], path, strerror(-ret));
			return ret;
		}
		if (tp_format_parse(text, &k->fmt[i])) {
			snprintf(err, len, "kgraft: cannot parse %s", path);
			return -EINVAL;
		}
		if (i == KGRAFT_EV_TASK_SWITCH)
			k->nr_path = tp_format_symbols(text, "path", k->path,
						       KGRAFT_MAX_PATHS);
	}
	return 0;
}

const char *probe_kgraft_path_name(const struct probe *p, uint64_t value)
{
	const struct kgraft_priv *k = p->priv;
	unsigned int i;

	for (i = 0; i < k->nr_path; i++)
		if ((uint64_t)k->path[i].value == value)
			return k->path[i].name;
	return NULL;
}

const char *probe_kgraft_path_nth(const struct probe *p, unsigned int i)
{
	const struct kgraft_priv *k = p->priv;

	return i < k->nr_path ? k->path[i].name : NULL;
}

static int kgraft_open(struct probe *p, char *err, size_t len)
{
	struct kgraft_priv *k = calloc(1, sizeof(*k));
	int ret;

	if (!k)
		return -ENOMEM;
	p->priv = k;
	/* First, so a missing module is reported as such, not as EINVAL. */
	ret = read_formats(k, err, len);
	if (ret)
		return ret;
	k->skel = kgraft_events_bpf__open();
	if (!k->skel) {
		snprintf(err, len, "kgraft: cannot open the BPF object: %s",
			 strerror(errno));
		return -errno;
	}
	ret = kgraft_events_bpf__load(k->skel);
	if (ret) {
		probe_load_error(p, ret, err, len);
		return ret;
	}
	ret = probe_attach_all(p, k->skel->obj, k->links, KGRAFT_LINKS, err,
			       len);
	if (ret)
		return ret;
	k->rb = ring_buffer__new(bpf_map__fd(k->skel->maps.events), on_event,
				 k, NULL);
	if (!k->rb) {
		snprintf(err, len, "kgraft: cannot map the ring buffer: %s",
			 strerror(errno));
		return -errno;
	}
	p->stats_fd = bpf_map__fd(k->skel->maps.stats);
	return 0;
}

static int kgraft_poll(struct probe *p, int timeout_ms)
{
	struct kgraft_priv *k = p->priv;
	int n = ring_buffer__poll(k->rb, timeout_ms);

	return n < 0 && n != -EINTR ? n : 0;
}

static int kgraft_read(struct probe *p)
{
	struct kgraft_priv *k = p->priv;
	int n = ring_buffer__consume(k->rb);

	return n < 0 ? n : 0;
}

static int kgraft_reset(struct probe *p)
{
	struct kgraft_priv *k = p->priv;

	ring_buffer__consume(k->rb);
	k->nr_ev = 0;
	k->ev_dropped = 0;
	memset(k->by_type, 0, sizeof(k->by_type));
	return 0;
}

size_t probe_kgraft_events(const struct probe *p, const struct kgraft_ev **ev)
{
	const struct kgraft_priv *k = p->priv;

	*ev = k->ev;
	return k->nr_ev;
}

static const struct tp_field *field_of(const struct probe *p,
				       const struct kgraft_ev *ev,
				       const char *name)
{
	const struct kgraft_priv *k = p->priv;

	if (ev->type >= KGRAFT_EV_NR)
		return NULL;
	return tp_format_field(&k->fmt[ev->type], name);
}

int probe_kgraft_field_u64(const struct probe *p, const struct kgraft_ev *ev,
			   const char *field, uint64_t *out)
{
	const struct tp_field *fl = field_of(p, ev, field);

	return fl ? tp_field_u64(fl, ev->raw, sizeof(ev->raw), out) : -ENOENT;
}

int probe_kgraft_field_str(const struct probe *p, const struct kgraft_ev *ev,
			   const char *field, char *buf, size_t len)
{
	const struct tp_field *fl = field_of(p, ev, field);

	return fl ? tp_field_str(fl, ev->raw, sizeof(ev->raw), buf, len) :
		    -ENOENT;
}

static void kgraft_report(struct probe *p, FILE *f)
{
	struct kgraft_priv *k = p->priv;
	unsigned int i;

	fprintf(f, "probe kgraft  ");
	for (i = 0; i < KGRAFT_EV_NR; i++)
		fprintf(f, " %s %llu", event_names[i],
			(unsigned long long)k->by_type[i]);
	if (k->ev_dropped)
		fprintf(f, " (%llu not kept)",
			(unsigned long long)k->ev_dropped);
	fprintf(f, "\n");
}

/*
 * A format field named like a member event_json() writes first (the task
 * switch's own "pid": the task switched, not the one that hit the event)
 * gets "tp_" before it: an object holds one value per key.
 */
static const char *field_key(const char *name, char *buf, size_t len)
{
	static const char *const taken[] = { "event", "ts_ns", "cpu", "pid" };
	unsigned int i;

	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (!strcmp(name, taken[i])) {
			snprintf(buf, len, "tp_%s", name);
			return buf;
		}
	return name;
}

/* Every field of the event's format but the common_* header. */
static void event_json(struct probe *p, const struct kgraft_ev *e,
		       struct json *j)
{
	struct kgraft_priv *k = p->priv;
	const struct tp_format *fmt = &k->fmt[e->type];
	char buf[256], kb[sizeof(fmt->fields[0].name) + 3];
	const char *key;
	unsigned int i;
	uint64_t v;

	json_obj_begin(j, NULL);
	json_str(j, "event", event_names[e->type]);
	json_u64(j, "ts_ns", e->ts_ns);
	json_u64(j, "cpu", e->cpu);
	json_u64(j, "pid", e->pid);
	for (i = 0; i < fmt->nr; i++) {
		const struct tp_field *fl = &fmt->fields[i];

		if (!strncmp(fl->name, "common_", 7))
			continue;
		key = field_key(fl->name, kb, sizeof(kb));
		if (fl->is_string) {
			if (!tp_field_str(fl, e->raw, sizeof(e->raw), buf,
					  sizeof(buf)))
				json_str(j, key, buf);
		} else if (!tp_field_u64(fl, e->raw, sizeof(e->raw), &v)) {
			if (fl->is_signed)
				json_i64(j, key, (int64_t)v);
			else
				json_u64(j, key, v);
		}
	}
	json_obj_end(j);
}

static void kgraft_json(struct probe *p, struct json *j)
{
	struct kgraft_priv *k = p->priv;
	size_t i;

	json_u64(j, "events_not_kept", k->ev_dropped);
	json_arr_begin(j, "events");
	for (i = 0; i < k->nr_ev; i++)
		if (k->ev[i].type < KGRAFT_EV_NR)
			event_json(p, &k->ev[i], j);
	json_arr_end(j);
}

static void kgraft_close(struct probe *p)
{
	struct kgraft_priv *k = p->priv;
	unsigned int i;

	if (!k)
		return;
	ring_buffer__free(k->rb);
	for (i = 0; i < KGRAFT_LINKS; i++)
		bpf_link__destroy(k->links[i]);
	kgraft_events_bpf__destroy(k->skel);
	free(k->ev);
	free(k);
	p->priv = NULL;
}

const struct probe_ops probe_kgraft = {
	.name = "kgraft",
	.summary = "kgraft-core's transition and task-switch tracepoints",
	.open = kgraft_open,
	.read = kgraft_read,
	.reset = kgraft_reset,
	.poll = kgraft_poll,
	.report = kgraft_report,
	.json = kgraft_json,
	.close = kgraft_close,
};
