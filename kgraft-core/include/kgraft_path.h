/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgraft: the paths by which the core's lazy strategy switches a task,
 * listed once. The enum, the stats lines ("switched_<path>") and the
 * kgraft_task_switch event's names are all generated from this list, in
 * the EM()/EMe() style of the kernel's trace headers (EMe for the last
 * entry, where a list must not end in a comma). The values are the
 * tracepoint's, so they are written out: user space reads them in the
 * event's format file, and they must not shift when a path is added.
 *
 * Strategy modules name their own paths when they register (struct
 * kgraft_strategy.paths); the core gives each a stats slot after these.
 */
#ifndef _KGRAFT_PATH_H
#define _KGRAFT_PATH_H

/* In parentheses, as checkpatch asks of a macro; KGRAFT_PATHS() unwraps. */
#define KGRAFT_CORE_PATH_LIST(EM, EMe) (			\
	EM(0,	SYSCALL_ENTER,	"syscall_enter")		\
	EM(1,	SYSCALL_EXIT,	"syscall_exit")			\
	EM(2,	SWEEP,		"sweep")			\
	EM(3,	SIGNAL,		"signal")			\
	EM(4,	FORK,		"fork")				\
	EM(5,	FORCE,		"force")			\
	EM(6,	IDLE,		"idle")				\
	EM(7,	KTHREAD,	"kthread")			\
	EM(8,	SAFEPOINT,	"safepoint")			\
	EM(9,	USER_RETURN,	"user_return")			\
	EMe(10,	DEAD,		"dead"))

#define KGRAFT_UNPAREN(...)	__VA_ARGS__
#define KGRAFT_EXPAND(x)	x
/* The list with EM(value, id, name) for each path but the last, EMe. */
#define KGRAFT_PATHS(EM, EMe)	\
	KGRAFT_EXPAND(KGRAFT_UNPAREN KGRAFT_CORE_PATH_LIST(EM, EMe))

/* In the list's order; path.c checks that each one's value is its @nr. */
#define KGRAFT_PATH_ENUM(nr, id, name)	\
	KGRAFT_PATH_##id,

/* Where a task switched universe (stats lines, kgraft_task_switch event). */
enum kgraft_path {
	KGRAFT_PATHS(KGRAFT_PATH_ENUM, KGRAFT_PATH_ENUM)
	KGRAFT_NR_CORE_PATHS,
};

#undef KGRAFT_PATH_ENUM

/* Stats slots: the core's paths first, then those strategies register. */
#define KGRAFT_MAX_PATHS	32
/* A path's name: [a-z0-9_], at most this long. */
#define KGRAFT_PATH_NAME_MAX	31

#endif /* _KGRAFT_PATH_H */
