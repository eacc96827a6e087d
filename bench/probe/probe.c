// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - what the BPF probes share: the registry, reading and resetting
 * the common maps (per-CPU histogram, timeline, stats), attaching with an
 * error that names the program, and libbpf's messages kept for errors
 * instead of sprayed on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench/probe/probe.h"
#include "lib/util.h"

const struct probe_ops *const probes[] = {
	&probe_syscall,
	&probe_sched,
	&probe_stop,
	&probe_kgraft,
	NULL,
};

const struct probe_ops *probe_find(const char *name)
{
	const struct probe_ops *const *p;

	for (p = probes; *p; p++)
		if (!strcmp((*p)->name, name))
			return *p;
	return NULL;
}

void probe_opts_init(struct probe_opts *o)
{
	memset(o, 0, sizeof(*o));
}

/*
 * libbpf's most telling warning, to quote when a load or attach fails: a
 * line about a program ("prog 'x': ...") names the cause; the skeleton's
 * closing "failed to load" line does not.
 */
static char last_msg[512];
static bool last_msg_names_prog;

static int keep_libbpf_msg(enum libbpf_print_level level, const char *fmt,
			   va_list ap)
{
	char buf[512];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strlen(buf) > 1) {
		size_t n = strlen(buf);
		const char *m = buf;
		bool names_prog;

		if (buf[n - 1] == '\n')
			buf[n - 1] = '\0';
		if (!strncmp(m, "libbpf: ", 8))
			m += 8;
		names_prog = !strncmp(m, "prog '", 6);
		/* The first line about a program is the cause; keep it. */
		if (names_prog && !last_msg_names_prog) {
			snprintf(last_msg, sizeof(last_msg), "%s", m);
			last_msg_names_prog = true;
		} else if (!last_msg_names_prog) {
			snprintf(last_msg, sizeof(last_msg), "%s", m);
		}
	}
	return 0;
}

void probe_clear_libbpf_msg(void)
{
	last_msg[0] = '\0';
	last_msg_names_prog = false;
}

int probe_nr_cpus(void)
{
	int n = libbpf_num_possible_cpus();

	return n > 0 ? n : 1;
}

void probe_load_error(struct probe *p, int ret, char *err, size_t len)
{
	const char *hint = "";

	if ((ret == -EPERM || ret == -EACCES) && geteuid())
		hint = " (BPF needs root, or CAP_BPF and CAP_PERFMON)";
	else if (ret == -EPERM)
		hint = " (refused although root: this kernel does not allow this program type, or is locked down)";
	snprintf(err, len, "%s: cannot load the BPF object: %s%s%s%s",
		 p->ops->name, strerror(-ret), hint,
		 last_msg[0] ? "; libbpf: " : "", last_msg);
}

int probe_attach_all(struct probe *p, struct bpf_object *obj,
		     struct bpf_link **links, unsigned int max,
		     char *err, size_t len)
{
	struct bpf_program *prog;
	unsigned int n = 0;

	bpf_object__for_each_program(prog, obj) {
		struct bpf_link *l;
		int ret;

		if (!bpf_program__autoload(prog))
			continue;
		if (n == max) {
			snprintf(err, len, "%s: too many programs", p->ops->name);
			return -E2BIG;
		}
		l = bpf_program__attach(prog);
		ret = libbpf_get_error(l);
		if (ret) {
			snprintf(err, len,
				 "%s: cannot attach %s (%s): %s%s",
				 p->ops->name, bpf_program__section_name(prog),
				 bpf_program__name(prog), strerror(-ret),
				 ret == -ENOENT ?
				 " (this kernel has no such attach point)" : "");
			return ret;
		}
		links[n++] = l;
	}
	return 0;
}

int probe_fill_tgids(int map_fd, const struct probe_opts *o)
{
	unsigned int i;
	__u8 one = 1;

	for (i = 0; i < o->nr_tgids; i++) {
		__u32 tgid = (__u32)o->tgids[i];

		if (bpf_map_update_elem(map_fd, &tgid, &one, BPF_ANY))
			return -errno;
	}
	return 0;
}

int probe_sum_percpu_u64(int fd, unsigned int n, uint64_t *out)
{
	int cpus = probe_nr_cpus(), c;
	unsigned long long *v = calloc(cpus, sizeof(*v));
	unsigned int k;

	if (!v)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, v)) {
			free(v);
			return -errno;
		}
		for (c = 0; c < cpus; c++)
			out[k] += v[c];
	}
	free(v);
	return 0;
}

int probe_zero_percpu(int fd, unsigned int n, size_t value_size)
{
	size_t sz = ((value_size + 7) & ~(size_t)7) * probe_nr_cpus();
	void *zero = calloc(1, sz);
	unsigned int k;
	int ret = 0;

	if (!zero)
		return -ENOMEM;
	for (k = 0; k < n && !ret; k++)
		if (bpf_map_update_elem(fd, &k, zero, BPF_ANY))
			ret = -errno;
	free(zero);
	return ret;
}

int probe_open(const char *name, const struct probe_opts *o,
	       struct probe **out, char *err, size_t len)
{
	const struct probe_ops *ops = probe_find(name);
	struct probe *p;
	int ret;

	if (!ops) {
		snprintf(err, len, "unknown probe '%s'", name);
		return -ENOENT;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->ops = ops;
	p->opts = *o;
	p->hist_fd = p->win_fd = p->stats_fd = -1;
	hist_init(&p->hist);
	libbpf_set_print(keep_libbpf_msg);
	probe_clear_libbpf_msg();
	ret = ops->open(p, err, len);
	if (ret) {
		ops->close(p);
		free(p);
		return ret;
	}
	*out = p;
	return 0;
}

void probe_set_timeline(struct probe *p, uint64_t t0_ns, uint64_t window_ns)
{
	if (!p->win_t0)
		return;
	/* Off while the windows are cleared, then the new origin. */
	*p->win_len = 0;
	probe_zero_percpu(p->win_fd, HIST_MAX_WINDOWS,
			  sizeof(struct hist_window));
	p->opts.t0_ns = t0_ns;
	p->opts.window_ns = window_ns;
	*p->win_t0 = t0_ns;
	*p->win_len = window_ns;
}

int probe_read_hist(struct probe *p, struct hist *out)
{
	int cpus = probe_nr_cpus(), c;
	struct probe_hist *h;
	__u32 zero = 0;

	if (p->hist_fd < 0)
		return -ENOENT;
	h = calloc(cpus, sizeof(*h));
	if (!h)
		return -ENOMEM;
	if (bpf_map_lookup_elem(p->hist_fd, &zero, h)) {
		free(h);
		return -errno;
	}
	hist_init(out);
	for (c = 0; c < cpus; c++)
		hist_add_buckets(out, h[c].buckets, h[c].count, h[c].sum,
				 h[c].max);
	free(h);
	return 0;
}

static int read_windows(struct probe *p)
{
	int cpus = probe_nr_cpus(), c;
	struct hist_window *v;
	struct timespec ts;
	uint64_t now, n;
	unsigned int k;

	p->nr_win = 0;
	if (!p->opts.window_ns)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (now < p->opts.t0_ns)
		return 0;
	/* Only the windows that can have been written. */
	n = (now - p->opts.t0_ns) / p->opts.window_ns + 1;
	if (n > HIST_MAX_WINDOWS)
		n = HIST_MAX_WINDOWS;
	v = calloc(cpus, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		memset(&p->win[k], 0, sizeof(p->win[k]));
		if (bpf_map_lookup_elem(p->win_fd, &k, v)) {
			free(v);
			return -errno;
		}
		for (c = 0; c < cpus; c++) {
			p->win[k].count += v[c].count;
			if (v[c].max_ns > p->win[k].max_ns)
				p->win[k].max_ns = v[c].max_ns;
		}
	}
	p->nr_win = (unsigned int)n;
	free(v);
	return 0;
}

int probe_read(struct probe *p)
{
	int ret = 0;

	if (p->hist_fd >= 0)
		ret = probe_read_hist(p, &p->hist);
	if (!ret && p->win_fd >= 0)
		ret = read_windows(p);
	if (!ret && p->stats_fd >= 0)
		ret = probe_sum_percpu_u64(p->stats_fd, PROBE_NR_STATS,
					   p->stats);
	if (!ret && p->ops->read)
		ret = p->ops->read(p);
	return ret;
}

int probe_reset(struct probe *p)
{
	int ret = 0;

	if (p->hist_fd >= 0)
		ret = probe_zero_percpu(p->hist_fd, 1, sizeof(struct probe_hist));
	if (!ret && p->win_fd >= 0)
		ret = probe_zero_percpu(p->win_fd, HIST_MAX_WINDOWS,
					sizeof(struct hist_window));
	if (!ret && p->stats_fd >= 0)
		ret = probe_zero_percpu(p->stats_fd, PROBE_NR_STATS,
					sizeof(__u64));
	if (!ret && p->ops->reset)
		ret = p->ops->reset(p);
	hist_init(&p->hist);
	p->nr_win = 0;
	return ret;
}

int probe_poll(struct probe *p, int timeout_ms)
{
	return p->ops->poll ? p->ops->poll(p, timeout_ms) : 0;
}

void probe_report(struct probe *p, FILE *f)
{
	char a[16], b[16], c[16], d[16];

	if (p->hist_fd >= 0)
		fprintf(f, "probe %-8s %11llu events  p50 %9s  p99 %9s  p99.9 %9s  max %9s\n",
			p->ops->name, (unsigned long long)p->hist.count,
			fmt_ns(a, sizeof(a), hist_percentile(&p->hist, 50)),
			fmt_ns(b, sizeof(b), hist_percentile(&p->hist, 99)),
			fmt_ns(c, sizeof(c), hist_percentile(&p->hist, 99.9)),
			fmt_ns(d, sizeof(d), p->hist.max));
	if (p->stats[PROBE_STAT_NO_ROOM] || p->stats[PROBE_STAT_RB_DROPPED] ||
	    p->stats[PROBE_STAT_PAST_TIMELINE])
		fprintf(f, "      %s lost: %llu starts (map full), %llu events (ring buffer full), %llu past the timeline\n",
			p->ops->name,
			(unsigned long long)p->stats[PROBE_STAT_NO_ROOM],
			(unsigned long long)p->stats[PROBE_STAT_RB_DROPPED],
			(unsigned long long)p->stats[PROBE_STAT_PAST_TIMELINE]);
	if (p->ops->report)
		p->ops->report(p, f);
}

void probe_json(struct probe *p, struct json *j)
{
	unsigned int i;

	json_obj_begin(j, p->ops->name);
	json_u64(j, "lost_no_room", p->stats[PROBE_STAT_NO_ROOM]);
	json_u64(j, "lost_ring_buffer", p->stats[PROBE_STAT_RB_DROPPED]);
	json_u64(j, "past_timeline", p->stats[PROBE_STAT_PAST_TIMELINE]);
	if (p->hist_fd >= 0)
		hist_json(&p->hist, j, "latency");
	if (p->opts.window_ns && p->win_fd >= 0) {
		json_obj_begin(j, "timeline");
		json_u64(j, "t0_ns", p->opts.t0_ns);
		json_u64(j, "window_ns", p->opts.window_ns);
		json_arr_begin(j, "max_ns");
		for (i = 0; i < p->nr_win; i++)
			json_u64(j, NULL, p->win[i].max_ns);
		json_arr_end(j);
		json_arr_begin(j, "count");
		for (i = 0; i < p->nr_win; i++)
			json_u64(j, NULL, p->win[i].count);
		json_arr_end(j);
		json_obj_end(j);
	}
	if (p->ops->json)
		p->ops->json(p, j);
	json_obj_end(j);
}

void probe_close(struct probe *p)
{
	if (!p)
		return;
	p->ops->close(p);
	free(p);
}
