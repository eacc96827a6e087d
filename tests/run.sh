#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every test, after `make`: host unit tests (cmocka), host scripts, the guest
# runner's own tests, then the kernel suite in ONE guest boot. TAP files go
# to build/test-results/; the last line is "N passed, N failed, N skipped".
#
#   tests/run.sh                 everything
#   tests/run.sh host            host tests only (no guest)
#   tests/run.sh kernel [T...]   the kernel suite (or the named tests: a path,
#                                test-x.sh, test-x or x)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$top/build/test-results
what=${1:-all}
[ $# -gt 0 ] && shift

run_host() {
	local t
	for t in build/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== $(basename "$t")"
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1 | tee "$out/host-$(basename "$t").tap"
	done
	for t in tests/host/*.sh; do
		echo "== $(basename "$t")"
		"$t" 2>&1 | tee "$out/host-$(basename "$t" .sh).tap"
	done
}

run_runner() {
	echo "== guest runner"
	tests/guest/test-runner.sh 2>&1 | tee "$out/runner.tap"
}

# The whole kernel suite shares one boot. The runner's verdict on the console
# (no Oops, BUG, WARNING, lockdep, RCU stall) is one more test line.
run_kernel() {
	local tap=$out/kernel.tap rc problem
	echo "== kernel suite (one guest boot)"
	# Multi-threaded TCG (QEMU >= 8, from make deps); KGRAFT_TCG_SINGLE=1
	# takes single-threaded TCG instead (see --tcg-single in 'bench help vm').
	build/bench vm ${KGRAFT_TCG_SINGLE:+--tcg-single} \
		--timeout "${KGRAFT_SUITE_TIMEOUT:-1500}" \
		--share "$out/guest" \
		--result "$out/kernel.result" -- tests/kernel/run.sh "$@" 2>"$out/kernel.err" |
		tee "$tap"
	rc=${PIPESTATUS[0]}
	cat "$out/kernel.err"
	problem=$(sed -n 's/^problem //p' "$out/kernel.result" 2>/dev/null)
	if [ "$problem" = none ] && ! grep -q '^timed_out 1' "$out/kernel.result"; then
		echo "ok 1 - guest console free of Oops, BUG, WARNING, lockdep, RCU stall, lockup" |
			tee "$out/kernel-console.tap"
	else
		{
			echo "not ok 1 - guest console free of Oops, BUG, WARNING, lockdep, RCU stall, lockup"
			echo "#   saw: ${problem:-no result} (bench vm exit $rc); $(grep -h 'console log' "$out/kernel.err")"
		} | tee "$out/kernel-console.tap"
	fi
}

rm -rf "$out"
mkdir -p "$out/guest"
case "$what" in
all)
	run_host
	run_runner
	run_kernel "$@"
	;;
host) run_host ;;
runner) run_runner ;;
kernel) run_kernel "$@" ;;
*)
	echo "usage: tests/run.sh [all|host|runner|kernel [TEST...]]" >&2
	exit 2
	;;
esac
echo
echo "== summary"
tests/tap-summary.sh "$out"/*.tap
