#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench's command line: help, and usage errors that must exit 2 without
# doing anything (no guest is booted). TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/kernel/lib.sh"
bench=$top/build/bench

n=0
expect() {
	local want=$1 desc=$2 rc
	shift 2
	"$@" > /tmp/cli.out.$$ 2> /tmp/cli.err.$$
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "#   expected: exit $want"
		echo "#   saw:      exit $rc: $(head -c 300 /tmp/cli.err.$$)"
	fi
}
expect_out() {
	local pattern=$1 file=$2 desc=$3
	n=$((n + 1))
	if grep -q -- "$pattern" "$file"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "#   expected: '$pattern'"
		echo "#   saw:      $(head -c 300 "$file")"
	fi
}

expect 0 "bench --help" "$bench" --help
expect_out "vm" /tmp/cli.out.$$ "bench --help lists the vm command"
expect 0 "bench help vm" "$bench" help vm
expect_out "usage: bench vm" /tmp/cli.out.$$ "bench help vm prints its usage"
expect 2 "no command: usage, exit 2" "$bench"
expect 2 "unknown command: exit 2" "$bench" frobnicate
expect_out "not a bench command" /tmp/cli.err.$$ "unknown command is named"
expect 2 "bench vm without a command: exit 2" "$bench" vm
expect 2 "bench vm --cpus 0: exit 2" "$bench" vm --cpus 0 -- true
expect_out "invalid value '0' for --cpus" /tmp/cli.err.$$ "the bad value and option are named"
expect 2 "bench vm --cpus abc: exit 2" "$bench" vm --cpus abc -- true
expect 2 "bench vm --mem 10: exit 2" "$bench" vm --mem 10 -- true
expect 2 "bench vm --timeout 0: exit 2" "$bench" vm --timeout 0 -- true
expect 2 "bench vm --accel xen: exit 2" "$bench" vm --accel xen -- true
expect 2 "bench vm --bogus: exit 2" "$bench" vm --bogus -- true
expect 2 "too many --share: exit 2" "$bench" vm --share /tmp/a --share /tmp/b \
	--share /tmp/c --share /tmp/d --share /tmp/e -- true
expect 0 "bench list" "$bench" list
expect_out "kgraft" /tmp/cli.out.$$ "bench list names the kgraft strategy"
expect_out "stall" /tmp/cli.out.$$ "bench list names the stall workload"
expect 2 "bench list bogus: exit 2" "$bench" list bogus
expect 0 "bench run --help" "$bench" run --help
expect 2 "bench run --strategy=nope: exit 2" "$bench" run --strategy=nope
expect_out "unknown strategy 'nope'" /tmp/cli.err.$$ "the unknown strategy is named"
expect 2 "bench run --patch=nope: exit 2" "$bench" run --patch=nope
expect 2 "bench run --workload=nope: exit 2" "$bench" run --workload=nope
expect 2 "bench run --cycles 0: exit 2" "$bench" run --cycles 0
expect 2 "bench run --cycles 10001: exit 2" "$bench" run --cycles 10001
expect 2 "bench run --cpus 65: exit 2" "$bench" run --cpus 65
expect 2 "bench run --gap 2-1: exit 2" "$bench" run --gap 2-1
expect 2 "bench run --tasks-outside 30001: exit 2" "$bench" run --tasks-outside 30001
expect_out "invalid value '30001' for --tasks-outside" /tmp/cli.err.$$ "the bad population is named"
expect 2 "bench run --tasks-inside x: exit 2" "$bench" run --tasks-inside x
expect 2 "bench run 20000 outside + 20000 inside: exit 2" "$bench" run \
	--tasks-outside 20000 --tasks-inside 20000
expect_out "at most 30000 tasks in all" /tmp/cli.err.$$ "the population cap is named"
expect 2 "bench run --tasks 15001 (that many on each side): exit 2" "$bench" run --tasks 15001
expect 2 "bench compare --tasks-outside -1: exit 2" "$bench" compare \
	--strategies=kgraft,stop_machine --tasks-outside -1
expect 2 "bench run --baseline x: exit 2" "$bench" run --baseline x
expect 2 "bench run --target=cloud: exit 2" "$bench" run --target=cloud
expect 2 "bench run --strategies (compare's): exit 2" "$bench" run --strategies=kgraft
expect 2 "bench run stray argument: exit 2" "$bench" run extra
expect 2 "bench compare with one strategy: exit 2" "$bench" compare --strategies=kgraft
expect 2 "bench compare with a strategy twice: exit 2" "$bench" compare --strategies=kgraft,kgraft
expect 2 "bench compare on a missing dir: exit 2" "$bench" compare /nonexistent/dir
expect 2 "bench compare --bogus: exit 2" "$bench" compare --bogus
expect_out "usage: bench compare" /tmp/cli.err.$$ "bench compare --bogus prints its usage"
expect 0 "bench compare --help" "$bench" compare --help
expect_out "cycles per strategy (default 10; a CI needs" /tmp/cli.out.$$ "bench compare --help gives the default cycles"
expect_out "n too small (fewer than 5" /tmp/cli.out.$$ "bench compare --help gives the n < 5 rule"
expect_out "n = ((1.96 + 0.84) x sigma / delta)^2" /tmp/cli.out.$$ "bench compare --help gives the sample-size rule"
# A real four-strategy run of 3 cycles each: recomputed, it says n is too
# small instead of printing intervals.
dir=$(mktemp -d)
cp "$top"/tests/fixtures/compare-3cycles/*.json "$dir"
expect 0 "bench compare on a 3-cycle run" "$bench" compare "$dir"
expect_out "^Too few cycles for confidence intervals: kgraft 3, stop_machine 3" /tmp/cli.out.$$ "it says the cycles are too few"
expect_out "^  stop_machine against kgraft: n too small for every metric" /tmp/cli.out.$$ "and gives no verdict"
expect_out '"verdict": "n too small"' "$dir/compare.json" "compare.json's findings say n too small"
rm -rf "$dir"
dir=$(mktemp -d)
expect 1 "bench compare on a dir without results: exit 1" "$bench" compare "$dir"
expect_out "summary.json" /tmp/cli.err.$$ "the missing file is named"
echo '{"status": "complete"}' > "$dir/status.json"
expect 1 "bench run refuses a directory that holds a run" "$bench" run --out "$dir"
expect_out "already holds a run" /tmp/cli.err.$$ "and says why"
expect 0 "bench list strategies" "$bench" list strategies
for s in stop_machine klp immediate; do
	expect_out "^  $s " /tmp/cli.out.$$ "bench list names the $s strategy"
done
expect 2 "bench run --probes=bogus: exit 2" "$bench" run --probes=bogus
expect_out "unknown probe 'bogus'" /tmp/cli.err.$$ "the unknown probe is named"
expect 2 "bench run --probes=stop,stop: exit 2" "$bench" run --probes=stop,stop
expect 2 "bench run --counters=cpu: exit 2" "$bench" run --counters=cpu
expect 0 "bench run --help" "$bench" run --help
expect_out "--no-probes" /tmp/cli.out.$$ "bench run --help shows --no-probes"
# A strategy whose module is not built fails at once (exit 1, named), before
# a guest boots or a results directory is made: a build tree with every
# module but that one.
fake=$(mktemp -d)
for m in kgraft-core/kgraft kgraft-core/target/kgraft_target \
	kgraft-core/patches/target/kgraft_patch_target; do
	mkdir -p "$fake/kmod/$(dirname "$m")" && : > "$fake/kmod/$m.ko"
done
expect 1 "bench run with a strategy module not built: exit 1" \
	env KGRAFT_BUILD="$fake" "$bench" run --strategy=stop_machine --out "$fake/out"
expect_out "kgraft_stop_machine not built" /tmp/cli.err.$$ "the missing module is named"
n=$((n + 1))
if [ -e "$fake/out/status.json" ]; then
	echo "not ok $n - no results directory is left for it"
else
	echo "ok $n - no results directory is left for it"
fi
expect 1 "bench compare with a strategy module not built: exit 1" \
	env KGRAFT_BUILD="$fake" "$bench" compare --strategies=kgraft,klp --out "$fake/out"
expect_out "kgraft_klp not built" /tmp/cli.err.$$ "the missing klp module is named"
rm -rf "$fake"
rm -rf "$dir"
# Every command's options come from one table: its --help lists each of
# them (--list-opts prints the table's names), an unknown flag is a usage
# error, and a bad value names its option. None of these boots a guest.
for c in run compare sweep vm report plot list workload; do
	expect 0 "bench $c --help" "$bench" $c --help
	cp /tmp/cli.out.$$ /tmp/cli.help.$$
	missing=
	w=; [ $c = workload ] && w=stall
	for o in $("$bench" $c $w --list-opts); do
		grep -q -- "$o\b" /tmp/cli.help.$$ || missing="$missing $o"
	done
	n=$((n + 1))
	if [ -z "$missing" ]; then
		echo "ok $n - bench $c --help lists every option"
	else
		echo "not ok $n - bench $c --help lists every option"
		echo "#   missing:$missing"
	fi
	expect 2 "bench $c --no-such-flag: exit 2" "$bench" $c $w --no-such-flag
	expect_out "unknown option '--no-such-flag'" /tmp/cli.err.$$ "bench $c names the unknown flag"
	expect_out "usage: bench $c" /tmp/cli.err.$$ "bench $c prints its usage on an unknown flag"
done
rm -f /tmp/cli.help.$$
bad_value() {
	local opt=$1
	shift
	expect 2 "bench $* : exit 2" "$bench" "$@"
	expect_out "$opt" /tmp/cli.err.$$ "bench $1: the bad value's option $opt is named"
}
bad_value "for --cycles" run --cycles 0
bad_value "for --cycles" compare --strategies=kgraft,klp --cycles 0
bad_value "for --jobs" sweep --out /tmp/nonexistent --jobs 17
bad_value "for --timeout" vm --timeout 0 -- true
bad_value "unknown --format 'nope'" report --format nope /tmp
bad_value "--format takes pdf, png or pdf,png, not 'svg'" plot --format svg /tmp
bad_value "for --threads" workload stall --threads 0
bad_value "option '--out' needs a value" plot --out
bad_value "for --request-rate" run --request-rate 0
bad_value "for --conns" run --conns 0
bad_value "for --set-pct" run --set-pct 101
bad_value "at most 1024 connections in all" run --workload redis --conns 100 --threads 20
bad_value "the key space would take over 512 MiB" run --workload memcached --keys 10000000 --value-size 100
bad_value "redis keeps a histogram per cycle and phase: at most 1024 cycles" compare --strategies=kgraft,klp --workload redis --cycles 600
bad_value "unknown --table 'bogus'" report --table=bogus /tmp
bad_value "option '--metric' needs a value" report --metric
bad_value "--metric selects rows of the findings table only" report --table=latency --metric=redis: /tmp
rm -f /tmp/cli.out.$$ /tmp/cli.err.$$
echo "1..$n"
