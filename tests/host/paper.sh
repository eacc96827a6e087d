#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make paper` on the fixture run (into a temporary PAPER_OUT) builds a PDF whose numbers are the
# fixture's: the generated macros carry the run's own values. Skipped (not
# passed) when texlive is not installed. TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
fixture=tests/fixtures/run-small

if ! command -v pdflatex > /dev/null || ! command -v bibtex > /dev/null; then
	echo "ok 1 - make paper on the fixture # SKIP texlive not installed (pdflatex, bibtex)"
	echo "1..1"
	exit 0
fi
out=$(mktemp -d /tmp/test-paper.XXXXXX)
trap 'rm -rf "$out"' EXIT

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

rm -f "$out/paper.pdf"
make -s -C "$top" paper RESULTS="$fixture" PAPER_OUT="$out" > /tmp/paper-test.$$ 2>&1
rc=$?
ok $rc "make paper RESULTS=$fixture exits 0" "$(tail -n 5 /tmp/paper-test.$$)"
[ "$(head -c 4 "$out/paper.pdf" 2>/dev/null)" = "%PDF" ] &&
	[ "$(stat -c %s "$out/paper.pdf")" -gt 50000 ]
ok $? "paper.pdf is a PDF of $(stat -c %s "$out/paper.pdf" 2>/dev/null || echo 0) bytes"
pages=$(sed -n 's/^paper: .*paper.pdf, \([0-9]*\) pages.*/\1/p' /tmp/paper-test.$$)
[ "${pages:-0}" -ge 3 ]
ok $? "the paper has ${pages:-no} pages"
! grep -q 'undefined' "$out/latex.log"
ok $? "no undefined references or citations" "$(grep -m3 undefined "$out/latex.log")"
# The numbers are the fixture's: its apply p50, through bench report.
want=$("$top/build/bench" report --format=tex-macros "$fixture" | grep 'kgApplyMedianMin')
grep -qF "$want" "$out/numbers.tex"
ok $? "numbers.tex holds the fixture's numbers" "want: $want"
for t in runs transitions stalls switches chains latency; do
	grep -q "input{tab-$t.tex}" "$top/paper/paper.tex" && [ -s "$out/tab-$t.tex" ]
	ok $? "table $t is generated and included"
done
figs=$(grep -c includegraphics "$out/figures.tex")
[ "$figs" -ge 1 ] && [ "$figs" = "$(wc -l < "$out/fig/figures.tsv")" ]
ok $? "every figure made ($figs) is in the paper"
# The headline run (paper/data/headline, the default HEADLINE): its
# findings, in bench compare's words, are the abstract's.
headline=$top/paper/data/headline
if [ -e "$headline/compare.json" ]; then
	want=$("$top/build/bench" report --format=sentences \
		--metric="stall: machine-wide stall in apply" "$headline" | head -n 1 |
		sed 's/[_%&#$]/\\&/g')
	[ -n "$want" ] && grep -F '\newcommand{\kgHeadlineAbstract}' "$out/headline.tex" | grep -qF "$want"
	ok $? "the abstract states the headline's findings" "want: $want"
	grep -q 'fig-headline/convergence.pdf' "$out/fig-headline.tex"
	ok $? "the headline's convergence figure is in the paper"
else
	echo "ok $((n += 1)) - the headline's findings in the abstract # SKIP no paper/data/headline"
fi
# The paper's own sweep (paper/data/sweep, the default RESULTS): per
# cell, its findings for the machine-wide stall, in a table of their own.
sweep=$top/paper/data/sweep
metric="stall: machine-wide stall in apply"
if "$top/build/bench" report --format=csv --table=findings --metric="$metric" "$sweep" 2> /dev/null |
	awk 'NR > 1 { found = 1 } END { exit !found }'; then
	"$top/paper/build.sh" "$sweep" "$out/sweep" > /tmp/paper-test.$$ 2>&1
	ok $? "paper/build.sh on $sweep exits 0" "$(tail -n 5 /tmp/paper-test.$$)"
	tab=$out/sweep/tab-sweep-stall-machine-wide-stall-in-apply.tex
	grep -q 'subsection{Across the sweep}' "$out/sweep/sweep.tex" &&
		grep -q 'input{tab-sweep-stall-machine-wide-stall-in-apply.tex}' "$out/sweep/sweep.tex"
	ok $? "the sweep section includes its machine-wide stall table"
	# One row per cell and strategy with a finding, as bench report has them.
	want=$("$top/build/bench" report --format=csv --table=findings --metric="$metric" "$sweep" | awk 'NR > 1' | wc -l)
	got=$(grep -c '\\\\$' "$tab")
	[ "$got" = $((want + 1)) ]
	ok $? "the table has a row per finding ($want) and its header" "got $got lines ending in \\\\"
else
	echo "ok $((n += 1)) - the sweep's findings in the paper # SKIP paper/data/sweep has no stall findings"
fi
# A headline run without the metrics the abstract states: refused by name.
"$top/paper/build.sh" --headline "$top/paper/data/apps/redis-tasks1k" "$top/$fixture" "$out/bad" \
	> /tmp/paper-test.$$ 2>&1
rc=$?
[ $rc = 1 ] && grep -q "has no finding for 'stall: machine-wide stall in apply'" /tmp/paper-test.$$
ok $? "a headline without stall findings fails, naming the metric (exit $rc)" "$(tail -n 3 /tmp/paper-test.$$)"
"$top/paper/build.sh" --headline "$top/$fixture" "$top/$fixture" "$out/bad" > /tmp/paper-test.$$ 2>&1
rc=$?
[ $rc = 2 ] && grep -q "is not the results directory of a bench compare" /tmp/paper-test.$$
ok $? "a headline that is no compare run is a usage error (exit $rc)"
rm -f /tmp/paper-test.$$
echo "1..$n"
