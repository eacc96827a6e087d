// SPDX-License-Identifier: GPL-2.0
/* JSON: what the writer writes, the reader reads back, exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/workload/workload.h"

/* Write with @fn into memory, parse it back. */
static struct json_value *round_trip(void (*fn)(struct json *, void *),
				     void *arg, char **text)
{
	struct json_value *v = NULL;
	char err[128];
	size_t len;
	struct json j;
	FILE *f = open_memstream(text, &len);

	assert_non_null(f);
	json_init(&j, f);
	fn(&j, arg);
	assert_int_equal(fclose(f), 0);
	if (json_parse(*text, &v, err, sizeof(err)))
		fail_msg("parse failed: %s in:\n%s", err, *text);
	return v;
}

static void write_values(struct json *j, void *arg)
{
	(void)arg;
	json_obj_begin(j, NULL);
	json_u64(j, "big", 18446744073709551615ULL);
	json_i64(j, "neg", -42);
	json_double(j, "pi", 3.25);
	json_bool(j, "yes", true);
	json_null(j, "nothing");
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

static void test_values(void **state)
{
	const struct json_value *x;
	struct json_value *v;
	char *text = NULL;
	uint64_t u;

	(void)state;
	v = round_trip(write_values, NULL, &text);
	assert_int_equal(json_get_u64(v, "big", &u), 0);
	assert_true(u == 18446744073709551615ULL);
	x = json_get(v, "neg");
	assert_int_equal(x->type, JSON_NUMBER);
	assert_true(x->num == -42);
	assert_int_equal(json_get_u64(v, "neg", &u), -1);
	assert_true(json_get(v, "pi")->num == 3.25);
	assert_true(json_get(v, "yes")->b);
	assert_int_equal(json_get(v, "nothing")->type, JSON_NULL);
	assert_string_equal(json_get(v, "text")->str,
			    "quote \" backslash \\ tab \t newline \n ctl \x01");
	assert_int_equal(json_get(v, "empty")->n, 0);
	assert_int_equal(json_get_u64(v, "nested.0.1", &u), 0);
	assert_int_equal(u, 2);
	assert_string_equal(json_path(v, "nested.1.k")->str, "v");
	assert_null(json_path(v, "nested.2"));
	assert_null(json_path(v, "missing.x"));
	json_free(v);
	free(text);
}

static void test_bad_input(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "\"open",
		"[1] 2", "{1:2}", "01x", "\"\\q\"",
	};
	struct json_value *v;
	char err[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!json_parse(bad[i], &v, err, sizeof(err))) {
			json_free(v);
			fail_msg("'%s' parsed but is not JSON", bad[i]);
		}
		assert_true(strlen(err) > 0);
	}
}

/* A workload's results, written and read back, match the structs. */
static void write_workload(struct json *j, void *arg)
{
	json_obj_begin(j, NULL);
	workload_json(arg, j);
	json_obj_end(j);
}

static void test_workload_round_trip(void **state)
{
	struct workload_opts o;
	struct workload *w;
	struct json_value *v;
	char err[256], *text = NULL, path[64];
	uint64_t u, ops = 0, sum_counts = 0;
	const struct json_value *counts;
	unsigned int i;
	size_t k;

	(void)state;
	workload_opts_init(&o, &workload_stall);
	o.threads = 2;
	o.duration_ns = 100000000ULL;
	o.window_ns = 5000000ULL;
	o.threshold_ns = 2000;
	assert_int_equal(workload_start(&w, &workload_stall, &o, err,
					sizeof(err)), 0);
	workload_wait(w, NULL);
	v = round_trip(write_workload, w, &text);

	assert_string_equal(json_path(v, "workload.name")->str, "stall");
	assert_int_equal(json_get_u64(v, "workload.threads", &u), 0);
	assert_int_equal(u, 2);
	assert_int_equal(json_get_u64(v, "workload.t0_ns", &u), 0);
	assert_true(u == w->t0_ns);
	for (i = 0; i < 2; i++) {
		const struct wl_thread *t = &w->th[i];

		snprintf(path, sizeof(path), "workload.per_thread.%u.ops", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == t->ops);
		ops += u;
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.latency.max_ns", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == t->hist.max);
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.latency.p99_ns", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == hist_percentile(&t->hist, 99));
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.gaps_over_threshold", i);
		assert_int_equal(json_get_u64(v, path, &u), 0);
		assert_true(u == t->gaps_over);
		/* Every recorded gap is there, with its time and length. */
		snprintf(path, sizeof(path), "workload.per_thread.%u.gaps", i);
		assert_int_equal(json_path(v, path)->n, t->nr_gaps);
		for (k = 0; k < t->nr_gaps; k++) {
			snprintf(path, sizeof(path),
				 "workload.per_thread.%u.gaps.%zu.1", i, k);
			assert_int_equal(json_get_u64(v, path, &u), 0);
			assert_true(u == t->gaps[k].len_ns);
		}
		/* The timeline's counts add up to the operations. */
		snprintf(path, sizeof(path),
			 "workload.per_thread.%u.timeline.count", i);
		counts = json_path(v, path);
		assert_non_null(counts);
		for (k = 0, sum_counts = 0; k < counts->n; k++)
			sum_counts += strtoull(counts->items[k]->str, NULL, 10);
		assert_true(sum_counts + t->past_timeline == t->ops);
	}
	assert_int_equal(json_get_u64(v, "workload.ops", &u), 0);
	assert_true(u == ops);
	/* The sparse buckets sum to the count. */
	counts = json_path(v, "workload.latency.buckets");
	for (k = 0, sum_counts = 0; k < counts->n; k++)
		sum_counts += strtoull(counts->items[k]->str, NULL, 10);
	assert_true(sum_counts == ops);
	json_free(v);
	free(text);
	workload_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_workload_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
