// SPDX-License-Identifier: GPL-2.0
/*
 * The key-value wire protocols: requests as the servers expect them, and
 * replies found whole, in parts and broken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bench/workload/kv-proto.h"

static void check_encode(const struct kv_proto *p, enum kv_op op,
			 size_t vlen, const char *want)
{
	char buf[256];
	size_t n = p->encode(buf, sizeof(buf), op, "key:7", vlen);

	assert_int_equal(n, strlen(want));
	assert_memory_equal(buf, want, n);
	/* Short of room: nothing, never a cut request. */
	assert_int_equal(p->encode(buf, n - 1, op, "key:7", vlen), 0);
}

static void test_encode(void **state)
{
	(void)state;
	check_encode(&kv_resp, KV_GET, 0,
		     "*2\r\n$3\r\nGET\r\n$5\r\nkey:7\r\n");
	check_encode(&kv_resp, KV_SET, 3,
		     "*3\r\n$3\r\nSET\r\n$5\r\nkey:7\r\n$3\r\nxxx\r\n");
	check_encode(&kv_memcache, KV_GET, 0, "get key:7\r\n");
	check_encode(&kv_memcache, KV_SET, 3, "set key:7 0 0 3\r\nxxx\r\n");
}

/* @reply whole gives @want with all of it used; every prefix gives MORE. */
static void check_reply(const struct kv_proto *p, const char *reply,
			enum kv_reply want)
{
	size_t len = strlen(reply), used = 0, i;
	char buf[512];

	memcpy(buf, reply, len);
	memcpy(buf + len, "+NEXT\r\n", 7);	/* the next reply follows */
	assert_int_equal(p->parse(buf, len + 7, &used), want);
	assert_int_equal(used, len);
	for (i = 0; i < len; i++)
		assert_int_equal(p->parse(reply, i, &used), KV_REPLY_MORE);
}

static void test_resp_replies(void **state)
{
	(void)state;
	check_reply(&kv_resp, "+OK\r\n", KV_REPLY_OK);
	check_reply(&kv_resp, "$-1\r\n", KV_REPLY_OK);
	check_reply(&kv_resp, "$3\r\nxxx\r\n", KV_REPLY_OK);
	check_reply(&kv_resp, "$0\r\n\r\n", KV_REPLY_OK);
	/* A value that holds the line ending is still one value. */
	check_reply(&kv_resp, "$4\r\na\r\nb\r\n", KV_REPLY_OK);
	check_reply(&kv_resp, ":12\r\n", KV_REPLY_OK);
	check_reply(&kv_resp, "-ERR wrong type\r\n", KV_REPLY_ERROR);
}

static void test_memcache_replies(void **state)
{
	(void)state;
	check_reply(&kv_memcache, "END\r\n", KV_REPLY_OK);
	check_reply(&kv_memcache, "STORED\r\n", KV_REPLY_OK);
	check_reply(&kv_memcache, "VALUE key:7 0 3\r\nxxx\r\nEND\r\n",
		    KV_REPLY_OK);
	check_reply(&kv_memcache, "VALUE key:7 0 5\r\nEND\r\n\r\nEND\r\n",
		    KV_REPLY_OK);
	check_reply(&kv_memcache, "NOT_STORED\r\n", KV_REPLY_ERROR);
	check_reply(&kv_memcache, "SERVER_ERROR out of memory\r\n",
		    KV_REPLY_ERROR);
	check_reply(&kv_memcache, "CLIENT_ERROR bad data chunk\r\n",
		    KV_REPLY_ERROR);
}

static void check_bad(const struct kv_proto *p, const char *reply)
{
	size_t used;

	assert_int_equal(p->parse(reply, strlen(reply), &used), KV_REPLY_BAD);
}

static void test_garbage(void **state)
{
	char line[600];

	(void)state;
	check_bad(&kv_resp, "*1\r\n$1\r\nx\r\n");	/* no arrays expected */
	check_bad(&kv_resp, "$3\r\nxxxx\r\n");		/* length lies */
	check_bad(&kv_resp, "$-2\r\n");
	check_bad(&kv_resp, "$abc\r\n");
	check_bad(&kv_resp, "+OK\n");			/* bare newline */
	check_bad(&kv_memcache, "HELLO\r\n");
	check_bad(&kv_memcache, "VALUE key:7 0 3\r\nxxx\r\nVALUE\r\n");
	check_bad(&kv_memcache, "VALUE key:7 0 x\r\n");
	/* A header that never ends is not waited for forever. */
	memset(line, 'a', sizeof(line));
	line[0] = '+';
	line[sizeof(line) - 1] = '\0';
	check_bad(&kv_resp, line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_resp_replies),
		cmocka_unit_test(test_memcache_replies),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
