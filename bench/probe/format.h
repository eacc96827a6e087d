/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe-format.h - a tracefs event "format" file, parsed, and fields of a
 * raw trace record read with it. Used for the core's tracepoints, whose
 * layout BPF cannot know (the module has no BTF).
 */
#ifndef BENCH_PROBE_FORMAT_H
#define BENCH_PROBE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TP_MAX_FIELDS	32

struct tp_field {
	char name[64];
	char type[64];
	unsigned int offset;
	unsigned int size;
	bool is_signed;
	bool data_loc;		/* __data_loc: u32 (len << 16 | offset) */
	bool is_string;		/* char array or __data_loc char[] */
};

/* One { value, "name" } pair of a field's __print_symbolic() in the format. */
struct tp_symbol {
	long long value;
	char name[32];
};

struct tp_format {
	char name[64];
	unsigned int id;
	unsigned int nr;
	struct tp_field fields[TP_MAX_FIELDS];
};

/* Parse the text of a format file; -EINVAL when it is not one. */
int tp_format_parse(const char *text, struct tp_format *f);
/*
 * The names the print fmt of format file @text gives the values of field
 * @field (__print_symbolic(REC-><field>, { 0, "a" }, ...)), at most @max;
 * how many.
 */
unsigned int tp_format_symbols(const char *text, const char *field,
			       struct tp_symbol *sym, unsigned int max);
const struct tp_field *tp_format_field(const struct tp_format *f,
				       const char *name);
/* An integer field of @raw (@len bytes), sign-extended when signed. */
int tp_field_u64(const struct tp_field *fl, const void *raw, size_t len,
		 uint64_t *out);
/* A string field (fixed array or __data_loc), NUL-terminated in @buf. */
int tp_field_str(const struct tp_field *fl, const void *raw, size_t len,
		 char *buf, size_t buflen);

#endif
