// SPDX-License-Identifier: GPL-2.0
/* kv-server.c - start, probe and stop a key-value server (kv-server.h). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/workload/kv-server.h"
#include "bench/workload/workload.h"
#include "lib/util.h"

#define KV_READY_NS	(20ULL * 1000000000)	/* TCG boots are slow */
#define KV_STOP_NS	(5ULL * 1000000000)

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	if (fd < 0)
		return -errno;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &alen)) {
		port = -errno;
		close(fd);
		return port;
	}
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

int kv_connect(int port)
{
	static const struct timeval io_timeout = { .tv_sec = 5 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, e;

	if (fd < 0)
		return -errno;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		e = -errno;
		close(fd);
		return e;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* A wedged server fails bench's set-up and read-back, not hangs it. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &io_timeout, sizeof(io_timeout));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &io_timeout, sizeof(io_timeout));
	return fd;
}

static void child(const char *const argv[], int port, const int *cpus,
		  unsigned int nr_cpus, const char *log, pid_t parent)
{
	char *args[32], portbuf[16];
	unsigned int i;

	/*
	 * Dies with bench (the signal follows the forking thread: bench's
	 * main thread, which lives to the end), not with bench's terminal:
	 * a ^C must leave the server up for the counts at the end.
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	setpgid(0, 0);
	pin_process(cpus, nr_cpus);
	unlink(log);
	child_stdio(open(log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644));
	snprintf(portbuf, sizeof(portbuf), "%d", port);
	for (i = 0; argv[i] && i < 31; i++)
		args[i] = strcmp(argv[i], "%port") ? (char *)argv[i] : portbuf;
	args[i] = NULL;
	execvp(args[0], args);
	fprintf(stderr, "exec %s: %s\n", args[0], strerror(errno));
	_exit(127);
}

bool kv_server_exited(struct kv_server *s)
{
	if (!s->pid || s->exited)
		return true;
	if (waitpid(s->pid, &s->status, WNOHANG) == s->pid)
		s->exited = true;
	return s->exited;
}

const char *kv_server_how(const struct kv_server *s, char *buf, size_t len)
{
	if (!s->exited)
		snprintf(buf, len, "still running");
	else if (WIFSIGNALED(s->status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(s->status));
	else
		snprintf(buf, len, "exited with status %d",
			 WEXITSTATUS(s->status));
	return buf;
}

/* The last line of the server's log, for an error message. */
static void log_tail(const struct kv_server *s, char *out, size_t len)
{
	char line[256] = "";
	FILE *f = fopen(s->log, "r");

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			snprintf(out, len, "%s", line);
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

static int fail(struct kv_server *s, char *err, size_t len, const char *what)
{
	char how[48], tail[160];

	kv_server_exited(s);
	log_tail(s, tail, sizeof(tail));
	snprintf(err, len, "%s %s (%s; log %s%s%s)", s->prog, what,
		 kv_server_how(s, how, sizeof(how)), s->log,
		 tail[0] ? ": " : "", tail);
	kv_server_stop(s);
	return -EIO;
}

/* Until a GET comes back, or the server exits, or KV_READY_NS passed. */
static int wait_ready(struct kv_server *s, char *err, size_t len)
{
	uint64_t end = mono_ns() + KV_READY_NS;
	unsigned int errors;
	char req[128];
	size_t n = s->proto->encode(req, sizeof(req), KV_GET, "ready", 0);
	int fd;

	for (;;) {
		if (kv_server_exited(s))
			return fail(s, err, len, "exited while starting");
		fd = kv_connect(s->port);
		if (fd >= 0) {
			int r = kv_roundtrip(fd, s->proto, req, n, 1, &errors);

			close(fd);
			if (!r)
				return 0;
		}
		if (mono_ns() > end)
			return fail(s, err, len, "did not answer in 20 s");
		usleep(20000);
	}
}

int kv_server_start(struct kv_server *s, const struct kv_proto *proto,
		    const char *const argv[], const int *cpus,
		    unsigned int nr_cpus, char *err, size_t len)
{
	pid_t parent = getpid();
	int ret;

	memset(s, 0, sizeof(*s));
	s->prog = argv[0];
	s->proto = proto;
	s->port = free_port();
	if (s->port < 0) {
		snprintf(err, len, "no free loopback port: %s",
			 strerror(-s->port));
		return s->port;
	}
	snprintf(s->log, sizeof(s->log), "/tmp/bench-%s-%d.log", s->prog,
		 (int)getpid());
	s->pid = fork();
	if (s->pid < 0) {
		s->pid = 0;
		snprintf(err, len, "fork: %s", strerror(errno));
		return -errno;
	}
	if (!s->pid)
		child(argv, s->port, cpus, nr_cpus, s->log, parent);
	ret = wait_ready(s, err, len);
	s->ready = !ret;
	return ret;
}

void kv_server_stop(struct kv_server *s)
{
	uint64_t end = mono_ns() + KV_STOP_NS;

	if (kv_server_exited(s))
		return;
	kill(s->pid, SIGTERM);
	while (!kv_server_exited(s)) {
		if (mono_ns() > end) {
			kill(s->pid, SIGKILL);
			if (waitpid(s->pid, &s->status, 0) == s->pid)
				s->exited = true;
			break;
		}
		usleep(10000);
	}
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

int kv_roundtrip(int fd, const struct kv_proto *proto, const char *buf,
		 size_t len, unsigned int nr, unsigned int *errors)
{
	char in[16384];
	size_t have = 0, used;
	enum kv_reply r;
	int e = send_all(fd, buf, len);

	*errors = 0;
	while (!e && nr) {
		r = proto->parse(in, have, &used);
		if (r == KV_REPLY_BAD)
			return -EPROTO;
		if (r != KV_REPLY_MORE) {
			*errors += r == KV_REPLY_ERROR;
			memmove(in, in + used, have - used);
			have -= used;
			nr--;
			continue;
		}
		if (have == sizeof(in))
			return -EMSGSIZE;
		ssize_t n = recv(fd, in + have, sizeof(in) - have, 0);

		if (n == 0)
			return -ECONNRESET;
		if (n < 0 && errno != EINTR)
			return -errno;
		have += n > 0 ? n : 0;
	}
	return e;
}

ssize_t kv_ask(int fd, const char *cmd, char *out, size_t len,
	       bool (*done)(const char *buf, size_t len))
{
	size_t have = 0;
	int e = send_all(fd, cmd, strlen(cmd));

	if (e)
		return e;
	while (have + 1 < len) {
		ssize_t n = recv(fd, out + have, len - 1 - have, 0);

		if (n <= 0)
			return n ? -errno : -ECONNRESET;
		have += n;
		out[have] = '\0';
		if (done(out, have))
			return have;
	}
	return -EMSGSIZE;
}
