/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kv-proto.h - the wire protocols of the key-value servers that bench
 * drives: Redis's RESP and memcached's text protocol. Only what an open-loop
 * GET/SET client needs: encode one request, and find where one reply ends
 * in a byte stream (replies come in request order on a connection).
 */
#ifndef BENCH_WORKLOAD_KV_PROTO_H
#define BENCH_WORKLOAD_KV_PROTO_H

#include <stdbool.h>
#include <stddef.h>

enum kv_op { KV_GET, KV_SET };

/* The outcome of one reply. */
enum kv_reply {
	KV_REPLY_MORE = 0,	/* incomplete: read more */
	KV_REPLY_OK,		/* a value, a miss or a stored */
	KV_REPLY_ERROR,		/* the server refused the request */
	KV_REPLY_BAD = -1,	/* not the protocol: the stream is lost */
};

struct kv_proto {
	const char *name;
	/*
	 * Write one request into @buf (at most @len bytes); the value is
	 * @vlen bytes of 'x'. Returns its length, or 0 when it does not fit.
	 */
	size_t (*encode)(char *buf, size_t len, enum kv_op op, const char *key,
			 size_t vlen);
	/*
	 * Look at the first reply in @buf[0..@len): KV_REPLY_MORE, or its
	 * outcome with its length in @used.
	 */
	enum kv_reply (*parse)(const char *buf, size_t len, size_t *used);
};

extern const struct kv_proto kv_resp;
extern const struct kv_proto kv_memcache;

#endif
