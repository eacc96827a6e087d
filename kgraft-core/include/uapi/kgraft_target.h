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

/*
 * Sleep @msecs inside the first function of the chain, then finish it; the
 * sleep is uninterruptible (no signal cuts it short) but ends early on
 * KGRAFT_TARGET_IOC_WAKE.
 */
struct kgraft_target_sleep {
	__u32 msecs;
	__u32 pad;
	struct kgraft_target_call call;
};

/*
 * The looping kthread (module parameter loop_kthread=1), if running, and
 * the busy kthreads (busy_kthreads=N), all together.
 */
struct kgraft_target_stats {
	__u64 kthread_calls;
	__u64 kthread_mixed;
	__u32 kthread_last[KGRAFT_TARGET_CHAIN_LEN];
	__u32 kthread_running;
	__u32 napping;		/* callers asleep in KGRAFT_TARGET_IOC_SLEEP */
	__u64 busy_calls;
	__u64 busy_mixed;
	__u32 busy_running;	/* busy kthreads started */
	__u32 pad;
};

/* Run the chain @loops times in the kernel; @ns is the time it took. */
struct kgraft_target_bench {
	__u64 loops;
	__u64 ns;
};

/*
 * Write @value to the file @path from the kernel, inside
 * kgraft_target_write_file(): a patchable function on the writer's own
 * stack, for a test of a patch whose function the enabling task is in.
 * @result is the write's return value (bytes or -errno).
 */
struct kgraft_target_write {
	char path[128];
	char value[16];
	__s64 result;
};

/*
 * Create @count objects, each through kgraft_target_obj_init(), then
 * release each through kgraft_target_obj_release(); @verified is the sum
 * of what release returned (0 unpatched; kgraft_patch_shadow.ko's release
 * returns 1 for an object whose shadow variable it found intact).
 */
struct kgraft_target_objects {
	__u64 count;
	__u64 verified;
};

#define KGRAFT_TARGET_IOC_CALL	_IOR('K', 1, struct kgraft_target_call)
#define KGRAFT_TARGET_IOC_SLEEP	_IOWR('K', 2, struct kgraft_target_sleep)
#define KGRAFT_TARGET_IOC_STATS	_IOR('K', 3, struct kgraft_target_stats)
/* End every sleep of KGRAFT_TARGET_IOC_SLEEP now. */
#define KGRAFT_TARGET_IOC_WAKE	_IO('K', 4)
#define KGRAFT_TARGET_IOC_BENCH	_IOWR('K', 5, struct kgraft_target_bench)
#define KGRAFT_TARGET_IOC_WRITE	_IOWR('K', 6, struct kgraft_target_write)
#define KGRAFT_TARGET_IOC_OBJECTS _IOWR('K', 7, struct kgraft_target_objects)

#endif
