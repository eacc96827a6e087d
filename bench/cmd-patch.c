// SPDX-License-Identifier: GPL-2.0
/*
 * bench patch: live patches from source fixes (patch-builder/).
 *   build   a unified diff -> a kgraft patch module, or the reasons not
 *   check   what a built patch replaces, and why each function is in it
 *   diff    the object diff of two objects (before, after), for a look
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "bench/builtin.h"
#include "bench/host/guest.h"
#include "bench/options.h"
#include "lib/json.h"
#include "patch-builder/build.h"
#include "patch-builder/diff.h"

struct patch_args {
	const char *out;
	const char *name;
	const char *source;
	const char *version;
	const char *release;
	const char *kallsyms;
	const char *symvers;
	bool quiet;
	bool tsv;
};

#define PA(f) offsetof(struct patch_args, f)

static const struct opt build_opts[] = {
	OPT_STRING('o', "output", PA(out), "<dir>",
		   "write the module, its objects and manifest.json here (required)"),
	OPT_STRING(0, "name", PA(name), "<name>",
		   "the patch's name (default: the fix's file name)"),
	OPT_STRING(0, "source", PA(source), "<tree>",
		   "a prepared kernel tree (default: linux-source of the guest's version, prepared once in build/patch/src)"),
	OPT_STRING(0, "release", PA(release), "<rel>",
		   "the kernel the patch is for, e.g. 6.1.0-56-amd64 (default: the guest's); its headers must be installed"),
	OPT_STRING(0, "version", PA(version), "<v>",
		   "the linux-source-6.1 version to build from (default: that kernel's own)"),
	OPT_STRING(0, "kallsyms", PA(kallsyms), "<file>",
		   "the guest's /proc/kallsyms (default: build/kernel/<release>/kallsyms if there)"),
	OPT_FLAG('q', "quiet", PA(quiet), "print nothing when it builds"),
	OPT_END(),
};

static const struct opt diff_opts[] = {
	OPT_STRING(0, "symvers", PA(symvers), "<file>",
		   "Module.symvers: exported symbols (default: none)"),
	OPT_STRING(0, "kallsyms", PA(kallsyms), "<file>",
		   "a /proc/kallsyms copy to check local symbols against"),
	OPT_END(),
};

static const struct opt check_opts[] = {
	OPT_FLAG(0, "tsv", PA(tsv),
		 "one line: status, seconds, functions replaced, refusal categories (tab-separated)"),
	OPT_END(),
};

void usage_patch(FILE *f)
{
	fprintf(f,
		"usage: bench patch build [<options>] <fix.diff> -o <dir>\n"
		"   or: bench patch check [--tsv] <dir>\n"
		"   or: bench patch diff [<options>] <before.o> <after.o>\n"
		"\n"
		"build compiles the objects a unified diff (-p1) touches, before and\n"
		"after it, from the guest kernel's own source and config; diffs\n"
		"them with libelf; and emits a kgraft patch module that every\n"
		"strategy loads (strategy=<name>). What a function-level live patch\n"
		"cannot carry is refused with the reason and the symbol named: exit\n"
		"status 3, reasons in <dir>/manifest.json. check explains a built\n"
		"patch; diff prints what two objects' diff would carry.\n"
		"\nbuild options:\n");
	opts_help(f, build_opts);
	fprintf(f, "\ncheck options:\n");
	opts_help(f, check_opts);
	fprintf(f, "\ndiff options:\n");
	opts_help(f, diff_opts);
}

static int patch_build(int argc, char **argv)
{
	static const struct opts_cmd cmd = {
		.name = "bench patch build", .opts = build_opts,
		.usage = usage_patch,
	};
	struct patch_args a = { 0 };
	struct pb_build_opts o = { 0 };
	int i = opts_parse(&cmd, &a, argc, argv);

	if (i < 0)
		return i == OPTS_HELP ? 0 : EXIT_USAGE;
	if (argc - i != 1 || !a.out) {
		fprintf(stderr, "bench patch build: %s\n",
			argc - i != 1 ? "give one fix (a unified diff)" :
					"give the output directory (-o)");
		usage_patch(stderr);
		return EXIT_USAGE;
	}
	o.fix = argv[i];
	o.out = a.out;
	o.name = a.name;
	o.source = a.source;
	o.version = a.version;
	o.release = a.release;
	o.kallsyms = a.kallsyms;
	o.quiet = a.quiet;
	o.build = guest_build_dir();
	return pb_build(&o);
}

static void print_diff(const struct pb_diff *d)
{
	size_t i;

	for (i = 0; i < d->nfuncs; i++)
		printf("%-9s %s%s\n", d->funcs[i].change == PB_NEW ? "new" :
		       d->funcs[i].sym->by_callers ? "carried" : "replaced",
		       d->funcs[i].sym->name,
		       d->funcs[i].sym->via ? " (calls a changed notrace function)" : "");
	for (i = 0; i < d->nkrelocs; i++)
		printf("kgraft    %s (sympos %lu)\n", d->krelocs[i].name,
		       d->krelocs[i].sympos);
	for (i = 0; i < d->nrefusals; i++)
		printf("refused   [%s] %s\n", d->refusals[i].category,
		       d->refusals[i].message);
	for (i = 0; i < d->nnotes; i++)
		printf("note      %s\n", d->notes[i]);
}

static int patch_diff(int argc, char **argv)
{
	static const struct opts_cmd cmd = {
		.name = "bench patch diff", .opts = diff_opts,
		.usage = usage_patch,
	};
	struct patch_args a = { 0 };
	struct pb_object before, after;
	struct pb_target t;
	struct pb_diff d = { 0 };
	char err[1024] = "";
	int i = opts_parse(&cmd, &a, argc, argv), ret;

	if (i < 0)
		return i == OPTS_HELP ? 0 : EXIT_USAGE;
	if (argc - i != 2) {
		fprintf(stderr, "bench patch diff: give two objects\n");
		usage_patch(stderr);
		return EXIT_USAGE;
	}
	if (pb_target_load(&t, a.symvers, a.kallsyms, err, sizeof(err))) {
		fprintf(stderr, "bench patch diff: %s\n", err);
		return EXIT_FAILURE_;
	}
	if (pb_object_open(&before, argv[i], err, sizeof(err))) {
		fprintf(stderr, "bench patch diff: %s\n", err);
		pb_target_free(&t);
		return EXIT_FAILURE_;
	}
	if (pb_object_open(&after, argv[i + 1], err, sizeof(err))) {
		fprintf(stderr, "bench patch diff: %s\n", err);
		pb_object_close(&before);
		pb_target_free(&t);
		return EXIT_FAILURE_;
	}
	d.before = &before;
	d.after = &after;
	d.object = "vmlinux";
	d.target = &t;
	ret = pb_diff_run(&d, err, sizeof(err));
	if (ret)
		fprintf(stderr, "bench patch diff: %s\n", err);
	else
		print_diff(&d);
	ret = ret ? EXIT_FAILURE_ : d.nrefusals ? PB_EXIT_REFUSED : 0;
	pb_diff_free(&d);
	pb_object_close(&before);
	pb_object_close(&after);
	pb_target_free(&t);
	return ret;
}

/* status, seconds, functions replaced, refusal categories (sorted, ';'). */
static void check_tsv(json_t *m)
{
	const char *cats[64];
	size_t k, n = 0, replaced = 0, j;
	json_t *e;

	json_array_foreach(json_object_get(m, "functions"), k, e)
		replaced += !strcmp(json_string_value(json_object_get(e, "change")) ?: "",
				    "replaced");
	json_array_foreach(json_object_get(m, "refusals"), k, e) {
		const char *c = json_string_value(json_object_get(e, "category"));

		for (j = 0; j < n && strcmp(cats[j], c); j++)
			;
		if (c && j == n && n < 64)
			cats[n++] = c;
	}
	printf("%s\t%.1f\t%zu\t", json_string_value(json_object_get(m, "status")),
	       json_real_value(json_object_get(json_object_get(m, "seconds"), "total")) +
	       (double)json_integer_value(json_object_get(json_object_get(m, "seconds"), "total")),
	       replaced);
	for (j = 0; j < n; j++)
		printf("%s%s", j ? ";" : "", cats[j]);
	printf("\n");
}

static int patch_check(int argc, char **argv)
{
	static const struct opts_cmd cmd = {
		.name = "bench patch check", .opts = check_opts,
		.usage = usage_patch,
	};
	char path[PATH_MAX], err[256];
	struct patch_args a = { 0 };
	json_t *m, *v, *e;
	size_t k;
	FILE *f;
	int i = opts_parse(&cmd, &a, argc, argv);

	if (i < 0)
		return i == OPTS_HELP ? 0 : EXIT_USAGE;
	if (argc - i != 1) {
		fprintf(stderr, "bench patch check: give the directory of a built patch\n");
		usage_patch(stderr);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/manifest.json", argv[i]);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench patch check: %s: %s\n", path, strerror(errno));
		return EXIT_FAILURE_;
	}
	m = json_read(f, err, sizeof(err));
	fclose(f);
	if (!m) {
		fprintf(stderr, "bench patch check: %s: %s\n", path, err);
		return EXIT_FAILURE_;
	}
	if (a.tsv) {
		check_tsv(m);
		json_decref(m);
		return 0;
	}
	printf("patch %s (%s), from %s\n",
	       json_string_value(json_object_get(m, "name")),
	       json_string_value(json_object_get(m, "status")),
	       json_string_value(json_object_get(m, "fix")));
	printf("kernel %s, source %s\n",
	       json_string_value(json_object_get(m, "kernel_release")),
	       json_string_value(json_object_get(m, "source")));
	v = json_object_get(m, "functions");
	if (json_array_size(v))
		printf("\nfunctions:\n");
	json_array_foreach(v, k, e) {
		json_t *fn = e;
		uint64_t pos = json_u64_or_0(fn, "sympos");

		printf("  %-8s %s", json_string_value(json_object_get(fn, "change")),
		       json_string_value(json_object_get(fn, "name")));
		if (pos)
			printf(" (the %" PRIu64 ". of that name)", pos);
		printf(" in %s (%s), %" PRIu64 " bytes\n           %s\n",
		       json_string_value(json_object_get(fn, "object")),
		       json_string_value(json_object_get(fn, "file")),
		       json_u64_or_0(fn, "size"),
		       json_string_value(json_object_get(fn, "why")));
	}
	v = json_object_get(m, "kgraft_relocations");
	if (json_array_size(v)) {
		printf("\nresolved by kgraft at load (%zu references, not exported or local):\n ",
		       json_array_size(v));
		json_array_foreach(v, k, e) {
			json_t *r = e;

			printf(" %s", json_string_value(json_object_get(r, "symbol")));
			if (json_u64_or_0(r, "sympos"))
				printf(",%" PRIu64, json_u64_or_0(r, "sympos"));
		}
		printf("\n");
	}
	v = json_object_get(m, "refusals");
	if (json_array_size(v))
		printf("\nrefused:\n");
	json_array_foreach(v, k, e) {
		json_t *r = e;

		printf("  [%s] %s\n",
		       json_string_value(json_object_get(r, "category")),
		       json_string_value(json_object_get(r, "message")));
	}
	v = json_object_get(m, "notes");
	json_array_foreach(v, k, e)
		printf("note: %s\n", json_string_value(e));
	if (!json_is_true(json_object_get(m, "kallsyms_checked")))
		printf("note: built without the guest's kallsyms: local symbols were not checked\n");
	fflush(stdout);
	json_decref(m);
	return 0;
}

int cmd_patch(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_patch(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "build"))
		return patch_build(argc - 1, argv + 1);
	if (!strcmp(argv[1], "check"))
		return patch_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return patch_diff(argc - 1, argv + 1);
	fprintf(stderr, "bench patch: unknown subcommand '%s'\n", argv[1]);
	usage_patch(stderr);
	return EXIT_USAGE;
}
