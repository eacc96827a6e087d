// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - the results writer on top of jansson: members go into a tree,
 * written whole when the outermost container closes. Every writer builds
 * its file in one go, so nothing is lost by not streaming.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

/* The old writer's layout: two-space indent, members in the order added. */
#define DUMP_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
			 JSON_REAL_PRECISION(9) | JSON_ENCODE_ANY)

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* The outermost value is complete: write it, then a newline as before. */
static void dump(struct json *j, json_t *v)
{
	json_dumpf(v, j->f, DUMP_FLAGS);
	fputc('\n', j->f);
	json_decref(v);
}

/*
 * Put @v (our reference) in the open container, under @key in an object.
 * A key written twice keeps its first value: an object holds one value per
 * key, and the first is what readers of the old writer's files got.
 */
static void add(struct json *j, const char *key, json_t *v)
{
	json_t *in;

	if (!v)
		return;
	if (!j->depth) {
		dump(j, v);
		return;
	}
	in = j->nest[j->depth - 1];
	if (json_is_array(in))
		json_array_append_new(in, v);
	else if (key && !json_object_get(in, key))
		json_object_set_new(in, key, v);
	else
		json_decref(v);
}

static void open_nest(struct json *j, const char *key, json_t *c)
{
	if (!c || j->depth == JSON_MAX_DEPTH) {
		/* Its members go to the enclosing container. */
		j->lost++;
		json_decref(c);
		return;
	}
	if (j->depth)
		add(j, key, json_incref(c));
	j->nest[j->depth++] = c;
}

static void close_nest(struct json *j)
{
	json_t *c;

	if (j->lost) {
		j->lost--;
		return;
	}
	if (!j->depth)
		return;
	c = j->nest[--j->depth];
	if (j->depth)
		json_decref(c);
	else
		dump(j, c);
}

void json_obj_begin(struct json *j, const char *key)
{
	open_nest(j, key, json_object());
}

void json_obj_end(struct json *j)
{
	close_nest(j);
}

void json_arr_begin(struct json *j, const char *key)
{
	open_nest(j, key, json_array());
}

void json_arr_end(struct json *j)
{
	close_nest(j);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	char s[24];

	if (v <= INT64_MAX) {
		add(j, key, json_integer((json_int_t)v));
		return;
	}
	/* Past jansson's long long: the digits, which json_get_u64() reads. */
	snprintf(s, sizeof(s), "%llu", (unsigned long long)v);
	add(j, key, json_string(s));
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	add(j, key, json_integer(v));
}

void json_double(struct json *j, const char *key, double v)
{
	/* JSON has no NaN or infinity. */
	add(j, key, isfinite(v) ? json_real(v) : json_null());
}

void json_bool(struct json *j, const char *key, bool v)
{
	add(j, key, json_boolean(v));
}

/*
 * jansson takes UTF-8 only, while a task's comm or a path may hold any
 * bytes (the old writer copied them): other bytes become '?'.
 */
void json_str(struct json *j, const char *key, const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	char *t, *p;

	if (!v && s) {
		t = strdup(s);
		if (!t)
			return;
		for (p = t; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		v = json_string(t);
		free(t);
	}
	add(j, key, v);
}

void json_none(struct json *j, const char *key)
{
	add(j, key, json_null());
}
