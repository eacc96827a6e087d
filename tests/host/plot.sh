#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench report and bench plot on real results: the fixture run
# (tests/fixtures/run-small), the paper's small sweep over vCPUs
# (paper/data/sweep) and a small sweep over tasks (tests/fixtures/sweep-tasks).
# Every figure whose data exists is made (gnuplot exits 0, PDF and PNG with
# their magic bytes and a plausible size, .dat and .gp beside, the .gp
# re-plots alone); figures whose data is missing are skipped by name; bad
# command lines exit 2. TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/build/bench
fixture=$top/tests/fixtures/run-small
sweep=$top/paper/data/sweep
tasks=$top/tests/fixtures/sweep-tasks
tmp=$(mktemp -d /tmp/test-plot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

n=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && echo "#   $3"
	fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
expect_exit() {
	local want=$1 desc=$2 rc
	shift 2
	"$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ "$rc" = "$want" ]
	ok $? "$desc" "expected exit $want, saw $rc: $(head -c 200 "$tmp/err")"
}
# figure_ok DIR NAME: both formats made, magic bytes, size, data, script.
figure_ok() {
	local dir=$1 name=$2 size magic
	size=$(stat -c %s "$dir/$name.pdf" 2>/dev/null || echo 0)
	magic=$(head -c 4 "$dir/$name.pdf" 2>/dev/null)
	[ "$magic" = "%PDF" ] && [ "$size" -gt 4000 ]
	ok $? "$name.pdf is a PDF of $size bytes" "magic '$magic'"
	size=$(stat -c %s "$dir/$name.png" 2>/dev/null || echo 0)
	magic=$(head -c 4 "$dir/$name.png" 2>/dev/null | tail -c 3)
	[ "$magic" = "PNG" ] && [ "$size" -gt 10000 ]
	ok $? "$name.png is a PNG of $size bytes" "magic '$magic'"
	[ -s "$dir/$name.gp" ] && (cd "$dir" && gnuplot -e "fmt='png'" "$name.gp" 2>/dev/null)
	ok $? "$name.gp re-plots on its own in $(basename "$dir")"
}

# Command-line errors: usage and exit 2, nothing made.
expect_exit 2 "bench report without a directory" "$bench" report
expect_exit 2 "bench report --format=xml" "$bench" report --format=xml "$fixture"
expect_exit 2 "bench report --table=nope" "$bench" report --table=nope "$fixture"
expect_exit 2 "bench report --format=sentences --table=runs" \
	"$bench" report --format=sentences --table=runs "$fixture"
expect_exit 1 "bench report --format=sentences on a run without findings" \
	"$bench" report --format=sentences "$fixture"
grep -q "no findings" "$tmp/err"
ok $? "says there are no findings" "$(cat "$tmp/err")"
expect_exit 2 "bench report on a directory that is no run" "$bench" report "$tmp"
grep -q "not a results directory" "$tmp/err"
ok $? "the bad directory is named"
expect_exit 2 "bench plot without a directory" "$bench" plot
expect_exit 2 "bench plot --format=svg" "$bench" plot --format=svg "$fixture"
expect_exit 2 "bench plot --bogus" "$bench" plot --bogus "$fixture"
expect_exit 2 "bench plot --redirection on a missing file" \
	"$bench" plot --redirection "$tmp/none" "$fixture"
expect_exit 2 "bench sweep without --out" "$bench" sweep
expect_exit 2 "bench sweep --cpus 0" "$bench" sweep --cpus 0 --out "$tmp/s"
expect_exit 2 "bench sweep --tasks 1,1" "$bench" sweep --tasks 1,1 --out "$tmp/s"
expect_exit 2 "bench sweep --jobs 0" "$bench" sweep --jobs 0 --out "$tmp/s"
expect_exit 2 "bench sweep --strategies nope" "$bench" sweep --strategies nope --out "$tmp/s"
expect_exit 2 "bench sweep --baseline abc (checked by bench run's parser)" \
	"$bench" sweep --baseline abc --out "$tmp/s"
[ ! -e "$tmp/s" ]
ok $? "a refused sweep creates nothing"

# Report on the fixture: every format.
expect_exit 0 "bench report (text) on the fixture" "$bench" report "$fixture"
grep -q "Transition times" "$tmp/out"
ok $? "the text report has the transition table"
expect_exit 0 "bench report --format=csv --table=latency" \
	"$bench" report --format=csv --table=latency "$fixture"
head -1 "$tmp/out" | grep -q '^strategy,workload,phase,ops,p50_ns,p99_ns,p99_9_ns,max_ns$'
ok $? "the CSV header names its columns and units"
expect_exit 0 "bench report --format=latex" "$bench" report --format=latex "$fixture"
[ "$(grep -c '\\begin{tabular}' "$tmp/out")" = "$(grep -c '\\bottomrule' "$tmp/out")" ]
ok $? "every LaTeX table is closed with \\bottomrule"

# Plot the fixture: the per-run figures; the sweep figures are skipped.
expect_exit 0 "bench plot on the fixture" "$bench" plot --out "$tmp/fig" "$fixture"
# What to expect, from the fixture itself through the report's CSV.
strategies=$("$bench" report --format=csv --table=transitions "$fixture" | awk -F, 'NR > 1 { print $1 }')
workloads=$("$bench" report --format=csv --table=chains "$fixture" | awk -F, 'NR > 1 { print $1 }')
[ -n "$strategies" ] && [ -n "$workloads" ]
ok $? "the fixture has strategies ($(echo $strategies)) and workloads ($(echo $workloads))"
for s in $strategies; do
	figure_ok "$tmp/fig" "timeline-$s"
	[ -s "$tmp/fig/timeline-$s.dat" ]
	ok $? "timeline-$s.dat is beside it"
done
for w in $workloads; do
	figure_ok "$tmp/fig" "percentiles-$w"
	figure_ok "$tmp/fig" "cdf-$w"
	[ -s "$tmp/fig/latency-$w.dat" ]
	ok $? "latency-$w.dat is beside them"
done
for f in excess-stall-vs-tasks-cpus2 transition-vs-tasks-cpus2 redirection-cost; do
	grep -q "skipping $f:" "$tmp/err"
	ok $? "$f is skipped with a reason on one run" "$(cat "$tmp/err")"
done
[ "$(wc -l < "$tmp/fig/figures.tsv")" = "$(ls "$tmp/fig"/*.pdf | wc -l)" ]
ok $? "figures.tsv lists every figure made"

# The redirection figure, from test inputs made here in the two formats it
# reads: bench-kgraft.sh's "chain_ns" lines and a path,ns_per_call CSV.
printf '# ns per pass\nchain_ns unpatched  11   (all: 11 12)\nchain_ns kgraft_fast 23   (all: 23)\n' \
	> "$tmp/bench-kgraft.out"
expect_exit 0 "bench plot --redirection (bench-kgraft.sh output)" \
	"$bench" plot --out "$tmp/fig2" --redirection "$tmp/bench-kgraft.out" "$fixture"
figure_ok "$tmp/fig2" redirection-cost
[ "$(grep -c '^[0-9]' "$tmp/fig2/redirection-cost.dat")" = 2 ] &&
	grep -q "^1 \"kgraft_fast\" 23.000 23.000 23.000 0$" "$tmp/fig2/redirection-cost.dat"
ok $? "redirection-cost.dat holds the chain_ns lines, in order"
# The benchmark's present format: rounds per path, a median with its CI;
# the syscall block after the chain's is not drawn.
printf '# ns per pass (7 rounds)\nunpatched  min 10  median 12  (all: 10 11 12 13 14 )\nkgraft_fast min 20 median 30 (all: 20 25 30 35 40 )\n# ns per getppid(2)\nsyscall_noprobes min 1 median 2 (all: 1 2 3 4 5 )\n' \
	> "$tmp/rounds.out"
expect_exit 0 "bench plot --redirection (rounds per path)" \
	"$bench" plot --out "$tmp/fig4" --redirection "$tmp/rounds.out" "$fixture"
figure_ok "$tmp/fig4" redirection-cost
awk '!/^#/ && NF' "$tmp/fig4/redirection-cost.dat" > "$tmp/r4"
[ "$(wc -l < "$tmp/r4")" = 2 ] &&
	awk 'NR == 1 && $2 == "\"unpatched\"" && $3 == 12 && $4 <= 12 && $5 >= 12 && $4 < $5 && $6 == 5 { a = 1 }
		NR == 2 && $3 == 30 && $4 < 30 && $5 > 30 { b = 1 } END { exit !(a && b) }' "$tmp/r4"
ok $? "each path's median of its rounds with a CI around it; the chain block only" "$(cat "$tmp/r4")"
grep -q 'yerrorbars' "$tmp/fig4/redirection-cost.gp"
ok $? "the CI drawn as error bars"
cp -r "$fixture" "$tmp/run"
printf 'path,ns_per_call\nunpatched,10\nkgraft-fast,20\n' > "$tmp/run/redirection.csv"
expect_exit 0 "bench plot with a run's redirection.csv" "$bench" plot --out "$tmp/fig3" "$tmp/run"
grep -q "^1 \"kgraft-fast\" 20.000 20.000 20.000 0$" "$tmp/fig3/redirection-cost.dat"
ok $? "redirection-cost.dat holds the CSV's rows"

# index.csv without its quoted field (the strategies, which hold commas).
csv() { sed 's/"[^"]*"//g' "$1"; }

# The sweep figures from the paper's real sweep: a transition figure per
# vCPU count that has two task counts.
if [ -e "$sweep/index.json" ]; then
	expect_exit 0 "bench report on the sweep tree" "$bench" report --table=runs "$sweep"
	cells=$(csv "$sweep/index.csv" | awk -F, 'NR > 1 && $5 == "complete"' | wc -l)
	rows=$(awk 'NR > 2' "$tmp/out" | wc -l)
	[ "$rows" -ge "$cells" ]
	ok $? "one row per complete cell and strategy ($rows rows, $cells cells)"
	expect_exit 0 "bench plot on the sweep tree" "$bench" plot --out "$tmp/sfig" "$sweep"
	for c in $(csv "$sweep/index.csv" | awk -F, 'NR > 1 && $5 == "complete" { print $1 }' | sort -u); do
		if [ "$(csv "$sweep/index.csv" | awk -F, -v c="$c" 'NR > 1 && $5 == "complete" && $1 == c' | wc -l)" -ge 2 ]; then
			figure_ok "$tmp/sfig" "transition-vs-tasks-cpus$c"
		else
			grep -q "skipping transition-vs-tasks-cpus$c: needs runs at $c vCPUs with at least two task counts" "$tmp/err"
			ok $? "transition-vs-tasks-cpus$c is skipped: one complete cell at $c vCPUs"
		fi
	done
else
	skip "the sweep figures" "no paper/data/sweep"
fi
expect_exit 0 "bench plot on the tasks sweep" "$bench" plot --out "$tmp/tfig" "$tasks"
figure_ok "$tmp/tfig" transition-vs-tasks-cpus2
points=$(awk '!/^#/ && NF' "$tmp/tfig/transition-vs-tasks-cpus2.dat" | wc -l)
[ "$points" -ge 2 ] &&
	[ "$points" = "$(csv "$tasks/index.csv" | awk -F, 'NR > 1 && $5 == "complete"' | wc -l)" ]
ok $? "transition-vs-tasks-cpus2.dat has one point per complete cell"
grep -q "skipping excess-stall-vs-tasks-cpus2: no run at 2 vCPUs has the stall workload's excess lost time" "$tmp/err"
ok $? "excess-stall-vs-tasks is skipped on runs without the stall workload"

# The excess stall figure from a sweep made here: two strategies at 0 and
# 1000 tasks, 6 cycles each, excess lost time 1..6 ms (kgraft) and
# 11..16 ms (stop_machine): medians with CIs that hold them.
mk_cell() {
	local d=$tmp/xs/cpus2-tasks$1 i sep=
	mkdir -p "$d"
	echo '{"status": "complete"}' > "$d/status.json"
	echo "{\"online_cpus\": 2, \"tasks_outside\": $1}" > "$d/metadata.json"
	echo '{"workloads": {"population": {"ops": 0}}, "strategies": {"kgraft": {"cycles_done": 6}, "stop_machine": {"cycles_done": 6}}}' > "$d/summary.json"
	{
		printf '['
		for i in 1 2 3 4 5 6; do
			printf '%s{"strategy": "kgraft", "complete": true, "duration_ns": {"apply": %d}, "workloads": {"stall": {"apply": {"excess_lost_ns": %d}}}}' \
				"$sep" $((i * 100000000)) $((i * 1000000))
			sep=,
			printf ',{"strategy": "stop_machine", "complete": true, "duration_ns": {"apply": %d}, "workloads": {"stall": {"apply": {"excess_lost_ns": %d}}}}' \
				$((i * 10000000)) $(((10 + i) * 1000000))
		done
		printf ']\n'
	} > "$d/cycles.json"
}
mk_cell 0
mk_cell 1000
expect_exit 0 "bench plot on a sweep with the stall detector's excess" \
	"$bench" plot --out "$tmp/xfig" "$tmp/xs/cpus2-tasks0" "$tmp/xs/cpus2-tasks1000"
figure_ok "$tmp/xfig" excess-stall-vs-tasks-cpus2
# Nearest-rank median of 1..6 is 3; of 11..16, 13; the CI holds it.
awk '!/^#/ && NF && $1 == 0' "$tmp/xfig/excess-stall-vs-tasks-cpus2.dat" > "$tmp/x0"
awk 'NR == 1 && $3 == 3 && $4 < 3 && $5 > 3 && $6 == 6 { a = 1 }
	NR == 2 && $3 == 13 && $4 < 13 && $5 > 13 { b = 1 } END { exit !(a && b) }' "$tmp/x0"
ok $? "each strategy's median with a CI around it, from 6 cycles" "$(cat "$tmp/x0")"
grep -q 'set xtics ("0" 100, "1000" 1000)' "$tmp/xfig/excess-stall-vs-tasks-cpus2.gp"
ok $? "0 tasks drawn a decade below 1000, labelled 0"
[ "$(grep -c 'yerrorlines ls 2[1-5]' "$tmp/xfig/excess-stall-vs-tasks-cpus2.gp")" = 2 ]
ok $? "one series per strategy, in the headline styles"

# The convergence figure from a convergence.json made here: three kgraft
# applies of 1, 2 and 3 s (the 2 s one is the median and is drawn), with
# samples inside and outside its bounds, and a refused apply left out.
cp -r "$fixture" "$tmp/conv"
cat > "$tmp/conv/convergence.json" <<-'EOF'
{"interval_ns": 20000000, "truncated": false, "failed_reads": 0, "transitions": [
 {"cycle": 1, "strategy": "kgraft", "phase": "apply", "refused": false, "settled_ns": 1000000000,
  "start_ns": 100000, "end_ns": 990000000, "tasks_at_start": 50, "samples": [[500000000, 5]]},
 {"cycle": 2, "strategy": "kgraft", "phase": "apply", "refused": false, "settled_ns": 2000000000,
  "start_ns": 200000, "end_ns": 1990000000, "tasks_at_start": 60,
  "samples": [[100000, 60], [20000000, 40], [1000000000, 7], [1995000000, 99]]},
 {"cycle": 2, "strategy": "kgraft", "phase": "revert", "refused": false, "settled_ns": 9000000000,
  "start_ns": 1, "end_ns": 2, "tasks_at_start": 1, "samples": []},
 {"cycle": 3, "strategy": "kgraft", "phase": "apply", "refused": false, "settled_ns": 3000000000,
  "start_ns": 300000, "end_ns": 2990000000, "tasks_at_start": 70, "samples": []},
 {"cycle": 4, "strategy": "kgraft", "phase": "apply", "refused": true, "settled_ns": 1500000000,
  "start_ns": 300000, "end_ns": 1400000000, "tasks_at_start": 70, "samples": []}]}
EOF
expect_exit 0 "bench plot on a run with convergence.json" "$bench" plot --out "$tmp/cfig" "$tmp/conv"
figure_ok "$tmp/cfig" convergence
awk '!/^#/ && NF' "$tmp/cfig/convergence.dat" | tr '\n' ' ' > "$tmp/c0"
[ "$(cat "$tmp/c0")" = "0.2000 60 20.0000 40 1000.0000 7 1990.0000 0 " ]
ok $? "the median apply from its start (all pending) through the samples inside it to its end (none)" \
	"$(cat "$tmp/c0")"
grep -q 'with steps ls 21 title "kgraft"' "$tmp/cfig/convergence.gp" &&
	grep -q 'set logscale x' "$tmp/cfig/convergence.gp"
ok $? "one step series per strategy on a log time axis"
expect_exit 0 "bench plot on a run without convergence.json" "$bench" plot --out "$tmp/cfig2" "$fixture"
grep -q "skipping convergence: no run has convergence.json" "$tmp/err"
ok $? "a run without convergence.json skips the figure with a reason"
echo "1..$n"
