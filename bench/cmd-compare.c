// SPDX-License-Identifier: GPL-2.0
/*
 * bench compare: the same scenario for several strategies in one guest boot,
 * interleaved cycle by cycle (each round in a shuffled order) so that drift
 * hits all alike; then each strategy against kgraft with confidence
 * intervals. Given a results directory instead, only the comparison is
 * (re)computed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "compare.h"
#include "results.h"
#include "run.h"
#include "workload-json.h"

void usage_compare(FILE *f)
{
	fprintf(f,
		"usage: bench compare --strategies=<s>,<s>... [<bench run options>]\n"
		"   or: bench compare <results-dir>\n"
		"\n"
		"Run the same scenario with each strategy in one guest, interleaved\n"
		"cycle by cycle, then print each strategy against kgraft: medians of\n"
		"per-cycle transition times, latency maxima and stalls, as ratios with\n"
		"95%% bootstrap confidence intervals. Writes compare.json and\n"
		"compare.csv beside the run's results. Every 'bench run' option\n"
		"applies (see 'bench help run'); --cycles counts per strategy.\n");
}

/* The seed a results directory was made with, so CIs come out the same. */
static uint64_t run_seed(const char *dir, uint64_t def)
{
	char err[256];
	struct json_value *meta;
	uint64_t seed = def;

	if (results_load_json(dir, "metadata.json", &meta, err, sizeof(err)))
		return def;
	if (json_get_u64(meta, "seed", &seed))
		seed = def;
	json_free(meta);
	return seed;
}

int cmd_compare(int argc, char **argv)
{
	struct run_config rc;
	char err[512];
	struct stat st;
	int ret;

	if (argc == 2 && argv[1][0] != '-') {
		if (stat(argv[1], &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "bench compare: %s is not a results directory\n",
				argv[1]);
			return EXIT_USAGE;
		}
		run_config_init(&rc);
		rc.out = argv[1];
		rc.seed = run_seed(rc.out, rc.seed);
	} else {
		ret = run_options(argc, argv, &rc, true, usage_compare);
		if (ret)
			return ret == 1 ? 0 : ret;
		ret = rc.local ? run_local(&rc) : run_in_guest(&rc);
		if (ret)
			return ret;
		/* Run for the host's bench compare: the host compares. */
		if (rc.local && getenv("KGRAFT_GUEST_ACCEL"))
			return 0;
	}
	if (compare_results(rc.out, "kgraft", rc.seed, stdout, err,
			    sizeof(err))) {
		fprintf(stderr, "bench compare: %s\n", err);
		return 1;
	}
	return 0;
}
