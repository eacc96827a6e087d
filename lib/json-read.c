// SPDX-License-Identifier: GPL-2.0
/*
 * json-read.c - what reading results needs beyond jansson: a dotted path,
 * and exact 64-bit integers.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

static json_t *loaded(json_t *v, const json_error_t *e, char *err,
		      size_t errlen)
{
	if (!v && err && errlen)
		snprintf(err, errlen, "%s at byte %d", e->text, e->position);
	return v;
}

/*
 * jansson refuses integers past long long, which the old writer wrote for
 * u64 values above INT64_MAX: such a text is read again with every number
 * as a double (json_get_u64() takes whole doubles), exact below 2^53.
 */
json_t *json_parse(const char *text, char *err, size_t errlen)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (!v && json_error_code(&e) == json_error_numeric_overflow)
		v = json_loads(text, JSON_DECODE_INT_AS_REAL, &e);
	return loaded(v, &e, err, errlen);
}

json_t *json_read(FILE *f, char *err, size_t errlen)
{
	json_error_t e;
	json_t *v = json_loadf(f, 0, &e);

	if (!v && json_error_code(&e) == json_error_numeric_overflow &&
	    !fseek(f, 0, SEEK_SET))
		v = json_loadf(f, JSON_DECODE_INT_AS_REAL, &e);
	return loaded(v, &e, err, errlen);
}

json_t *json_path(const json_t *v, const char *path)
{
	char part[128];
	const char *dot;
	size_t len;

	while (v && *path) {
		dot = strchr(path, '.');
		len = dot ? (size_t)(dot - path) : strlen(path);
		if (len >= sizeof(part))
			return NULL;
		memcpy(part, path, len);
		part[len] = '\0';
		if (json_is_array(v)) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);

			v = *end ? NULL : json_array_get(v, i);
		} else {
			v = json_object_get(v, part);
		}
		path += len + (dot ? 1 : 0);
	}
	/* jansson's getters hand out non-const values too. */
	return (json_t *)v;
}

/* A u64 written as its digits: only those above INT64_MAX are. */
static int digits_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return (*end || errno || *out <= INT64_MAX) ? -1 : 0;
}

int json_get_u64(const json_t *v, const char *path, uint64_t *out)
{
	double d;

	v = json_path(v, path);
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v))
		return digits_u64(json_string_value(v), out);
	if (!json_is_real(v))
		return -1;
	d = json_real_value(v);
	if (d < 0 || d >= 18446744073709551616.0 || d != floor(d))
		return -1;
	*out = (uint64_t)d;
	return 0;
}

uint64_t json_u64_or_0(const json_t *v, const char *path)
{
	uint64_t x;

	return json_get_u64(v, path, &x) ? 0 : x;
}

int json_get_i64(const json_t *v, const char *path, int64_t *out)
{
	double d;

	v = json_path(v, path);
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return -1;
	d = json_real_value(v);
	if (d < -9223372036854775808.0 || d >= 9223372036854775808.0 ||
	    d != floor(d))
		return -1;
	*out = (int64_t)d;
	return 0;
}
