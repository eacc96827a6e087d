// SPDX-License-Identifier: GPL-2.0
/*
 * Modules are loaded with the syscalls rather than insmod, so that errors come
 * back as errno values that the caller can act on (EEXIST, EBUSY).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/host/guest.h"
#include "bench/run/kmod.h"
#include "lib/util.h"

static int find_in(const char *dir, const char *file, char *path, size_t len,
		   int depth)
{
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	if (depth > 6)
		return -ENOENT;
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while (ret && (de = readdir(d))) {
		char sub[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR)
			ret = find_in(sub, file, path, len, depth + 1);
		else if (!strcmp(de->d_name, file) && !access(sub, R_OK)) {
			snprintf(path, len, "%s", sub);
			ret = 0;
		}
	}
	closedir(d);
	return ret;
}

#define KMOD_MAX_DIRS 4
static char extra_dirs[KMOD_MAX_DIRS][PATH_MAX];

void kmod_add_dir(const char *dir)
{
	int i;

	for (i = 0; i < KMOD_MAX_DIRS && extra_dirs[i][0]; i++)
		if (!strcmp(extra_dirs[i], dir))
			return;
	if (i < KMOD_MAX_DIRS)
		snprintf(extra_dirs[i], sizeof(extra_dirs[i]), "%s", dir);
}

int kmod_find(const char *name, char *path, size_t len, char *err,
	      size_t errlen)
{
	char dir[PATH_MAX], file[NAME_MAX];
	int i;

	snprintf(dir, sizeof(dir), "%s/kmod", guest_build_dir());
	snprintf(file, sizeof(file), "%s.ko", name);
	if (!find_in(dir, file, path, len, 0))
		return 0;
	for (i = 0; i < KMOD_MAX_DIRS && extra_dirs[i][0]; i++)
		if (!find_in(extra_dirs[i], file, path, len, 5))
			return 0;
	snprintf(err, errlen, "module %s not built (no %s under %s: run 'make')",
		 name, file, dir);
	return -ENOENT;
}

int kmod_load(const char *path, const char *params)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int kmod_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

bool kmod_loaded(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return !access(path, R_OK);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct kmod_param *)a)->name,
		      ((const struct kmod_param *)b)->name);
}

int kmod_params(const char *name, struct kmod_param *out, int max)
{
	char dir[PATH_MAX], path[PATH_MAX + NAME_MAX + 2];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/module/%s/parameters", name);
	d = opendir(dir);
	if (!d)
		return 0;
	while (n < max && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (read_small_file(path, out[n].value,
				    sizeof(out[n].value)) < 0)
			continue;	/* write-only or unreadable */
		strip_newline(out[n].value);
		snprintf(out[n].name, sizeof(out[n].name), "%s", de->d_name);
		n++;
	}
	closedir(d);
	qsort(out, n, sizeof(*out), by_name);
	return n;
}

int kmod_load_stock(const char *name, char *err, size_t errlen)
{
	char rel_path[PATH_MAX], rel[128], tree[PATH_MAX];
	int status;
	pid_t pid;

	snprintf(rel_path, sizeof(rel_path), "%s/kernel/release",
		 guest_build_dir());
	if (read_small_file(rel_path, rel, sizeof(rel)) < 0) {
		snprintf(err, errlen, "no stock kernel in %s/kernel",
			 guest_build_dir());
		return -ENOENT;
	}
	strip_newline(rel);
	snprintf(tree, sizeof(tree), "%s/kernel/%s", guest_build_dir(), rel);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execlp("modprobe", "modprobe", "-q", "-d", tree, "-S", rel, name,
		       (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "modprobe -d %s -S %s %s failed (status %d)",
			 tree, rel, name,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -EIO;
	}
	return 0;
}
