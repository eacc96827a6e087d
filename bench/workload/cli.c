// SPDX-License-Identifier: GPL-2.0
/* cli.c - 'bench workload' options and help, in perf's style. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "bench/builtin.h"
#include "bench/probe/probe.h"
#include "lib/util.h"
#include "bench/workload/cli.h"

void usage_workload(FILE *f)
{
	const struct workload_ops *const *w;
	const struct probe_ops *const *p;

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
	fprintf(f,
		"\n"
		"    -t, --threads <n>      threads (1-%d, default 1); population: churn threads\n"
		"    -c, --cpus <list>      pin thread i to the i-th CPU of <list>, round robin (e.g. 0-1,3)\n"
		"    -r, --rate <hz>        operations per second per thread, 0 for back to back\n"
		"                           (target: default 0; wakeup: default 1000; population: fork/exit churn)\n"
		"    -d, --duration <s>     seconds, decimals allowed (default 5)\n"
		"    -w, --window <ms>      timeline window in ms (default 10)\n"
		"        --threshold <us>   stall: record gaps above this (default 20)\n"
		"        --op <op>          target: the operation: %s (default ioctl)\n"
		"        --prio <p>         SCHED_FIFO priority 1-99, 0 for SCHED_OTHER (wakeup: default 80)\n"
		"        --mlock            lock memory (mlockall), as cyclictest -m\n"
		"        --tasks <k>        population: processes asleep in pause()\n"
		"        --sleepers <k>     population: processes asleep in the target module\n"
		"        --sleep-ms <ms>    population: one sleep in the target (1-10000, default 10)\n"
		"        --kthread          population: count the target's looping kthread\n"
		"                           (kgraft_target.ko loaded with loop_kthread=1)\n"
		"    -p, --probes <list>    BPF probes, comma-separated, or 'all':\n",
		WL_MAX_THREADS, target_op_names());
	for (p = probes; *p; p++)
		fprintf(f, "                             %-8s %s\n", (*p)->name,
			(*p)->summary);
	fprintf(f,
		"        --all-tasks        probes measure every process, not only this one\n"
		"        --counters <scope> perf counters: process, system or none (default process)\n"
		"    -j, --json <file>      also write the results as JSON\n"
		"    -h, --help             this text\n");
}


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

static const char *option_name(const struct option *o, int val)
{
	for (; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

int workload_parse_args(int argc, char **argv, struct workload_cmd *c)
{
	static const struct option opts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "window", required_argument, NULL, 'w' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "op", required_argument, NULL, 'o' },
		{ "prio", required_argument, NULL, 'P' },
		{ "mlock", no_argument, NULL, 'm' },
		{ "tasks", required_argument, NULL, 'k' },
		{ "sleepers", required_argument, NULL, 'K' },
		{ "sleep-ms", required_argument, NULL, 's' },
		{ "kthread", no_argument, NULL, 'K' + 256 },
		{ "probes", required_argument, NULL, 'p' },
		{ "all-tasks", no_argument, NULL, 'A' },
		{ "counters", required_argument, NULL, 'C' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct workload_opts o;
	const char *name;
	char err[256];
	bool op_set = false, pop_set = false, thr_set = false;
	uint64_t u;
	int ch;

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
	name = argv[1];
	c->ops = workload_find(name);
	if (!c->ops) {
		fprintf(stderr, "bench workload: unknown workload '%s'\n", name);
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	workload_opts_init(&o, c->ops);
	argc--;
	argv++;
	optind = 0;	/* glibc: full re-initialisation, for repeated calls */
	opterr = 1;
	/* "+": stop at the first non-option; nothing follows the options. */
	while ((ch = getopt_long(argc, argv, "+t:c:r:d:w:p:j:h", opts, NULL)) != -1) {
		int err = 0;

		switch (ch) {
		case 't':
			err = parse_uint(optarg, 1, WL_MAX_THREADS, &o.threads);
			break;
		case 'c':
			err = parse_cpu_list(optarg, o.cpus, WL_MAX_CPUS,
					     &o.nr_cpus);
			break;
		case 'r':
			err = parse_u64(optarg, 0, 10000000, &o.rate_hz);
			c->rate_set = true;
			break;
		case 'd':
			err = parse_seconds(optarg, 1000000ULL,
					    86400ULL * 1000000000ULL,
					    &o.duration_ns);
			break;
		case 'w':
			err = parse_u64(optarg, 1, 60000, &u);
			o.window_ns = u * 1000000ULL;
			break;
		case 'T':
			thr_set = true;
			err = parse_u64(optarg, 1, 10000000, &u);
			o.threshold_ns = u * 1000ULL;
			break;
		case 'o':
			o.op = optarg;
			op_set = true;
			break;
		case 'P':
			err = parse_uint(optarg, 0, 99, &o.prio);
			break;
		case 'm':
			c->mlock = true;
			break;
		case 'k':
			pop_set = true;
			err = parse_uint(optarg, 0, 30000, &o.tasks);
			break;
		case 'K':
			pop_set = true;
			err = parse_uint(optarg, 0, 30000, &o.sleepers);
			break;
		case 's':
			pop_set = true;
			err = parse_uint(optarg, 1, 10000, &o.sleep_ms);
			break;
		case 'K' + 256:
			pop_set = true;
			o.kthread = true;
			break;
		case 'p':
			err = add_probes(c, optarg);
			break;
		case 'A':
			c->all_tasks = true;
			break;
		case 'C':
			if (!strcmp(optarg, "none"))
				c->counters = 0;
			else if (!strcmp(optarg, "process"))
				c->counters = 1;
			else if (!strcmp(optarg, "system"))
				c->counters = 2;
			else
				err = -EINVAL;
			break;
		case 'j':
			c->json = optarg;
			break;
		case 'h':
			usage_workload(stdout);
			return -1;
		default:
			usage_workload(stderr);
			return EXIT_USAGE;
		}
		if (err) {
			fprintf(stderr, "bench workload: invalid value '%s' for --%s\n",
				optarg, option_name(opts, ch));
			usage_workload(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bench workload: unexpected argument '%s'\n",
			argv[optind]);
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	if (c->rate_set && c->ops == &workload_stall) {
		fprintf(stderr, "bench workload: the stall workload spins; it takes no --rate\n");
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	if (!o.rate_hz && c->ops == &workload_wakeup) {
		fprintf(stderr, "bench workload: the wakeup workload needs a rate above 0\n");
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	if (workload_opts_check(&o, err, sizeof(err))) {
		fprintf(stderr, "bench workload: %s\n", err);
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	if (pop_set && c->ops != &workload_population) {
		fprintf(stderr, "bench workload: --tasks, --sleepers, --sleep-ms and --kthread are for the population workload\n");
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	if (thr_set && c->ops != &workload_stall) {
		fprintf(stderr, "bench workload: --threshold is for the stall workload\n");
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	if (op_set && strcmp(c->ops->name, "target")) {
		fprintf(stderr, "bench workload: --op is for the target workload\n");
		usage_workload(stderr);
		return EXIT_USAGE;
	}
	c->opts = o;
	return 0;
}
