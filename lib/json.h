/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workload-json.h - a small JSON writer for results, and a reader that
 * parses them back (tests and later commands read what bench wrote).
 * Integers are kept as their text too, so 64-bit counters survive the
 * round trip exactly instead of through a double.
 */
#ifndef BENCH_WORKLOAD_JSON_H
#define BENCH_WORKLOAD_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	32

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
/* @key is NULL inside arrays and for the outermost value. */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_double(struct json *j, const char *key, double v);
void json_bool(struct json *j, const char *key, bool v);
void json_str(struct json *j, const char *key, const char *s);
void json_null(struct json *j, const char *key);

enum json_type {
	JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT,
};

struct json_value {
	enum json_type type;
	bool b;
	double num;
	char *str;			/* string, or a number's text */
	size_t n;			/* array or object members */
	char **keys;			/* object member names */
	struct json_value **items;
};

/*
 * Parse @text as one JSON value. Returns 0 and a tree to free with
 * json_free(), or -1 with a message (and byte offset) in @err.
 */
int json_parse(const char *text, struct json_value **out, char *err,
	       size_t errlen);
void json_free(struct json_value *v);
/* Member @key of an object, or NULL. */
const struct json_value *json_get(const struct json_value *v, const char *key);
/* Follow "a.b.c" through objects; a number selects an array item. */
const struct json_value *json_path(const struct json_value *v,
				   const char *path);
/* A number member as an integer (exact for integers written by json_u64). */
int json_get_u64(const struct json_value *v, const char *path, uint64_t *out);
/* The same for a signed integer (json_i64). */
int json_get_i64(const struct json_value *v, const char *path, int64_t *out);

#endif
