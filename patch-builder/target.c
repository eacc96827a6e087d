// SPDX-License-Identifier: GPL-2.0
/* Module.symvers and a kallsyms copy: what the target kernel has. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patch-builder/object.h"
#include "patch-builder/target.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_symvers(struct pb_target *t, const char *path, char *err,
			size_t errlen)
{
	size_t cap = 0;
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	/* crc <tab> name <tab> module <tab> export type <tab> namespace */
	while (fgets(line, sizeof(line), f)) {
		char *name = strchr(line, '\t'), *end;

		if (!name)
			continue;
		name++;
		end = strchr(name, '\t');
		if (!end)
			continue;
		*end = '\0';
		if (t->nexports == cap) {
			char **n;

			cap = cap ? cap * 2 : 4096;
			n = realloc(t->exports, cap * sizeof(*n));
			if (!n) {
				fclose(f);
				return -ENOMEM;
			}
			t->exports = n;
		}
		t->exports[t->nexports++] = strdup(name);
	}
	fclose(f);
	qsort(t->exports, t->nexports, sizeof(*t->exports), cmp_str);
	return 0;
}

static int load_kallsyms(struct pb_target *t, const char *path, char *err,
			 size_t errlen)
{
	size_t cap = 0;
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[512], mod[256] = "", type;
		unsigned long addr;
		int n = sscanf(line, "%lx %c %511s [%255[^]]]", &addr, &type,
			       name, mod);

		if (n < 3)
			continue;
		if (t->nksyms == cap) {
			struct pb_ksym *k;

			cap = cap ? cap * 2 : 65536;
			k = realloc(t->ksyms, cap * sizeof(*k));
			if (!k) {
				fclose(f);
				return -ENOMEM;
			}
			t->ksyms = k;
		}
		t->ksyms[t->nksyms].name = strdup(name);
		t->ksyms[t->nksyms].module = n == 4 ? strdup(mod) : NULL;
		t->ksyms[t->nksyms].addr = addr;
		t->ksyms[t->nksyms].type = type;
		t->nksyms++;
	}
	fclose(f);
	if (!t->nksyms) {
		snprintf(err, errlen, "%s: no symbols", path);
		return -EINVAL;
	}
	return 0;
}

int pb_target_load(struct pb_target *t, const char *symvers,
		   const char *kallsyms, char *err, size_t errlen)
{
	int ret = 0;

	memset(t, 0, sizeof(*t));
	if (symvers)
		ret = load_symvers(t, symvers, err, errlen);
	if (!ret && kallsyms)
		ret = load_kallsyms(t, kallsyms, err, errlen);
	if (ret)
		pb_target_free(t);
	return ret;
}

void pb_target_free(struct pb_target *t)
{
	size_t i;

	for (i = 0; i < t->nexports; i++)
		free(t->exports[i]);
	for (i = 0; i < t->nksyms; i++) {
		free(t->ksyms[i].name);
		free(t->ksyms[i].module);
	}
	free(t->exports);
	free(t->ksyms);
	memset(t, 0, sizeof(*t));
}

bool pb_target_exported(const struct pb_target *t, const char *name)
{
	return t->nexports &&
	       bsearch(&name, t->exports, t->nexports, sizeof(*t->exports),
		       cmp_str);
}

static bool in_object(const struct pb_ksym *k, const char *object)
{
	if (!strcmp(object, "vmlinux"))
		return !k->module;
	return k->module && !strcmp(k->module, object);
}

/* How many of the symbols around @i are symbols @o defines too. */
static int neighbours(const struct pb_target *t, size_t i, struct pb_object *o)
{
	size_t lo = i > 24 ? i - 24 : 0, hi = i + 24, j;
	int n = 0;

	for (j = lo; j <= hi && j < t->nksyms; j++) {
		struct pb_symbol *s;

		if (j == i)
			continue;
		s = pb_symbol_by_name(o, t->ksyms[j].name);
		if (s && s->sec)
			n++;
	}
	return n;
}

int pb_target_sympos(const struct pb_target *t, const char *object,
		     const char *name, struct pb_object *o,
		     unsigned long *pos)
{
	unsigned long count = 0, best_pos = 0;
	int best = -1, tie = 0;
	size_t i;

	*pos = 0;
	if (!t->nksyms)
		return 0;
	/* A module not loaded when kallsyms was taken: nothing to check. */
	for (i = 0; i < t->nksyms && !in_object(&t->ksyms[i], object); i++)
		;
	if (i == t->nksyms)
		return 0;
	for (i = 0; i < t->nksyms; i++) {
		int n;

		if (!in_object(&t->ksyms[i], object) ||
		    strcmp(t->ksyms[i].name, name))
			continue;
		count++;
		n = neighbours(t, i, o);
		if (n > best) {
			best = n;
			best_pos = count;
			tie = 0;
		} else if (n == best) {
			tie = 1;
		}
	}
	if (!count)
		return -ENOENT;
	if (count == 1)
		return 0;
	if (tie || best <= 0)
		return -ENOTUNIQ;
	*pos = best_pos;
	return 0;
}
