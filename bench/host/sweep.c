// SPDX-License-Identifier: GPL-2.0
/*
 * sweep.c - the sweep's matrix: value lists, cells, each cell's child
 * command line and the estimate of the time left. Pure functions, so the
 * host tests check them without a guest.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/results.h"
#include "bench/host/sweep.h"
#include "lib/json.h"

const char *const sweep_state_names[] = {
	[SWEEP_PENDING] = "pending",
	[SWEEP_RUNNING] = "running",
	[SWEEP_COMPLETE] = "complete",
	[SWEEP_INCOMPLETE] = "incomplete",
	[SWEEP_SKIPPED] = "complete",
};

int sweep_parse_list(const char *s, unsigned int lo, unsigned int hi,
		     unsigned int *v, unsigned int max, unsigned int *n,
		     char *err, size_t len)
{
	const char *p = s;

	*n = 0;
	if (!*s) {
		snprintf(err, len, "empty list");
		return -EINVAL;
	}
	while (*p) {
		unsigned long x;
		unsigned int k;
		char *end;

		if (*p < '0' || *p > '9') {
			snprintf(err, len, "'%s' is not a list of numbers", s);
			return -EINVAL;
		}
		errno = 0;
		x = strtoul(p, &end, 10);
		if (errno || (*end && *end != ',') || x < lo || x > hi) {
			snprintf(err, len, "'%s': each value must be %u-%u", s,
				 lo, hi);
			return -EINVAL;
		}
		for (k = 0; k < *n; k++)
			if (v[k] == x) {
				snprintf(err, len, "'%s': %lu is named twice",
					 s, x);
				return -EINVAL;
			}
		if (*n == max) {
			snprintf(err, len, "'%s': at most %u values", s, max);
			return -EINVAL;
		}
		v[(*n)++] = (unsigned int)x;
		p = *end ? end + 1 : end;
		if (*end && !*p) {
			snprintf(err, len, "'%s' ends with a comma", s);
			return -EINVAL;
		}
	}
	return 0;
}

int sweep_expand(struct sweep *sw)
{
	unsigned int i, k;

	sw->ncells = (size_t)sw->ncpus * sw->ntasks;
	sw->cells = calloc(sw->ncells ? sw->ncells : 1, sizeof(*sw->cells));
	if (!sw->cells)
		return -ENOMEM;
	for (i = 0; i < sw->ncpus; i++)
		for (k = 0; k < sw->ntasks; k++) {
			struct sweep_cell *c = &sw->cells[i * sw->ntasks + k];

			c->cpus = sw->cpus[i];
			c->tasks = sw->tasks[k];
			snprintf(c->path, sizeof(c->path), "cpus%u-%s%u",
				 c->cpus, sw->tasks_word ?: "tasks", c->tasks);
			c->state = SWEEP_PENDING;
			c->exit_status = -1;
			c->pid = -1;
		}
	return 0;
}

void sweep_free(struct sweep *sw)
{
	free(sw->cells);
	sw->cells = NULL;
	sw->ncells = 0;
}

void sweep_read_status(const char *dir, char *status, size_t len,
		       char *reason, size_t rlen)
{
	const char *s, *r;
	json_t *v;
	char err[256];

	status[0] = '\0';
	reason[0] = '\0';
	if (results_load_json(dir, "status.json", &v, err, sizeof(err)))
		return;
	s = json_string_value(json_object_get(v, "status"));
	r = json_string_value(json_object_get(v, "reason"));
	if (s)
		snprintf(status, len, "%s", s);
	if (r)
		snprintf(reason, rlen, "%s", r);
	json_decref(v);
}

/* Append one argument, formatted, to @argv; its string lives in @buf. */
static void arg(char **argv, size_t *n, size_t max, char *buf, size_t len,
		size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void arg(char **argv, size_t *n, size_t max, char *buf, size_t len,
		size_t *used, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n + 1 >= max || *used >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= len - *used)
		return;
	argv[(*n)++] = buf + *used;
	*used += (size_t)w + 1;
	argv[*n] = NULL;
}

size_t sweep_argv(const struct sweep *sw, const struct sweep_cell *c,
		  char **argv, size_t max, char *buf, size_t len)
{
	size_t n = 0, used = 0;
	unsigned int i;

	argv[0] = NULL;
	arg(argv, &n, max, buf, len, &used, "%s", sw->bench);
	if (sw->nr_strategies > 1) {
		arg(argv, &n, max, buf, len, &used, "compare");
		arg(argv, &n, max, buf, len, &used, "--strategies=%s",
		    sw->strategies);
	} else {
		arg(argv, &n, max, buf, len, &used, "run");
		arg(argv, &n, max, buf, len, &used, "--strategy=%s",
		    sw->strategies);
	}
	arg(argv, &n, max, buf, len, &used, "--cpus=%u", c->cpus);
	/*
	 * The population workload holds the tasks; with none, the child's
	 * own default workloads run.
	 */
	if (c->tasks) {
		arg(argv, &n, max, buf, len, &used, "--%s=%u",
		    sw->tasks_opt ?: "tasks", c->tasks);
		if (!sw->workload_given)
			arg(argv, &n, max, buf, len, &used,
			    "--workload=target,stall,population");
	}
	if (sw->cycles)
		arg(argv, &n, max, buf, len, &used, "--cycles=%u", sw->cycles);
	for (i = 0; i < sw->nr_forward; i++)
		arg(argv, &n, max, buf, len, &used, "%s", sw->forward[i]);
	arg(argv, &n, max, buf, len, &used, "--out=%s/%s", sw->out, c->path);
	return n;
}

double sweep_eta(double mean, size_t left, unsigned int jobs)
{
	size_t waves;

	if (!jobs)
		jobs = 1;
	/* Cells run in waves of @jobs; a partial wave takes as long. */
	waves = (left + jobs - 1) / jobs;
	return mean * (double)waves;
}
