// SPDX-License-Identifier: GPL-2.0
/* From a source fix to a patch module: the steps, their logs and times. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/util.h"
#include "patch-builder/build.h"
#include "patch-builder/emit.h"
#include "patch-builder/source-diff.h"

/* A refusal found before any object is compiled (source level). */
struct early {
	const char *category;
	char message[512];
};

struct build {
	const struct pb_build_opts *o;
	char release[128];
	char tree[PATH_MAX];
	char kdir[PATH_MAX];
	char log[PATH_MAX];
	char fix[PATH_MAX];	/* absolute: patch runs in the tree */
	char out[PATH_MAX];	/* absolute: kbuild runs in the headers */
	char name[64];
	char module[96];
	struct pb_source_diff sd;
	struct early *early;
	size_t nearly;
	char **ignored;
	size_t nignored;
	struct pb_unit *units;
	size_t nunits;
	struct pb_target target;
	bool have_kallsyms;
	char **whys;
	size_t nwhys;
	double t_source, t_before, t_after, t_diff, t_module, t_total;
};

static __attribute__((format(printf, 3, 4)))
void early_refuse(struct build *b, const char *category, const char *fmt, ...)
{
	struct early *e = realloc(b->early, (b->nearly + 1) * sizeof(*e));
	va_list ap;

	if (!e)
		return;
	b->early = e;
	e = &e[b->nearly++];
	e->category = category;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

/* Run @argv with its output appended to the build log; its exit status. */
static int run(struct build *b, char *const argv[])
{
	int fd, status;
	pid_t pid;

	fd = open(b->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		return -errno;
	dprintf(fd, "$");
	for (int i = 0; argv[i]; i++)
		dprintf(fd, " %s", argv[i]);
	dprintf(fd, "\n");
	pid = fork();
	if (pid < 0) {
		close(fd);
		return -errno;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		dprintf(fd, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fd);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The last line @argv prints (the prepared tree's path). */
static int run_capture(char *const argv[], char *out, size_t len)
{
	int pipefd[2], status;
	char buf[8192];
	size_t used = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		close(pipefd[0]);
		dup2(pipefd[1], 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf + used, sizeof(buf) - 1 - used)) > 0)
		used += (size_t)n;
	close(pipefd[0]);
	buf[used] = '\0';
	waitpid(pid, &status, 0);
	strip_newline(buf);
	{
		char *last = strrchr(buf, '\n');

		snprintf(out, len, "%s", last ? last + 1 : buf);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void patch_name(struct build *b)
{
	const char *src = b->o->name;
	char tmp[PATH_MAX], *base, *dot;
	size_t i, j = 0;

	if (!src) {
		snprintf(tmp, sizeof(tmp), "%s", b->o->fix);
		base = basename(tmp);
		dot = strrchr(base, '.');
		if (dot && dot != base)
			*dot = '\0';
		src = base;
	}
	for (i = 0; src[i] && j < 40; i++) {
		char c = (char)tolower((unsigned char)src[i]);

		b->name[j++] = isalnum((unsigned char)c) ? c : '_';
	}
	b->name[j] = '\0';
	if (!j)
		snprintf(b->name, sizeof(b->name), "fix");
	snprintf(b->module, sizeof(b->module), "kgraft_fix_%s", b->name);
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), c = strlen(suf);

	return a >= c && !strcmp(s + a - c, suf);
}

static bool not_kernel_code(const char *p)
{
	static const char *const dirs[] = {
		"Documentation/", "tools/", "scripts/", "samples/", "LICENSES/",
		"debian/", ".", NULL
	};
	int i;

	for (i = 0; dirs[i]; i++)
		if (!strncmp(p, dirs[i], strlen(dirs[i])))
			return true;
	return has_suffix(p, ".rst") || has_suffix(p, ".txt") ||
	       has_suffix(p, ".yaml") || !strcmp(p, "MAINTAINERS");
}

static void push_str(char ***v, size_t *n, const char *s)
{
	char **x = realloc(*v, (*n + 1) * sizeof(*x));

	if (!x)
		return;
	*v = x;
	x[(*n)++] = strdup(s);
}

static void struct_touched(void *arg, const char *name)
{
	struct build *b = arg;

	early_refuse(b, "changes a struct or union",
		     "the fix edits the definition of %s: its layout may change under running code",
		     name);
}

/* What the diff touches: objects to compile, or why not. */
static void classify_files(struct build *b)
{
	size_t i;

	for (i = 0; i < b->sd.nfiles; i++) {
		struct pb_file_change *fc = &b->sd.files[i];
		char path[PATH_MAX];

		if (not_kernel_code(fc->path)) {
			push_str(&b->ignored, &b->nignored, fc->path);
			continue;
		}
		if (fc->created || fc->deleted) {
			early_refuse(b, "adds or removes a file",
				     "%s is %s: the build itself changes", fc->path,
				     fc->created ? "new" : "removed");
			continue;
		}
		if (has_suffix(fc->path, ".h")) {
			early_refuse(b, "changes a header",
				     "%s: a header reaches objects the builder does not know",
				     fc->path);
			continue;
		}
		if (!has_suffix(fc->path, ".c")) {
			early_refuse(b, "not C code",
				     "%s: only C source can be diffed as objects",
				     fc->path);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", b->tree, fc->path);
		pb_source_touched(path, fc->old_lines, fc->nold, true,
				  struct_touched, b);
		{
			struct pb_unit *u = realloc(b->units,
					(b->nunits + 1) * sizeof(*u));

			if (!u)
				return;
			b->units = u;
			u = &u[b->nunits];
			memset(u, 0, sizeof(*u));
			u->path = strdup(fc->path);
			u->path[strlen(u->path) - 1] = 'o';
			snprintf(u->prefix, sizeof(u->prefix), "kgraft_o%zu_",
				 b->nunits);
			snprintf(u->out_name, sizeof(u->out_name), "fix%zu.o",
				 b->nunits);
			b->nunits++;
		}
	}
}

static int apply_fix(struct build *b, bool reverse, bool dry)
{
	char *argv[16];
	int n = 0;

	argv[n++] = "patch";
	argv[n++] = "-p1";
	argv[n++] = "-f";
	argv[n++] = "-s";
	/* Exactly where the fix says, or not at all: no fuzz. */
	argv[n++] = "-F0";
	argv[n++] = "--no-backup-if-mismatch";
	argv[n++] = "-r";
	argv[n++] = "-";
	if (reverse)
		argv[n++] = "-R";
	if (dry)
		argv[n++] = "--dry-run";
	argv[n++] = "-d";
	argv[n++] = b->tree;
	argv[n++] = "-i";
	argv[n++] = b->fix;
	argv[n] = NULL;
	return run(b, argv);
}

/* Compile one object of the tree; 0, or why it was not built. */
static int compile(struct build *b, struct pb_unit *u, const char *stage,
		   char *copy, size_t len)
{
	char target[PATH_MAX], jobs[16], cmdfile[PATH_MAX], built[PATH_MAX];
	char *argv[] = { "make", "-C", b->tree, jobs,
		"KCFLAGS=-ffunction-sections -fdata-sections", target, NULL };
	char *cp[] = { "cp", built, copy, NULL };
	char *dir, *base, tmp[PATH_MAX], cmd[8192];
	int ret;

	snprintf(jobs, sizeof(jobs), "-j%ld", sysconf(_SC_NPROCESSORS_ONLN));
	snprintf(target, sizeof(target), "%s", u->path);
	snprintf(built, sizeof(built), "%s/%s", b->tree, u->path);
	unlink(built);	/* never diff a stale object */
	ret = run(b, argv);
	if (ret)
		return ret;
	if (access(built, R_OK))
		return -ENOENT;
	/* kbuild's record of the command tells a module's object apart,
	 * and names the module (KBUILD_MODNAME). */
	snprintf(tmp, sizeof(tmp), "%s", u->path);
	base = basename(tmp);
	snprintf(cmd, sizeof(cmd), "%s", u->path);
	dir = dirname(cmd);
	snprintf(cmdfile, sizeof(cmdfile), "%s/%s/.%s.cmd", b->tree, dir, base);
	snprintf(u->object, sizeof(u->object), "vmlinux");
	if (read_small_file(cmdfile, cmd, sizeof(cmd)) > 0 &&
	    strstr(cmd, " -DMODULE ")) {
		const char *m = strstr(cmd, "-DKBUILD_MODNAME='\"");

		if (!m || sscanf(m, "-DKBUILD_MODNAME='\"%63[^\"]", u->object) != 1)
			return -EXDEV;
	}
	snprintf(copy, len, "%s/work/%s-%s", b->out, stage, u->out_name);
	return run(b, cp);
}

static void compile_failed(struct build *b, struct pb_unit *u, int ret,
			   bool after)
{
	if (ret == -EXDEV)
		early_refuse(b, "in a module",
			     "%s is built as a module but kbuild's command names none",
			     u->path);
	else if (!after)
		early_refuse(b, "not built in this config",
			     "%s: the tree does not build it with the guest's config (see %s)",
			     u->path, b->log);
	else
		early_refuse(b, "does not compile",
			     "%s does not compile with the fix alone (it may need other changes, to headers say; see %s)",
			     u->path, b->log);
}

static int compile_all(struct build *b)
{
	char copy[PATH_MAX];
	double t = now_s();
	size_t i;
	int ret;

	for (i = 0; i < b->nunits; i++) {
		ret = compile(b, &b->units[i], "before", copy, sizeof(copy));
		if (ret) {
			compile_failed(b, &b->units[i], ret, false);
			return 0;
		}
	}
	b->t_before = now_s() - t;
	t = now_s();
	ret = apply_fix(b, false, false);
	if (ret) {
		early_refuse(b, "does not apply", "the fix does not apply to %s (see %s)",
			     b->tree, b->log);
		return 0;
	}
	for (i = 0; i < b->nunits; i++) {
		char src[PATH_MAX];
		char *cp[] = { "cp", src, copy, NULL };

		snprintf(src, sizeof(src), "%s/%s", b->tree, b->units[i].path);
		src[strlen(src) - 1] = 'c';
		snprintf(copy, sizeof(copy), "%s/work/after-%s.c", b->out,
			 b->units[i].out_name);
		run(b, cp);
		ret = compile(b, &b->units[i], "after", copy, sizeof(copy));
		if (ret) {
			compile_failed(b, &b->units[i], ret, true);
			break;
		}
	}
	b->t_after = now_s() - t;
	if (apply_fix(b, true, false)) {
		fprintf(stderr, "patch build: could not take the fix back out of %s: the tree is dirty (see %s)\n",
			b->tree, b->log);
		return -EIO;
	}
	return 0;
}

struct why_ctx {
	char **names;
	size_t n;
};

static void add_touched(void *arg, const char *name)
{
	struct why_ctx *w = arg;

	push_str(&w->names, &w->n, name);
}

/* foo.isra.0, foo.constprop.0, foo.part.0 -> foo; __x64_sys_bar -> sys_bar */
static void source_name(const char *sym, char *out, size_t len)
{
	static const char *const wrappers[] = {
		"__x64_sys_", "__ia32_sys_", "__se_sys_", "__do_sys_",
		"__x64_compat_sys_", "__ia32_compat_sys_",
		"__se_compat_sys_", "__do_compat_sys_", NULL
	};
	int i;

	for (i = 0; wrappers[i]; i++)
		if (!strncmp(sym, wrappers[i], strlen(wrappers[i]))) {
			snprintf(out, len, "%ssys_%s",
				 strstr(wrappers[i], "compat") ? "compat_" : "",
				 sym + strlen(wrappers[i]));
			return;
		}
	snprintf(out, len, "%s", sym);
	out[strcspn(out, ".")] = '\0';
}

static const char *keep_why(struct build *b, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	push_str(&b->whys, &b->nwhys, buf);
	return b->nwhys ? b->whys[b->nwhys - 1] : "";
}

static void explain(struct build *b, struct pb_unit *u,
		    const struct pb_file_change *fc)
{
	struct why_ctx w = { 0 };
	char path[PATH_MAX], name[256];
	size_t i, j;

	snprintf(path, sizeof(path), "%s/work/after-%s.c", b->out,
		 u->out_name);
	if (fc)
		pb_source_touched(path, fc->new_lines, fc->nnew, false,
				  add_touched, &w);
	for (i = 0; i < u->diff.nfuncs; i++) {
		struct pb_func *f = &u->diff.funcs[i];
		bool own = false;

		source_name(f->sym->name, name, sizeof(name));
		for (j = 0; j < w.n; j++)
			own |= !strcmp(w.names[j], name);
		if (f->change == PB_NEW)
			f->why = keep_why(b, "new: code the patch carries calls it");
		else if (f->sym->by_callers)
			f->why = keep_why(b, "%s; ftrace cannot redirect it (notrace), so its callers are replaced and call this copy",
					  own ? "its source changed" :
						"its code changed");
		else if (f->sym->via)
			f->why = keep_why(b, "calls %s, which changed and ftrace cannot redirect (a notrace inline kept out of line)",
					  f->sym->via->name);
		else if (own)
			f->why = keep_why(b, "its source changed (%s)", name);
		else
			f->why = keep_why(b, "its code changed with no change to its own source: an inlined callee, a macro or a constant did");
	}
	for (i = 0; i < w.n; i++)
		free(w.names[i]);
	free(w.names);
}

static int diff_all(struct build *b)
{
	char before[PATH_MAX], after[PATH_MAX], err[1024] = "";
	double t = now_s();
	size_t i, k;
	int ret;

	for (i = 0; i < b->nunits; i++) {
		struct pb_unit *u = &b->units[i];
		struct pb_object *ob = calloc(1, sizeof(*ob));
		struct pb_object *oa = calloc(1, sizeof(*oa));

		if (!ob || !oa)
			return -ENOMEM;
		snprintf(before, sizeof(before), "%s/work/before-%s", b->out,
			 u->out_name);
		snprintf(after, sizeof(after), "%s/work/after-%s", b->out,
			 u->out_name);
		ret = pb_object_open(ob, before, err, sizeof(err));
		if (!ret)
			ret = pb_object_open(oa, after, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "patch build: %s\n", err);
			return ret;
		}
		u->diff.before = ob;
		u->diff.after = oa;
		u->diff.object = u->object;
		u->diff.target = &b->target;
		ret = pb_diff_run(&u->diff, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "patch build: %s\n", err);
			return ret;
		}
		/* This unit's file in the diff, for explain(). */
		for (k = 0; k < b->sd.nfiles; k++) {
			char want[PATH_MAX];

			snprintf(want, sizeof(want), "%s", u->path);
			want[strlen(want) - 1] = 'c';
			if (!strcmp(b->sd.files[k].path, want))
				break;
		}
		explain(b, u, k < b->sd.nfiles ? &b->sd.files[k] : NULL);
	}
	b->t_diff = now_s() - t;
	return 0;
}

static size_t count_refusals(const struct build *b)
{
	size_t i, n = b->nearly;

	for (i = 0; i < b->nunits; i++)
		n += b->units[i].diff.nrefusals;
	return n;
}

/* Functions the patch redirects (PB_CHANGED) or adds (PB_NEW). */
static size_t count_funcs(const struct build *b, enum pb_change c)
{
	size_t i, j, n = 0;

	for (i = 0; i < b->nunits; i++)
		for (j = 0; j < b->units[i].diff.nfuncs; j++)
			n += b->units[i].diff.funcs[j].change == c &&
			     !b->units[i].diff.funcs[j].sym->by_callers;
	return n;
}

static int build_module(struct build *b)
{
	char err[1024] = "", path[PATH_MAX], inc[PATH_MAX], m[PATH_MAX + 4];
	char extra[PATH_MAX + 32], ko[PATH_MAX];
	char *argv[] = { "make", "-C", b->kdir, m, extra,
		"CONFIG_DEBUG_INFO_BTF_MODULES=", "modules", NULL };
	double t = now_s();
	size_t i;
	int ret;

	for (i = 0; i < b->nunits; i++) {
		struct pb_unit *u = &b->units[i];

		snprintf(path, sizeof(path), "%s/%s", b->out, u->out_name);
		ret = pb_write_object(&u->diff, path, u->prefix, &u->written,
				      err, sizeof(err));
		if (ret) {
			fprintf(stderr, "patch build: %s\n", err);
			return ret;
		}
	}
	snprintf(inc, sizeof(inc), "%s/../kgraft-core/include", b->o->build);
	{
		char real[PATH_MAX];

		if (realpath(inc, real))
			snprintf(inc, sizeof(inc), "%s", real);
	}
	ret = pb_emit_module(b->out, b->module, b->name, b->o->fix,
			     b->units, b->nunits, inc, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "patch build: %s\n", err);
		return ret;
	}
	snprintf(m, sizeof(m), "M=%s", b->out);
	snprintf(extra, sizeof(extra), "KBUILD_EXTRA_SYMBOLS=%s/kmod/Module.symvers",
		 b->o->build);
	ret = run(b, argv);
	snprintf(ko, sizeof(ko), "%s/%s.ko", b->out, b->module);
	if (ret || access(ko, R_OK)) {
		fprintf(stderr, "patch build: the module did not build (see %s)\n",
			b->log);
		return -EIO;
	}
	b->t_module = now_s() - t;
	return 0;
}

static void write_manifest(struct build *b, const char *status)
{
	char path[PATH_MAX];
	struct json j;
	size_t i, k;
	FILE *f;

	snprintf(path, sizeof(path), "%s/manifest.json", b->out);
	f = fopen(path, "w");
	if (!f)
		return;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "status", status);
	json_str(&j, "fix", b->o->fix);
	json_str(&j, "name", b->name);
	json_str(&j, "module", b->module);
	json_str(&j, "kernel_release", b->release);
	json_str(&j, "source", b->tree);
	json_bool(&j, "kallsyms_checked", b->have_kallsyms);
	json_arr_begin(&j, "objects");
	for (i = 0; i < b->nunits; i++)
		json_str(&j, NULL, b->units[i].path);
	json_arr_end(&j);
	json_arr_begin(&j, "ignored_files");
	for (i = 0; i < b->nignored; i++)
		json_str(&j, NULL, b->ignored[i]);
	json_arr_end(&j);
	json_arr_begin(&j, "functions");
	for (i = 0; i < b->nunits; i++)
		for (k = 0; k < b->units[i].diff.nfuncs; k++) {
			const struct pb_func *f = &b->units[i].diff.funcs[k];

			json_obj_begin(&j, NULL);
			json_str(&j, "name", f->sym->name);
			json_str(&j, "object", b->units[i].object);
			json_str(&j, "file", b->units[i].path);
			json_str(&j, "change", f->change == PB_NEW ? "new" :
					 f->sym->by_callers ? "carried" :
							      "replaced");
			json_u64(&j, "sympos", f->sympos);
			json_u64(&j, "size", f->sym->s.st_size);
			json_str(&j, "why", f->why ? f->why : "");
			json_obj_end(&j);
		}
	json_arr_end(&j);
	json_arr_begin(&j, "kgraft_relocations");
	for (i = 0; i < b->nunits; i++)
		for (k = 0; k < b->units[i].diff.nkrelocs; k++) {
			const struct pb_kreloc *r = &b->units[i].diff.krelocs[k];

			json_obj_begin(&j, NULL);
			json_str(&j, "symbol", r->name);
			json_str(&j, "object", r->object);
			json_u64(&j, "sympos", r->sympos);
			json_str(&j, "in", r->sec->sym ? r->sec->sym->name :
							 r->sec->name);
			json_obj_end(&j);
		}
	json_arr_end(&j);
	json_arr_begin(&j, "refusals");
	for (i = 0; i < b->nearly; i++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "category", b->early[i].category);
		json_str(&j, "message", b->early[i].message);
		json_obj_end(&j);
	}
	for (i = 0; i < b->nunits; i++)
		for (k = 0; k < b->units[i].diff.nrefusals; k++) {
			json_obj_begin(&j, NULL);
			json_str(&j, "category",
				 b->units[i].diff.refusals[k].category);
			json_str(&j, "message",
				 b->units[i].diff.refusals[k].message);
			json_obj_end(&j);
		}
	json_arr_end(&j);
	json_arr_begin(&j, "notes");
	for (i = 0; i < b->nunits; i++)
		for (k = 0; k < b->units[i].diff.nnotes; k++)
			json_str(&j, NULL, b->units[i].diff.notes[k]);
	json_arr_end(&j);
	json_obj_begin(&j, "seconds");
	json_double(&j, "source", b->t_source);
	json_double(&j, "compile_before", b->t_before);
	json_double(&j, "compile_after", b->t_after);
	json_double(&j, "diff", b->t_diff);
	json_double(&j, "module", b->t_module);
	json_double(&j, "total", b->t_total);
	json_obj_end(&j);
	json_obj_end(&j);
	fclose(f);
}

static void print_refusals(const struct build *b)
{
	size_t i, k;

	fprintf(stderr, "patch build: %s refused:\n", b->o->fix);
	for (i = 0; i < b->nearly; i++)
		fprintf(stderr, "  [%s] %s\n", b->early[i].category,
			b->early[i].message);
	for (i = 0; i < b->nunits; i++)
		for (k = 0; k < b->units[i].diff.nrefusals; k++)
			fprintf(stderr, "  [%s] %s\n",
				b->units[i].diff.refusals[k].category,
				b->units[i].diff.refusals[k].message);
}

static int prepare(struct build *b)
{
	char rel[PATH_MAX], script[PATH_MAX], err[1024] = "", ks[PATH_MAX];
	char symvers[PATH_MAX];
	double t = now_s();
	int ret;

	snprintf(rel, sizeof(rel), "%s/kernel/release", b->o->build);
	if (b->o->release) {
		snprintf(b->release, sizeof(b->release), "%s", b->o->release);
	} else if (read_small_file(rel, b->release, sizeof(b->release)) < 0) {
		fprintf(stderr, "patch build: no stock kernel in %s/kernel (run make deps)\n",
			b->o->build);
		return -ENOENT;
	}
	strip_newline(b->release);
	snprintf(b->kdir, sizeof(b->kdir), "/usr/src/linux-headers-%s",
		 b->release);
	if (access(b->kdir, R_OK)) {
		fprintf(stderr, "patch build: %s: not installed (apt-get install linux-headers-%s)\n",
			b->kdir, b->release);
		return -ENOENT;
	}
	if (b->o->source) {
		snprintf(b->tree, sizeof(b->tree), "%s", b->o->source);
	} else {
		char pkg[160], version[128] = "";
		char *q[] = { "dpkg-query", "-W", "-f=${Version}", pkg, NULL };
		char *argv[] = { script, version, NULL };

		/* The source of the very version the target kernel is. */
		snprintf(pkg, sizeof(pkg), "linux-headers-%s", b->release);
		if (b->o->version)
			snprintf(version, sizeof(version), "%s", b->o->version);
		else if (run_capture(q, version, sizeof(version)) || !version[0]) {
			fprintf(stderr, "patch build: no version for %s\n", pkg);
			return -ENOENT;
		}

		snprintf(script, sizeof(script), "%s/../patch-builder/source.sh",
			 b->o->build);
		ret = run_capture(argv, b->tree, sizeof(b->tree));
		if (ret) {
			fprintf(stderr, "patch build: preparing the kernel source failed\n");
			return -EIO;
		}
	}
	b->t_source = now_s() - t;
	snprintf(symvers, sizeof(symvers), "%s/Module.symvers", b->kdir);
	if (b->o->kallsyms)
		snprintf(ks, sizeof(ks), "%s", b->o->kallsyms);
	else
		snprintf(ks, sizeof(ks), "%s/kernel/%s/kallsyms", b->o->build,
			 b->release);
	b->have_kallsyms = !access(ks, R_OK);
	if (!b->have_kallsyms && b->o->kallsyms) {
		fprintf(stderr, "patch build: %s: %s\n", ks, strerror(errno));
		return -ENOENT;
	}
	ret = pb_target_load(&b->target, symvers,
			     b->have_kallsyms ? ks : NULL, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "patch build: %s\n", err);
		return ret;
	}
	return 0;
}

static void print_result(const struct build *b)
{
	size_t i, k;

	printf("%s/%s.ko: patch %s, %zu function%s replaced, %zu new, from %s\n",
	       b->out, b->module, b->name, count_funcs(b, PB_CHANGED),
	       count_funcs(b, PB_CHANGED) == 1 ? "" : "s",
	       count_funcs(b, PB_NEW), b->o->fix);
	for (i = 0; i < b->nunits; i++)
		for (k = 0; k < b->units[i].diff.nfuncs; k++) {
			const struct pb_func *f = &b->units[i].diff.funcs[k];

			printf("  %-8s %s\n", f->change == PB_NEW ? "new" :
			       f->sym->by_callers ? "carried" : "replaced",
			       f->sym->name);
		}
	printf("built in %.1f s (compile before %.1f s, after %.1f s, diff %.2f s, module %.1f s)\n",
	       b->t_total, b->t_before, b->t_after, b->t_diff, b->t_module);
}

static void build_free(struct build *b)
{
	size_t i;

	for (i = 0; i < b->nunits; i++) {
		pb_diff_free(&b->units[i].diff);
		if (b->units[i].diff.before) {
			pb_object_close(b->units[i].diff.before);
			pb_object_close(b->units[i].diff.after);
		}
		free(b->units[i].diff.before);
		free(b->units[i].diff.after);
		free(b->units[i].written.relocs);
		free(b->units[i].path);
	}
	for (i = 0; i < b->nignored; i++)
		free(b->ignored[i]);
	for (i = 0; i < b->nwhys; i++)
		free(b->whys[i]);
	free(b->units);
	free(b->ignored);
	free(b->whys);
	free(b->early);
	pb_source_diff_free(&b->sd);
	pb_target_free(&b->target);
}

int pb_build(const struct pb_build_opts *o)
{
	struct build b = { .o = o };
	char work[PATH_MAX], lock[PATH_MAX], err[1024] = "";
	double start = now_s();
	int ret, lockfd = -1;

	patch_name(&b);
	if (!realpath(o->fix, b.fix)) {
		fprintf(stderr, "patch build: %s: %s\n", o->fix, strerror(errno));
		return 1;
	}
	snprintf(work, sizeof(work), "%s/work", o->out);
	if (mkdir_p(work)) {
		fprintf(stderr, "patch build: %s: %s\n", work, strerror(errno));
		return 1;
	}
	if (!realpath(o->out, b.out)) {
		fprintf(stderr, "patch build: %s: %s\n", o->out, strerror(errno));
		return 1;
	}
	snprintf(b.log, sizeof(b.log), "%s/build.log", b.out);
	unlink(b.log);
	ret = pb_source_diff_read(&b.sd, o->fix, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "patch build: %s\n", err);
		return 1;
	}
	ret = prepare(&b);
	if (ret)
		goto out;
	/* One build at a time per tree: the fix goes in and out of it. */
	snprintf(lock, sizeof(lock), "%s/.kgraft-lock", b.tree);
	lockfd = open(lock, O_RDWR | O_CREAT, 0644);
	if (lockfd < 0 || flock(lockfd, LOCK_EX)) {
		fprintf(stderr, "patch build: %s: %s\n", lock, strerror(errno));
		ret = -EIO;
		goto out;
	}
	if (apply_fix(&b, false, true))
		early_refuse(&b, "does not apply",
			     "the fix does not apply to %s (see %s)", b.tree, b.log);
	else
		classify_files(&b);
	if (!b.nearly && !b.nunits)
		early_refuse(&b, "no kernel code", "the fix changes no kernel C source");
	if (!b.nearly) {
		ret = compile_all(&b);
		if (ret)
			goto out;
	}
	if (!b.nearly) {
		ret = diff_all(&b);
		if (ret)
			goto out;
		if (!count_refusals(&b) && !count_funcs(&b, PB_CHANGED))
			early_refuse(&b, "no function changed",
				     "the compiled code is the same before and after the fix");
	}
	if (count_refusals(&b)) {
		b.t_total = now_s() - start;
		write_manifest(&b, "refused");
		print_refusals(&b);
		ret = PB_EXIT_REFUSED;
		goto out;
	}
	ret = build_module(&b);
	b.t_total = now_s() - start;
	if (ret) {
		write_manifest(&b, "failed");
		goto out;
	}
	write_manifest(&b, "built");
	if (!o->quiet)
		print_result(&b);
	if (!b.have_kallsyms)
		fprintf(stderr, "patch build: no kallsyms of the guest kernel: local symbols were not checked against it (patch-builder/kallsyms.sh)\n");
out:
	if (lockfd >= 0)
		close(lockfd);
	build_free(&b);
	if (ret == PB_EXIT_REFUSED)
		return PB_EXIT_REFUSED;
	return ret ? 1 : 0;
}
