// SPDX-License-Identifier: GPL-2.0
/* kstats.c - the kernel's per-transition stats, summed (see kstats.h). */
#include <stdio.h>
#include <string.h>

#include "bench/run/kstats.h"
#include "lib/util.h"

const char *const kstats_stop_parts[KSTOP_NR] = {
	[KSTOP_RENDEZVOUS] = "rendezvous",
	[KSTOP_CHECK] = "check",
	[KSTOP_SWITCH] = "switch",
	[KSTOP_RELEASE] = "release",
	[KSTOP_TOTAL] = "total",
};

void kstats_init(struct kstats *k)
{
	unsigned int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < KSTOP_NR; i++)
		hist_init(&k->stop_last[i]);
}

/* A stats line as a count; absent (an older core) or negative reads 0. */
static uint64_t get(const struct patch_stat *st, int n, const char *key)
{
	long long v = patch_stat_get(st, n, key, 0);

	return v > 0 ? (uint64_t)v : 0;
}

void kstats_add(struct kstats *k, const struct patch_stat *st, int n)
{
	char key[64];
	uint64_t stops = get(st, n, "stops");
	unsigned int i;

	k->transitions++;
	k->tasks_at_start += get(st, n, "tasks_at_start");
	kpaths_learn_stats(st, n);
	for (i = 0; i < kpaths_nr(); i++) {
		snprintf(key, sizeof(key), "switched_%s", kpaths_name(i));
		k->switched[i] += get(st, n, key);
	}
	k->stops += stops;
	k->stop_busy += get(st, n, "stop_busy");
	if (k->transitions == 1 || stops < k->stops_min)
		k->stops_min = stops;
	if (stops > k->stops_max)
		k->stops_max = stops;
	if (get(st, n, "stop_max_total_ns") > k->stop_max_total_ns)
		k->stop_max_total_ns = get(st, n, "stop_max_total_ns");
	k->stop_sum_total_ns += get(st, n, "stop_sum_total_ns");
	if (!stops)
		return;
	for (i = 0; i < KSTOP_NR; i++) {
		snprintf(key, sizeof(key), "stop_last_%s_ns",
			 kstats_stop_parts[i]);
		hist_record(&k->stop_last[i], get(st, n, key));
	}
}

uint64_t kstats_switched(const struct kstats *k)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < kpaths_nr(); i++)
		sum += k->switched[i];
	return sum;
}

void kstats_json(const struct kstats *k, struct json *j, const char *key)
{
	unsigned int i;

	json_obj_begin(j, key);
	json_u64(j, "transitions", k->transitions);
	json_u64(j, "tasks_at_start", k->tasks_at_start);
	json_u64(j, "switched", kstats_switched(k));
	json_obj_begin(j, "switched_by_path");
	for (i = 0; i < kpaths_nr(); i++)
		json_u64(j, kpaths_name(i), k->switched[i]);
	json_obj_end(j);
	json_obj_begin(j, "stops");
	json_u64(j, "count", k->stops);
	json_u64(j, "busy", k->stop_busy);
	json_u64(j, "min_per_transition", k->stops_min);
	json_u64(j, "max_per_transition", k->stops_max);
	json_u64(j, "max_total_ns", k->stop_max_total_ns);
	json_u64(j, "sum_total_ns", k->stop_sum_total_ns);
	json_obj_begin(j, "last_stop_ns");
	for (i = 0; i < KSTOP_NR; i++)
		hist_json(&k->stop_last[i], j, kstats_stop_parts[i]);
	json_obj_end(j);
	json_obj_end(j);
	json_obj_end(j);
}

void kstats_print(const struct kstats *k, const char *what, FILE *f)
{
	char b[KSTOP_NR + 1][32];
	const char *sep = " (";
	unsigned int i;

	fprintf(f, "  %-7s %llu transitions, %llu tasks at start, %llu switched",
		what, (unsigned long long)k->transitions,
		(unsigned long long)k->tasks_at_start,
		(unsigned long long)kstats_switched(k));
	for (i = 0; i < kpaths_nr(); i++) {
		if (!k->switched[i])
			continue;
		fprintf(f, "%s%s %llu", sep, kpaths_name(i),
			(unsigned long long)k->switched[i]);
		sep = ", ";
	}
	fprintf(f, "%s\n", strcmp(sep, ", ") ? "" : ")");
	if (!k->stops)
		return;
	for (i = 0; i < KSTOP_NR; i++)
		fmt_ns(b[i], sizeof(b[i]),
		       hist_percentile(&k->stop_last[i], 50));
	fmt_ns(b[KSTOP_NR], sizeof(b[KSTOP_NR]), k->stop_max_total_ns);
	fprintf(f, "  %-7s %llu stops (%llu refused: a task was inside), longest %s; last stop of each, p50: total %s, rendezvous %s, check %s, switch %s, release %s\n",
		"", (unsigned long long)k->stops,
		(unsigned long long)k->stop_busy, b[KSTOP_NR], b[KSTOP_TOTAL],
		b[KSTOP_RENDEZVOUS], b[KSTOP_CHECK], b[KSTOP_SWITCH],
		b[KSTOP_RELEASE]);
}
