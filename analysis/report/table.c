// SPDX-License-Identifier: GPL-2.0
/* table.c - render a table as text, CSV or LaTeX (report-table.h). */
#include <stdlib.h>
#include <string.h>

#include "analysis/report/data.h"
#include "analysis/report/table.h"
#include "lib/util.h"

void table_init(struct table *t, const char *name, const char *caption)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->caption = caption;
}

void table_free(struct table *t)
{
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

void table_col(struct table *t, const char *key, const char *title,
	       enum tab_kind kind)
{
	if (t->ncols == TAB_MAX_COLS)
		return;
	t->cols[t->ncols].key = key;
	t->cols[t->ncols].title = title;
	t->cols[t->ncols].kind = kind;
	t->ncols++;
}

struct tab_cell *table_row(struct table *t)
{
	struct tab_cell *row;
	unsigned int i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct tab_cell *c = realloc(t->cells,
					     cap * t->ncols * sizeof(*c));

		if (!c)
			return NULL;
		t->cells = c;
		t->cap = cap;
	}
	row = &t->cells[t->nrows++ * t->ncols];
	for (i = 0; i < t->ncols; i++) {
		memset(&row[i], 0, sizeof(row[i]));
		row[i].empty = true;
	}
	return row;
}

void cell_str(struct tab_cell *c, const char *s)
{
	c->empty = false;
	snprintf(c->s, sizeof(c->s), "%s", s);
}

void cell_int(struct tab_cell *c, int64_t v)
{
	c->empty = false;
	c->v = (uint64_t)v;
}

void cell_ns(struct tab_cell *c, uint64_t ns)
{
	c->empty = false;
	c->v = ns;
}

void cell_sns(struct tab_cell *c, int64_t ns)
{
	c->empty = false;
	c->v = (uint64_t)ns;
}

const char *tex_escape(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s && o + 16 < len; s++) {
		switch (*s) {
		case '_': case '%': case '&': case '#': case '$':
		case '{': case '}':
			buf[o++] = '\\';
			buf[o++] = *s;
			break;
		case '\\':
			o += (size_t)snprintf(buf + o, len - o, "\\textbackslash{}");
			break;
		case '~': case '^':
			o += (size_t)snprintf(buf + o, len - o, "\\%c{}", *s);
			break;
		default:
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
	return buf;
}

const char *tex_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 10000)
		snprintf(buf, len, "%.2f\\,\\textmu{}s", ns / 1e3);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1f\\,\\textmu{}s", ns / 1e3);
	else if (ns < 1000000000ULL)
		snprintf(buf, len, "%.2f\\,ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f\\,s", ns / 1e9);
	return buf;
}

/* A signed duration: exact in CSV, with its sign (+ too) elsewhere. */
static const char *sns_text(int64_t v, enum tab_format fmt, char *buf,
			    size_t len)
{
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	/* LaTeX: a real minus sign, not a hyphen. */
	const char *sign = v >= 0 ? "+" : fmt == TAB_LATEX ? "\\textminus{}" : "-";
	size_t o;

	if (fmt == TAB_CSV) {
		snprintf(buf, len, "%lld", (long long)v);
		return buf;
	}
	o = (size_t)snprintf(buf, len, "%s", sign);
	if (o >= len)
		return buf;
	if (fmt == TAB_LATEX)
		tex_ns(mag, buf + o, len - o);
	else
		fmt_ns(buf + o, len - o, mag);
	return buf;
}

static const char *cell_text(const struct tab_col *col,
			     const struct tab_cell *c, enum tab_format fmt,
			     char *buf, size_t len)
{
	if (c->empty)
		return fmt == TAB_CSV ? "" : fmt == TAB_LATEX ? "--" : "-";
	switch (col->kind) {
	case TAB_STR:
		if (fmt == TAB_LATEX)
			return tex_escape(c->s, buf, len);
		return c->s;
	case TAB_INT:
		snprintf(buf, len, "%lld", (long long)(int64_t)c->v);
		return buf;
	case TAB_NS:
		if (fmt == TAB_CSV) {
			snprintf(buf, len, "%llu", (unsigned long long)c->v);
			return buf;
		}
		if (fmt == TAB_LATEX)
			return tex_ns(c->v, buf, len);
		return fmt_ns(buf, len, c->v);
	case TAB_SNS:
		return sns_text((int64_t)c->v, fmt, buf, len);
	}
	return "";
}

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void print_csv(const struct table *t, FILE *f)
{
	char buf[TAB_CELL * 2];
	unsigned int c;
	size_t r;

	for (c = 0; c < t->ncols; c++)
		fprintf(f, "%s%s", c ? "," : "", t->cols[c].key);
	fputc('\n', f);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', f);
			csv_field(f, cell_text(&t->cols[c],
					       &t->cells[r * t->ncols + c],
					       TAB_CSV, buf, sizeof(buf)));
		}
		fputc('\n', f);
	}
}

static void print_text(const struct table *t, FILE *f)
{
	size_t w[TAB_MAX_COLS], r;
	char buf[TAB_CELL * 2];
	unsigned int c;

	for (c = 0; c < t->ncols; c++)
		w[c] = strlen(t->cols[c].title);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t n = strlen(cell_text(&t->cols[c],
					&t->cells[r * t->ncols + c], TAB_TEXT,
					buf, sizeof(buf)));
			if (n > w[c])
				w[c] = n;
		}
	fprintf(f, "%s\n", t->caption);
	/* Text to the left, numbers to the right, as people read them. */
	for (c = 0; c < t->ncols; c++)
		fprintf(f, "%s%*s", c ? "  " : "",
			t->cols[c].kind == TAB_STR ? -(int)w[c] : (int)w[c],
			t->cols[c].title);
	fputc('\n', f);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			fprintf(f, "%s%*s", c ? "  " : "",
				t->cols[c].kind == TAB_STR ? -(int)w[c] :
				(int)w[c],
				cell_text(&t->cols[c],
					  &t->cells[r * t->ncols + c], TAB_TEXT,
					  buf, sizeof(buf)));
		fputc('\n', f);
	}
}

static void print_latex(const struct table *t, FILE *f)
{
	char buf[TAB_CELL * 2];
	unsigned int c;
	size_t r;

	/* Wide tables span both columns of a two-column paper. */
	const char *env = t->ncols > 6 ? "table*" : "table";

	fprintf(f, "%% generated by bench report; do not edit\n");
	fprintf(f, "\\begin{%s}[tbp]\n\\centering\\small\n", env);
	fprintf(f, "\\caption{%s}\n\\label{tab:%s}\n",
		tex_escape(t->caption, buf, sizeof(buf)), t->name);
	fprintf(f, "\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%%\n");
	fprintf(f, "\\begin{tabular}{");
	for (c = 0; c < t->ncols; c++)
		fputc(t->cols[c].kind == TAB_STR ? 'l' : 'r', f);
	fprintf(f, "}\n\\toprule\n");
	for (c = 0; c < t->ncols; c++)
		fprintf(f, "%s%s", c ? " & " : "",
			tex_escape(t->cols[c].title, buf, sizeof(buf)));
	fprintf(f, " \\\\\n\\midrule\n");
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			fprintf(f, "%s%s", c ? " & " : "",
				cell_text(&t->cols[c],
					  &t->cells[r * t->ncols + c],
					  TAB_LATEX, buf, sizeof(buf)));
		fprintf(f, " \\\\\n");
	}
	fprintf(f, "\\bottomrule\n\\end{tabular}}\n\\end{%s}\n", env);
}

void table_keep_prefix(struct table *t, const char *key, const char *prefix)
{
	size_t r, kept = 0, len = strlen(prefix);
	unsigned int c;

	for (c = 0; c < t->ncols && strcmp(t->cols[c].key, key); c++)
		;
	if (c == t->ncols)
		return;
	for (r = 0; r < t->nrows; r++) {
		const struct tab_cell *row = &t->cells[r * t->ncols];

		if (strncmp(row[c].s, prefix, len))
			continue;
		if (kept != r)
			memmove(&t->cells[kept * t->ncols], row,
				t->ncols * sizeof(*row));
		kept++;
	}
	t->nrows = kept;
}

void table_print(const struct table *t, enum tab_format fmt, FILE *f)
{
	switch (fmt) {
	case TAB_TEXT:
		print_text(t, f);
		break;
	case TAB_CSV:
		print_csv(t, f);
		break;
	case TAB_LATEX:
		print_latex(t, f);
		break;
	}
}
