// SPDX-License-Identifier: GPL-2.0
/*
 * kv-client.c - the open-loop client (kv-client.h). Each thread keeps its
 * connections non-blocking and waits in ppoll() for whichever comes first:
 * the next request falling due, a reply, or room to write. When a
 * connection cannot take more (its ring of requests in flight or its
 * output buffer is full) due requests wait, keeping their due time, so the
 * wait still counts; nothing is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/workload/kv-client.h"
#include "bench/workload/openloop.h"

#define KV_NSEC		1000000000ULL
#define KV_FIFO		4096		/* requests in flight a connection */
#define KV_BUF		(256 * 1024)	/* each way, a connection */
#define KV_TIMEOUT_NS	(5 * KV_NSEC)	/* no reply: the server hangs */
#define KV_DRAIN_NS	KV_NSEC		/* replies still awaited at the end */
#define KV_POLL_MAX_NS	(10 * 1000000ULL) /* look at the clock this often */

struct kv_conn {
	int fd;
	struct ol_fifo fifo;
	char *out, *in;
	size_t out_len, in_len;
};

struct kv_thread {
	struct wl_thread *t;
	struct kv_workload *kv;
	struct kv_counts *c;
	const struct kv_proto *proto;
	struct kv_conn *conn;
	unsigned int nr, rr;
	struct ol_sched sched;
	uint64_t rng;
	bool failed;
};

void kv_key(char *buf, size_t len, unsigned int i)
{
	snprintf(buf, len, "key:%u", i);
}

/* xorshift64*: a fast, seeded choice of operation and key. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/*
 * Why the server went away, without reaping it (other threads ask too). A
 * reset connection comes before the exit status does: wait a little.
 */
static void server_gone(struct kv_thread *k, const char *what, int err)
{
	const struct kv_server *s = &k->kv->server;
	uint64_t end = mono_ns() + 200 * 1000000ULL;
	siginfo_t si;

	do {
		memset(&si, 0, sizeof(si));
		if (!waitid(P_PID, s->pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
		    si.si_pid == s->pid) {
			wl_fail(k->t, err, "%s: %s %s %d mid-run", what, s->prog,
				si.si_code == CLD_EXITED ?
				"exited with status" : "was killed by signal",
				si.si_status);
			k->failed = true;
			return;
		}
		usleep(10000);
	} while (mono_ns() < end);
	wl_fail(k->t, err, "%s (%s %s, still running)", what, s->prog,
		strerror(err));
	k->failed = true;
}

static int open_conns(struct kv_thread *k)
{
	unsigned int i;

	k->conn = calloc(k->nr, sizeof(*k->conn));
	if (!k->conn)
		return -ENOMEM;
	for (i = 0; i < k->nr; i++)
		k->conn[i].fd = -1;
	for (i = 0; i < k->nr; i++) {
		struct kv_conn *c = &k->conn[i];

		c->out = malloc(KV_BUF);
		c->in = malloc(KV_BUF);
		if (!c->out || !c->in || ol_fifo_init(&c->fifo, KV_FIFO))
			return -ENOMEM;
		c->fd = kv_connect(k->kv->server.port);
		if (c->fd < 0)
			return c->fd;
		fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	}
	return 0;
}

static void close_conns(struct kv_thread *k)
{
	unsigned int i;

	for (i = 0; k->conn && i < k->nr; i++) {
		if (k->conn[i].fd >= 0)
			close(k->conn[i].fd);
		free(k->conn[i].out);
		free(k->conn[i].in);
		ol_fifo_free(&k->conn[i].fifo);
	}
	free(k->conn);
}

/* The next connection, round robin, with room for one more request. */
static struct kv_conn *conn_with_room(struct kv_thread *k, size_t room)
{
	unsigned int i;

	for (i = 0; i < k->nr; i++) {
		struct kv_conn *c = &k->conn[k->rr++ % k->nr];

		if (ol_fifo_len(&c->fifo) < c->fifo.size &&
		    KV_BUF - c->out_len >= room)
			return c;
	}
	return NULL;
}

/*
 * Queue every request due by @now that a connection has room for. True
 * when due requests wait for room (they keep their due time).
 */
static bool issue_due(struct kv_thread *k, uint64_t now)
{
	const struct workload_opts *o = &k->t->w->opts;
	size_t room = o->value_size + 128;
	char key[32];
	uint64_t due;

	while (k->sched.next_ns <= now && k->sched.next_ns < k->t->w->end_ns) {
		struct kv_conn *c = conn_with_room(k, room);
		uint64_t r = next_rand(&k->rng);
		enum kv_op op = r % 100 < o->set_pct ? KV_SET : KV_GET;

		if (!c)
			return true;
		ol_sched_take(&k->sched, now, &due);
		kv_key(key, sizeof(key), (r >> 8) % o->keys);
		c->out_len += k->proto->encode(c->out + c->out_len,
					       KV_BUF - c->out_len, op, key,
					       o->value_size);
		ol_fifo_push(&c->fifo, due, now);
		if (op == KV_SET)
			k->c->sets++;
		else
			k->c->gets++;
	}
	return false;
}

static void flush(struct kv_thread *k, struct kv_conn *c)
{
	ssize_t n;

	if (!c->out_len)
		return;
	n = send(c->fd, c->out, c->out_len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			server_gone(k, "lost the connection", errno);
		return;
	}
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
}

/* Every whole reply in @c's input: one request done each. */
static void take_replies(struct kv_thread *k, struct kv_conn *c, uint64_t now)
{
	struct wl_thread *t = k->t;
	uint64_t period = k->sched.period_ns;
	size_t off = 0, used;
	struct ol_req req;
	enum kv_reply r;

	while (!k->failed && (r = k->proto->parse(c->in + off, c->in_len - off,
						  &used)) != KV_REPLY_MORE) {
		if (r == KV_REPLY_BAD || !ol_fifo_pop(&c->fifo, &req)) {
			wl_fail(t, EPROTO, "%s: a reply bench cannot read",
				k->kv->server.prog);
			k->failed = true;
			break;
		}
		off += used;
		if (r == KV_REPLY_ERROR)
			wl_error(t);
		wl_record(t, req.due_ns, now - req.due_ns);
		hist_record(&t->service, now - req.sent_ns);
		if (req.sent_ns - req.due_ns >= period)
			t->missed++;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
}

static void receive(struct kv_thread *k, struct kv_conn *c)
{
	ssize_t n;

	if (c->in_len == KV_BUF) {
		wl_fail(k->t, EMSGSIZE, "a reply over %d bytes", KV_BUF);
		k->failed = true;
		return;
	}
	n = recv(c->fd, c->in + c->in_len, KV_BUF - c->in_len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		server_gone(k, "lost the connection", n ? errno : ECONNRESET);
		return;
	}
	if (n > 0) {
		c->in_len += n;
		take_replies(k, c, mono_ns());
	}
}

/* The oldest request in flight anywhere was sent before @before. */
static bool overdue(const struct kv_thread *k, uint64_t before)
{
	unsigned int i;

	for (i = 0; i < k->nr; i++) {
		const struct ol_req *r = ol_fifo_peek(&k->conn[i].fifo);

		if (r && r->sent_ns < before)
			return true;
	}
	return false;
}

static unsigned int in_flight(const struct kv_thread *k)
{
	unsigned int i, n = 0;

	for (i = 0; i < k->nr; i++)
		n += ol_fifo_len(&k->conn[i].fifo);
	return n;
}

/* Wait for replies, room to write, or until @until (ns, monotonic). */
static void wait_io(struct kv_thread *k, struct pollfd *pfd, uint64_t until)
{
	uint64_t now = mono_ns(), wait = until > now ? until - now : 0;
	struct timespec ts;
	unsigned int i;

	if (wait > KV_POLL_MAX_NS)
		wait = KV_POLL_MAX_NS;
	ts.tv_sec = wait / KV_NSEC;
	ts.tv_nsec = wait % KV_NSEC;
	for (i = 0; i < k->nr; i++) {
		pfd[i].fd = k->conn[i].fd;
		pfd[i].events = POLLIN | (k->conn[i].out_len ? POLLOUT : 0);
	}
	if (ppoll(pfd, k->nr, &ts, NULL) <= 0)
		return;
	for (i = 0; i < k->nr && !k->failed; i++) {
		if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
			receive(k, &k->conn[i]);
		if (!k->failed && (pfd[i].revents & POLLOUT))
			flush(k, &k->conn[i]);
	}
}

/*
 * What the run left open, as lower bounds of their latency at @now, so a
 * stall at the end still shows: requests never answered (in flight) and
 * requests that fell due but were never sent (no room, or the thread gave
 * up). Each is counted too, and bench's report says so.
 */
static void account_leftovers(struct kv_thread *k, uint64_t now)
{
	uint64_t end = k->t->w->end_ns, due;
	struct ol_req req;
	unsigned int i;

	for (i = 0; i < k->nr; i++)
		while (ol_fifo_pop(&k->conn[i].fifo, &req)) {
			wl_record(k->t, req.due_ns, now - req.due_ns);
			k->c->unanswered++;
		}
	while (ol_sched_take(&k->sched, now < end ? now : end - 1, &due)) {
		wl_record(k->t, due, now - due);
		k->c->unsent++;
	}
}

static void loop(struct kv_thread *k, struct pollfd *pfd)
{
	uint64_t now, until, drain_start = 0, drain_end = 0;
	bool blocked = false;
	unsigned int i;

	for (;;) {
		now = mono_ns();
		if (!drain_end && workload_done(k->t->w, now)) {
			drain_start = now;
			drain_end = now + KV_DRAIN_NS;
		}
		if (now > KV_TIMEOUT_NS && overdue(k, now - KV_TIMEOUT_NS)) {
			k->c->timeouts++;
			wl_fail(k->t, ETIMEDOUT, "%s: no reply in %llu s",
				k->kv->server.prog, KV_TIMEOUT_NS / KV_NSEC);
			k->failed = true;
		}
		if (k->failed)
			break;
		/* Draining, what fell due before the end still goes out. */
		blocked = issue_due(k, drain_end ? drain_start : now);
		for (i = 0; i < k->nr && !k->failed; i++)
			flush(k, &k->conn[i]);
		if (drain_end && (now > drain_end || !in_flight(k)))
			break;
		/* Due work that waits for room waits for I/O, not the clock. */
		until = drain_end || blocked ? now + KV_POLL_MAX_NS :
			k->sched.next_ns;
		wait_io(k, pfd, until);
		if (k->failed)
			break;
	}
	account_leftovers(k, mono_ns());
}

void kv_client_run(struct wl_thread *t)
{
	struct kv_workload *kv = t->w->priv;
	const struct workload_opts *o = &t->w->opts;
	struct kv_thread k = {
		.t = t,
		.kv = kv,
		.c = &kv->counts[t->idx],
		.proto = kv->server.proto,
		.nr = o->conns,
		.rng = 0x9e3779b97f4a7c15ULL * (t->idx + 1),
	};
	uint64_t period = KV_NSEC / o->rate_hz, now;
	struct pollfd *pfd = calloc(k.nr, sizeof(*pfd));
	int e;

	/* ppoll() wakes when asked, not up to 50 us later. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	e = pfd ? open_conns(&k) : -ENOMEM;
	/*
	 * The schedule starts once connected (set-up is not a stall), the
	 * threads spread over one period, not in a burst.
	 */
	now = mono_ns();
	ol_sched_init(&k.sched, (now > t->w->t0_ns ? now : t->w->t0_ns) +
		      period * t->idx / t->w->nr, period);
	if (e == -ENOMEM)
		wl_fail(t, ENOMEM, "out of memory");
	else if (e)
		server_gone(&k, "cannot connect", -e);
	else
		loop(&k, pfd);
	close_conns(&k);
	free(pfd);
}

int kv_populate(struct kv_workload *kv, const struct workload_opts *o,
		char *err, size_t len)
{
	unsigned int i, n, errors, batch = 256;
	size_t cap = batch * (o->value_size + 128), at;
	char *buf = malloc(cap), key[32];
	int fd = kv_connect(kv->server.port), e = 0;

	for (i = 0; buf && fd >= 0 && !e && i < o->keys; i += n) {
		for (n = 0, at = 0; n < batch && i + n < o->keys; n++) {
			kv_key(key, sizeof(key), i + n);
			at += kv->server.proto->encode(buf + at, cap - at,
						       KV_SET, key,
						       o->value_size);
		}
		e = kv_roundtrip(fd, kv->server.proto, buf, at, n, &errors);
		if (!e && errors)
			e = -EREMOTEIO;
	}
	if (!buf || fd < 0 || e)
		snprintf(err, len, "storing %u keys in %s: %s", o->keys,
			 kv->server.prog, strerror(!buf ? ENOMEM :
						   fd < 0 ? -fd : -e));
	if (fd >= 0)
		close(fd);
	free(buf);
	return !buf ? -ENOMEM : fd < 0 ? fd : e;
}

void kv_total(const struct workload *w, struct kv_counts *sum)
{
	const struct kv_workload *kv = w->priv;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < w->nr; i++) {
		sum->gets += kv->counts[i].gets;
		sum->sets += kv->counts[i].sets;
		sum->timeouts += kv->counts[i].timeouts;
		sum->unanswered += kv->counts[i].unanswered;
		sum->unsent += kv->counts[i].unsent;
	}
}
