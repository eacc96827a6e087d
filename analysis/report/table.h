/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report-table.h - a table of text, integers and durations, rendered as an
 * aligned terminal table, CSV (durations as integer nanoseconds, so that
 * scripts get exact numbers) or a LaTeX booktabs table (durations in
 * readable units). bench report builds tables; this file only renders.
 */
#ifndef BENCH_REPORT_TABLE_H
#define BENCH_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TAB_MAX_COLS	16
#define TAB_CELL	96

enum tab_kind {
	TAB_STR,
	TAB_INT,
	TAB_NS,		/* a duration in ns */
	TAB_SNS,	/* a signed one: a difference of durations */
};

enum tab_format {
	TAB_TEXT,
	TAB_CSV,
	TAB_LATEX,
};

struct tab_col {
	const char *key;	/* CSV header: a_name_like_this */
	const char *title;	/* terminal and LaTeX header */
	enum tab_kind kind;
};

struct tab_cell {
	bool empty;		/* no value (shown as -) */
	uint64_t v;		/* TAB_INT (as signed), TAB_NS */
	char s[TAB_CELL];	/* TAB_STR */
};

struct table {
	const char *name;	/* for --table and \label{tab:name} */
	const char *caption;
	unsigned int ncols;
	struct tab_col cols[TAB_MAX_COLS];
	size_t nrows, cap;
	struct tab_cell *cells;	/* nrows x ncols */
};

void table_init(struct table *t, const char *name, const char *caption);
void table_free(struct table *t);
void table_col(struct table *t, const char *key, const char *title,
	       enum tab_kind kind);
/* Append a row of empty cells; its cells, or NULL (out of memory). */
struct tab_cell *table_row(struct table *t);
void cell_str(struct tab_cell *c, const char *s);
void cell_int(struct tab_cell *c, int64_t v);
void cell_ns(struct tab_cell *c, uint64_t ns);
void cell_sns(struct tab_cell *c, int64_t ns);

/*
 * Keep only the rows whose text column @key starts with @prefix; a table
 * without that column keeps every row.
 */
void table_keep_prefix(struct table *t, const char *key, const char *prefix);
void table_print(const struct table *t, enum tab_format fmt, FILE *f);

/* @s with LaTeX's special characters escaped, into @buf. */
const char *tex_escape(const char *s, char *buf, size_t len);
/* A duration as LaTeX text with its unit, e.g. "12.3\,\textmu{}s". */
const char *tex_ns(uint64_t ns, char *buf, size_t len);

#endif
