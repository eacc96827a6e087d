/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test target's call chain, exported by kgraft_target.ko so that a
 * patch's replacements can call the next link through its original symbol
 * (and so through kgraft's redirection of that link).
 */
#ifndef _KGRAFT_TARGET_CHAIN_H
#define _KGRAFT_TARGET_CHAIN_H

#include <uapi/kgraft_target.h>

void kgraft_target_f1(struct kgraft_target_call *c, unsigned int sleep_ms);
void kgraft_target_f2(struct kgraft_target_call *c);
void kgraft_target_f3(struct kgraft_target_call *c);
void kgraft_target_f4(struct kgraft_target_call *c);
/* KGRAFT_TARGET_IOC_WRITE's writer (patched by kgraft_patch_writer.ko). */
ssize_t kgraft_target_write_file(const char *path, const char *value);
/* An object of KGRAFT_TARGET_IOC_OBJECTS, and its life. */
struct kgraft_target_obj {
	u64 id;
};
void kgraft_target_obj_init(struct kgraft_target_obj *o);
int kgraft_target_obj_release(struct kgraft_target_obj *o);
/* The sleep of KGRAFT_TARGET_IOC_SLEEP, for f1 and its replacements. */
void kgraft_target_nap(unsigned int msecs);

#endif
