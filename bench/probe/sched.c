// SPDX-License-Identifier: GPL-2.0
/* sched.c - scheduler wakeup-to-run latency (bpf/sched_lat). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "bench/probe/probe.h"
#include "sched_lat.skel.h"

#define SCHED_LINKS	3

struct sched_priv {
	struct sched_lat_bpf *skel;
	struct bpf_link *links[SCHED_LINKS];
};

static int sched_open(struct probe *p, char *err, size_t len)
{
	struct sched_priv *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	p->priv = s;
	s->skel = sched_lat_bpf__open();
	if (!s->skel) {
		snprintf(err, len, "sched: cannot open the BPF object: %s",
			 strerror(errno));
		return -errno;
	}
	s->skel->rodata->filter_tgid = p->opts.nr_tgids > 0;
	s->skel->rodata->exclude_tid = (__u32)p->opts.exclude_tid;
	ret = sched_lat_bpf__load(s->skel);
	if (ret) {
		probe_load_error(p, ret, err, len);
		return ret;
	}
	ret = probe_fill_tgids(bpf_map__fd(s->skel->maps.tgids), &p->opts);
	if (ret) {
		snprintf(err, len, "sched: cannot set the processes: %s",
			 strerror(-ret));
		return ret;
	}
	p->hist_fd = bpf_map__fd(s->skel->maps.hist);
	p->win_fd = bpf_map__fd(s->skel->maps.windows);
	p->stats_fd = bpf_map__fd(s->skel->maps.stats);
	p->win_t0 = &s->skel->bss->win_t0_ns;
	p->win_len = &s->skel->bss->win_len_ns;
	*p->win_t0 = p->opts.t0_ns;
	*p->win_len = p->opts.window_ns;
	return probe_attach_all(p, s->skel->obj, s->links, SCHED_LINKS, err,
				len);
}

static void sched_close(struct probe *p)
{
	struct sched_priv *s = p->priv;
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < SCHED_LINKS; i++)
		bpf_link__destroy(s->links[i]);
	sched_lat_bpf__destroy(s->skel);
	free(s);
	p->priv = NULL;
}

const struct probe_ops probe_sched = {
	.name = "sched",
	.summary = "wakeup-to-run latency (sched_wakeup*, sched_switch)",
	.open = sched_open,
	.close = sched_close,
};
