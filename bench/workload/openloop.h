/* SPDX-License-Identifier: GPL-2.0 */
/*
 * openloop.h - an open-loop request schedule and the requests in flight on
 * one connection.
 *
 * Requests are due on a fixed schedule (one every period), whatever the
 * server does; a client that was held up sends every request that fell due
 * meanwhile at once, and each one's latency runs from when it was due, not
 * from when it was sent. A stall of N ms at R requests a second therefore
 * shows in the ~N*R requests it delayed (about N*R/2 of them by more than
 * N/2), not in one slow reply: coordinated omission corrected, as wrk2 and
 * HdrHistogram do.
 */
#ifndef BENCH_WORKLOAD_OPENLOOP_H
#define BENCH_WORKLOAD_OPENLOOP_H

#include <stdbool.h>
#include <stdint.h>

struct ol_sched {
	uint64_t next_ns;		/* when the next request is due */
	uint64_t period_ns;
};

static inline void ol_sched_init(struct ol_sched *s, uint64_t t0_ns,
				 uint64_t period_ns)
{
	s->next_ns = t0_ns;
	s->period_ns = period_ns;
}

/* If a request is due at @now, take it: its due time in @due. */
static inline bool ol_sched_take(struct ol_sched *s, uint64_t now,
				 uint64_t *due)
{
	if (s->next_ns > now)
		return false;
	*due = s->next_ns;
	s->next_ns += s->period_ns;
	return true;
}

/* One request in flight: when it was due and when it went out. */
struct ol_req {
	uint64_t due_ns;
	uint64_t sent_ns;
};

/* Replies come back in request order, so a ring of requests suffices. */
struct ol_fifo {
	struct ol_req *req;
	unsigned int size;		/* a power of two */
	unsigned int head, tail;	/* free-running */
};

int ol_fifo_init(struct ol_fifo *f, unsigned int size);
void ol_fifo_free(struct ol_fifo *f);

static inline unsigned int ol_fifo_len(const struct ol_fifo *f)
{
	return f->tail - f->head;
}

static inline bool ol_fifo_push(struct ol_fifo *f, uint64_t due, uint64_t sent)
{
	struct ol_req *r;

	if (ol_fifo_len(f) == f->size)
		return false;
	r = &f->req[f->tail++ & (f->size - 1)];
	r->due_ns = due;
	r->sent_ns = sent;
	return true;
}

static inline bool ol_fifo_pop(struct ol_fifo *f, struct ol_req *out)
{
	if (!ol_fifo_len(f))
		return false;
	*out = f->req[f->head++ & (f->size - 1)];
	return true;
}

/* The oldest request in flight, or NULL. */
static inline const struct ol_req *ol_fifo_peek(const struct ol_fifo *f)
{
	return ol_fifo_len(f) ? &f->req[f->head & (f->size - 1)] : NULL;
}

#endif
