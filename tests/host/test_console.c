// SPDX-License-Identifier: GPL-2.0
/* The console scanner must name every kind of kernel problem report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/host/console.h"

/* Report headers as the 6.1 kernel prints them. */
static const struct {
	const char *line;
	enum console_problem want;
} samples[] = {
	{ "[   12.345678] WARNING: CPU: 1 PID: 231 at /tmp/x.c:12 f+0x1/0x2 [m]", CONSOLE_WARNING },
	{ "[    3.1] ------------[ cut here ]------------", CONSOLE_WARNING },
	{ "[    5.0] BUG: kernel NULL pointer dereference, address: 0000000000000000", CONSOLE_BUG },
	{ "[    5.0] kernel BUG at mm/slub.c:123!", CONSOLE_BUG },
	{ "[    5.0] Oops: 0002 [#1] PREEMPT SMP NOPTI", CONSOLE_OOPS },
	{ "[    5.0] general protection fault, probably for non-canonical address", CONSOLE_OOPS },
	{ "[   60.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [loop:123]", CONSOLE_SOFT_LOCKUP },
	{ "[   60.0] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1", CONSOLE_HARD_LOCKUP },
	{ "[   60.0] rcu: INFO: rcu_sched self-detected stall on CPU", CONSOLE_RCU_STALL },
	{ "[   60.0] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:", CONSOLE_RCU_STALL },
	{ "[    9.0] WARNING: possible circular locking dependency detected", CONSOLE_LOCKDEP },
	{ "[    9.0] WARNING: possible recursive locking detected", CONSOLE_LOCKDEP },
	{ "[    9.0] WARNING: suspicious RCU usage", CONSOLE_LOCKDEP },
	{ "[    9.0] Kernel panic - not syncing: Fatal exception", CONSOLE_PANIC },
	{ "[  242.0] INFO: task kworker/0:1:12 blocked for more than 120 seconds.", CONSOLE_HUNG_TASK },
	{ "[    9.0] UBSAN: array-index-out-of-bounds in x.c:3:4", CONSOLE_SANITIZER },
};

/* Ordinary boot chatter that must not fail a run. */
static const char *const clean[] = {
	"[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)",
	"[    1.1] PCI: Using host bridge windows from ACPI; if necessary, use \"pci=nocrs\" and report a bug",
	"[    2.2] AMD-Vi: AMD IOMMUv2 functionality not available on this system - This is not a bug.",
	"[    3.3] kgraft_test_hello: loading out-of-tree module taints kernel.",
	"[    3.3] kgraft_test_hello: module verification failed: signature and/or required key missing - tainting kernel",
	"[    4.4] clocksource: timekeeping watchdog on CPU1: Marking clocksource 'tsc' as unstable",
	"[    5.5] livepatch: enabling patch 'livepatch_sample'",
	"",
};

static void test_classify_reports(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		enum console_problem got = console_classify(samples[i].line);

		if (got != samples[i].want)
			fail_msg("'%s': expected %s, saw %s", samples[i].line,
				 console_problem_name(samples[i].want),
				 console_problem_name(got));
	}
}

static void test_classify_clean(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		if (console_classify(clean[i]) != CONSOLE_OK)
			fail_msg("'%s' flagged as %s", clean[i],
				 console_problem_name(console_classify(clean[i])));
}

/* A report split across reads, after clean lines, keeps its line number. */
static void test_scanner_chunks(void **state)
{
	const char *text = "boot line one\r\nboot line two\r\n"
			   "[ 1.0] WARNING: CPU: 0 PID: 1 at x.c:1 f\r\n"
			   "[ 1.1] BUG: later problem\r\n";
	struct console_scanner s;
	const struct console_finding *f;
	size_t i, n = strlen(text);

	(void)state;
	console_scanner_init(&s);
	for (i = 0; i < n; i += 5)
		console_scanner_feed(&s, text + i, n - i < 5 ? n - i : 5);
	f = console_scanner_finish(&s);
	assert_int_equal(f->problem, CONSOLE_WARNING);
	assert_int_equal(f->line_no, 3);
	assert_string_equal(f->line, "[ 1.0] WARNING: CPU: 0 PID: 1 at x.c:1 f");
}

static void test_scanner_last_line_without_newline(void **state)
{
	struct console_scanner s;

	(void)state;
	console_scanner_init(&s);
	console_scanner_feed(&s, "ok\nKernel panic - not syncing", 28);
	assert_int_equal(console_scanner_finish(&s)->problem, CONSOLE_PANIC);
	assert_int_equal(s.first.line_no, 2);
}

static void test_scan_file(void **state)
{
	char path[] = "/tmp/test_console_XXXXXX";
	struct console_finding f;
	int fd = mkstemp(path);
	const char *text = "a\nb\n[ 2.0] Oops: 0000 [#1] SMP\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(console_scan_file(path, &f), 0);
	assert_int_equal(f.problem, CONSOLE_OOPS);
	assert_int_equal(f.line_no, 3);
	unlink(path);
	assert_true(console_scan_file(path, &f) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_reports),
		cmocka_unit_test(test_classify_clean),
		cmocka_unit_test(test_scanner_chunks),
		cmocka_unit_test(test_scanner_last_line_without_newline),
		cmocka_unit_test(test_scan_file),
	};

	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
