// SPDX-License-Identifier: GPL-2.0
/*
 * bench report: the results reader against the fixture's own JSON, the
 * tables' CSV read back cell by cell, LaTeX escaping and booktabs
 * structure, and the paper's macro names. The fixture is a real run
 * (tests/fixtures/run-small, see its README); expected values are taken
 * from its files with the JSON reader, not typed in.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/report/report.h"
#include "lib/results.h"
#include "lib/json.h"

#define FIXTURE "tests/fixtures/run-small"

static uint64_t u64(const json_t *v, const char *path)
{
	uint64_t x = 0;

	assert_int_equal(json_get_u64(v, path, &x), 0);
	return x;
}

static void test_load_matches_json(void **state)
{
	json_t *sum, *meta, *st, *js;
	struct rep_run *r = malloc(sizeof(*r));
	char err[256], path[256];
	const char *name;
	unsigned int s = 0, w;
	int p;

	(void)state;
	assert_non_null(r);
	assert_int_equal(rep_load(FIXTURE, r, err, sizeof(err)), 0);
	assert_int_equal(results_load_json(FIXTURE, "summary.json", &sum, err,
					   sizeof(err)), 0);
	assert_int_equal(results_load_json(FIXTURE, "metadata.json", &meta,
					   err, sizeof(err)), 0);
	assert_true(r->has_summary);
	assert_string_equal(r->status, "complete");
	assert_string_equal(r->label, "run-small");
	assert_int_equal(r->cycles_done, u64(sum, "cycles_done"));
	assert_int_equal(r->cpus, u64(meta, "online_cpus"));
	assert_string_equal(r->kernel, json_string_value(
			json_object_get(meta, "kernel_release")));
	st = json_object_get(sum, "strategies");
	assert_int_equal(r->nr_strat, json_object_size(st));
	json_object_foreach(st, name, js) {
		const struct rep_strategy *rs = &r->strat[s++];

		assert_string_equal(rs->name, name);
		assert_int_equal(rs->apply.p50,
				 u64(js, "transitions.apply_ns.p50_ns"));
		assert_int_equal(rs->apply.max,
				 u64(js, "transitions.apply_ns.max_ns"));
		assert_int_equal(rs->revert.count,
				 u64(js, "transitions.revert_ns.count"));
		assert_int_equal(rs->nr_paths, json_object_size(
				json_object_get(js, "task_switches")));
		for (w = 0; w < rs->nr_wl; w++)
			for (p = 0; p < REP_PHASES; p++) {
				const struct rep_phase *ph =
					&rs->wl[w].phase[p];

				snprintf(path, sizeof(path),
					 "workloads.%s.%s.latency_ns.p99_ns",
					 rs->wl[w].name, rep_phase_names[p]);
				assert_int_equal(ph->lat.p99, u64(js, path));
				snprintf(path, sizeof(path),
					 "workloads.%s.%s.largest_gap_ns",
					 rs->wl[w].name, rep_phase_names[p]);
				if (ph->stall)
					assert_int_equal(ph->largest_gap_ns,
							 u64(js, path));
				else
					assert_null(json_path(js, path));
			}
	}
	json_decref(sum);
	json_decref(meta);
	free(r);
}

static void test_not_a_results_dir(void **state)
{
	struct rep_run *r = malloc(sizeof(*r));
	char err[256];

	(void)state;
	assert_non_null(r);
	assert_int_equal(rep_load("/nonexistent-dir", r, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "not a results directory"));
	free(r);
}

/* Split one CSV line (no quoted commas in these tables) into @f. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *save = NULL, *t;

	line[strcspn(line, "\n")] = '\0';
	for (t = strtok_r(line, ",", &save); t && n < max;
	     t = strtok_r(NULL, ",", &save))
		f[n++] = t;
	return n;
}

/* Every table as CSV, read back: the same numbers as the loaded run. */
static void test_csv_round_trip(void **state)
{
	struct rep_run *r = malloc(sizeof(*r));
	char err[256], *buf = NULL, line[1024], *f[16];
	size_t len = 0, row;
	struct table t;
	FILE *m;
	int id;

	(void)state;
	assert_non_null(r);
	assert_int_equal(rep_load(FIXTURE, r, err, sizeof(err)), 0);
	for (id = 0; id < REPORT_NR_TABLES; id++) {
		assert_int_equal(report_build(id, r, 1, &t), 0);
		m = open_memstream(&buf, &len);
		table_print(&t, TAB_CSV, m);
		fclose(m);
		m = fmemopen(buf, len, "r");
		assert_non_null(fgets(line, sizeof(line), m));
		assert_int_equal(split(line, f, 16), (int)t.ncols);
		assert_string_equal(f[0], t.cols[0].key);
		for (row = 0; fgets(line, sizeof(line), m); row++) {
			unsigned int c;

			assert_true(row < t.nrows);
			/* empty cells vanish in split(): only full rows */
			if (split(line, f, 16) != (int)t.ncols)
				continue;
			for (c = 0; c < t.ncols; c++) {
				const struct tab_cell *cell =
					&t.cells[row * t.ncols + c];

				if (t.cols[c].kind == TAB_STR)
					assert_string_equal(f[c], cell->s);
				else
					assert_int_equal(strtoll(f[c], NULL, 10),
							 (int64_t)cell->v);
			}
		}
		assert_int_equal(row, t.nrows);
		fclose(m);
		free(buf);
		buf = NULL;
		table_free(&t);
	}
	/* the transitions table holds the run's own numbers */
	assert_int_equal(report_build(REPORT_TRANSITIONS, r, 1, &t), 0);
	assert_int_equal(t.nrows, r->nr_strat);
	assert_string_equal(t.cells[0].s, r->strat[0].name);
	assert_int_equal(t.cells[2].v, r->strat[0].apply.p50);
	table_free(&t);
	free(r);
}

/* The LaTeX of every table read back: one row per table row, in order. */
static void test_latex_round_trip(void **state)
{
	struct rep_run *r = malloc(sizeof(*r));
	char err[256], *buf = NULL, *line, *save = NULL, want[256];
	size_t len = 0, row = 0;
	bool body = false;
	struct table t;
	FILE *m;
	int id;

	(void)state;
	assert_non_null(r);
	assert_int_equal(rep_load(FIXTURE, r, err, sizeof(err)), 0);
	for (id = 0; id < REPORT_NR_TABLES; id++) {
		assert_int_equal(report_build(id, r, 1, &t), 0);
		m = open_memstream(&buf, &len);
		table_print(&t, TAB_LATEX, m);
		fclose(m);
		row = 0;
		body = false;
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			unsigned int amps = 0;
			char *p;

			if (!strcmp(line, "\\midrule")) {
				body = true;
				continue;
			}
			if (!strcmp(line, "\\bottomrule"))
				break;
			if (!body)
				continue;
			for (p = line; *p; p++)
				amps += *p == '&' && (p == line || p[-1] != '\\');
			assert_int_equal(amps + 1, t.ncols);
			/* the first column is text: escaped, then as in the table */
			tex_escape(t.cells[row * t.ncols].s, want,
				   sizeof(want));
			assert_int_equal(strncmp(line, want, strlen(want)), 0);
			assert_string_equal(line + strlen(line) - 3, " \\\\");
			row++;
		}
		assert_int_equal(row, t.nrows);
		free(buf);
		buf = NULL;
		table_free(&t);
	}
	free(r);
}

static void test_table_formats(void **state)
{
	char *buf = NULL, out[64];
	struct tab_cell *row;
	struct table t;
	size_t len = 0;
	FILE *m;

	(void)state;
	table_init(&t, "demo", "A 100% demo_table");
	table_col(&t, "name", "name", TAB_STR);
	table_col(&t, "n", "n", TAB_INT);
	table_col(&t, "t_ns", "time", TAB_NS);
	row = table_row(&t);
	cell_str(&row[0], "stop_machine, \"x\"");
	cell_int(&row[1], -3);
	cell_ns(&row[2], 1500);
	row = table_row(&t);
	cell_str(&row[0], "b");
	/* n and time stay empty */

	m = open_memstream(&buf, &len);
	table_print(&t, TAB_CSV, m);
	fclose(m);
	assert_string_equal(buf, "name,n,t_ns\n"
			    "\"stop_machine, \"\"x\"\"\",-3,1500\n"
			    "b,,\n");
	free(buf);

	m = open_memstream(&buf, &len);
	table_print(&t, TAB_TEXT, m);
	fclose(m);
	assert_string_equal(buf, "A 100% demo_table\n"
			    "name                n    time\n"
			    "stop_machine, \"x\"  -3  1.50us\n"
			    "b                   -       -\n");
	free(buf);

	m = open_memstream(&buf, &len);
	table_print(&t, TAB_LATEX, m);
	fclose(m);
	assert_non_null(strstr(buf, "\\caption{A 100\\% demo\\_table}"));
	assert_non_null(strstr(buf, "\\label{tab:demo}"));
	assert_non_null(strstr(buf, "\\begin{tabular}{lrr}\n\\toprule\n"));
	assert_non_null(strstr(buf, "stop\\_machine, \"x\" & -3 & 1.50\\,\\textmu{}s \\\\\n"));
	assert_non_null(strstr(buf, "b & -- & -- \\\\\n\\bottomrule\n"));
	free(buf);
	table_free(&t);

	assert_string_equal(tex_ns(999, out, sizeof(out)), "1.00\\,\\textmu{}s");
	assert_string_equal(tex_ns(123456, out, sizeof(out)), "123.5\\,\\textmu{}s");
	assert_string_equal(tex_ns(2500000, out, sizeof(out)), "2.50\\,ms");
	assert_string_equal(tex_ns(3000000000ULL, out, sizeof(out)), "3.00\\,s");
	assert_string_equal(tex_escape("a_b&c#d$e~f\\g", out, sizeof(out)),
			    "a\\_b\\&c\\#d\\$e\\~{}f\\textbackslash{}g");
}

static void test_macro_names(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(report_macro_name("kgraft", buf, sizeof(buf)),
			    "Kgraft");
	assert_string_equal(report_macro_name("stop_machine", buf,
					      sizeof(buf)), "StopMachine");
	assert_string_equal(report_macro_name("klp2", buf, sizeof(buf)),
			    "KlpTwo");
	assert_int_equal(report_table_find("stalls"), REPORT_STALLS);
	assert_int_equal(report_table_find("nope"), -1);
}

/* Every strategy of the fixture gets its macros, named as the paper uses. */
static void test_tex_macros(void **state)
{
	struct rep_run *r = malloc(sizeof(*r));
	char err[256], *buf = NULL, want[256], name[64], val[64];
	size_t len = 0;
	FILE *m;

	(void)state;
	assert_non_null(r);
	assert_int_equal(rep_load(FIXTURE, r, err, sizeof(err)), 0);
	m = open_memstream(&buf, &len);
	report_tex_macros(r, 1, m);
	fclose(m);
	assert_non_null(strstr(buf, "\\newcommand{\\kgRuns}{1}\n"));
	report_macro_name(r->strat[0].name, name, sizeof(name));
	snprintf(want, sizeof(want), "\\newcommand{\\kgApplyMax%s}{%s}\n",
		 name, tex_ns(r->strat[0].apply.max, val, sizeof(val)));
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "\\strategysummary{%s}", name);
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "\\newcommand{\\kgCpusList}{%u}\n",
		 r->cpus);
	assert_non_null(strstr(buf, want));
	free(buf);
	free(r);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *csv_of(const struct rep_run *r, enum report_table_id id)
{
	char *buf = NULL;
	struct table t;
	size_t len = 0;
	FILE *m;

	assert_int_equal(report_build(id, r, 1, &t), 0);
	m = open_memstream(&buf, &len);
	table_print(&t, TAB_CSV, m);
	fclose(m);
	table_free(&t);
	return buf;
}

/*
 * A server's requests (a workload marked "requests") per phase with its
 * rate and errors, and nothing of the others; compare.json's findings
 * with their CIs, or the bare difference where n was too small.
 */
static void test_requests_and_findings(void **state)
{
	char dir[] = "/tmp/test_report_XXXXXX", cmd[64], err[256], *csv;
	struct rep_run *r = malloc(sizeof(*r));
	struct table t;
	size_t len = 0;
	FILE *m;

	(void)state;
	assert_non_null(r);
	assert_non_null(mkdtemp(dir));
	put(dir, "status.json", "{\"status\": \"complete\"}\n");
	put(dir, "summary.json",
	    "{\"workloads\": {\"redis\": {\"ops\": 900, \"requests\": true},"
	    " \"target\": {\"ops\": 5}},"
	    " \"strategies\": {\"kgraft\": {\"cycles_done\": 5, \"workloads\": {"
	    "\"redis\": {\"apply\": {\"duration_ns\": 2000000000, \"errors\": 2,"
	    " \"latency_ns\": {\"count\": 500, \"p50_ns\": 1000, \"p99_ns\": 2000,"
	    " \"p99_9_ns\": 3000, \"max_ns\": 4000}}},"
	    "\"target\": {\"apply\": {\"duration_ns\": 1, \"latency_ns\": {\"count\": 5}}}}},"
	    " \"stop_machine\": {\"cycles_done\": 3}}}\n");
	put(dir, "compare.json",
	    "{\"findings\": [{\"metric\": \"redis: p99 request in apply\","
	    " \"strategy\": \"stop_machine\", \"reference\": \"kgraft\", \"n\": 10,"
	    " \"difference\": 18000000, \"ci_low\": 15000000, \"ci_high\": 21000000,"
	    " \"verdict\": \"worse\", \"sentence\": \"stop_machine is worse (n=10)\"},"
	    " {\"metric\": \"apply time\", \"strategy\": \"klp\", \"reference\": \"kgraft\","
	    " \"n\": 2, \"difference\": -5000000, \"ci_low\": null, \"ci_high\": null,"
	    " \"verdict\": \"n too small\"}],"
	    " \"stall_coverage\": {\"stop_machine\": {\"stopped_source\": \"probe\","
	    " \"per_apply\": [1.4, 0.9, null, 2.0]}}}\n");
	assert_int_equal(rep_load(dir, r, err, sizeof(err)), 0);
	/* The sentence as bench compare said it; coverage without nulls. */
	assert_string_equal(r->findings[0].sentence,
			    "stop_machine is worse (n=10)");
	assert_string_equal(r->findings[1].sentence, "");
	assert_int_equal(rep_strategy(r, "stop_machine")->nr_coverage, 3);
	assert_int_equal(rep_strategy(r, "kgraft")->nr_coverage, 0);
	m = open_memstream(&csv, &len);
	report_tex_macros(r, 1, m);
	fclose(m);
	assert_non_null(strstr(csv, "\\newcommand{\\kgCoverageNStopMachine}{3}\n"));
	assert_non_null(strstr(csv, "\\newcommand{\\kgCoverageMinStopMachine}{0.90}\n"));
	assert_non_null(strstr(csv, "\\newcommand{\\kgCoverageMedianStopMachine}{1.40}\n"));
	assert_non_null(strstr(csv, "\\newcommand{\\kgCoverageMinKgraft}{n/a}\n"));
	free(csv);
	csv = csv_of(r, REPORT_REQUESTS);
	assert_string_equal(csv, "strategy,workload,phase,requests,rate_per_s,errors,p50_ns,p99_ns,p99_9_ns,max_ns\n"
			    "kgraft,redis,apply,500,250,2,1000,2000,3000,4000\n");
	free(csv);
	csv = csv_of(r, REPORT_FINDINGS);
	assert_string_equal(csv, "metric,strategy,reference,n,difference_ns,ci_low_ns,ci_high_ns,verdict\n"
			    "redis: p99 request in apply,stop_machine,kgraft,10,18000000,15000000,21000000,worse\n"
			    "apply time,klp,kgraft,2,-5000000,,,n too small\n");
	free(csv);
	/* Text and LaTeX carry the sign; LaTeX a real minus. */
	assert_int_equal(report_build(REPORT_FINDINGS, r, 1, &t), 0);
	m = open_memstream(&csv, &len);
	table_print(&t, TAB_TEXT, m);
	fclose(m);
	assert_non_null(strstr(csv, "+18.00ms"));
	assert_non_null(strstr(csv, "-5.00ms"));
	free(csv);
	m = open_memstream(&csv, &len);
	table_print(&t, TAB_LATEX, m);
	fclose(m);
	assert_non_null(strstr(csv, "+18.00\\,ms"));
	assert_non_null(strstr(csv, "\\textminus{}5.00\\,ms"));
	free(csv);
	/* bench report --metric: only the server's rows stay. */
	table_keep_prefix(&t, "metric", "redis:");
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.cells[0].s, "redis: p99 request in apply");
	table_keep_prefix(&t, "metric", "memcached:");
	assert_int_equal(t.nrows, 0);
	table_free(&t);
	free(r);
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_matches_json),
		cmocka_unit_test(test_not_a_results_dir),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_latex_round_trip),
		cmocka_unit_test(test_table_formats),
		cmocka_unit_test(test_macro_names),
		cmocka_unit_test(test_tex_macros),
		cmocka_unit_test(test_requests_and_findings),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
