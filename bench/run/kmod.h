/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and unloading the project's modules (finit_module/delete_module). */
#ifndef BENCH_KMOD_H
#define BENCH_KMOD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Path of NAME.ko under build/kmod or a directory added with
 * kmod_add_dir(); 0, or -ENOENT with a message in @err.
 */
int kmod_find(const char *name, char *path, size_t len, char *err,
	      size_t errlen);
/* Look in @dir too (a patch built by bench patch build). */
void kmod_add_dir(const char *dir);
/*
 * Load a module of the stock kernel itself (ext4, say, that a built patch
 * refers to) with its dependencies: modprobe over the unpacked image in
 * build/kernel/<release>. 0, or -errno with a message in @err.
 */
int kmod_load_stock(const char *name, char *err, size_t errlen);
/* Load @path with @params ("" for none); 0 or -errno (EEXIST if loaded). */
int kmod_load(const char *path, const char *params);
/* Unload module @name; 0 or -errno (EBUSY while in use or refused). */
int kmod_unload(const char *name);
bool kmod_loaded(const char *name);

/* A module parameter as /sys/module/<name>/parameters/ shows it. */
struct kmod_param {
	char name[48];
	char value[64];
};

/* A loaded module's readable parameters, sorted by name; how many. */
int kmod_params(const char *name, struct kmod_param *out, int max);

#endif
