// SPDX-License-Identifier: GPL-2.0
/* Reading a unified diff, and finding what its lines belong to. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patch-builder/source-diff.h"

static int add_range(struct pb_range **v, size_t *n, unsigned int line)
{
	struct pb_range *r;

	if (*n && (*v)[*n - 1].last + 1 >= line) {
		if ((*v)[*n - 1].last < line)
			(*v)[*n - 1].last = line;
		return 0;
	}
	r = realloc(*v, (*n + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	*v = r;
	r[*n].first = r[*n].last = line;
	(*n)++;
	return 0;
}

/* "a/kernel/sys.c\t2026-..." -> "kernel/sys.c"; NULL for /dev/null. */
static char *strip_path(const char *s)
{
	size_t len;
	const char *slash;

	while (*s == ' ')
		s++;
	if (!strncmp(s, "/dev/null", 9))
		return NULL;
	slash = strchr(s, '/');
	if (slash)
		s = slash + 1;	/* -p1 */
	len = strcspn(s, "\t\n");
	while (len && s[len - 1] == ' ')
		len--;
	return strndup(s, len);
}

int pb_source_diff_read(struct pb_source_diff *sd, const char *path,
			char *err, size_t errlen)
{
	unsigned int oldl = 0, newl = 0;
	struct pb_file_change *cur = NULL;
	char *line = NULL, *minus = NULL;
	bool minus_null = false, removed = false;
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	memset(sd, 0, sizeof(*sd));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (getline(&line, &cap, f) > 0) {
		if (!strncmp(line, "--- ", 4)) {
			free(minus);
			minus = strip_path(line + 4);
			minus_null = !minus;
			continue;
		}
		if (!strncmp(line, "+++ ", 4)) {
			struct pb_file_change *v;
			char *plus = strip_path(line + 4);

			v = realloc(sd->files, (sd->nfiles + 1) * sizeof(*v));
			if (!v) {
				ret = -ENOMEM;
				break;
			}
			sd->files = v;
			cur = &v[sd->nfiles++];
			memset(cur, 0, sizeof(*cur));
			cur->created = minus_null;
			cur->deleted = !plus;
			cur->path = plus ? plus : minus;
			if (plus)
				free(minus);
			minus = NULL;
			continue;
		}
		if (!strncmp(line, "@@ ", 3) && cur) {
			removed = false;
			if (sscanf(line, "@@ -%u%*[^+]+%u", &oldl, &newl) != 2) {
				snprintf(err, errlen, "%s: bad hunk header: %s",
					 path, line);
				ret = -EINVAL;
				break;
			}
			continue;
		}
		if (!cur || (!oldl && !newl))
			continue;
		if (line[0] == '-') {
			ret = add_range(&cur->old_lines, &cur->nold, oldl++);
			removed = true;
			/* A removal touches the new text where it was. */
			if (!ret)
				ret = add_range(&cur->new_lines, &cur->nnew,
						newl ? newl : 1);
		} else if (line[0] == '+') {
			ret = add_range(&cur->new_lines, &cur->nnew, newl++);
			/* A pure insertion touches the old text where it goes
			 * (a new field in a struct); a replacement already
			 * named the lines it replaces. */
			if (!ret && !removed)
				ret = add_range(&cur->old_lines, &cur->nold,
						oldl ? oldl : 1);
		} else if (line[0] == ' ') {
			oldl++;
			newl++;
			removed = false;
		}
		if (ret)
			break;
	}
	free(line);
	free(minus);
	fclose(f);
	if (!ret && !sd->nfiles) {
		snprintf(err, errlen, "%s: not a unified diff (no +++ line)", path);
		ret = -EINVAL;
	}
	if (ret)
		pb_source_diff_free(sd);
	return ret;
}

void pb_source_diff_free(struct pb_source_diff *sd)
{
	size_t i;

	for (i = 0; i < sd->nfiles; i++) {
		free(sd->files[i].path);
		free(sd->files[i].old_lines);
		free(sd->files[i].new_lines);
	}
	free(sd->files);
	memset(sd, 0, sizeof(*sd));
}

static bool touched(const struct pb_range *r, size_t n, unsigned int a,
		    unsigned int b)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].first <= b && r[i].last >= a)
			return true;
	return false;
}

/* The name a definition's first line gives: "struct foo {" -> foo; a
 * function's "int foo(" -> foo; SYSCALL_DEFINEn(name, -> sys_name. */
static void def_name(const char *head, bool structs, char *out, size_t len)
{
	const char *p, *q;

	out[0] = '\0';
	if (structs) {
		p = strstr(head, "struct ");
		q = strstr(head, "union ");
		if (!p || (q && q < p))
			p = q ? q + 6 : NULL;
		else
			p += 7;
		if (!p)
			return;
		while (*p == ' ')
			p++;
		q = p;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		snprintf(out, len, "%.*s", (int)(q - p), p);
		return;
	}
	p = strstr(head, "SYSCALL_DEFINE");
	if (p && (p = strchr(p, '('))) {
		p++;
		q = p;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		snprintf(out, len, "sys_%.*s", (int)(q - p), p);
		return;
	}
	p = strchr(head, '(');
	if (!p)
		return;
	q = p;
	while (q > head && q[-1] == ' ')
		q--;
	p = q;
	while (p > head && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		p--;
	snprintf(out, len, "%.*s", (int)(q - p), p);
}

int pb_source_touched(const char *file, const struct pb_range *ranges,
		      size_t n, bool structs,
		      void (*fn)(void *arg, const char *name), void *arg)
{
	char *line = NULL, head[1024] = "", name[256];
	unsigned int lineno = 0, start = 0;
	bool in_body = false;
	size_t cap = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		if (in_body) {
			if (line[0] == '}') {
				in_body = false;
				def_name(head, structs, name, sizeof(name));
				if (name[0] && touched(ranges, n, start, lineno))
					fn(arg, name);
			}
			continue;
		}
		if (line[0] == '{' && !structs) {
			in_body = true;	/* head holds the declarator */
			continue;
		}
		if (structs && line[0] != ' ' && line[0] != '\t' &&
		    (strstr(line, "struct ") || strstr(line, "union ")) &&
		    strchr(line, '{') && !strchr(line, '(') &&
		    !strchr(line, '=') && !strchr(line, ';')) {
			snprintf(head, sizeof(head), "%s", line);
			start = lineno;
			in_body = true;
			continue;
		}
		/* A function's declarator starts in column 0 and may wrap. */
		if (!structs && (isalpha((unsigned char)line[0]) || line[0] == '_')) {
			snprintf(head, sizeof(head), "%s", line);
			start = lineno;
		} else if (!structs && (line[0] == '\t' || line[0] == ' ') &&
			   head[0] && !strchr(head, ';') && !strchr(head, '{')) {
			/* continuation of the declarator */
		} else if (!structs && line[0] != '{') {
			head[0] = '\0';
		}
	}
	free(line);
	fclose(f);
	return 0;
}
