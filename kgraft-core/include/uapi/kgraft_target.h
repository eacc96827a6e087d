/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The test target's interface (kgraft_target.ko, misc device): a call chain
 * of KGRAFT_TARGET_CHAIN_LEN functions, each of which reports its version,
 * so a caller can tell whether one call ran a mixed set of old and new code.
 * Shared by the kernel module, the tests and bench's workloads.
 */
#ifndef _UAPI_KGRAFT_TARGET_H
#define _UAPI_KGRAFT_TARGET_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KGRAFT_TARGET_DEV	"/dev/kgraft_target"
#define KGRAFT_TARGET_CHAIN_LEN	4

/* One pass through the chain: the version each function reported. */
struct kgraft_target_call {
	__u32 versions[KGRAFT_TARGET_CHAIN_LEN];
	__u32 mixed;		/* 1 when the versions differ */
};

/* Sleep @msecs inside the first function of the chain, then finish it. */
struct kgraft_target_sleep {
	__u32 msecs;
	__u32 pad;
	struct kgraft_target_call call;
};

#define KGRAFT_TARGET_IOC_CALL	_IOR('K', 1, struct kgraft_target_call)
#define KGRAFT_TARGET_IOC_SLEEP	_IOWR('K', 2, struct kgraft_target_sleep)

#endif
