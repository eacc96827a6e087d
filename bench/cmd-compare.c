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

#include "bench/builtin.h"
#include "analysis/compare/finding.h"
#include "analysis/compare/compare.h"
#include "lib/results.h"
#include "bench/run/run.h"
#include "lib/json.h"

void usage_compare(FILE *f)
{
	fprintf(f,
		"usage: bench compare --strategies=<s>,<s>... [<bench run options>]\n"
		"   or: bench compare <results-dir>\n"
		"\n"
		"Run the same scenario with each strategy in one guest, interleaved\n"
		"cycle by cycle, then compare each strategy against kgraft, the\n"
		"reference, on medians of per-cycle values: transition times, latency\n"
		"maxima, stall gaps, stops and wake-ups (larger is worse for all).\n"
		"\n");
	run_options_help(f, true);
	fprintf(f,
		"\n"
		"Prints a table (difference of medians, strategy - kgraft, with a 95%%\n"
		"percentile-bootstrap CI; the ratio of medians as a second column; a\n"
		"verdict), one sentence per finding, and per metric the smallest\n"
		"difference the run tells from 0 (1.96 x the bootstrap SE of the\n"
		"difference). Verdicts: worse (the CI is above 0), better (below 0),\n"
		"not distinguishable (it holds 0), or n too small (fewer than %d\n"
		"cycles on a side: no CI, no verdict). For a finding not\n"
		"distinguishable, the cycles that would detect a difference the size\n"
		"of the strategy's own stop (delta: its longest stop, else its stopped\n"
		"CPU time, in the phase): n = ((1.96 + 0.84) x sigma / delta)^2 per\n"
		"strategy, two-sided 95%%, 80%% power, sigma = the bootstrap SE of the\n"
		"difference x sqrt(n).\n"
		"Writes compare.json (rows, findings) and compare.csv beside the run's\n"
		"results. Every 'bench run' option applies (see 'bench help run').\n",
		COMPARE_MIN_N);
}

/* The seed a results directory was made with, so CIs come out the same. */
static uint64_t run_seed(const char *dir, uint64_t def)
{
	char err[256];
	json_t *meta;
	uint64_t seed = def;

	if (results_load_json(dir, "metadata.json", &meta, err, sizeof(err)))
		return def;
	if (json_get_u64(meta, "seed", &seed))
		seed = def;
	json_decref(meta);
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
		/* No seed recorded: a fixed one, so reruns print the same. */
		rc.seed = run_seed(rc.out, COMPARE_DEFAULT_SEED);
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
