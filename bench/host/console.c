// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel problem reports in a console log. The patterns are the headers the
 * kernel prints (lib/bug.c, kernel/panic.c, kernel/rcu/tree_stall.h,
 * kernel/watchdog*.c, kernel/locking/lockdep.c, kernel/hung_task.c);
 * more specific ones come first so that a report is named by what it is.
 */
#include <errno.h>
#include <string.h>

#include "bench/host/console.h"

static const struct {
	const char *needle;
	enum console_problem problem;
} patterns[] = {
	{ "Kernel panic", CONSOLE_PANIC },
	{ "BUG: soft lockup", CONSOLE_SOFT_LOCKUP },
	{ "hard LOCKUP", CONSOLE_HARD_LOCKUP },
	{ "self-detected stall", CONSOLE_RCU_STALL },
	{ "detected stalls on CPUs", CONSOLE_RCU_STALL },
	{ "rcu_preempt detected stall", CONSOLE_RCU_STALL },
	{ "rcu_sched detected stall", CONSOLE_RCU_STALL },
	{ "possible circular locking dependency", CONSOLE_LOCKDEP },
	{ "possible recursive locking", CONSOLE_LOCKDEP },
	{ "inconsistent lock state", CONSOLE_LOCKDEP },
	{ "suspicious RCU usage", CONSOLE_LOCKDEP },
	{ "possible irq lock inversion", CONSOLE_LOCKDEP },
	{ "bad unlock balance", CONSOLE_LOCKDEP },
	{ "held when returning to user space", CONSOLE_LOCKDEP },
	{ "UBSAN:", CONSOLE_SANITIZER },
	{ "KASAN:", CONSOLE_SANITIZER },
	{ "KFENCE:", CONSOLE_SANITIZER },
	{ "Oops:", CONSOLE_OOPS },
	{ "general protection fault", CONSOLE_OOPS },
	{ "Unable to handle kernel", CONSOLE_OOPS },
	{ "kernel BUG at", CONSOLE_BUG },
	{ "BUG:", CONSOLE_BUG },
	{ "WARNING:", CONSOLE_WARNING },
	{ "------------[ cut here ]------------", CONSOLE_WARNING },
	{ "blocked for more than", CONSOLE_HUNG_TASK },
};

enum console_problem console_classify(const char *line)
{
	size_t i;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (strstr(line, patterns[i].needle))
			return patterns[i].problem;
	return CONSOLE_OK;
}

const char *console_problem_name(enum console_problem p)
{
	static const char *const names[] = {
		[CONSOLE_OK] = "nothing",
		[CONSOLE_PANIC] = "kernel panic",
		[CONSOLE_OOPS] = "Oops",
		[CONSOLE_BUG] = "BUG",
		[CONSOLE_SOFT_LOCKUP] = "soft lockup",
		[CONSOLE_HARD_LOCKUP] = "hard lockup",
		[CONSOLE_RCU_STALL] = "RCU stall",
		[CONSOLE_LOCKDEP] = "lockdep report",
		[CONSOLE_WARNING] = "WARNING",
		[CONSOLE_HUNG_TASK] = "hung task",
		[CONSOLE_SANITIZER] = "sanitizer report",
	};

	if ((unsigned int)p >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[p];
}

void console_scanner_init(struct console_scanner *s)
{
	memset(s, 0, sizeof(*s));
}

static void scanner_line(struct console_scanner *s)
{
	enum console_problem p;

	s->buf[s->len] = '\0';
	s->line_no++;
	/* A serial console may end lines with \r\n. */
	if (s->len && s->buf[s->len - 1] == '\r')
		s->buf[s->len - 1] = '\0';
	p = console_classify(s->buf);
	if (p != CONSOLE_OK && s->first.problem == CONSOLE_OK) {
		s->first.problem = p;
		s->first.line_no = s->line_no;
		snprintf(s->first.line, sizeof(s->first.line), "%.*s",
			 (int)sizeof(s->first.line) - 1, s->buf);
	}
	s->len = 0;
}

void console_scanner_feed(struct console_scanner *s, const char *data,
			  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (data[i] == '\n') {
			scanner_line(s);
			continue;
		}
		if (s->len < sizeof(s->buf) - 1)
			s->buf[s->len++] = data[i];
	}
}

const struct console_finding *console_scanner_finish(struct console_scanner *s)
{
	if (s->len)
		scanner_line(s);
	return &s->first;
}

int console_scan_file(const char *path, struct console_finding *f)
{
	struct console_scanner s;
	char chunk[4096];
	size_t n;
	FILE *fp;

	fp = fopen(path, "r");
	if (!fp)
		return -errno;
	console_scanner_init(&s);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		console_scanner_feed(&s, chunk, n);
	fclose(fp);
	*f = *console_scanner_finish(&s);
	return 0;
}
