// SPDX-License-Identifier: GPL-2.0
/*
 * sweep-index.c - the tree's index: every cell with its parameters, path
 * and state, as index.json (read by bench report and bench plot, which
 * take a tree for its cells) and index.csv (for anything else). Both are
 * rewritten whole after every change, so an interrupted sweep leaves an
 * index that matches its cells.
 */
#include <errno.h>
#include <string.h>

#include "lib/results.h"
#include "bench/host/sweep.h"
#include "lib/json.h"

static int write_json(const struct sweep *sw, const struct results *r)
{
	FILE *f = results_open(r, "index.json");
	struct json j;
	size_t i;

	if (!f)
		return -errno;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "strategies", sw->strategies);
	json_u64(&j, "cycles", sw->cycles);
	json_arr_begin(&j, "cells");
	for (i = 0; i < sw->ncells; i++) {
		const struct sweep_cell *c = &sw->cells[i];

		json_obj_begin(&j, NULL);
		json_u64(&j, "cpus", c->cpus);
		json_u64(&j, "tasks", c->tasks);
		json_str(&j, "strategies", sw->strategies);
		json_str(&j, "path", c->path);
		json_str(&j, "status", sweep_state_names[c->state]);
		if (c->exit_status >= 0)
			json_i64(&j, "exit_status", c->exit_status);
		if (c->seconds > 0)
			json_double(&j, "seconds", c->seconds);
		if (c->reason[0])
			json_str(&j, "reason", c->reason);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	fputc('\n', f);
	return results_close(r, "index.json", f);
}

static int write_csv(const struct sweep *sw, const struct results *r)
{
	FILE *f = results_open(r, "index.csv");
	size_t i;

	if (!f)
		return -errno;
	fprintf(f, "cpus,tasks,strategies,path,status,exit_status,seconds\n");
	for (i = 0; i < sw->ncells; i++) {
		const struct sweep_cell *c = &sw->cells[i];

		/* The strategy list has commas: quoted, as CSV wants. */
		fprintf(f, "%u,%u,\"%s\",%s,%s,", c->cpus, c->tasks,
			sw->strategies, c->path, sweep_state_names[c->state]);
		if (c->exit_status >= 0)
			fprintf(f, "%d", c->exit_status);
		fprintf(f, ",");
		if (c->seconds > 0)
			fprintf(f, "%.1f", c->seconds);
		fprintf(f, "\n");
	}
	return results_close(r, "index.csv", f);
}

int sweep_read_index(struct sweep *sw)
{
	const json_t *cells;
	json_t *idx;
	char err[256];
	size_t i, k;
	int ret;

	ret = results_load_json(sw->out, "index.json", &idx, err, sizeof(err));
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	cells = json_object_get(idx, "cells");
	for (i = 0; i < json_array_size(cells); i++) {
		const json_t *c = json_array_get(cells, i);
		const char *p = json_string_value(json_object_get(c, "path"));
		const json_t *s = json_object_get(c, "seconds");
		uint64_t st;

		if (!p)
			continue;
		for (k = 0; k < sw->ncells; k++) {
			if (strcmp(sw->cells[k].path, p))
				continue;
			if (!json_get_u64(c, "exit_status", &st))
				sw->cells[k].exit_status = (int)st;
			if (json_is_number(s))
				sw->cells[k].seconds = json_number_value(s);
		}
	}
	json_decref(idx);
	return 0;
}

int sweep_write_index(const struct sweep *sw)
{
	struct results r;
	int ret;

	snprintf(r.dir, sizeof(r.dir), "%s", sw->out);
	ret = write_json(sw, &r);
	return ret ? ret : write_csv(sw, &r);
}
