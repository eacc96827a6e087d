// SPDX-License-Identifier: GPL-2.0
/*
 * The convergence sampler. It runs on the driver's CPU (it inherits its
 * affinity), reads the progress file every interval while a transition is
 * asked for, and keeps a sample only if it describes that very transition:
 * running, started after it was asked for (start_ns), not ended (end_ns
 * 0), its count known. The core reads progress without its mutex, so a
 * read is not held up by a stop or a completion that holds it; during a
 * stop nothing runs, and the curve shows the count before it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench/run/converge.h"
#include "bench/workload/workload.h"
#include "lib/util.h"

/* The progress file's lines: transition, start_ns, end_ns, pending_tasks. */
#define PROGRESS_LINES 8

static void record(struct converge *c, unsigned int slot, uint64_t t,
		   long pending)
{
	if (c->n == CONVERGE_MAX_SAMPLES) {
		c->truncated = true;
		return;
	}
	if (!(c->n & (c->n - 1)) && c->n >= 1024) {
		void *s = realloc(c->s, 2 * c->n * sizeof(*c->s));

		if (!s) {
			c->truncated = true;
			return;
		}
		c->s = s;
	}
	c->s[c->n++] = (struct converge_sample){ t, slot, pending };
}

static void sample(struct converge *c)
{
	struct patch_stat st[PROGRESS_LINES];
	int slot = __atomic_load_n(&c->slot, __ATOMIC_ACQUIRE);
	uint64_t t0 = __atomic_load_n(&c->slot_t0, __ATOMIC_RELAXED);
	uint64_t before, after;
	long long running, start, end, pending;
	int n;

	if (slot < 0)
		return;
	before = mono_ns();
	n = patchctl_pairs(c->pc, "progress", st, PROGRESS_LINES);
	after = mono_ns();
	if (n < 0) {
		c->failed_reads++;
		return;
	}
	c->reads++;
	if (after - before > c->read_max_ns)
		c->read_max_ns = after - before;
	if (__atomic_load_n(&c->slot, __ATOMIC_ACQUIRE) != slot)
		return;
	running = patch_stat_get(st, n, "transition", 0);
	start = patch_stat_get(st, n, "start_ns", -1);
	end = patch_stat_get(st, n, "end_ns", -1);
	pending = patch_stat_get(st, n, "pending_tasks", -1);
	if (!running || start < 0 || (uint64_t)start < t0 || end != 0 ||
	    pending < 0) {
		c->outside++;
		return;
	}
	/* The read's midpoint: a read of a strategy's count takes time. */
	record(c, (unsigned int)slot, before + (after - before) / 2,
	       (long)pending);
}

static void *sampler(void *arg)
{
	struct converge *c = arg;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		sleep_ns((long)c->interval_ns);
		sample(c);
	}
	return NULL;
}

int converge_start(struct converge *c, const struct patchctl *pc,
		   uint64_t interval_ns)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->pc = pc;
	c->slot = -1;
	c->interval_ns = interval_ns;
	if (!interval_ns)
		return 0;
	c->s = malloc(1024 * sizeof(*c->s));
	if (!c->s)
		return -ENOMEM;
	ret = -pthread_create(&c->thread, NULL, sampler, c);
	if (ret) {
		free(c->s);
		c->s = NULL;
		return ret;
	}
	c->started = true;
	return 0;
}

void converge_set(struct converge *c, int slot, uint64_t t0)
{
	/* t0 changes only while no slot is set: a sample never mixes them. */
	__atomic_store_n(&c->slot, -1, __ATOMIC_RELEASE);
	__atomic_store_n(&c->slot_t0, t0, __ATOMIC_RELAXED);
	if (slot >= 0)
		__atomic_store_n(&c->slot, slot, __ATOMIC_RELEASE);
}

void converge_stop(struct converge *c)
{
	if (!c->started)
		return;
	__atomic_store_n(&c->stop, true, __ATOMIC_RELAXED);
	pthread_join(c->thread, NULL);
	c->started = false;
}

void converge_free(struct converge *c)
{
	free(c->s);
	c->s = NULL;
	c->n = 0;
}
