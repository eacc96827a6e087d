#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel test suite, run inside ONE guest boot: every tests/kernel/test-*.sh
# in name order (or those named as arguments: a path, test-x.sh, test-x or x;
# a name that matches no file is a failed test, never silently nothing). Each
# prints TAP lines via lib.sh; this numbers them and ends with the plan. A test file that exits
# non-zero without reporting a failure adds one "not ok" for itself. A test
# with a "# strategies: A B" line runs once under each (KGRAFT_STRATEGY,
# see kgraft-core/tools/testlib.sh), named test-x[A], test-x[B].
set -u

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${KGRAFT_GUEST:-}" ]; then
	echo "run.sh: runs inside the guest: bench vm -- $0" >&2
	exit 2
fi
cd "$here/../.."

# A test by path, file name or bare name: test-x.sh, test-x, x. Never this
# runner ("run" would start the whole suite inside itself) or its library.
find_test() {
	local c
	for c in "$1" "$here/$1" "$here/$1.sh" "$here/test-$1.sh"; do
		[ -f "$c" ] || continue
		case "$(basename "$c")" in
		run.sh | lib.sh) return 1 ;;
		esac
		echo "$c"
		return 0
	done
	return 1
}

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$here"/test-*.sh)

# run_one FILE NAME STRATEGY: one test file's TAP lines, numbered.
run_one() {
	local t=$1 name=$2 start out rc saw_fail line
	echo "# $name"
	start=$(date +%s)
	out=$(mktemp)
	if [ "$3" = - ]; then
		bash "$t" > "$out" 2>&1
	else
		KGRAFT_STRATEGY=$3 bash "$t" > "$out" 2>&1
	fi
	rc=$?
	saw_fail=0
	while IFS= read -r line; do
		case "$line" in
		"ok - "*)
			n=$((n + 1))
			echo "ok $n - $name: ${line#ok - }"
			;;
		"not ok - "*)
			n=$((n + 1))
			failed=$((failed + 1))
			saw_fail=1
			echo "not ok $n - $name: ${line#not ok - }"
			;;
		*) echo "# $line" ;;
		esac
	done < "$out"
	rm -f "$out"
	if [ $rc -ne 0 ] && [ $saw_fail -eq 0 ]; then
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - $name: exited with status $rc"
	fi
	echo "# $name took $(($(date +%s) - start)) s"
}

n=0
failed=0
echo "TAP version 13"
for arg in "${tests[@]}"; do
	if ! t=$(find_test "$arg"); then
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - no test named $arg in tests/kernel"
		continue
	fi
	# "# strategies: A B" in a test: run it once under each (testlib.sh).
	strategies=$(sed -n 's/^# strategies: *//p' "$t" | head -n1)
	for strategy in ${strategies:--}; do
		name=$(basename "$t" .sh)
		[ "$strategy" = - ] || name="$name[$strategy]"
		run_one "$t" "$name" "$strategy"
	done
done
echo "1..$n"
[ $failed -eq 0 ]
