// SPDX-License-Identifier: GPL-2.0
/* bench list: what bench can drive, and whether it is built. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bench/builtin.h"
#include "bench/options.h"
#include "bench/run/kmod.h"
#include "bench/run/patchctl.h"
#include "bench/run/scenario.h"
#include "bench/run/strategy.h"
#include "bench/workload/workload.h"

void usage_list(FILE *f)
{
	fprintf(f,
		"usage: bench list [strategies|patches|workloads|scenarios|stacks]\n"
		"\n"
		"List the strategies, patches, workloads and scenarios bench run\n"
		"can use; modules not built yet are marked. On a kernel with\n"
		"kgraft loaded, stacks lists every patched function with the\n"
		"patches stacked on it, newest first (%s).\n", KGRAFT_STACKS);
}

static const char *built(const char *module)
{
	char path[4096], err[256];

	if (!module)
		return "";
	return kmod_find(module, path, sizeof(path), err, sizeof(err)) ?
	       " (not built: run make)" : "";
}

/*
 * The live stacks: "object function patch:mode ..." lines as kgraft gives
 * them, shown as a table. Only when kgraft is loaded (the guest, or
 * --target=local's kernel); an empty file says nothing is patched.
 */
static void list_stacks(bool asked)
{
	char line[4096], *tok, *save;
	FILE *f = fopen(KGRAFT_STACKS, "r");
	int n = 0;

	if (!f) {
		if (asked)
			printf("stacks: kgraft is not loaded here (%s)\n",
			       KGRAFT_STACKS);
		return;
	}
	printf("stacks (%s, newest first):\n", KGRAFT_STACKS);
	while (fgets(line, sizeof(line), f)) {
		const char *obj = strtok_r(line, " \n", &save);
		const char *fn = strtok_r(NULL, " \n", &save);

		if (!obj || !fn)
			continue;
		printf("  %-14s %-28s", obj, fn);
		while ((tok = strtok_r(NULL, " \n", &save)))
			printf(" %s", tok);
		printf("\n");
		n++;
	}
	if (!n)
		printf("  (no function is patched)\n");
	fclose(f);
}

/* No options but --help: the table says so, and the errors are the same. */
static const struct opt list_opts[] = {
	OPT_END(),
};

int cmd_list(int argc, char **argv)
{
	static const struct opts_cmd cmd = {
		.name = "bench list", .opts = list_opts, .usage = usage_list,
	};
	const struct bench_strategy *s;
	const struct bench_patch *p;
	const struct workload_ops *const *w;
	const char *what;
	int i = opts_parse(&cmd, NULL, argc, argv);

	if (i < 0)
		return i == OPTS_HELP ? 0 : EXIT_USAGE;
	what = i < argc ? argv[i] : NULL;
	if (argc - i > 1 || (what && strcmp(what, "strategies") &&
			     strcmp(what, "patches") &&
			     strcmp(what, "workloads") &&
			     strcmp(what, "scenarios") &&
			     strcmp(what, "stacks"))) {
		usage_list(stderr);
		return EXIT_USAGE;
	}
	if (!what || !strcmp(what, "strategies")) {
		printf("strategies:\n");
		for (s = bench_strategies; s->name; s++)
			printf("  %-14s %s%s\n", s->name, s->summary,
			       built(s->module));
	}
	if (!what || !strcmp(what, "patches")) {
		printf("patches:\n");
		for (p = bench_patches; p->name; p++)
			printf("  %-14s %s%s\n", p->name, p->summary,
			       built(p->module));
	}
	if (!what || !strcmp(what, "workloads")) {
		printf("workloads:\n");
		for (w = workloads; *w; w++)
			printf("  %-14s %s\n", (*w)->name, (*w)->summary);
	}
	if (!what || !strcmp(what, "scenarios")) {
		printf("scenarios (bench run --scenario):\n");
		scenario_list(stdout, "  ");
	}
	if (!what || !strcmp(what, "stacks"))
		list_stacks(what != NULL);
	return 0;
}
