// SPDX-License-Identifier: GPL-2.0
/* syscall.c - syscall latency of chosen processes (bpf/syscall_lat). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "bpf/syscall_lat.h"
#include "bench/probe/probe.h"
#include "syscall_lat.skel.h"

struct syscall_priv {
	struct syscall_lat_bpf *skel;
	struct bpf_link *links[2];
	uint64_t counts[SYSCALL_NR_MAX];
};

static int syscall_open(struct probe *p, char *err, size_t len)
{
	struct syscall_priv *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	p->priv = s;
	s->skel = syscall_lat_bpf__open();
	if (!s->skel) {
		snprintf(err, len, "syscall: cannot open the BPF object: %s",
			 strerror(errno));
		return -errno;
	}
	s->skel->rodata->filter_tgid = p->opts.nr_tgids > 0;
	s->skel->rodata->exclude_tid = (__u32)p->opts.exclude_tid;
	ret = syscall_lat_bpf__load(s->skel);
	if (ret) {
		probe_load_error(p, ret, err, len);
		return ret;
	}
	ret = probe_fill_tgids(bpf_map__fd(s->skel->maps.tgids), &p->opts);
	if (ret) {
		snprintf(err, len, "syscall: cannot set the processes: %s",
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
	return probe_attach_all(p, s->skel->obj, s->links, 2, err, len);
}

static int syscall_read(struct probe *p)
{
	struct syscall_priv *s = p->priv;

	return probe_sum_percpu_u64(bpf_map__fd(s->skel->maps.counts),
				    SYSCALL_NR_MAX, s->counts);
}

static int syscall_reset(struct probe *p)
{
	struct syscall_priv *s = p->priv;

	memset(s->counts, 0, sizeof(s->counts));
	return probe_zero_percpu(bpf_map__fd(s->skel->maps.counts),
				 SYSCALL_NR_MAX, sizeof(__u64));
}

uint64_t probe_syscall_count(const struct probe *p, unsigned int nr)
{
	const struct syscall_priv *s = p->priv;

	if (p->ops != &probe_syscall || nr >= SYSCALL_NR_MAX)
		return 0;
	return s->counts[nr];
}

static void syscall_report(struct probe *p, FILE *f)
{
	struct syscall_priv *s = p->priv;
	bool taken[SYSCALL_NR_MAX] = { false };
	unsigned int i, k;

	/* The three most frequent syscalls, to see what was measured. */
	fprintf(f, "      syscall most frequent (by number):");
	for (k = 0; k < 3; k++) {
		unsigned int best = SYSCALL_NR_MAX;

		for (i = 0; i < SYSCALL_NR_MAX; i++)
			if (!taken[i] && s->counts[i] &&
			    (best == SYSCALL_NR_MAX ||
			     s->counts[i] > s->counts[best]))
				best = i;
		if (best == SYSCALL_NR_MAX)
			break;
		taken[best] = true;
		fprintf(f, " %u x%llu", best,
			(unsigned long long)s->counts[best]);
	}
	fprintf(f, "\n");
}

static void syscall_json(struct probe *p, struct json *j)
{
	struct syscall_priv *s = p->priv;
	unsigned int i;
	char nr[16];

	json_obj_begin(j, "count_by_nr");
	for (i = 0; i < SYSCALL_NR_MAX; i++) {
		if (!s->counts[i])
			continue;
		snprintf(nr, sizeof(nr), "%u", i);
		json_u64(j, nr, s->counts[i]);
	}
	json_obj_end(j);
}

static void syscall_close(struct probe *p)
{
	struct syscall_priv *s = p->priv;
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < 2; i++)
		bpf_link__destroy(s->links[i]);
	syscall_lat_bpf__destroy(s->skel);
	free(s);
	p->priv = NULL;
}

const struct probe_ops probe_syscall = {
	.name = "syscall",
	.summary = "syscall latency of the workload (raw_syscalls)",
	.open = syscall_open,
	.read = syscall_read,
	.reset = syscall_reset,
	.report = syscall_report,
	.json = syscall_json,
	.close = syscall_close,
};
