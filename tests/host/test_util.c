// SPDX-License-Identifier: GPL-2.0
/* Number parsing, file helpers and QEMU option escaping. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/util.h"

static void test_parse_uint(void **state)
{
	unsigned int v = 99;

	(void)state;
	assert_int_equal(parse_uint("4", 1, 64, &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(parse_uint("64", 1, 64, &v), 0);
	assert_int_equal(v, 64);
	v = 7;
	assert_int_equal(parse_uint("0", 1, 64, &v), -ERANGE);
	assert_int_equal(parse_uint("65", 1, 64, &v), -ERANGE);
	assert_int_equal(parse_uint("-1", 0, 64, &v), -EINVAL);
	assert_int_equal(parse_uint("", 0, 64, &v), -EINVAL);
	assert_int_equal(parse_uint("3x", 0, 64, &v), -EINVAL);
	assert_int_equal(parse_uint(" 3", 0, 64, &v), -EINVAL);
	assert_int_equal(parse_uint("99999999999999999999999", 0, 64, &v),
			 -ERANGE);
	assert_int_equal(v, 7); /* untouched on error */
}

static void test_escape_commas(void **state)
{
	char buf[32];

	(void)state;
	escape_commas(buf, sizeof(buf), "/a,b,,c");
	assert_string_equal(buf, "/a,,b,,,,c");
	escape_commas(buf, 6, "abcdefgh");
	assert_string_equal(buf, "abcde");
}

static void test_small_files(void **state)
{
	char dir[] = "/tmp/test_util_XXXXXX", path[128], buf[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(mkdir_p(path), 0);
	assert_int_equal(mkdir_p(path), 0); /* exists: fine */
	snprintf(path, sizeof(path), "%s/a/b/c/f", dir);
	assert_int_equal(write_small_file(path, "hello"), 0);
	assert_int_equal(read_small_file(path, buf, sizeof(buf)), 6);
	strip_newline(buf);
	assert_string_equal(buf, "hello");
	assert_int_equal(read_small_file(path, buf, 3), 2);
	assert_string_equal(buf, "he");
	unlink(path);
	assert_int_equal(read_small_file(path, buf, sizeof(buf)), -ENOENT);
	snprintf(path, sizeof(path), "rm -r %s", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_escape_commas),
		cmocka_unit_test(test_small_files),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
