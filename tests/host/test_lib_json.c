// SPDX-License-Identifier: GPL-2.0
/*
 * lib/json: what the writer writes, jansson and the helpers read back
 * exactly, in the old writer's layout; what it rejects; 64-bit integers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/json.h"

/* Write with @fn into memory; the text, to free. */
static char *write_text(void (*fn)(struct json *))
{
	char *text = NULL;
	size_t len;
	struct json j;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	json_init(&j, f);
	fn(&j);
	assert_int_equal(fclose(f), 0);
	return text;
}

static json_t *parse_ok(const char *text)
{
	char err[128];
	json_t *v = json_parse(text, err, sizeof(err));

	if (!v)
		fail_msg("parse failed: %s in:\n%s", err, text);
	return v;
}

static void write_values(struct json *j)
{
	json_obj_begin(j, NULL);
	json_u64(j, "max", UINT64_MAX);
	json_u64(j, "above_i64", (1ULL << 63) + 1);
	json_u64(j, "i64_max", INT64_MAX);
	json_u64(j, "above_double", (1ULL << 53) + 1);
	json_i64(j, "neg", -42);
	json_i64(j, "i64_min", INT64_MIN);
	json_double(j, "pi", 3.25);
	json_bool(j, "yes", true);
	json_none(j, "nothing");
	json_str(j, "text", "quote \" backslash \\ tab \t newline \n ctl \x01");
	json_arr_begin(j, "empty");
	json_arr_end(j);
	json_arr_begin(j, "nested");
	json_arr_begin(j, NULL);
	json_u64(j, NULL, 1);
	json_u64(j, NULL, 2);
	json_arr_end(j);
	json_obj_begin(j, NULL);
	json_str(j, "k", "v");
	json_obj_end(j);
	json_arr_end(j);
	json_obj_end(j);
}

static void test_round_trip(void **state)
{
	char *text = write_text(write_values);
	json_t *v = parse_ok(text);
	uint64_t u;
	int64_t i;

	(void)state;
	assert_int_equal(json_get_u64(v, "max", &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(json_get_u64(v, "above_i64", &u), 0);
	assert_true(u == (1ULL << 63) + 1);
	assert_int_equal(json_get_u64(v, "i64_max", &u), 0);
	assert_true(u == INT64_MAX);
	assert_int_equal(json_get_u64(v, "above_double", &u), 0);
	assert_true(u == (1ULL << 53) + 1);
	assert_int_equal(json_get_i64(v, "i64_min", &i), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(json_get_i64(v, "neg", &i), 0);
	assert_int_equal(i, -42);
	assert_int_equal(json_get_u64(v, "neg", &u), -1);
	assert_true(json_real_value(json_object_get(v, "pi")) == 3.25);
	assert_true(json_is_true(json_object_get(v, "yes")));
	assert_true(json_is_null(json_object_get(v, "nothing")));
	assert_string_equal(json_string_value(json_object_get(v, "text")),
			    "quote \" backslash \\ tab \t newline \n ctl \x01");
	assert_int_equal(json_array_size(json_object_get(v, "empty")), 0);
	assert_int_equal(json_get_u64(v, "nested.0.1", &u), 0);
	assert_int_equal(u, 2);
	assert_string_equal(json_string_value(json_path(v, "nested.1.k")), "v");
	assert_null(json_path(v, "nested.2"));
	assert_null(json_path(v, "missing.x"));
	/* Not integers: a string, a fraction, an object. */
	assert_int_equal(json_get_u64(v, "text", &u), -1);
	assert_int_equal(json_get_u64(v, "pi", &u), -1);
	assert_int_equal(json_get_i64(v, "nested.1", &i), -1);
	json_decref(v);
	free(text);
}

static void write_small(struct json *j)
{
	json_obj_begin(j, NULL);
	json_u64(j, "a", 1);
	json_arr_begin(j, "b");
	json_i64(j, NULL, -2);
	json_double(j, NULL, 0.5);
	json_arr_end(j);
	json_obj_begin(j, "e");
	json_obj_end(j);
	json_str(j, "s", "x");
	json_obj_end(j);
}

/* The old writer's layout, byte for byte. */
static void test_layout(void **state)
{
	char *text = write_text(write_small);

	(void)state;
	assert_string_equal(text, "{\n  \"a\": 1,\n  \"b\": [\n    -2,\n"
			    "    0.5\n  ],\n  \"e\": {},\n  \"s\": \"x\"\n}\n");
	free(text);
}

static void write_doubles(struct json *j)
{
	json_arr_begin(j, NULL);
	json_double(j, NULL, NAN);
	json_double(j, NULL, INFINITY);
	json_double(j, NULL, -INFINITY);
	json_double(j, NULL, 1626861310.0);
	json_double(j, NULL, 1.0 / 3);
	json_double(j, NULL, 3);
	json_double(j, NULL, 1e-7);
	json_arr_end(j);
}

/*
 * Nine significant digits as before; NaN and infinity as null. jansson
 * marks a whole double with ".0" and drops the exponent's '+' and zeros.
 */
static void test_doubles(void **state)
{
	char *text = write_text(write_doubles);
	json_t *v = parse_ok(text);
	uint64_t u;

	(void)state;
	assert_string_equal(text, "[\n  null,\n  null,\n  null,\n"
			    "  1.62686131e9,\n  0.333333333,\n  3.0,\n"
			    "  1e-7\n]\n");
	/* A whole double reads as an integer too. */
	assert_int_equal(json_get_u64(v, "3", &u), 0);
	assert_int_equal(u, 1626861310);
	assert_int_equal(json_get_u64(v, "5", &u), 0);
	assert_int_equal(u, 3);
	json_decref(v);
	free(text);
}

static void write_odd_keys(struct json *j)
{
	json_obj_begin(j, NULL);
	json_u64(j, "pid", 1);
	json_u64(j, "pid", 2);
	json_str(j, "comm", "a\xff" "b");
	json_str(j, "utf8", "µs");
	json_obj_end(j);
}

/* One value per key (the first, as readers saw); UTF-8 only. */
static void test_keys_and_bytes(void **state)
{
	char *text = write_text(write_odd_keys);
	json_t *v = parse_ok(text);

	(void)state;
	assert_int_equal(json_object_size(v), 3);
	assert_int_equal(json_integer_value(json_object_get(v, "pid")), 1);
	assert_string_equal(json_string_value(json_object_get(v, "comm")),
			    "a?b");
	assert_string_equal(json_string_value(json_object_get(v, "utf8")),
			    "µs");
	json_decref(v);
	free(text);
}

/* What the old writer wrote for a u64 past INT64_MAX still reads. */
static void test_old_big_integers(void **state)
{
	static const char text[] =
		"{\"seed\": 9223372036854777856, \"n\": 5, \"mean\": 1e+09,"
		" \"max\": 18446744073709551615}";
	json_t *v = parse_ok(text);
	FILE *f = tmpfile();
	char err[128];
	uint64_t u;

	(void)state;
	assert_int_equal(json_get_u64(v, "seed", &u), 0);
	assert_true(u == 9223372036854777856ULL);
	assert_int_equal(json_get_u64(v, "n", &u), 0);
	assert_int_equal(u, 5);
	assert_true(json_number_value(json_object_get(v, "mean")) == 1e9);
	/* 2^64 - 1 rounds to 2^64 as a double: out of range, not wrapped. */
	assert_int_equal(json_get_u64(v, "max", &u), -1);
	json_decref(v);
	/* The same from a file, read twice. */
	assert_non_null(f);
	fputs(text, f);
	rewind(f);
	v = json_read(f, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(json_get_u64(v, "n", &u), 0);
	assert_int_equal(u, 5);
	json_decref(v);
	fclose(f);
}

static void test_bad_input(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "\"open",
		"[1] 2", "{1:2}", "01x", "\"\\q\"", "[NaN]",
	};
	char err[128];
	unsigned int i;
	json_t *v;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		v = json_parse(bad[i], err, sizeof(err));
		if (v) {
			json_decref(v);
			fail_msg("'%s' parsed but is not JSON", bad[i]);
		}
		assert_non_null(strstr(err, " at byte "));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_keys_and_bytes),
		cmocka_unit_test(test_old_big_integers),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
