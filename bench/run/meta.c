// SPDX-License-Identifier: GPL-2.0
/*
 * Everything a reader needs to judge where numbers came from: the kernel and
 * its release, the CPU and whether it is emulated (QEMU TCG numbers are not
 * hardware numbers), the tools' versions, the git revision, the command
 * line and the seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bench/run/meta.h"
#include "lib/util.h"
#include "version.h"

/* First line of a command's output, or "" when it does not run. */
static void first_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");

	buf[0] = '\0';
	if (!p)
		return;
	if (!fgets(buf, (int)len, p))
		buf[0] = '\0';
	pclose(p);
	strip_newline(buf);
}

static void cpuinfo_field(const char *field, char *buf, size_t len)
{
	char line[512];
	size_t n = strlen(field);
	FILE *f = fopen("/proc/cpuinfo", "r");

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, field, n) || !colon)
			continue;
		snprintf(buf, len, "%s", colon + 2);
		strip_newline(buf);
		break;
	}
	fclose(f);
}

void meta_json(const struct run_config *rc, struct json *j)
{
	char buf[512], flags[4096];
	struct utsname u;
	int i;

	uname(&u);
	json_str(j, "kernel_release", u.release);
	json_str(j, "kernel_version", u.version);
	json_str(j, "machine", u.machine);
	cpuinfo_field("model name", buf, sizeof(buf));
	json_str(j, "cpu_model", buf);
	json_i64(j, "online_cpus", sysconf(_SC_NPROCESSORS_ONLN));
	cpuinfo_field("flags", flags, sizeof(flags));
	/* A hypervisor flag or QEMU's TCG model name: timings are emulated. */
	json_bool(j, "virtualised", strstr(flags, "hypervisor") != NULL);
	json_bool(j, "emulated", strstr(buf, "QEMU TCG") != NULL);
	json_str(j, "accelerator", getenv("KGRAFT_GUEST_ACCEL") ?
		 getenv("KGRAFT_GUEST_ACCEL") : "none (local)");
	json_str(j, "kgraft_revision", KGRAFT_VERSION);
	snprintf(buf, sizeof(buf), "%u.%u", libbpf_major_version(),
		 libbpf_minor_version());
	json_str(j, "libbpf", buf);
	first_line("gcc --version 2>/dev/null", buf, sizeof(buf));
	json_str(j, "gcc", buf);
	first_line("clang --version 2>/dev/null", buf, sizeof(buf));
	json_str(j, "clang", buf);
	/* The QEMU that ran this guest (the host's), else the local one. */
	if (getenv("KGRAFT_GUEST_QEMU"))
		snprintf(buf, sizeof(buf), "%s", getenv("KGRAFT_GUEST_QEMU"));
	else
		first_line("qemu-system-x86_64 --version 2>/dev/null", buf,
			   sizeof(buf));
	json_str(j, "qemu", buf);
	json_str(j, "tcg_threads", getenv("KGRAFT_GUEST_TCG_THREADS") ?
		 getenv("KGRAFT_GUEST_TCG_THREADS") : "-");
	first_line("bpftool version 2>/dev/null", buf, sizeof(buf));
	json_str(j, "bpftool", buf);
	json_u64(j, "seed", rc->seed);
	json_str(j, "scenario", rc->scenario ? rc->scenario : "-");
	json_str(j, "knobs", rc->knobs_native ? "native" : "parity");
	json_u64(j, "pending_interval_ns", rc->pending_interval_ns);
	json_u64(j, "tasks_outside", rc->tasks_outside);
	json_u64(j, "tasks_inside", rc->tasks_inside);
	json_u64(j, "spinners", rc->spinners);
	json_u64(j, "busy_kthreads", rc->busy_kthreads);
	json_u64(j, "churn_hz", rc->churn_hz);
	json_obj_begin(j, "kv_client");
	json_u64(j, "rate_per_thread", rc->kv.rate_hz);
	json_u64(j, "conns", rc->kv.conns);
	json_u64(j, "set_pct", rc->kv.set_pct);
	json_u64(j, "value_size", rc->kv.value_size);
	json_u64(j, "keys", rc->kv.keys);
	json_obj_end(j);
	json_arr_begin(j, "command_line");
	for (i = 0; i < rc->argc; i++)
		json_str(j, NULL, rc->argv[i]);
	json_arr_end(j);
}
