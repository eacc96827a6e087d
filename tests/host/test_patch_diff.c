// SPDX-License-Identifier: GPL-2.0
/*
 * The patch builder's object diff on real objects: small C sources built
 * before and after a change with the kernel's code-generation flags, then
 * diffed, written, and a unified diff read back to lines and definitions.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "patch-builder/diff.h"
#include "patch-builder/source-diff.h"
#include "patch-builder/write.h"

/* __fentry__ is exported by the kernel; kernel_export stands for any export. */
static const char symvers[] =
	"0x00000000\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n"
	"0x00000000\tkernel_export\tvmlinux\tEXPORT_SYMBOL\t\n";

struct fix {
	char dir[32];
	struct pb_object before, after, out;
	struct pb_target target;
	struct pb_diff d;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/test_patch_diff_XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	f->before.fd = f->after.fd = f->out.fd = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char cmd[64];

	pb_diff_free(&f->d);
	pb_object_close(&f->before);
	pb_object_close(&f->after);
	pb_object_close(&f->out);
	pb_target_free(&f->target);
	snprintf(cmd, sizeof(cmd), "rm -r %s", f->dir);
	free(f);
	return system(cmd) ? -1 : 0;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* dir/name.c -> dir/name.o, as the kernel builds an object. */
static void compile(const char *dir, const char *name)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "gcc -O2 -c -ffunction-sections -fdata-sections -pg -mfentry "
		 "-mrecord-mcount -fno-pic -fno-asynchronous-unwind-tables "
		 "-o %s/%s.o %s/%s.c", dir, name, dir, name);
	assert_int_equal(system(cmd), 0);
}

/* A diff that loops fails its test instead of hanging the run. */
static void hung(int sig)
{
	(void)sig;
	fail_msg("pb_diff_run did not return within 1 s");
}

static void run_diff(struct fix *f, const char *before, const char *after)
{
	struct sigaction sa = { .sa_handler = hung, .sa_flags = SA_NODEFER };
	char err[512] = "", path[128];
	int ret;

	write_file(f->dir, "before.c", before);
	write_file(f->dir, "after.c", after);
	write_file(f->dir, "Module.symvers", symvers);
	compile(f->dir, "before");
	compile(f->dir, "after");
	snprintf(path, sizeof(path), "%s/before.o", f->dir);
	if (pb_object_open(&f->before, path, err, sizeof(err)))
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/after.o", f->dir);
	if (pb_object_open(&f->after, path, err, sizeof(err)))
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/Module.symvers", f->dir);
	if (pb_target_load(&f->target, path, NULL, err, sizeof(err)))
		fail_msg("%s", err);
	f->d = (struct pb_diff){
		.before = &f->before, .after = &f->after,
		.object = "vmlinux", .target = &f->target,
	};
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	ret = pb_diff_run(&f->d, err, sizeof(err));
	alarm(0);
	if (ret)
		fail_msg("%s", err);
}

static const struct pb_func *func(const struct pb_diff *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nfuncs; i++)
		if (!strcmp(d->funcs[i].sym->name, name))
			return &d->funcs[i];
	fail_msg("%s is not in the diff's functions", name);
	return NULL;
}

static const char every_case[] =
	"int knob = 1;\n"
	"extern int kernel_export(int);\n"
	"static inline __attribute__((always_inline)) int helper(int x)\n"
	"{ return x + 1; }\n"
	"static __attribute__((noinline, noclone)) int st(int x) { return x * 3; }\n"
	"static __attribute__((noinline, noclone, no_instrument_function))\n"
	"int quiet(int x) { return x ^ 5; }\n"
	"__attribute__((noinline)) int f(void) { return 42; }\n"
	"int g(int x) { return helper(x) + knob; }\n"
	"int h(int x) { return kernel_export(x) + st(x) + quiet(x); }\n"
	"__attribute__((section(\".init.text\"), noinline)) int boot(void)\n"
	"{ return 3; }\n";

static void test_same_source(void **state)
{
	struct fix *f = *state;

	run_diff(f, every_case, every_case);
	assert_int_equal(f->d.nfuncs, 0);
	assert_int_equal(f->d.nrefusals, 0);
	assert_int_equal(f->d.nkrelocs, 0);
}

static void test_changed_body(void **state)
{
	struct fix *f = *state;

	run_diff(f, "__attribute__((noinline)) int answer(void) { return 42; }\n",
		 "__attribute__((noinline)) int answer(void) { return 43; }\n");
	assert_int_equal(f->d.nrefusals, 0);
	assert_int_equal(f->d.nfuncs, 1);
	assert_string_equal(f->d.funcs[0].sym->name, "answer");
	assert_int_equal(f->d.funcs[0].change, PB_CHANGED);
}

static void test_inlined_callee(void **state)
{
	struct fix *f = *state;

	run_diff(f,
		 "static inline __attribute__((always_inline)) int helper(int x)\n"
		 "{ return x + 1; }\n"
		 "int caller(int x) { return helper(x) * 5; }\n",
		 "static inline __attribute__((always_inline)) int helper(int x)\n"
		 "{ return x + 2; }\n"
		 "int caller(int x) { return helper(x) * 5; }\n");
	assert_int_equal(f->d.nrefusals, 0);
	assert_int_equal(f->d.nfuncs, 1);
	assert_string_equal(f->d.funcs[0].sym->name, "caller");
	assert_int_equal(f->d.funcs[0].change, PB_CHANGED);
	assert_null(pb_symbol_by_name(&f->after, "helper"));
	assert_null(pb_symbol_by_name(&f->before, "helper"));
}

/* A new callee: test_new_callee diffs it, test_write_object writes it. */
static const char new_before[] =
	"extern int kernel_export(int);\n"
	"int changed(int x) { return kernel_export(x) + 1; }\n";
static const char new_after[] =
	"extern int kernel_export(int);\n"
	"static __attribute__((noinline, noclone)) int fresh(int x)\n"
	"{ return x * 7; }\n"
	"int changed(int x) { return kernel_export(x) + fresh(x); }\n";

static void test_new_callee(void **state)
{
	struct fix *f = *state;

	run_diff(f, new_before, new_after);
	assert_int_equal(f->d.nrefusals, 0);
	assert_int_equal(f->d.nfuncs, 2);
	assert_int_equal(func(&f->d, "changed")->change, PB_CHANGED);
	assert_int_equal(func(&f->d, "fresh")->change, PB_NEW);
	assert_int_equal(f->d.nkrelocs, 0);
}

static void test_changed_data(void **state)
{
	struct fix *f = *state;

	run_diff(f, "int knob = 1;\nint read_knob(void) { return knob; }\n",
		 "int knob = 2;\nint read_knob(void) { return knob; }\n");
	assert_int_equal(f->d.nfuncs, 0);
	assert_int_equal(f->d.nrefusals, 1);
	assert_string_equal(f->d.refusals[0].category, "changed writable data");
	assert_non_null(strstr(f->d.refusals[0].message, "knob"));
}

static void test_init_code(void **state)
{
	struct fix *f = *state;

	run_diff(f,
		 "__attribute__((section(\".init.text\"), noinline))\n"
		 "int boot(void) { return 3; }\n",
		 "__attribute__((section(\".init.text\"), noinline))\n"
		 "int boot(void) { return 4; }\n");
	assert_int_equal(f->d.nfuncs, 0);
	assert_int_equal(f->d.nrefusals, 1);
	assert_string_equal(f->d.refusals[0].category, "__init code changed");
	assert_non_null(strstr(f->d.refusals[0].message, "boot"));
}

#define QUIET(bind, value)						\
	bind " __attribute__((noinline, noclone, no_instrument_function))\n" \
	"int quiet(int x) { return x ^ " value "; }\n"			\
	"int loud(int x) { return quiet(x) + 1; }\n"

static void test_notrace_static(void **state)
{
	struct fix *f = *state;
	const struct pb_func *loud, *quiet;

	run_diff(f, QUIET("static", "5"), QUIET("static", "6"));
	/* Built as it should be: quiet has no __fentry__, loud has. */
	assert_int_equal(pb_symbol_by_name(&f->after, "quiet")->sec->nrelas, 0);
	assert_int_equal(f->d.nrefusals, 0);
	assert_int_equal(f->d.nfuncs, 2);
	loud = func(&f->d, "loud");
	quiet = func(&f->d, "quiet");
	assert_int_equal(loud->change, PB_CHANGED);
	assert_false(loud->sym->by_callers);
	assert_ptr_equal(loud->sym->via, quiet->sym);
	assert_true(quiet->sym->by_callers);
	assert_int_equal(quiet->change, PB_CHANGED);
}

static void test_notrace_global(void **state)
{
	struct fix *f = *state;

	run_diff(f, QUIET("", "5"), QUIET("", "6"));
	assert_int_equal(f->d.nrefusals, 1);
	assert_string_equal(f->d.refusals[0].category, "cannot be traced");
	assert_non_null(strstr(f->d.refusals[0].message, "quiet"));
}

#define USER(op)							\
	"extern int kernel_export(int);\n"				\
	"static __attribute__((noinline, noclone)) int st(int x)\n"	\
	"{ return x * 3; }\n"						\
	"int user(int x) { return kernel_export(x) " op " st(x); }\n"

static void test_krelocs(void **state)
{
	struct fix *f = *state;

	run_diff(f, USER("+"), USER("-"));
	assert_int_equal(f->d.nrefusals, 0);
	assert_int_equal(f->d.nfuncs, 1);
	assert_string_equal(f->d.funcs[0].sym->name, "user");
	/* st: local, unchanged, so the running kernel's copy; kernel_export
	 * (and __fentry__) exported: the module loader's. */
	assert_int_equal(f->d.nkrelocs, 1);
	assert_string_equal(f->d.krelocs[0].name, "st");
	assert_string_equal(f->d.krelocs[0].object, "vmlinux");
	assert_int_equal(f->d.krelocs[0].sympos, 0);
	assert_string_equal(f->d.krelocs[0].sec->name, ".text.user");
}

static void test_write_object(void **state)
{
	struct fix *f = *state;
	struct pb_written w;
	struct pb_symbol *s;
	struct pb_section *mcount;
	char err[512] = "", path[128], name[64];
	size_t i, carried = 0;

	run_diff(f, new_before, new_after);
	snprintf(path, sizeof(path), "%s/patch.o", f->dir);
	if (pb_write_object(&f->d, path, "kgraft_o0_", &w, err, sizeof(err)))
		fail_msg("%s", err);
	free(w.relocs);
	assert_int_equal(w.nrelocs, 0);
	assert_int_equal(w.nexterns, 2);	/* __fentry__, kernel_export */
	if (pb_object_open(&f->out, path, err, sizeof(err)))
		fail_msg("%s", err);
	for (i = 1; i < f->after.nsecs; i++) {
		struct pb_section *src = &f->after.secs[i];

		if (!src->include)
			continue;
		carried++;
		snprintf(name, sizeof(name), "kgraft_o0_s%zu",
			 pb_written_section(src));
		s = pb_symbol_by_name(&f->out, name);
		assert_non_null(s);
		assert_int_equal(pb_sym_bind(s), STB_GLOBAL);
		assert_int_equal(pb_sym_type(s), STT_FUNC);
		assert_non_null(s->sec);
		assert_string_equal(s->sec->name, src->name);
		assert_int_equal(s->sec->size, src->size);
		assert_memory_equal(s->sec->data, src->data, src->size);
	}
	assert_int_equal(carried, 2);	/* .text.changed, .text.fresh */
	assert_int_equal(w.nsections, 3);	/* and their __mcount_loc */
	mcount = pb_section_by_name(&f->out, "__mcount_loc");
	assert_non_null(mcount);
	assert_int_equal(mcount->size, 16);
	assert_int_equal(mcount->nrelas, 2);
	s = pb_symbol_by_name(&f->out, "kernel_export");
	assert_non_null(s);
	assert_null(s->sec);
	assert_int_equal(s->s.st_shndx, SHN_UNDEF);
	assert_int_equal(pb_sym_bind(s), STB_GLOBAL);
	/* changed's call to fresh lands on the written fresh. */
	s = pb_symbol_by_name(&f->out, "changed");
	assert_non_null(s);
	for (i = 0; i < s->sec->nrelas; i++) {
		const struct pb_rela *r = &s->sec->relas[i];
		struct pb_symbol *to = &f->out.syms[r->sym];

		if (to->sec && to->sec != s->sec)
			break;
	}
	assert_true(i < s->sec->nrelas);
	assert_string_equal(f->out.syms[s->sec->relas[i].sym].sec->name,
			    ".text.fresh");
}

/* A struct field and a function's return in one file, two hunks. */
static const char src_before[] =
	"// demo\n"			/* 1 */
	"struct foo {\n"		/* 2 */
	"\tint a;\n"			/* 3 */
	"\tint b;\n"			/* 4 */
	"};\n"				/* 5 */
	"\n"				/* 6 */
	"struct untouched {\n"		/* 7 */
	"\tint z;\n"			/* 8 */
	"};\n"				/* 9 */
	"\n"				/* 10 */
	"static int bar(struct foo *f)\n" /* 11 */
	"{\n"				/* 12 */
	"\tint x = f->a;\n"		/* 13 */
	"\n"				/* 14 */
	"\treturn x + 1;\n"		/* 15 */
	"}\n"				/* 16 */
	"\n"				/* 17 */
	"int other(void)\n"		/* 18 */
	"{\n"				/* 19 */
	"\treturn 0;\n"			/* 20 */
	"}\n";				/* 21 */
static const char src_after[] =
	"// demo\n"			/* 1 */
	"struct foo {\n"		/* 2 */
	"\tint a;\n"			/* 3 */
	"\tlong b;\n"			/* 4 */
	"\tint c;\n"			/* 5 */
	"};\n"				/* 6 */
	"\n"				/* 7 */
	"struct untouched {\n"		/* 8 */
	"\tint z;\n"			/* 9 */
	"};\n"				/* 10 */
	"\n"				/* 11 */
	"static int bar(struct foo *f)\n" /* 12 */
	"{\n"				/* 13 */
	"\tint x = f->a;\n"		/* 14 */
	"\n"				/* 15 */
	"\treturn x + 2;\n"		/* 16 */
	"}\n"				/* 17 */
	"\n"				/* 18 */
	"int other(void)\n"		/* 19 */
	"{\n"				/* 20 */
	"\treturn 0;\n"			/* 21 */
	"}\n";				/* 22 */
static const char src_patch[] =
	"diff --git a/kernel/demo.c b/kernel/demo.c\n"
	"index 1111111..2222222 100644\n"
	"--- a/kernel/demo.c\n"
	"+++ b/kernel/demo.c\n"
	"@@ -1,7 +1,8 @@\n"
	" // demo\n"
	" struct foo {\n"
	" \tint a;\n"
	"-\tint b;\n"
	"+\tlong b;\n"
	"+\tint c;\n"
	" };\n"
	" \n"
	" struct untouched {\n"
	"@@ -12,7 +13,7 @@ static int bar(struct foo *f)\n"
	" {\n"
	" \tint x = f->a;\n"
	" \n"
	"-\treturn x + 1;\n"
	"+\treturn x + 2;\n"
	" }\n"
	" \n"
	" int other(void)\n";

static void collect(void *arg, const char *name)
{
	strcat(arg, name);
	strcat(arg, " ");
}

static void test_source_diff(void **state)
{
	struct fix *f = *state;
	const struct pb_file_change *fc;
	struct pb_source_diff sd;
	char err[512] = "", path[128], seen[256] = "";

	write_file(f->dir, "fix.patch", src_patch);
	write_file(f->dir, "before.c", src_before);
	write_file(f->dir, "after.c", src_after);
	snprintf(path, sizeof(path), "%s/fix.patch", f->dir);
	if (pb_source_diff_read(&sd, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(sd.nfiles, 1);
	fc = &sd.files[0];
	assert_string_equal(fc->path, "kernel/demo.c");
	assert_false(fc->created);
	assert_false(fc->deleted);

	/* Definitions first: checked whatever the exact ranges. */
	snprintf(path, sizeof(path), "%s/before.c", f->dir);
	assert_int_equal(pb_source_touched(path, fc->old_lines, fc->nold, true,
					   collect, seen), 0);
	assert_string_equal(seen, "foo ");
	seen[0] = '\0';
	snprintf(path, sizeof(path), "%s/after.c", f->dir);
	assert_int_equal(pb_source_touched(path, fc->new_lines, fc->nnew, false,
					   collect, seen), 0);
	assert_string_equal(seen, "bar ");

	/* New side: the lines added or replacing, 4-5 and 16. */
	assert_int_equal(fc->nnew, 2);
	assert_int_equal(fc->new_lines[0].first, 4);
	assert_int_equal(fc->new_lines[0].last, 5);
	assert_int_equal(fc->new_lines[1].first, 16);
	assert_int_equal(fc->new_lines[1].last, 16);
	/* Old side: the lines removed or replaced, 4 and 15 (not the "};"
	 * and "}" after them, which neither hunk changes). */
	assert_int_equal(fc->nold, 2);
	assert_int_equal(fc->old_lines[0].first, 4);
	assert_int_equal(fc->old_lines[0].last, 4);
	assert_int_equal(fc->old_lines[1].first, 15);
	assert_int_equal(fc->old_lines[1].last, 15);
	pb_source_diff_free(&sd);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_same_source),
		T(test_changed_body),
		T(test_inlined_callee),
		T(test_new_callee),
		T(test_changed_data),
		T(test_init_code),
		T(test_notrace_static),
		T(test_notrace_global),
		T(test_krelocs),
		T(test_write_object),
		T(test_source_diff),
	};

	return cmocka_run_group_tests_name("patch_diff", tests, NULL, NULL);
}
