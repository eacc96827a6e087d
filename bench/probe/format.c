// SPDX-License-Identifier: GPL-2.0
/*
 * probe-format.c - tracefs format files. A field line reads
 *	field:__data_loc char[] patch;	offset:8;	size:4;	signed:0;
 * and the record's common_* header fields come first, like any other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/probe/format.h"

/*
 * "unsigned int nr_tasks", "char comm[16]", "__data_loc char[] patch": the
 * name is the last word, less any "[n]"; the type is what comes before.
 */
static void split_decl(const char *decl, struct tp_field *fl)
{
	const char *name = strrchr(decl, ' ');
	size_t tlen;
	char *bracket;
	bool array;

	name = name ? name + 1 : decl;
	tlen = (size_t)(name - decl);
	while (tlen && decl[tlen - 1] == ' ')
		tlen--;
	snprintf(fl->type, sizeof(fl->type), "%.*s", (int)tlen, decl);
	snprintf(fl->name, sizeof(fl->name), "%s", name);
	bracket = strchr(fl->name, '[');
	array = bracket != NULL;
	if (bracket)
		*bracket = '\0';
	fl->data_loc = !strncmp(fl->type, "__data_loc", 10);
	fl->is_string = strstr(fl->type, "char") && (array || fl->data_loc);
}

int tp_format_parse(const char *text, struct tp_format *f)
{
	const char *line = text;

	memset(f, 0, sizeof(*f));
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);
		char buf[512], decl[256];
		struct tp_field fl;
		int sgn;

		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		line = eol ? eol + 1 : NULL;
		if (sscanf(buf, "name: %63s", f->name) == 1)
			continue;
		if (sscanf(buf, "ID: %u", &f->id) == 1)
			continue;
		memset(&fl, 0, sizeof(fl));
		if (sscanf(buf, " field:%255[^;]; offset:%u; size:%u; signed:%d;",
			   decl, &fl.offset, &fl.size, &sgn) != 4)
			continue;
		fl.is_signed = sgn;
		split_decl(decl, &fl);
		if (f->nr < TP_MAX_FIELDS)
			f->fields[f->nr++] = fl;
	}
	return f->name[0] && f->nr ? 0 : -EINVAL;
}

const struct tp_field *tp_format_field(const struct tp_format *f,
				       const char *name)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}

int tp_field_u64(const struct tp_field *fl, const void *raw, size_t len,
		 uint64_t *out)
{
	const unsigned char *p = (const unsigned char *)raw + fl->offset;
	union { uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64; } v;

	if (fl->is_string || fl->data_loc)
		return -EINVAL;
	if ((size_t)fl->offset + fl->size > len)
		return -ERANGE;
	switch (fl->size) {
	case 1:
		memcpy(&v.u8, p, 1);
		*out = fl->is_signed ? (uint64_t)(int64_t)(int8_t)v.u8 : v.u8;
		break;
	case 2:
		memcpy(&v.u16, p, 2);
		*out = fl->is_signed ? (uint64_t)(int64_t)(int16_t)v.u16 : v.u16;
		break;
	case 4:
		memcpy(&v.u32, p, 4);
		*out = fl->is_signed ? (uint64_t)(int64_t)(int32_t)v.u32 : v.u32;
		break;
	case 8:
		memcpy(&v.u64, p, 8);
		*out = v.u64;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int tp_field_str(const struct tp_field *fl, const void *raw, size_t len,
		 char *buf, size_t buflen)
{
	const char *r = raw;
	size_t off = fl->offset, n = fl->size, i;

	if (!fl->is_string || !buflen)
		return -EINVAL;
	if (fl->data_loc) {
		uint32_t loc;

		if (off + 4 > len)
			return -ERANGE;
		memcpy(&loc, r + off, 4);
		off = loc & 0xffff;
		n = loc >> 16;
	}
	if (off > len)
		return -ERANGE;
	/* A record longer than the copy BPF took: keep what arrived. */
	if (off + n > len)
		n = len - off;
	for (i = 0; i < n && i + 1 < buflen && r[off + i]; i++)
		buf[i] = r[off + i];
	buf[i] = '\0';
	return 0;
}

/* One "{ 2, "sweep" }" at @s into @sym; the text after it, or NULL. */
static const char *parse_symbol(const char *s, struct tp_symbol *sym)
{
	const char *name, *end;
	char *after;

	s += strspn(s, " \t,");
	if (*s != '{')
		return NULL;
	sym->value = strtoll(s + 1, &after, 0);
	name = after + strspn(after, " \t");
	if (after == s + 1 || *name != ',')
		return NULL;
	name += strspn(name + 1, " \t") + 1;
	if (*name != '"')
		return NULL;
	end = strchr(name + 1, '"');
	if (!end)
		return NULL;
	snprintf(sym->name, sizeof(sym->name), "%.*s",
		 (int)(end - name - 1), name + 1);
	end = strchr(end, '}');
	return end ? end + 1 : NULL;
}

unsigned int tp_format_symbols(const char *text, const char *field,
			       struct tp_symbol *sym, unsigned int max)
{
	char start[96];
	const char *s;
	unsigned int n = 0;

	snprintf(start, sizeof(start), "__print_symbolic(REC->%s,", field);
	s = strstr(text, start);
	if (!s)
		return 0;
	s += strlen(start);
	while (n < max && s && (s = parse_symbol(s, &sym[n])))
		n++;
	return n;
}
