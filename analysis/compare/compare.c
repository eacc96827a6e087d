// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/out.h"
#include "analysis/compare/compare.h"
#include "analysis/report/data.h"
#include "lib/results.h"
#include "lib/json.h"

#define MAX_STRATEGIES 16

/* Every (metric, strategy) against the reference, metric by metric. */
static int find_all(const json_t *cyc, struct compare_set *s)
{
	size_t cap = json_array_size(cyc) + 1, m, i;
	double *a = calloc(cap, sizeof(*a)), *b = calloc(cap, sizeof(*b));
	int ret = 0;

	s->f = calloc(compare_nr_metrics * s->nr_names, sizeof(*s->f));
	if (!a || !b || !s->f) {
		ret = -ENOMEM;
		goto out;
	}
	for (m = 0; m < compare_nr_metrics && !ret; m++) {
		for (i = 0; i < s->nr_names && !ret; i++) {
			if (!strcmp(s->names[i], s->reference))
				continue;
			ret = compare_finding(cyc, &compare_metrics[m],
					      s->names[i], s->reference,
					      s->seed, a, b, cap, &s->f[s->n]);
			/* No values for the reference: no row for the metric. */
			if (ret == -ENODATA) {
				ret = 0;
				break;
			}
			if (!ret)
				s->n++;
		}
	}
out:
	free(a);
	free(b);
	return ret;
}

static const char *const files[] = {
	"compare.json", "compare.csv", "requests.csv",
};
#define NR_FILES (sizeof(files) / sizeof(files[0]))

static int write_files(const char *dir, const struct compare_set *s)
{
	struct results res;
	FILE *f[NR_FILES];
	size_t i;
	int ret = 0;

	snprintf(res.dir, sizeof(res.dir), "%s", dir);
	for (i = 0; i < NR_FILES; i++)
		f[i] = results_open(&res, files[i]);
	for (i = 0; i < NR_FILES && f[i]; i++)
		;
	if (i < NR_FILES) {
		/* Never a half-written comparison in place of a good one. */
		for (i = 0; i < NR_FILES; i++)
			if (f[i])
				results_discard(&res, files[i], f[i]);
		return -EIO;
	}
	compare_write_json(f[0], s);
	compare_write_csv(f[1], s);
	compare_requests_csv(f[2], &s->req);
	for (i = 0; i < NR_FILES; i++)
		ret = results_close(&res, files[i], f[i]) ?: ret;
	return ret;
}

int compare_results(const char *dir, const char *baseline, uint64_t seed,
		    FILE *f, char *err, size_t len)
{
	struct compare_set s = { .reference = baseline, .seed = seed };
	struct rep_run *run = NULL;
	json_t *sum = NULL, *cyc = NULL;
	json_t *strats, *v;
	const char *names[MAX_STRATEGIES], *key;
	int ret;

	ret = results_load_json(dir, "summary.json", &sum, err, len);
	if (!ret)
		ret = results_load_json(dir, "cycles.json", &cyc, err, len);
	if (ret)
		goto out;
	strats = json_object_get(sum, "strategies");
	if (!json_is_object(strats) || !json_is_array(cyc)) {
		snprintf(err, len, "%s: not a bench run results directory", dir);
		ret = -EINVAL;
		goto out;
	}
	json_object_foreach(strats, key, v) {
		if (s.nr_names == MAX_STRATEGIES)
			break;
		names[s.nr_names++] = key;
	}
	s.names = names;
	if (!json_object_get(strats, baseline)) {
		snprintf(err, len, "%s holds no results for %s, the baseline",
			 dir, baseline);
		ret = -ENOENT;
		goto out;
	}
	s.cycles = cyc;
	ret = find_all(cyc, &s);
	/* The requests table from the results as bench report reads them. */
	run = ret ? NULL : malloc(sizeof(*run));
	if (!ret && !run)
		ret = -ENOMEM;
	if (!ret && rep_load(dir, run, err, len)) {
		ret = -EINVAL;
		goto out;
	}
	if (!ret)
		ret = compare_requests_collect(dir, run, names, s.nr_names,
					       &s.req);
	if (ret) {
		snprintf(err, len, "%s: out of memory", dir);
		goto out;
	}
	ret = write_files(dir, &s);
	if (ret) {
		snprintf(err, len, "%s: cannot write the comparison", dir);
		goto out;
	}
	compare_print(f, &s);
out:
	free(s.f);
	compare_requests_free(&s.req);
	free(run);
	json_decref(sum);
	json_decref(cyc);
	return ret;
}
