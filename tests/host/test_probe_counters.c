// SPDX-License-Identifier: GPL-2.0
/* libperf counters: a phase's context switches are the ones made in it. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/probe/counters.h"

static void test_process_phase(void **state)
{
	struct counters_snapshot a, b, d;
	struct counters *c = NULL;
	struct timespec ts = { 0, 1000000 };
	char err[256];
	int i, ret;

	(void)state;
	ret = counters_open(&c, getpid(), err, sizeof(err));
	if (ret == -EACCES || ret == -EPERM)
		skip();	/* perf events not allowed to this user */
	assert_int_equal(ret, 0);
	assert_int_equal(counters_read(c, &a), 0);
	/* 50 sleeps: at least 50 voluntary context switches. */
	for (i = 0; i < 50; i++)
		nanosleep(&ts, NULL);
	assert_int_equal(counters_read(c, &b), 0);
	counters_diff(&a, &b, &d);
	assert_true(d.present[CNT_CONTEXT_SWITCHES]);
	if (d.val[CNT_CONTEXT_SWITCHES] < 50 ||
	    d.val[CNT_CONTEXT_SWITCHES] > 1000)
		fail_msg("expected 50-1000 context switches, saw %llu",
			 (unsigned long long)d.val[CNT_CONTEXT_SWITCHES]);
	assert_true(d.present[CNT_TASK_CLOCK]);
	/* Asleep most of the 50 ms: little CPU time, but some. */
	assert_true(d.val[CNT_TASK_CLOCK] > 0);
	assert_true(d.val[CNT_TASK_CLOCK] < d.ts_ns);
	/* Hardware counters: present, or absent with a reason. */
	for (i = CNT_CYCLES; i <= CNT_INSTRUCTIONS; i++) {
		if (d.present[i])
			assert_null(counters_absent(c, i));
		else
			assert_true(strlen(counters_absent(c, i)) > 0);
	}
	counters_close(c);
}

static void test_json_marks_absent(void **state)
{
	struct counters_snapshot s;
	struct counters *c = NULL;
	char err[256], *text = NULL;
	size_t len;
	struct json j;
	FILE *f;
	int ret;

	(void)state;
	ret = counters_open(&c, getpid(), err, sizeof(err));
	if (ret == -EACCES || ret == -EPERM)
		skip();
	assert_int_equal(ret, 0);
	assert_int_equal(counters_read(c, &s), 0);
	f = open_memstream(&text, &len);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	counters_json(c, &s, &j, "counters");
	json_obj_end(&j);
	fclose(f);
	assert_non_null(strstr(text, "\"context-switches\": "));
	if (!s.present[CNT_CYCLES])
		assert_non_null(strstr(text, "\"cycles\": null"));
	free(text);
	counters_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_process_phase),
		cmocka_unit_test(test_json_marks_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
