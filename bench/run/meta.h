/* SPDX-License-Identifier: GPL-2.0 */
/* The metadata of a run: where, on what, with what, from which command. */
#ifndef BENCH_META_H
#define BENCH_META_H

#include "bench/run/run.h"
#include "lib/json.h"

/* Write the "metadata" members (kernel, CPU, emulation, tools, command). */
void meta_json(const struct run_config *rc, struct json *j);

#endif
