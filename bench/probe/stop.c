// SPDX-License-Identifier: GPL-2.0
/*
 * probe-stop.c - per-CPU time stopped by stop_machine() (bpf/stop_time).
 * fentry/fexit on multi_cpu_stop() when the kernel can attach them; when it
 * cannot (no BPF trampoline, no BTF for the function), the stopper thread's
 * time on the CPU from sched_switch, and the reason is kept for the report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench/probe/probe.h"
#include "stop_time.skel.h"

#define STOP_LINKS	3
#define STOP_MAX_EVENTS	(1U << 20)

struct stop_priv {
	struct stop_time_bpf *skel;
	struct bpf_link *links[STOP_LINKS];
	struct ring_buffer *rb;
	bool fallback;
	char why_fallback[256];
	int nr_cpus;
	struct stop_cpu *cpus;
	struct stop_event *ev;
	size_t nr_ev, cap_ev;
	uint64_t ev_dropped;		/* past STOP_MAX_EVENTS */
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct stop_priv *s = ctx;

	if (size < sizeof(struct stop_event))
		return 0;
	if (s->nr_ev == s->cap_ev) {
		size_t cap = s->cap_ev ? s->cap_ev * 2 : 1024;
		struct stop_event *n;

		if (cap > STOP_MAX_EVENTS) {
			s->ev_dropped++;
			return 0;
		}
		n = realloc(s->ev, cap * sizeof(*n));
		if (!n) {
			s->ev_dropped++;
			return 0;
		}
		s->ev = n;
		s->cap_ev = cap;
	}
	memcpy(&s->ev[s->nr_ev++], data, sizeof(struct stop_event));
	return 0;
}

/* Load in one mode and attach; on failure everything is undone. */
static int try_mode(struct probe *p, struct stop_priv *s, bool fallback,
		    char *err, size_t len)
{
	unsigned int i;
	int ret;

	probe_clear_libbpf_msg();
	s->skel = stop_time_bpf__open();
	if (!s->skel) {
		snprintf(err, len, "stop: cannot open the BPF object: %s",
			 strerror(errno));
		return -errno;
	}
	bpf_program__set_autoload(s->skel->progs.multi_cpu_stop_entry,
				  !fallback);
	bpf_program__set_autoload(s->skel->progs.multi_cpu_stop_exit,
				  !fallback);
	bpf_program__set_autoload(s->skel->progs.stopper_switch, fallback);
	ret = stop_time_bpf__load(s->skel);
	if (ret)
		probe_load_error(p, ret, err, len);
	else
		ret = probe_attach_all(p, s->skel->obj, s->links, STOP_LINKS,
				       err, len);
	if (ret) {
		for (i = 0; i < STOP_LINKS; i++) {
			bpf_link__destroy(s->links[i]);
			s->links[i] = NULL;
		}
		stop_time_bpf__destroy(s->skel);
		s->skel = NULL;
	}
	return ret;
}

static int stop_open(struct probe *p, char *err, size_t len)
{
	struct stop_priv *s = calloc(1, sizeof(*s));
	int ret = -1;

	if (!s)
		return -ENOMEM;
	p->priv = s;
	s->nr_cpus = probe_nr_cpus();
	s->cpus = calloc(s->nr_cpus, sizeof(*s->cpus));
	if (!s->cpus)
		return -ENOMEM;
	if (!p->opts.stop_fallback) {
		ret = try_mode(p, s, false, s->why_fallback,
			       sizeof(s->why_fallback));
	} else {
		snprintf(s->why_fallback, sizeof(s->why_fallback),
			 "asked for");
	}
	if (ret) {
		s->fallback = true;
		ret = try_mode(p, s, true, err, len);
		if (ret)
			return ret;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_event,
				 s, NULL);
	if (!s->rb) {
		snprintf(err, len, "stop: cannot map the ring buffer: %s",
			 strerror(errno));
		return -errno;
	}
	p->hist_fd = bpf_map__fd(s->skel->maps.hist);
	p->win_fd = bpf_map__fd(s->skel->maps.windows);
	p->stats_fd = bpf_map__fd(s->skel->maps.stats);
	p->win_t0 = &s->skel->bss->win_t0_ns;
	p->win_len = &s->skel->bss->win_len_ns;
	*p->win_t0 = p->opts.t0_ns;
	*p->win_len = p->opts.window_ns;
	return 0;
}

/*
 * The BPF side submits without wake-ups (see stop_time.bpf.c), so the
 * poll only waits out the timeout; what arrived is then consumed.
 */
static int stop_poll(struct probe *p, int timeout_ms)
{
	struct stop_priv *s = p->priv;
	int n = ring_buffer__poll(s->rb, timeout_ms);

	if (n < 0 && n != -EINTR)
		return n;
	n = ring_buffer__consume(s->rb);
	return n < 0 ? n : 0;
}

static int stop_read(struct probe *p)
{
	struct stop_priv *s = p->priv;
	__u32 zero = 0;

	ring_buffer__consume(s->rb);
	if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.per_cpu), &zero,
				s->cpus))
		return -errno;
	return 0;
}

static int stop_reset(struct probe *p)
{
	struct stop_priv *s = p->priv;

	ring_buffer__consume(s->rb);
	s->nr_ev = 0;
	s->ev_dropped = 0;
	memset(s->cpus, 0, s->nr_cpus * sizeof(*s->cpus));
	return probe_zero_percpu(bpf_map__fd(s->skel->maps.per_cpu), 1,
				 sizeof(struct stop_cpu));
}

const char *probe_stop_mode(const struct probe *p)
{
	const struct stop_priv *s = p->priv;

	return s->fallback ? "stopper-thread" : "multi_cpu_stop";
}

int probe_stop_cpus(const struct probe *p, const struct stop_cpu **cpus)
{
	const struct stop_priv *s = p->priv;

	*cpus = s->cpus;
	return s->nr_cpus;
}

size_t probe_stop_events(const struct probe *p, const struct stop_event **ev)
{
	const struct stop_priv *s = p->priv;

	*ev = s->ev;
	return s->nr_ev;
}

static void stop_report(struct probe *p, FILE *f)
{
	struct stop_priv *s = p->priv;
	int c;

	if (s->fallback)
		fprintf(f, "      stop: measured as the stopper thread's time on each CPU (an upper bound), because fentry on multi_cpu_stop failed: %s\n",
			s->why_fallback);
	else
		fprintf(f, "      stop: measured in multi_cpu_stop (fentry/fexit)\n");
	for (c = 0; c < s->nr_cpus; c++)
		if (s->cpus[c].count)
			fprintf(f, "      stop cpu %d: %llu stops, %.3f ms in all, longest %.3f ms\n",
				c, (unsigned long long)s->cpus[c].count,
				s->cpus[c].total_ns / 1e6,
				s->cpus[c].max_ns / 1e6);
}

static void stop_json(struct probe *p, struct json *j)
{
	struct stop_priv *s = p->priv;
	size_t i;
	int c;

	json_str(j, "mode", probe_stop_mode(p));
	if (s->fallback)
		json_str(j, "why_fallback", s->why_fallback);
	json_arr_begin(j, "per_cpu");
	for (c = 0; c < s->nr_cpus; c++) {
		json_obj_begin(j, NULL);
		json_u64(j, "cpu", (uint64_t)c);
		json_u64(j, "stops", s->cpus[c].count);
		json_u64(j, "total_ns", s->cpus[c].total_ns);
		json_u64(j, "max_ns", s->cpus[c].max_ns);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "events_dropped", s->ev_dropped);
	json_arr_begin(j, "events");
	for (i = 0; i < s->nr_ev; i++) {
		json_obj_begin(j, NULL);
		json_u64(j, "start_ns", s->ev[i].start_ns);
		json_u64(j, "dur_ns", s->ev[i].dur_ns);
		json_u64(j, "cpu", s->ev[i].cpu);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void stop_close(struct probe *p)
{
	struct stop_priv *s = p->priv;
	unsigned int i;

	if (!s)
		return;
	ring_buffer__free(s->rb);
	for (i = 0; i < STOP_LINKS; i++)
		bpf_link__destroy(s->links[i]);
	stop_time_bpf__destroy(s->skel);
	free(s->cpus);
	free(s->ev);
	free(s);
	p->priv = NULL;
}

const struct probe_ops probe_stop = {
	.name = "stop",
	.summary = "per-CPU time stopped by stop_machine()",
	.open = stop_open,
	.read = stop_read,
	.reset = stop_reset,
	.poll = stop_poll,
	.report = stop_report,
	.json = stop_json,
	.close = stop_close,
};
