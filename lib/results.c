// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/results.h"
#include "lib/util.h"
#include "lib/json.h"

int results_create(struct results *r, const char *dir, char *err, size_t len)
{
	char path[PATH_MAX];

	if (mkdir_p(dir) < 0) {
		snprintf(err, len, "cannot create %s: %s", dir, strerror(errno));
		return -errno;
	}
	if (!realpath(dir, r->dir)) {
		snprintf(err, len, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/status.json", r->dir);
	if (!access(path, F_OK)) {
		snprintf(err, len, "%s already holds a run (status.json): choose another --out",
			 r->dir);
		return -EEXIST;
	}
	return 0;
}

FILE *results_open(const struct results *r, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	return atomic_open(path);
}

int results_close(const struct results *r, const char *name, FILE *f)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	return atomic_close(f, path);
}

void results_discard(const struct results *r, const char *name, FILE *f)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	atomic_discard(f, path);
}

int results_status(const struct results *r, const char *status,
		   const char *reason)
{
	FILE *f = results_open(r, "status.json");
	struct json j;

	if (!f)
		return -errno;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "status", status);
	if (reason)
		json_str(&j, "reason", reason);
	json_obj_end(&j);
	fputc('\n', f);
	return results_close(r, "status.json", f);
}

int results_load_json(const char *dir, const char *name, json_t **out,
		      char *err, size_t len)
{
	char path[PATH_MAX + 64], perr[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f) {
		int ret = -errno;

		snprintf(err, len, "%s: %s", path, strerror(errno));
		return ret;
	}
	*out = json_read(f, perr, sizeof(perr));
	fclose(f);
	if (!*out) {
		snprintf(err, len, "%s: %s", path, perr);
		return -EINVAL;
	}
	return 0;
}
