// SPDX-License-Identifier: GPL-2.0
/* json.c - write results as JSON and read them back. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void indent(struct json *j)
{
	int i;

	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Separator, indentation and key before a new member. */
static void member(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			fputc(',', j->f);
		fputc('\n', j->f);
		indent(j);
	}
	j->need_comma[j->depth] = true;
	if (key) {
		put_string(j->f, key);
		fputs(": ", j->f);
	}
}

static void open_nest(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_nest(struct json *j, char c)
{
	bool had = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had) {
		fputc('\n', j->f);
		indent(j);
	}
	fputc(c, j->f);
	if (!j->depth)
		fputc('\n', j->f);
}

void json_obj_begin(struct json *j, const char *key)
{
	open_nest(j, key, '{');
}

void json_obj_end(struct json *j)
{
	close_nest(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	open_nest(j, key, '[');
}

void json_arr_end(struct json *j)
{
	close_nest(j, ']');
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

void json_double(struct json *j, const char *key, double v)
{
	member(j, key);
	/* JSON has no NaN or infinity. */
	if (isfinite(v))
		fprintf(j->f, "%.9g", v);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_str(struct json *j, const char *key, const char *s)
{
	member(j, key);
	put_string(j->f, s);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

/* The reader: recursive descent over the whole text. */
struct parser {
	const char *s;
	size_t pos;
	char *err;
	size_t errlen;
	int depth;
};

static int perr(struct parser *p, const char *what)
{
	if (p->err && !p->err[0])
		snprintf(p->err, p->errlen, "%s at byte %zu", what, p->pos);
	return -1;
}

static void skip_ws(struct parser *p)
{
	while (isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

static int parse_value(struct parser *p, struct json_value **out);

static int parse_string(struct parser *p, char **out)
{
	size_t cap = 16, len = 0;
	char *buf;

	if (p->s[p->pos] != '"')
		return perr(p, "expected a string");
	p->pos++;
	buf = malloc(cap);
	if (!buf)
		return perr(p, "out of memory");
	for (;;) {
		char c = p->s[p->pos++];

		if (!c || (unsigned char)c < 0x20) {
			free(buf);
			return perr(p, "unterminated string");
		}
		if (c == '"')
			break;
		if (c == '\\') {
			c = p->s[p->pos++];
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case '"':
			case '\\':
			case '/':
				break;
			case 'u': {
				unsigned int u;

				/* Only what the writer emits: control bytes. */
				if (sscanf(p->s + p->pos, "%4x", &u) != 1 || u > 0x7f) {
					free(buf);
					return perr(p, "unsupported \\u escape");
				}
				p->pos += 4;
				c = (char)u;
				break;
			}
			default:
				free(buf);
				return perr(p, "bad escape");
			}
		}
		if (len + 2 > cap) {
			char *n = realloc(buf, cap *= 2);

			if (!n) {
				free(buf);
				return perr(p, "out of memory");
			}
			buf = n;
		}
		buf[len++] = c;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int add_item(struct json_value *v, char *key, struct json_value *item)
{
	struct json_value **items;
	char **keys;

	items = realloc(v->items, (v->n + 1) * sizeof(*items));
	if (!items)
		return -1;
	v->items = items;
	if (v->type == JSON_OBJECT) {
		keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));
		if (!keys)
			return -1;
		v->keys = keys;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
	return 0;
}

static int parse_members(struct parser *p, struct json_value *v, char close)
{
	skip_ws(p);
	if (p->s[p->pos] == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct json_value *item;
		char *key = NULL;

		skip_ws(p);
		if (v->type == JSON_OBJECT) {
			if (parse_string(p, &key))
				return -1;
			skip_ws(p);
			if (p->s[p->pos] != ':') {
				free(key);
				return perr(p, "expected ':'");
			}
			p->pos++;
		}
		if (parse_value(p, &item)) {
			free(key);
			return -1;
		}
		if (add_item(v, key, item)) {
			free(key);
			json_free(item);
			return perr(p, "out of memory");
		}
		skip_ws(p);
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->s[p->pos] == close) {
			p->pos++;
			return 0;
		}
		return perr(p, "expected ',' or end of container");
	}
}

static int parse_number(struct parser *p, struct json_value *v)
{
	const char *start = p->s + p->pos;
	char *end;

	errno = 0;
	v->num = strtod(start, &end);
	if (end == start || errno == ERANGE)
		return perr(p, "bad number");
	v->str = strndup(start, end - start);
	if (!v->str)
		return perr(p, "out of memory");
	p->pos += end - start;
	return 0;
}

static int parse_value(struct parser *p, struct json_value **out)
{
	struct json_value *v;
	const char *s;
	int err = 0;

	if (++p->depth > JSON_MAX_DEPTH)
		return perr(p, "nested too deeply");
	skip_ws(p);
	v = calloc(1, sizeof(*v));
	if (!v)
		return perr(p, "out of memory");
	s = p->s + p->pos;
	if (*s == '{') {
		v->type = JSON_OBJECT;
		p->pos++;
		err = parse_members(p, v, '}');
	} else if (*s == '[') {
		v->type = JSON_ARRAY;
		p->pos++;
		err = parse_members(p, v, ']');
	} else if (*s == '"') {
		v->type = JSON_STRING;
		err = parse_string(p, &v->str);
	} else if (!strncmp(s, "true", 4) || !strncmp(s, "false", 5)) {
		v->type = JSON_BOOL;
		v->b = *s == 't';
		p->pos += v->b ? 4 : 5;
	} else if (!strncmp(s, "null", 4)) {
		v->type = JSON_NULL;
		p->pos += 4;
	} else if (*s == '-' || isdigit((unsigned char)*s)) {
		v->type = JSON_NUMBER;
		err = parse_number(p, v);
	} else {
		err = perr(p, "unexpected character");
	}
	p->depth--;
	if (err) {
		json_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

int json_parse(const char *text, struct json_value **out, char *err,
	       size_t errlen)
{
	struct parser p = { .s = text, .err = err, .errlen = errlen };
	struct json_value *v;

	if (err && errlen)
		err[0] = '\0';
	if (parse_value(&p, &v))
		return -1;
	skip_ws(&p);
	if (p.s[p.pos]) {
		json_free(v);
		return perr(&p, "trailing text");
	}
	*out = v;
	return 0;
}

void json_free(struct json_value *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		json_free(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	free(v->str);
	free(v);
}

const struct json_value *json_get(const struct json_value *v, const char *key)
{
	size_t i;

	if (!v || v->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return v->items[i];
	return NULL;
}

const struct json_value *json_path(const struct json_value *v,
				   const char *path)
{
	char part[128];
	const char *dot;
	size_t len;

	while (v && *path) {
		dot = strchr(path, '.');
		len = dot ? (size_t)(dot - path) : strlen(path);
		if (len >= sizeof(part))
			return NULL;
		memcpy(part, path, len);
		part[len] = '\0';
		if (v->type == JSON_ARRAY) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);

			v = (*end || i >= v->n) ? NULL : v->items[i];
		} else {
			v = json_get(v, part);
		}
		path += len + (dot ? 1 : 0);
	}
	return v;
}

int json_get_i64(const struct json_value *v, const char *path, int64_t *out)
{
	char *end;

	v = json_path(v, path);
	if (!v || v->type != JSON_NUMBER || !v->str)
		return -1;
	errno = 0;
	*out = strtoll(v->str, &end, 10);
	return (*end || errno) ? -1 : 0;
}

int json_get_u64(const struct json_value *v, const char *path, uint64_t *out)
{
	char *end;

	v = json_path(v, path);
	if (!v || v->type != JSON_NUMBER || !v->str || v->str[0] == '-')
		return -1;
	errno = 0;
	*out = strtoull(v->str, &end, 10);
	return (*end || errno) ? -1 : 0;
}
