// SPDX-License-Identifier: GPL-2.0
/*
 * The stock-kernel guest runner. QEMU boots the extracted vmlinux (PVH entry:
 * no decompression under TCG) with a busybox initramfs (guest/init) that
 * mounts the host root read-only over 9p and runs the command in a chroot
 * of it. ttyS0 carries the kernel console, ttyS1 the command's output; both
 * are files in the run's log directory, which is also shared writable so the
 * guest can hand back the exit status and its dmesg.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/host/guest.h"
#include "lib/util.h"

#define POLL_NS		(20 * 1000 * 1000)
#define KVM_PROBE_S	6
#define BOOT_MARKER	"kgraft-guest: running"

static volatile pid_t qemu_pid;

void guest_config_init(struct guest_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->cpus = 2;
	cfg->mem_mb = 2048;
	cfg->timeout_s = 300;
	cfg->accel = GUEST_ACCEL_AUTO;
	cfg->out = stdout;
}

const char *guest_accel_name(enum guest_accel a)
{
	switch (a) {
	case GUEST_ACCEL_TCG:
		return "tcg";
	case GUEST_ACCEL_KVM:
		return "kvm";
	default:
		return "auto";
	}
}

int guest_accel_parse(const char *s, enum guest_accel *a)
{
	if (!strcmp(s, "auto"))
		*a = GUEST_ACCEL_AUTO;
	else if (!strcmp(s, "tcg"))
		*a = GUEST_ACCEL_TCG;
	else if (!strcmp(s, "kvm"))
		*a = GUEST_ACCEL_KVM;
	else
		return -EINVAL;
	return 0;
}

const char *guest_build_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	const char *env = getenv("KGRAFT_BUILD");
	ssize_t n;
	int up;

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "build";
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(exe));
	/* The binary is build/bench or build/tests/<test>: walk up to build/. */
	for (up = 0; up < 3; up++) {
		snprintf(probe, sizeof(probe), "%s/kernel/release", dir);
		if (!access(probe, R_OK))
			return dir;
		snprintf(dir, sizeof(dir), "%s", dirname(dir));
	}
	snprintf(dir, sizeof(dir), "%s", dirname(exe));
	return dir;
}

static int default_kernel(char *path, size_t len)
{
	char rel_path[PATH_MAX], rel[128];

	snprintf(rel_path, sizeof(rel_path), "%s/kernel/release",
		 guest_build_dir());
	if (read_small_file(rel_path, rel, sizeof(rel)) < 0) {
		fprintf(stderr, "guest: no stock kernel in %s/kernel (run 'make deps')\n",
			guest_build_dir());
		return -1;
	}
	strip_newline(rel);
	snprintf(path, len, "%s/kernel/%s/vmlinux", guest_build_dir(), rel);
	if (access(path, R_OK)) {
		fprintf(stderr, "guest: %s missing (run 'make')\n", path);
		return -1;
	}
	return 0;
}

/* Single-quote @s for sh. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static int write_cmd_file(const char *dir, char *const *argv,
			  const struct guest_result *res)
{
	static const char *const pass[] = { "PATH", "TERM", "LANG", "LC_ALL" };
	extern char **environ;
	char path[PATH_MAX + 16], cwd[PATH_MAX];
	char **e;
	size_t i;
	FILE *f;

	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	snprintf(path, sizeof(path), "%s/cmd", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("# written by the guest runner; run by guest/init in the chroot\n", f);
	fputs("export HOME=/root KGRAFT_GUEST=1\n", f);
	/* What emulated the machine, for the results' metadata. */
	fputs("export KGRAFT_GUEST_QEMU=", f);
	put_quoted(f, res->qemu);
	fprintf(f, "\nexport KGRAFT_GUEST_TCG_THREADS=%s\n", res->tcg_threads);
	for (i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		const char *v = getenv(pass[i]);

		if (!v)
			continue;
		fprintf(f, "export %s=", pass[i]);
		put_quoted(f, v);
		fputc('\n', f);
	}
	for (e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');

		if (!eq || (strncmp(*e, "KGRAFT_", 7) && strncmp(*e, "BENCH_", 6)))
			continue;
		fprintf(f, "export %.*s=", (int)(eq - *e), *e);
		put_quoted(f, eq + 1);
		fputc('\n', f);
	}
	fputs("cd ", f);
	put_quoted(f, cwd);
	fputs(" || exit 125\n", f);
	/* One word is a shell command line (as ssh does); more are argv. */
	if (argv[0] && !argv[1]) {
		fputs("exec /bin/sh -c ", f);
		put_quoted(f, argv[0]);
	} else {
		fputs("exec", f);
		for (; *argv; argv++) {
			fputc(' ', f);
			put_quoted(f, *argv);
		}
	}
	fputc('\n', f);
	return fclose(f) ? -1 : 0;
}

/* Is @path hidden in the guest by its tmpfs mounts on /tmp and /run? */
static bool under_guest_tmpfs(const char *path)
{
	return !strncmp(path, "/tmp/", 5) || !strncmp(path, "/run/", 5) ||
	       !strcmp(path, "/tmp") || !strcmp(path, "/run");
}

/*
 * The guest mounts tmpfs on /tmp and /run; a project or working directory
 * there must stay visible, so guest/init holds these paths above them.
 */
static int write_keep_file(const char *dir)
{
	char path[PATH_MAX + 16], cwd[PATH_MAX], top[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/keep", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (getcwd(cwd, sizeof(cwd)) && under_guest_tmpfs(cwd))
		fprintf(f, "%s\n", cwd);
	if (realpath(guest_build_dir(), top)) {
		snprintf(cwd, sizeof(cwd), "%s", dirname(top));
		if (under_guest_tmpfs(cwd))
			fprintf(f, "%s\n", cwd);
	}
	return fclose(f) ? -1 : 0;
}

static int make_log_dir(const struct guest_config *cfg, char *dir, size_t len)
{
	char stamp[32], given[PATH_MAX];
	time_t now = time(NULL);

	if (cfg->log_dir) {
		snprintf(dir, len, "%s", cfg->log_dir);
	} else {
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S",
			 localtime(&now));
		snprintf(dir, len, "%s/guest/runs/%s-%d", guest_build_dir(),
			 stamp, (int)getpid());
	}
	if (mkdir_p(dir) < 0) {
		fprintf(stderr, "guest: cannot create %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	snprintf(given, sizeof(given), "%s", dir);
	if (!realpath(given, dir))
		return -1;
	if (strpbrk(dir, " \t\n,")) {
		fprintf(stderr, "guest: log directory %s must not contain spaces or commas\n",
			dir);
		return -1;
	}
	return 0;
}

static volatile sig_atomic_t interrupted;

/* ^C or a kill: stop the guest and let the caller keep what it has. */
static void kill_qemu(int sig)
{
	interrupted = sig;
	if (qemu_pid > 0)
		kill(qemu_pid, SIGKILL);
}

struct argv_buf {
	char *v[64];
	int n;
	char store[8][PATH_MAX + 128];
	int ns;
};

static void arg(struct argv_buf *a, const char *s)
{
	if (a->n < (int)(sizeof(a->v) / sizeof(a->v[0])) - 1)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

static void argf(struct argv_buf *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void argf(struct argv_buf *a, const char *fmt, ...)
{
	va_list ap;

	if (a->ns >= (int)(sizeof(a->store) / sizeof(a->store[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(a->store[a->ns], sizeof(a->store[0]), fmt, ap);
	va_end(ap);
	arg(a, a->store[a->ns++]);
}

/* QEMU's command line: machine, kernel, serial files, 9p shares. */
static void qemu_args(struct argv_buf *a, const struct guest_config *cfg,
		      enum guest_accel accel, const char *kernel,
		      const char *initrd, const char *dir,
		      char shares[][PATH_MAX])
{
	static char append[1024], smp[16], mem[16];
	static char virtfs[GUEST_MAX_SHARES + 2][PATH_MAX + 128];
	unsigned int i;

	arg(a, "qemu-system-x86_64");
	arg(a, "-name");
	arg(a, "kgraft-guest");
	arg(a, "-nodefaults");
	arg(a, "-no-user-config");
	arg(a, "-display");
	arg(a, "none");
	arg(a, "-no-reboot");
	arg(a, "-accel");
	arg(a, accel == GUEST_ACCEL_KVM ? "kvm" :
	    cfg->tcg_single ? "tcg,thread=single" : "tcg,thread=multi");
	arg(a, "-cpu");
	arg(a, accel == GUEST_ACCEL_KVM ? "host" : "max");
	snprintf(smp, sizeof(smp), "%u", cfg->cpus);
	arg(a, "-smp");
	arg(a, smp);
	snprintf(mem, sizeof(mem), "%u", cfg->mem_mb);
	arg(a, "-m");
	arg(a, mem);
	arg(a, "-kernel");
	arg(a, kernel);
	arg(a, "-initrd");
	arg(a, initrd);
	snprintf(append, sizeof(append),
		 "console=ttyS0 panic=-1 kgraft.ctl=%s kgraft.shares=%u%s%s",
		 dir, cfg->nr_shares, cfg->append ? " " : "",
		 cfg->append ? cfg->append : "");
	arg(a, "-append");
	arg(a, append);
	arg(a, "-serial");
	argf(a, "file:%s/console.log", dir);
	arg(a, "-serial");
	argf(a, "file:%s/output.log", dir);
	arg(a, "-virtfs");
	arg(a, "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap");
	escape_commas(virtfs[0], sizeof(virtfs[0]), dir);
	snprintf(virtfs[1], sizeof(virtfs[1]),
		 "local,path=%s,mount_tag=ctl,security_model=none", virtfs[0]);
	arg(a, "-virtfs");
	arg(a, virtfs[1]);
	for (i = 0; i < cfg->nr_shares; i++) {
		char esc[PATH_MAX * 2];

		escape_commas(esc, sizeof(esc), shares[i]);
		snprintf(virtfs[i + 2], sizeof(virtfs[0]),
			 "local,path=%s,mount_tag=share%u,security_model=none",
			 esc, i);
		arg(a, "-virtfs");
		arg(a, virtfs[i + 2]);
	}
}

/* In the child: output to qemu.log, no input, its own process group. */
static void __attribute__((noreturn)) exec_qemu(char *const argv[],
						const char *dir)
{
	char log[PATH_MAX + 16];

	snprintf(log, sizeof(log), "%s/qemu.log", dir);
	child_stdio(open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	/* Its own process group: a terminal's ^C reaches us, not QEMU. */
	setpgid(0, 0);
	execvp(argv[0], argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static pid_t spawn_qemu(const struct guest_config *cfg, enum guest_accel accel,
			const char *kernel, const char *initrd, const char *dir,
			char shares[][PATH_MAX])
{
	struct argv_buf a = { .n = 0 };
	pid_t pid;

	qemu_args(&a, cfg, accel, kernel, initrd, dir, shares);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		exec_qemu(a.v, dir);
	return pid;
}

/* Copy what was appended to @path since @off into @to (if any). */
static size_t follow(const char *path, off_t *off, FILE *to,
		     struct console_scanner *scan)
{
	char buf[8192];
	size_t total = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	while ((n = pread(fd, buf, sizeof(buf), *off)) > 0) {
		*off += n;
		total += n;
		if (to)
			fwrite(buf, 1, n, to);
		if (scan)
			console_scanner_feed(scan, buf, n);
	}
	close(fd);
	if (to && total)
		fflush(to);
	return total;
}

static bool file_contains(const char *path, const char *needle)
{
	char buf[1 << 16];
	bool found = false;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	/* The marker comes right after boot: within the first 256 KiB. */
	n = read(fd, buf, sizeof(buf) - 1);
	while (n > 0) {
		buf[n] = '\0';
		if (memmem(buf, n, needle, strlen(needle))) {
			found = true;
			break;
		}
		n = read(fd, buf, sizeof(buf) - 1);
	}
	close(fd);
	return found;
}

/* What the result says before anything ran: no status yet, the machine. */
static void init_result(const struct guest_config *cfg, enum guest_accel accel,
			struct guest_result *res)
{
	memset(res, 0, sizeof(*res));
	res->status = -1;
	res->accel = accel;
	snprintf(res->qemu, sizeof(res->qemu), "%s", guest_qemu_version());
	res->tcg_threads = accel == GUEST_ACCEL_KVM ? "-" :
			   cfg->tcg_single ? "single" : "multi";
}

/* The kernel and initramfs to boot (PATH_MAX each): given, or build/'s. */
static int find_images(const struct guest_config *cfg, char *kernel,
		       char *initrd)
{
	if (cfg->kernel)
		snprintf(kernel, PATH_MAX, "%s", cfg->kernel);
	else if (default_kernel(kernel, PATH_MAX) < 0)
		return -1;
	if (cfg->initrd)
		snprintf(initrd, PATH_MAX, "%s", cfg->initrd);
	else
		snprintf(initrd, PATH_MAX, "%s/guest/initramfs.cpio.gz",
			 guest_build_dir());
	if (access(kernel, R_OK) || access(initrd, R_OK)) {
		fprintf(stderr, "guest: cannot read %s (run 'make')\n",
			access(kernel, R_OK) ? kernel : initrd);
		return -1;
	}
	return 0;
}

/*
 * The log directory as guest/init reads it: each share's real path, the
 * QEMU version, the command and the paths to keep; and no status, console
 * or output left from an earlier run in it.
 */
static int prepare_log_dir(const struct guest_config *cfg,
			   struct guest_result *res, char shares[][PATH_MAX],
			   char *out_log, size_t out_len)
{
	char path[PATH_MAX + 16];
	unsigned int i;

	if (make_log_dir(cfg, res->log_dir, sizeof(res->log_dir)) < 0)
		return -1;
	for (i = 0; i < cfg->nr_shares; i++) {
		if (mkdir_p(cfg->shares[i]) < 0 ||
		    !realpath(cfg->shares[i], shares[i])) {
			fprintf(stderr, "guest: share %s: %s\n", cfg->shares[i],
				strerror(errno));
			return -1;
		}
		snprintf(path, sizeof(path), "%s/share%u", res->log_dir, i);
		if (write_small_file(path, shares[i]) < 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/qemu", res->log_dir);
	if (write_small_file(path, res->qemu) < 0 ||
	    write_cmd_file(res->log_dir, cfg->argv, res) < 0 ||
	    write_keep_file(res->log_dir) < 0) {
		fprintf(stderr, "guest: cannot write the command file in %s\n",
			res->log_dir);
		return -1;
	}
	snprintf(res->console_log, sizeof(res->console_log), "%s/console.log",
		 res->log_dir);
	snprintf(out_log, out_len, "%s/output.log", res->log_dir);
	snprintf(path, sizeof(path), "%s/status", res->log_dir);
	unlink(path);
	unlink(res->console_log);
	unlink(out_log);
	return 0;
}

static void set_signals(void (*handler)(int))
{
	signal(SIGINT, handler);
	signal(SIGTERM, handler);
	signal(SIGHUP, handler);
}

/*
 * Until QEMU exits, or is killed at the timeout: the console and the
 * output copied as they grow, the boot time taken at the marker. Then the
 * signals as they were, and the rest of both files. QEMU's wait status.
 */
static int watch_qemu(const struct guest_config *cfg, struct guest_result *res,
		      pid_t pid, const char *out_log,
		      struct console_scanner *scan, double start, bool *booted)
{
	off_t out_off = 0, con_off = 0;
	int wstatus = 0;
	double now;

	for (;;) {
		pid_t w = waitpid(pid, &wstatus, WNOHANG);

		follow(res->console_log, &con_off, cfg->console, scan);
		follow(out_log, &out_off, cfg->out, NULL);
		now = now_s();
		if (!*booted && file_contains(res->console_log, BOOT_MARKER)) {
			*booted = true;
			res->boot_s = now - start;
		}
		if (w == pid)
			break;
		if (now - start > cfg->timeout_s) {
			kill(pid, SIGKILL);
			waitpid(pid, &wstatus, 0);
			res->timed_out = true;
			break;
		}
		sleep_ns(POLL_NS);
	}
	qemu_pid = 0;
	res->interrupted = interrupted;
	set_signals(SIG_DFL);
	res->total_s = now_s() - start;
	follow(res->console_log, &con_off, cfg->console, scan);
	follow(out_log, &out_off, cfg->out, NULL);
	return wstatus;
}

/* The command's exit status, and what the console or dmesg shows. */
static void read_outcome(struct guest_result *res,
			 struct console_scanner *scan, int wstatus, bool booted)
{
	char path[PATH_MAX + 16], buf[32];

	snprintf(path, sizeof(path), "%s/status", res->log_dir);
	if (!res->timed_out && read_small_file(path, buf, sizeof(buf)) > 0)
		res->status = atoi(buf);

	res->finding = *console_scanner_finish(scan);
	snprintf(res->finding_file, sizeof(res->finding_file), "%s",
		 res->console_log);
	if (res->finding.problem == CONSOLE_OK) {
		/* The console prints by loglevel; dmesg has every message. */
		snprintf(path, sizeof(path), "%s/dmesg", res->log_dir);
		if (!console_scan_file(path, &res->finding))
			snprintf(res->finding_file, sizeof(res->finding_file),
				 "%s", path);
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127 && !booted)
		fprintf(stderr, "guest: QEMU did not start, see %s/qemu.log\n",
			res->log_dir);
}

static int run_once(const struct guest_config *cfg, enum guest_accel accel,
		    struct guest_result *res)
{
	char kernel[PATH_MAX], initrd[PATH_MAX];
	char shares[GUEST_MAX_SHARES][PATH_MAX];
	char out_log[PATH_MAX + 16];
	struct console_scanner scan;
	bool booted = false;
	int wstatus;
	double start;
	pid_t pid;

	init_result(cfg, accel, res);
	if (find_images(cfg, kernel, initrd) < 0 ||
	    prepare_log_dir(cfg, res, shares, out_log, sizeof(out_log)) < 0)
		return -1;

	interrupted = 0;
	set_signals(kill_qemu);
	start = now_s();
	pid = spawn_qemu(cfg, accel, kernel, initrd, res->log_dir, shares);
	if (pid < 0) {
		fprintf(stderr, "guest: fork: %s\n", strerror(errno));
		return -1;
	}
	qemu_pid = pid;
	console_scanner_init(&scan);
	wstatus = watch_qemu(cfg, res, pid, out_log, &scan, start, &booted);
	read_outcome(res, &scan, wstatus, booted);
	return 0;
}

const char *guest_qemu_version(void)
{
	static char version[128];
	static bool done;
	FILE *p;

	if (done)
		return version;
	done = true;
	p = popen("qemu-system-x86_64 --version 2>/dev/null", "r");
	if (!p)
		return version;
	if (!fgets(version, sizeof(version), p))
		version[0] = '\0';
	pclose(p);
	strip_newline(version);
	return version;
}

/* KVM hangs on some hosts: probe it with a short boot, once per host boot. */
enum guest_accel guest_resolve_accel(const struct guest_config *cfg)
{
	char cache[PATH_MAX], boot_id[64] = "", line[128], want[128];
	struct guest_config probe;
	struct guest_result res;
	char *const argv[] = { "true", NULL };
	bool ok;
	int fd;

	if (cfg->accel != GUEST_ACCEL_AUTO)
		return cfg->accel;
	fd = open("/dev/kvm", O_RDWR);
	if (fd < 0)
		return GUEST_ACCEL_TCG;
	close(fd);

	read_small_file("/proc/sys/kernel/random/boot_id", boot_id,
			sizeof(boot_id));
	strip_newline(boot_id);
	snprintf(cache, sizeof(cache), "%s/guest/kvm-probe", guest_build_dir());
	if (read_small_file(cache, line, sizeof(line)) > 0) {
		strip_newline(line);
		snprintf(want, sizeof(want), "%s ok", boot_id);
		if (!strcmp(line, want))
			return GUEST_ACCEL_KVM;
		snprintf(want, sizeof(want), "%s fail", boot_id);
		if (!strcmp(line, want))
			return GUEST_ACCEL_TCG;
	}

	probe = *cfg;
	probe.accel = GUEST_ACCEL_KVM;
	probe.timeout_s = KVM_PROBE_S;
	probe.argv = argv;
	probe.out = NULL;
	probe.console = NULL;
	probe.nr_shares = 0;
	probe.log_dir = NULL;
	ok = !run_once(&probe, GUEST_ACCEL_KVM, &res) && res.status == 0 &&
	     res.finding.problem == CONSOLE_OK;
	if (!ok)
		fprintf(stderr, "guest: KVM probe boot %s; using TCG (see %s)\n",
			res.timed_out ? "hung" : "failed", res.log_dir);
	snprintf(line, sizeof(line), "%s %s", boot_id, ok ? "ok" : "fail");
	write_small_file(cache, line);
	return ok ? GUEST_ACCEL_KVM : GUEST_ACCEL_TCG;
}

int guest_run(const struct guest_config *cfg, struct guest_result *res)
{
	if (!cfg->argv || !cfg->argv[0]) {
		fprintf(stderr, "guest: no command to run\n");
		return -1;
	}
	if (cfg->nr_shares > GUEST_MAX_SHARES) {
		fprintf(stderr, "guest: at most %d shares\n", GUEST_MAX_SHARES);
		return -1;
	}
	return run_once(cfg, guest_resolve_accel(cfg), res);
}

int guest_exit_status(const struct guest_result *res, const char *prog)
{
	int status = res->status;

	if (res->finding.problem != CONSOLE_OK) {
		fprintf(stderr, "%s: guest kernel reported a %s at %s:%lu:\n%s:   %s\n",
			prog, console_problem_name(res->finding.problem),
			res->finding_file, res->finding.line_no, prog,
			res->finding.line);
		if (status <= 0)
			status = 1;
	}
	if (res->interrupted) {
		fprintf(stderr, "%s: interrupted by signal %d: guest killed\n",
			prog, res->interrupted);
		status = 128 + res->interrupted;
	} else if (res->timed_out) {
		fprintf(stderr, "%s: timeout after %.0f s: guest killed\n",
			prog, res->total_s);
		status = 124;
	} else if (res->status < 0) {
		fprintf(stderr, "%s: the guest returned no exit status (crashed or failed to boot)\n",
			prog);
		status = 125;
	}
	if (status)
		fprintf(stderr, "%s: console log: %s\n", prog, res->console_log);
	return status;
}

int guest_write_result(const struct guest_result *res, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "status %d\n", res->status);
	fprintf(f, "timed_out %d\n", res->timed_out);
	fprintf(f, "accel %s\n", guest_accel_name(res->accel));
	fprintf(f, "tcg_threads %s\n", res->tcg_threads ? res->tcg_threads : "-");
	fprintf(f, "qemu %s\n", res->qemu[0] ? res->qemu : "-");
	fprintf(f, "problem %s\n", res->finding.problem == CONSOLE_OK ?
		"none" : console_problem_name(res->finding.problem));
	fprintf(f, "problem_file %s\n",
		res->finding.problem == CONSOLE_OK ? "-" : res->finding_file);
	fprintf(f, "problem_line %s\n",
		res->finding.problem == CONSOLE_OK ? "-" : res->finding.line);
	fprintf(f, "boot_s %.3f\n", res->boot_s);
	fprintf(f, "total_s %.3f\n", res->total_s);
	fprintf(f, "log_dir %s\n", res->log_dir);
	fprintf(f, "console_log %s\n", res->console_log);
	return fclose(f) ? -errno : 0;
}
