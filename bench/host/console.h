/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recognising kernel problem reports (Oops, BUG, WARNING, lockdep, RCU
 * stalls, lockups, panics) in a guest's console log.
 */
#ifndef BENCH_CONSOLE_H
#define BENCH_CONSOLE_H

#include <stdio.h>

enum console_problem {
	CONSOLE_OK = 0,
	CONSOLE_PANIC,
	CONSOLE_OOPS,
	CONSOLE_BUG,
	CONSOLE_SOFT_LOCKUP,
	CONSOLE_HARD_LOCKUP,
	CONSOLE_RCU_STALL,
	CONSOLE_LOCKDEP,
	CONSOLE_WARNING,
	CONSOLE_HUNG_TASK,
	CONSOLE_SANITIZER,
};

/* What a single line reports, CONSOLE_OK when nothing. */
enum console_problem console_classify(const char *line);
const char *console_problem_name(enum console_problem p);

struct console_finding {
	enum console_problem problem;
	unsigned long line_no;	/* 1-based line in the scanned text */
	char line[256];
};

/*
 * Incremental scanner: feed arbitrary chunks; remembers the first problem.
 * Lines longer than the buffer are classified on their first part.
 */
struct console_scanner {
	struct console_finding first;
	unsigned long line_no;
	size_t len;
	char buf[1024];
};

void console_scanner_init(struct console_scanner *s);
void console_scanner_feed(struct console_scanner *s, const char *data,
			  size_t n);
/* Classify a last line without a newline; returns the first finding. */
const struct console_finding *console_scanner_finish(struct console_scanner *s);

/* Scan a whole file; returns 0 and fills @f, or -errno when unreadable. */
int console_scan_file(const char *path, struct console_finding *f);

#endif
