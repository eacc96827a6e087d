// SPDX-License-Identifier: GPL-2.0
/* tracefs format files, and fields decoded from a raw record with them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bench/probe/format.h"

/* As the kernel prints it for a TRACE_EVENT with a __string and ints. */
static const char format[] =
	"name: kgraft_transition_end\n"
	"ID: 1234\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:__data_loc char[] patch;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:char target[16];\toffset:12;\tsize:16;\tsigned:0;\n"
	"\tfield:u64 duration_ns;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:int result;\toffset:40;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"patch=%s\", __get_str(patch)\n";

/* kgraft_task_switch's print fmt, as kgraft-core/trace.h makes it. */
static const char switch_format[] =
	"name: kgraft_task_switch\n"
	"format:\n"
	"\tfield:int path;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"pid=%d comm=%s path=%s target=%d\", REC->pid, "
	"REC->comm, __print_symbolic(REC->path, { 0, \"syscall_enter\" }, "
	"{ 1, \"syscall_exit\" }, {2,\"sweep\"}, { 0x7, \"kthread\" }), "
	"REC->target\n";

/* The names a field's values print as, in the order listed. */
static void test_symbols(void **state)
{
	struct tp_symbol s[8];

	(void)state;
	assert_int_equal(tp_format_symbols(switch_format, "path", s, 8), 4);
	assert_int_equal(s[0].value, 0);
	assert_string_equal(s[0].name, "syscall_enter");
	assert_int_equal(s[2].value, 2);
	assert_string_equal(s[2].name, "sweep");
	assert_int_equal(s[3].value, 7);
	assert_string_equal(s[3].name, "kthread");
	assert_int_equal(tp_format_symbols(switch_format, "path", s, 2), 2);
	assert_int_equal(tp_format_symbols(switch_format, "target", s, 8), 0);
	assert_int_equal(tp_format_symbols(format, "patch", s, 8), 0);
}

static void test_parse(void **state)
{
	const struct tp_field *fl;
	struct tp_format f;

	(void)state;
	assert_int_equal(tp_format_parse(format, &f), 0);
	assert_string_equal(f.name, "kgraft_transition_end");
	assert_int_equal(f.id, 1234);
	assert_int_equal(f.nr, 8);
	fl = tp_format_field(&f, "patch");
	assert_non_null(fl);
	assert_true(fl->data_loc);
	assert_true(fl->is_string);
	assert_int_equal(fl->offset, 8);
	fl = tp_format_field(&f, "target");
	assert_non_null(fl);
	assert_false(fl->data_loc);
	assert_true(fl->is_string);
	assert_string_equal(fl->type, "char");
	assert_int_equal(fl->size, 16);
	fl = tp_format_field(&f, "duration_ns");
	assert_non_null(fl);
	assert_string_equal(fl->type, "u64");
	assert_false(fl->is_string);
	fl = tp_format_field(&f, "common_pid");
	assert_true(fl->is_signed);
	assert_null(tp_format_field(&f, "nosuch"));
	assert_int_equal(tp_format_parse("hello\nworld\n", &f), -EINVAL);
}

static void test_decode(void **state)
{
	unsigned char raw[256];
	struct tp_format f;
	uint32_t loc;
	uint64_t dur = 123456789012ULL, v;
	int32_t result = -16;
	char buf[64];

	(void)state;
	assert_int_equal(tp_format_parse(format, &f), 0);
	memset(raw, 0, sizeof(raw));
	memcpy(raw + 12, "vmlinux", 8);
	memcpy(raw + 32, &dur, 8);
	memcpy(raw + 40, &result, 4);
	/* __data_loc: the string at offset 48, 11 bytes with its NUL. */
	loc = (11u << 16) | 48;
	memcpy(raw + 8, &loc, 4);
	memcpy(raw + 48, "livepatch1", 11);

	assert_int_equal(tp_field_str(tp_format_field(&f, "patch"), raw,
				      sizeof(raw), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "livepatch1");
	assert_int_equal(tp_field_str(tp_format_field(&f, "target"), raw,
				      sizeof(raw), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vmlinux");
	assert_int_equal(tp_field_u64(tp_format_field(&f, "duration_ns"), raw,
				      sizeof(raw), &v), 0);
	assert_true(v == dur);
	assert_int_equal(tp_field_u64(tp_format_field(&f, "result"), raw,
				      sizeof(raw), &v), 0);
	assert_int_equal((int64_t)v, -16);
	/* A string is not an integer, and a short copy is out of range. */
	assert_int_equal(tp_field_u64(tp_format_field(&f, "patch"), raw,
				      sizeof(raw), &v), -EINVAL);
	assert_int_equal(tp_field_u64(tp_format_field(&f, "duration_ns"), raw,
				      36, &v), -ERANGE);
	/* A string cut by the copy keeps what arrived. */
	assert_int_equal(tp_field_str(tp_format_field(&f, "patch"), raw, 52,
				      buf, sizeof(buf)), 0);
	assert_string_equal(buf, "live");
	/* A buffer shorter than the string: truncated, terminated. */
	assert_int_equal(tp_field_str(tp_format_field(&f, "patch"), raw,
				      sizeof(raw), buf, 5), 0);
	assert_string_equal(buf, "live");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
