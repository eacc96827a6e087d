#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The guest runner's own tests, from the host: each case boots a guest and
# checks what the runner reported against what was expected. TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/kernel/lib.sh"
bench=$top/build/bench
release=$(cat "$top/build/kernel/release")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

result() { sed -n "s/^$1 //p" "$work/result"; }

n=0
tap() {
	# Renumber lib.sh's "ok - " lines as we go.
	while IFS= read -r line; do
		case "$line" in
		"ok - "* | "not ok - "*)
			n=$((n + 1))
			echo "${line%%- *}$n - ${line#*- }"
			;;
		*) echo "$line" ;;
		esac
	done
	echo "1..$n"
}

{
	# 1. Exit status, release, a module of ours, a writable share.
	hello=$(ko kgraft_test_hello)
	"$bench" vm -q --timeout 120 --share "$work/share" --result "$work/result" -- \
		"uname -r; insmod $hello && grep -c '^kgraft_test_hello ' /proc/modules &&
		 rmmod kgraft_test_hello && ! grep -q '^kgraft_test_hello ' /proc/modules &&
		 echo unloaded; echo from-guest > $work/share/file; exit 7" \
		> "$work/out" 2> "$work/err"
	rc=$?
	check_eq "the command's exit status comes back" 7 "$rc"
	check_eq "uname -r in the guest is the stock release" "$release" "$(sed -n 1p "$work/out")"
	check_eq "a module built here loads (listed once in /proc/modules)" 1 "$(sed -n 2p "$work/out")"
	check_eq "and unloads" unloaded "$(sed -n 3p "$work/out")"
	check_eq "a --share directory is writable from the guest" from-guest "$(cat "$work/share/file" 2>&1)"
	check_eq "a clean console reports no problem" none "$(result problem)"
	diag "boot to command: $(result boot_s) s, whole run $(result total_s) s ($(result accel))"

	# 2. A WARN in the guest fails a run whose command succeeded, naming the log.
	warn=$(ko kgraft_test_warn)
	"$bench" vm -q --timeout 120 --result "$work/result" -- \
		"insmod $warn && rmmod kgraft_test_warn" > "$work/out" 2> "$work/err"
	rc=$?
	check_eq "a WARN in the guest fails the run" 1 "$rc"
	check_eq "the runner names the problem" WARNING "$(result problem)"
	log=$(result console_log)
	if grep -q "console log: $log" "$work/err" && grep -q 'deliberate warning' "$log"; then
		ok "the runner names the console log, which holds the warning"
	else
		fail "the runner names the console log, which holds the warning" \
			"'console log: $log' in stderr, the warning in it" "$(tail -n 2 "$work/err")"
	fi

	# 3. A command that hangs is killed at the timeout and reported.
	start=$(date +%s)
	"$bench" vm -q --timeout 25 --result "$work/result" -- 'sleep 1000' \
		> "$work/out" 2> "$work/err"
	rc=$?
	took=$(($(date +%s) - start))
	check_eq "a hanging command ends the run with status 124" 124 "$rc"
	check_eq "the runner reports the timeout" 1 "$(result timed_out)"
	if grep -q 'timeout after' "$work/err"; then
		ok "the timeout is said on stderr"
	else
		fail "the timeout is said on stderr" "'timeout after'" "$(cat "$work/err")"
	fi
	check_le "the guest is killed promptly at the timeout (s)" 40 "$took"

	# 4. A failing command's status comes back unchanged, with a clean console.
	"$bench" vm -q --timeout 120 -- 'exit 0' > /dev/null 2>&1
	check_eq "status 0 comes back as 0" 0 "$?"
} | tap
