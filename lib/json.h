/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - results as JSON, through jansson.
 *
 * Writing: a streaming-style API (begin, members, end) that builds a jansson
 * tree and writes it out when the outermost container closes, so writers
 * need not keep json_t handles. Reading: jansson's json_t directly, plus a
 * dotted path and exact 64-bit integers, which jansson lacks. A u64 or i64
 * written as a double (whole, below 2^53) reads as one too.
 *
 * Numbers: jansson's integers are long long, so a u64 above INT64_MAX is
 * written as a string of its digits (as protobuf's JSON mapping does) and
 * json_get_u64() reads it back exactly. Doubles are written with 9
 * significant digits, as the old writer did, and NaN or infinity as null
 * (JSON has neither).
 */
#ifndef LIB_JSON_H
#define LIB_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	32

struct json {
	FILE *f;
	int depth;
	int lost;			/* containers opened past the limit */
	json_t *nest[JSON_MAX_DEPTH];
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
/* A null member (jansson's json_null() makes the value). */
void json_none(struct json *j, const char *key);

/*
 * Parse @text, or what @f holds, as one JSON value: a tree to release with
 * json_decref(), or NULL with a message (and byte offset) in @err.
 */
json_t *json_parse(const char *text, char *err, size_t errlen);
json_t *json_read(FILE *f, char *err, size_t errlen);
/* Follow "a.b.c" through objects; a number selects an array item. */
json_t *json_path(const json_t *v, const char *path);
/* An integer member, exact to 64 bits; 0, or -1 if absent or not one. */
int json_get_u64(const json_t *v, const char *path, uint64_t *out);
/* The same, 0 when absent: for counts that a missing field means none of. */
uint64_t json_u64_or_0(const json_t *v, const char *path);
int json_get_i64(const json_t *v, const char *path, int64_t *out);

#endif
