// SPDX-License-Identifier: GPL-2.0
/*
 * The open-loop schedule's accounting, in simulated time: a client and a
 * FIFO server, both held up by one stall of N ms while requests fall due
 * at R a second. Measured from the due time, the stall must show in about
 * N*R/2 requests above N/2 of latency (the requests due in its first half);
 * measured from the send time, as a closed-loop client would, in almost
 * none. The service time is small beside the stall, so that the backlog
 * drains in far less than N/2. The ring of requests in flight keeps order and refuses overflow.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bench/workload/openloop.h"

#define US	1000ULL
#define MS	1000000ULL

struct sim {
	uint64_t rate_hz, stall_at, stall_ns, service_ns, run_ns;
	uint64_t over_due, over_sent, done, max_due;
};

/* Step the client and the server in 1 us ticks. */
static void simulate(struct sim *s)
{
	uint64_t now, due, server_free = 0, half = s->stall_ns / 2;
	struct ol_sched sched;
	struct ol_fifo fifo;
	struct ol_req r;

	assert_int_equal(ol_fifo_init(&fifo, 1 << 16), 0);
	ol_sched_init(&sched, 0, 1000000000ULL / s->rate_hz);
	for (now = 0; now < s->run_ns; now += US) {
		if (now >= s->stall_at && now < s->stall_at + s->stall_ns)
			continue;	/* nothing runs: a machine-wide stall */
		while (ol_sched_take(&sched, now, &due))
			assert_true(ol_fifo_push(&fifo, due, now));
		/* The server answers in order, one per service time. */
		while (ol_fifo_peek(&fifo) && server_free <= now) {
			ol_fifo_pop(&fifo, &r);
			server_free = now + s->service_ns;
			s->over_due += now + s->service_ns - r.due_ns > half;
			s->over_sent += now + s->service_ns - r.sent_ns > half;
			if (now + s->service_ns - r.due_ns > s->max_due)
				s->max_due = now + s->service_ns - r.due_ns;
			s->done++;
		}
	}
	ol_fifo_free(&fifo);
}

static void check_stall(uint64_t rate_hz, uint64_t stall_ms)
{
	struct sim s = {
		.rate_hz = rate_hz, .stall_at = 200 * MS,
		.stall_ns = stall_ms * MS, .service_ns = 2 * US,
		.run_ns = 600 * MS,
	};
	double want = (double)stall_ms / 1000 * rate_hz / 2;

	simulate(&s);
	print_message("# R %llu/s, stall %llu ms: %llu requests above N/2 from due time (N*R/2 = %.0f), %llu from send time, max %.2f ms\n",
		      (unsigned long long)rate_hz,
		      (unsigned long long)stall_ms,
		      (unsigned long long)s.over_due, want,
		      (unsigned long long)s.over_sent, s.max_due / 1e6);
	assert_true(s.over_due >= want * 0.95 - 2);
	assert_true(s.over_due <= want * 1.05 + 2);
	/* Closed-loop accounting hides the stall. */
	assert_true(s.over_sent <= 1);
	/* The worst request waited the whole stall. */
	assert_true(s.max_due >= stall_ms * MS);
	assert_true(s.max_due <= stall_ms * MS + MS);
	/* Every request due before the end was answered (nothing dropped). */
	assert_true(s.done >= (s.run_ns - MS) / (1000000000ULL / rate_hz));
}

static void test_stall_accounting(void **state)
{
	(void)state;
	check_stall(1000, 100);
	check_stall(10000, 20);
	check_stall(20000, 50);
}

static void test_fifo(void **state)
{
	struct ol_fifo f;
	struct ol_req r;
	unsigned int i;

	(void)state;
	assert_int_equal(ol_fifo_init(&f, 6), -EINVAL);	/* power of two */
	assert_int_equal(ol_fifo_init(&f, 4), 0);
	assert_false(ol_fifo_pop(&f, &r));
	/* In order, across the ring's wrap, one in flight at a time and two. */
	for (i = 0; i < 10; i++) {
		assert_true(ol_fifo_push(&f, 2 * i, 2 * i + 100));
		assert_true(ol_fifo_push(&f, 2 * i + 1, 2 * i + 101));
		assert_true(ol_fifo_pop(&f, &r));
		assert_int_equal(r.due_ns, 2 * i);
		assert_int_equal(r.sent_ns, 2 * i + 100);
		assert_true(ol_fifo_pop(&f, &r));
		assert_int_equal(r.due_ns, 2 * i + 1);
		assert_null(ol_fifo_peek(&f));
	}
	while (ol_fifo_len(&f) < 4)
		assert_true(ol_fifo_push(&f, 7, 7));
	assert_false(ol_fifo_push(&f, 8, 8));	/* full: refused, kept */
	assert_int_equal(ol_fifo_len(&f), 4);
	ol_fifo_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall_accounting),
		cmocka_unit_test(test_fifo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
