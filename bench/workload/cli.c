// SPDX-License-Identifier: GPL-2.0
/* cli.c - 'bench workload' options and help, in perf's style. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bench/builtin.h"
#include "bench/options.h"
#include "bench/probe/probe.h"
#include "lib/util.h"
#include "bench/workload/cli.h"

static int add_probes(struct workload_cmd *c, char *list)
{
	const struct probe_ops *const *p;
	char *tok, *save = NULL;
	unsigned int i;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			c->nr_probes = 0;
			for (p = probes; *p; p++)
				c->probe_names[c->nr_probes++] = (*p)->name;
			continue;
		}
		if (!probe_find(tok) || c->nr_probes == MAX_PROBES)
			return -EINVAL;
		for (i = 0; i < c->nr_probes; i++)
			if (!strcmp(c->probe_names[i], tok))
				return -EINVAL;	/* named twice */
		c->probe_names[c->nr_probes++] = probe_find(tok)->name;
	}
	return c->nr_probes ? 0 : -EINVAL;
}

/* What the options fill in, and which workload's own options were given. */
struct wl_args {
	struct workload_cmd c;
	bool op_set, pop_set, thr_set, kv_set;
};

#define WA(f)		offsetof(struct wl_args, f)
#define POP		OPT_SEEN(WA(pop_set))
#define KV		OPT_SEEN(WA(kv_set))
#define STR_(x)		#x
#define STR(x)		STR_(x)

static int cpus_opt(const struct opt *o, const char *arg, void *base,
		    char *err, size_t len)
{
	struct workload_opts *wo = &((struct wl_args *)base)->c.opts;

	(void)o, (void)err, (void)len;
	return parse_cpu_list(arg, wo->cpus, WL_MAX_CPUS, &wo->nr_cpus);
}

static int probes_opt(const struct opt *o, const char *arg, void *base,
		      char *err, size_t len)
{
	char list[512];

	(void)o, (void)err, (void)len;
	snprintf(list, sizeof(list), "%s", arg);
	return add_probes(&((struct wl_args *)base)->c, list);
}

static int counters_opt(const struct opt *o, const char *arg, void *base,
			char *err, size_t len)
{
	static const char *const scopes[] = { "none", "process", "system" };
	int i;

	(void)o, (void)err, (void)len;
	for (i = 0; i < 3; i++)
		if (!strcmp(arg, scopes[i])) {
			((struct wl_args *)base)->c.counters = i;
			return 0;
		}
	return -EINVAL;
}

static void op_help(char *buf, size_t len)
{
	snprintf(buf, len, "target: the operation: %s (default ioctl)",
		 target_op_names());
}

/* The probes, one a line under the option. */
static void probes_help(char *buf, size_t len)
{
	const struct probe_ops *const *p;
	size_t n = snprintf(buf, len, "BPF probes, comma-separated, or 'all':");

	for (p = probes; *p && n < len; p++)
		n += snprintf(buf + n, len - n, "\n  %-8s %s", (*p)->name,
			      (*p)->summary);
}

static const struct opt workload_opts[] = {
	OPT_UINT('t', "threads", WA(c.opts.threads), 1, WL_MAX_THREADS, "<n>",
		 "threads (1-" STR(WL_MAX_THREADS)
		 ", default 1); population: churn threads"),
	OPT_CALLBACK('c', "cpus", cpus_opt, "<list>",
		     "pin thread i to the i-th CPU of <list>, round robin "
		     "(e.g. 0-1,3)"),
	OPT_U64('r', "rate", WA(c.opts.rate_hz), 0, 10000000, "<hz>",
		"operations per second per thread, 0 for back to back "
		"(target: default 0; wakeup: default 1000; redis, "
		"memcached: default 2000; population: fork/exit churn)", OPT_SEEN(WA(c.rate_set))),
	OPT_SECONDS('d', "duration", WA(c.opts.duration_ns), 1000000ULL,
		    86400ULL * 1000000000ULL, "<s>",
		    "seconds, decimals allowed (default 5)"),
	OPT_U64('w', "window", WA(c.opts.window_ns), 1, 60000, "<ms>",
		"timeline window in ms (default 10)", .scale = 1000000),
	OPT_U64(0, "threshold", WA(c.opts.threshold_ns), 1, 10000000, "<us>",
		"stall: record gaps above this (default 20)", .scale = 1000,
		OPT_SEEN(WA(thr_set))),
	OPT_STRING(0, "op", WA(c.opts.op), "<op>", NULL, .help_fn = op_help,
		   OPT_SEEN(WA(op_set))),
	OPT_UINT(0, "prio", WA(c.opts.prio), 0, 99, "<p>",
		 "SCHED_FIFO priority 1-99, 0 for SCHED_OTHER (wakeup: "
		 "default 80)"),
	OPT_FLAG(0, "mlock", WA(c.mlock),
		 "lock memory (mlockall), as cyclictest -m"),
	OPT_UINT(0, "tasks", WA(c.opts.tasks), 0, 30000, "<k>",
		 "population: processes asleep in pause()", POP),
	OPT_UINT(0, "sleepers", WA(c.opts.sleepers), 0, 30000, "<k>",
		 "population: processes asleep in the target module", POP),
	OPT_UINT(0, "sleep-ms", WA(c.opts.sleep_ms), 1, 10000, "<ms>",
		 "population: one sleep in the target (1-10000, default 10)",
		 POP),
	OPT_UINT(0, "spinners", WA(c.opts.spinners), 0, 30000, "<k>",
		 "population: processes spinning in user space, never making "
		 "a syscall", POP),
	OPT_FLAG(0, "kthread", WA(c.opts.kthread),
		 "population: count the target's kthreads (kgraft_target.ko "
		 "loaded with loop_kthread=1 or busy_kthreads=N)", POP),
	OPT_UINT(0, "conns", WA(c.opts.conns), 1, 1024, "<n>",
		 "redis, memcached: connections per thread (default 4)", KV),
	OPT_UINT(0, "set-pct", WA(c.opts.set_pct), 0, 100, "<p>",
		 "redis, memcached: SETs in every 100 requests, the rest "
		 "GETs (default 10)", KV),
	OPT_UINT(0, "value-size", WA(c.opts.value_size), 0, 65536, "<b>",
		 "redis, memcached: bytes a value (0-65536, default 64)", KV),
	OPT_UINT(0, "keys", WA(c.opts.keys), 1, 100000000, "<n>",
		 "redis, memcached: the key space, stored before the run "
		 "(default 10000)", KV),
	OPT_CALLBACK('p', "probes", probes_opt, "<list>", NULL,
		     .help_fn = probes_help),
	OPT_FLAG(0, "all-tasks", WA(c.all_tasks),
		 "probes measure every process, not only this one"),
	OPT_CALLBACK(0, "counters", counters_opt, "<scope>",
		     "perf counters: process, system or none (default process)"),
	OPT_STRING('j', "json", WA(c.json), "<file>",
		   "also write the results as JSON"),
	OPT_END(),
};

void usage_workload(FILE *f)
{
	const struct workload_ops *const *w;

	fprintf(f,
		"usage: bench workload <name> [<options>]\n"
		"\n"
		"Run one workload on its own for a while, with BPF probes and perf\n"
		"counters around it, and print latency percentiles per thread.\n"
		"All times are CLOCK_MONOTONIC, the clock of the BPF probes.\n"
		"\n"
		"Workloads:\n");
	for (w = workloads; *w; w++)
		fprintf(f, "   %-12s %s\n", (*w)->name, (*w)->summary);
	fputc('\n', f);
	opts_help(f, workload_opts);
}

/* What one option alone cannot check: 0, or say why not. */
static int check_args(const struct wl_args *a)
{
	const struct workload_cmd *c = &a->c;
	char err[256];

	if (c->rate_set && c->ops == &workload_stall)
		snprintf(err, sizeof(err), "the stall workload spins; it takes no --rate");
	else if (!c->opts.rate_hz && c->ops == &workload_wakeup)
		snprintf(err, sizeof(err), "the wakeup workload needs a rate above 0");
	else if (workload_opts_check(&c->opts, err, sizeof(err)))
		;
	else if (a->pop_set && c->ops != &workload_population)
		snprintf(err, sizeof(err), "%s are for the population workload",
			 "--tasks, --sleepers, --sleep-ms, --spinners and --kthread");
	else if (a->kv_set && c->ops != &workload_redis &&
		 c->ops != &workload_memcached)
		snprintf(err, sizeof(err), "%s are for the redis and memcached workloads",
			 "--conns, --set-pct, --value-size and --keys");
	else if (a->thr_set && c->ops != &workload_stall)
		snprintf(err, sizeof(err), "--threshold is for the stall workload");
	else if (a->op_set && strcmp(c->ops->name, "target"))
		snprintf(err, sizeof(err), "--op is for the target workload");
	else
		return 0;
	fprintf(stderr, "bench workload: %s\n", err);
	usage_workload(stderr);
	return EXIT_USAGE;
}

int workload_parse_args(int argc, char **argv, struct workload_cmd *c)
{
	static const struct opts_cmd cmd = {
		.name = "bench workload", .opts = workload_opts,
		.usage = usage_workload,
		/* Nothing follows the options. */
		.stop_at_operand = true,
	};
	struct wl_args a = { .c = { .counters = 1 } };
	int i, ret;

	memset(c, 0, sizeof(*c));
	c->counters = 1;
	/* The name comes first: the defaults depend on the workload. */
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage_workload(stdout);
		return -1;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "bench workload: name the workload first\n");
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	a.c.ops = workload_find(argv[1]);
	if (!a.c.ops) {
		fprintf(stderr, "bench workload: unknown workload '%s'\n",
			argv[1]);
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	workload_opts_init(&a.c.opts, a.c.ops);
	i = opts_parse(&cmd, &a, argc - 1, argv + 1);
	if (i < 0)
		return i == OPTS_HELP ? -1 : EXIT_USAGE;
	if (i < argc - 1) {
		fprintf(stderr, "bench workload: unexpected argument '%s'\n",
			argv[i + 1]);
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	ret = check_args(&a);
	if (!ret)
		*c = a.c;
	return ret;
}
