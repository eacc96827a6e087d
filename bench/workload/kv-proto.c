// SPDX-License-Identifier: GPL-2.0
/*
 * kv-proto.c - RESP (https://redis.io/docs/reference/protocol-spec/) and
 * memcached's text protocol (doc/protocol.txt in its source) for GET and
 * SET. Parsers never trust a length: a reply that does not follow the
 * protocol is KV_REPLY_BAD, and the caller drops the connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/workload/kv-proto.h"

/* Longest header line accepted before a reply counts as garbage. */
#define KV_MAX_LINE	512

static size_t fill(char *buf, size_t len, size_t at, size_t vlen)
{
	if (at + vlen + 2 > len)
		return 0;
	memset(buf + at, 'x', vlen);
	memcpy(buf + at + vlen, "\r\n", 2);
	return at + vlen + 2;
}

static size_t resp_encode(char *buf, size_t len, enum kv_op op,
			  const char *key, size_t vlen)
{
	size_t klen = strlen(key);
	int n;

	if (op == KV_GET) {
		n = snprintf(buf, len, "*2\r\n$3\r\nGET\r\n$%zu\r\n%s\r\n",
			     klen, key);
		return n > 0 && (size_t)n < len ? (size_t)n : 0;
	}
	n = snprintf(buf, len, "*3\r\n$3\r\nSET\r\n$%zu\r\n%s\r\n$%zu\r\n",
		     klen, key, vlen);
	if (n <= 0 || (size_t)n >= len)
		return 0;
	return fill(buf, len, n, vlen);
}

/* The end of the line starting at @buf: the offset after "\r\n", 0 if none
 * yet, or -1 when the line is too long to be a header. */
static long line_end(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len < KV_MAX_LINE ? len : KV_MAX_LINE);

	if (!nl)
		return len >= KV_MAX_LINE ? -1 : 0;
	if (nl == buf || nl[-1] != '\r')
		return -1;
	return nl - buf + 1;
}

/* A decimal in [min, max] filling buf[0..end) exactly; -2 when not one. */
static long long header_number(const char *buf, long end, long long min,
			       long long max)
{
	char tmp[32], *e;
	long long v;

	if (end - 2 <= 0 || end - 2 >= (long)sizeof(tmp))
		return -2;
	memcpy(tmp, buf, end - 2);
	tmp[end - 2] = '\0';
	v = strtoll(tmp, &e, 10);
	return *e || v < min || v > max ? -2 : v;
}

static enum kv_reply resp_parse(const char *buf, size_t len, size_t *used)
{
	long end = line_end(buf, len);
	long long n;

	if (end < 0)
		return KV_REPLY_BAD;
	if (!end)
		return KV_REPLY_MORE;
	switch (buf[0]) {
	case '+':
	case ':':
		*used = end;
		return KV_REPLY_OK;
	case '-':
		*used = end;
		return KV_REPLY_ERROR;
	case '$':
		n = header_number(buf + 1, end - 1, -1, 512LL << 20);
		if (n == -2)
			return KV_REPLY_BAD;
		if (n == -1) {
			*used = end;
			return KV_REPLY_OK;
		}
		if (len < (size_t)end + n + 2)
			return KV_REPLY_MORE;
		if (memcmp(buf + end + n, "\r\n", 2))
			return KV_REPLY_BAD;
		*used = end + n + 2;
		return KV_REPLY_OK;
	default:
		return KV_REPLY_BAD;	/* no arrays: GET and SET send none */
	}
}

const struct kv_proto kv_resp = {
	.name = "resp",
	.encode = resp_encode,
	.parse = resp_parse,
};

static size_t mc_encode(char *buf, size_t len, enum kv_op op,
			const char *key, size_t vlen)
{
	int n;

	if (op == KV_GET) {
		n = snprintf(buf, len, "get %s\r\n", key);
		return n > 0 && (size_t)n < len ? (size_t)n : 0;
	}
	n = snprintf(buf, len, "set %s 0 0 %zu\r\n", key, vlen);
	if (n <= 0 || (size_t)n >= len)
		return 0;
	return fill(buf, len, n, vlen);
}

static bool starts(const char *buf, long end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)end >= n + 2 && !memcmp(buf, word, n) &&
	       (buf[n] == '\r' || buf[n] == ' ');
}

/* "VALUE <key> <flags> <bytes>\r\n<data>\r\n" ... "END\r\n" */
static enum kv_reply mc_parse_value(const char *buf, size_t len, long end,
				    size_t *used)
{
	const char *sp = NULL;
	long long n;
	long i;

	for (i = end - 3; i > 6; i--)
		if (buf[i] == ' ') {
			sp = buf + i + 1;
			break;
		}
	if (!sp)
		return KV_REPLY_BAD;
	n = header_number(sp, end - (sp - buf), 0, 512LL << 20);
	if (n < 0)
		return KV_REPLY_BAD;
	if (len < (size_t)end + n + 2 + 5)
		return KV_REPLY_MORE;
	if (memcmp(buf + end + n, "\r\nEND\r\n", 7))
		return KV_REPLY_BAD;	/* one key per get: one VALUE */
	*used = end + n + 7;
	return KV_REPLY_OK;
}

static enum kv_reply mc_parse(const char *buf, size_t len, size_t *used)
{
	long end = line_end(buf, len);

	if (end < 0)
		return KV_REPLY_BAD;
	if (!end)
		return KV_REPLY_MORE;
	if (starts(buf, end, "VALUE"))
		return mc_parse_value(buf, len, end, used);
	*used = end;
	if (starts(buf, end, "END") || starts(buf, end, "STORED"))
		return KV_REPLY_OK;
	if (starts(buf, end, "NOT_STORED") || starts(buf, end, "ERROR") ||
	    starts(buf, end, "CLIENT_ERROR") || starts(buf, end, "SERVER_ERROR"))
		return KV_REPLY_ERROR;
	return KV_REPLY_BAD;
}

const struct kv_proto kv_memcache = {
	.name = "memcache",
	.encode = mc_encode,
	.parse = mc_parse,
};
