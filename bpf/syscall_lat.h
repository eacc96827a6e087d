/* SPDX-License-Identifier: GPL-2.0 */
/* syscall_lat.h - syscall latency of chosen processes (raw_syscalls). */
#ifndef KGRAFT_SYSCALL_LAT_H
#define KGRAFT_SYSCALL_LAT_H

/* Syscall numbers counted one by one; larger ones share the last slot. */
#define SYSCALL_NR_MAX	512
#define SYSCALL_MAX_TGIDS	64

#endif
