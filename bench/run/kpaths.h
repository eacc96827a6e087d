/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpaths.h - the names of the paths by which the kernel switches tasks,
 * taken from the kernel's own output, never from a copy: the
 * "switched_<path>" lines of a patch's stats file (the core's paths, then
 * each loaded strategy's) and the kgraft_task_switch event's symbols.
 * One table for the process, learnt as the kernel's output is read, in the
 * order first seen, so that every summary of a run lists the same paths.
 */
#ifndef BENCH_KPATHS_H
#define BENCH_KPATHS_H

#include "bench/run/patchctl.h"

#define KPATHS_MAX	32
#define KPATHS_NAME	32

/*
 * Learn the paths of one stats file. A "switched_<name>" line that other
 * lines extend with "_" is their total (switched_syscall), not a path: the
 * core refuses path names that would make the two ambiguous.
 */
void kpaths_learn_stats(const struct patch_stat *st, int n);
/* The index of path @name, learnt if new; -1 when the table is full. */
int kpaths_index(const char *name);
unsigned int kpaths_nr(void);
/* Path @i's name (i < kpaths_nr()). */
const char *kpaths_name(unsigned int i);
/* Forget every path (tests). */
void kpaths_reset(void);

#endif
