#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench patch build against the guest kernel's own source (prepared once in
# build/patch/src; the first run unpacks it): the prctl fix builds into a
# module that says what it replaces and why (tests/kernel/test-patch-build.sh
# loads it in the guest, from build/tests/patches/prctl-answer); fixes a
# function-level live patch cannot carry are refused with the reason and
# the symbol named, exit 3, and no module; bad command lines exit 2. TAP.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/build/bench
fixes=$top/tests/patches
out=$top/build/tests/patches
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	echo "#   expected: $2"
	echo "#   saw:      $3"
}
check_rc() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "exit $2" "exit $3: $(head -c 300 "$tmp/err")"; fi; }
check_has() {
	if grep -q -- "$2" "$3"; then ok "$1"; else notok "$1" "'$2'" "$(head -c 400 "$3" | tr '\n' '|')"; fi
}

# The fix the guest test loads.
mkdir -p "$out"
rm -rf "$out/prctl-answer"
"$bench" patch build "$fixes/prctl-answer.diff" -o "$out/prctl-answer" > "$tmp/out" 2> "$tmp/err"
check_rc "prctl fix builds" 0 $?
check_has "the module is there" "kgraft_fix_prctl_answer.ko" "$tmp/out"
[ -f "$out/prctl-answer/kgraft_fix_prctl_answer.ko" ] && ok "module file written" ||
	notok "module file written" "kgraft_fix_prctl_answer.ko" "$(ls "$out/prctl-answer")"
check_has "build time printed" "^built in [0-9.]* s" "$tmp/out"
"$bench" patch check "$out/prctl-answer" > "$tmp/check" 2> "$tmp/err"
check_rc "check explains it" 0 $?
check_has "both syscall entries replaced" "replaced __x64_sys_prctl" "$tmp/check"
check_has "ia32 entry replaced" "replaced __ia32_sys_prctl" "$tmp/check"
check_has "the notrace inline is carried, reached through its callers" \
	"carried  __do_sys_prctl" "$tmp/check"
check_has "why: the callers call a changed notrace function" \
	"calls __do_sys_prctl, which changed and ftrace cannot redirect" "$tmp/check"
check_has "unexported callee resolved by kgraft at load" "__set_task_comm" "$tmp/check"
check_has "its own source changed" "its source changed" "$tmp/check"
"$bench" patch check --tsv "$out/prctl-answer" > "$tmp/tsv"
check_has "tsv: built, 2 functions" "^built	[0-9.]*	2	$" "$tmp/tsv"

# Refusals: exit 3, the reason and the symbol, no module.
refused() {
	local fix=$1 category=$2 what=$3
	"$bench" patch build "$fixes/$fix.diff" -o "$tmp/$fix" > "$tmp/out" 2> "$tmp/err"
	check_rc "$fix: refused" 3 $?
	check_has "$fix: reason [$category]" "\\[$category\\]" "$tmp/err"
	check_has "$fix: names $what" "$what" "$tmp/err"
	if ls "$tmp/$fix"/*.ko > /dev/null 2>&1; then
		notok "$fix: no module" "no .ko" "$(ls "$tmp/$fix")"
	else
		ok "$fix: no module"
	fi
	check_has "$fix: manifest says refused" '"status": "refused"' "$tmp/$fix/manifest.json"
}
refused refuse-data "changed writable data" overflowuid
refused refuse-struct "changes a struct or union" compat_sysinfo
refused refuse-init "__init code changed" oops_setup
refused refuse-no-apply "does not apply" "does not apply"
check_has "the tree is left as it was (no fix half-applied)" "refuse-no-apply.diff" \
	"$tmp/refuse-no-apply/build.log"
src=$(sed -n 's/.*"source": "\(.*\)".*/\1/p' "$tmp/refuse-data/manifest.json")
if [ -f "$src/kernel/sys.c" ] &&
   ! grep -q "kgraft_added\|DEFAULT_OVERFLOWUID + 1\|0x4b475246" "$src/kernel/sys.c"; then
	ok "the source tree is clean after the builds"
else
	notok "the source tree is clean after the builds" "no trace of the fixes in $src" "found"
fi

# Command lines.
"$bench" patch build "$fixes/prctl-answer.diff" > "$tmp/out" 2> "$tmp/err"
check_rc "build without -o: usage" 2 $?
"$bench" patch build --frob x -o "$tmp/x" > "$tmp/out" 2> "$tmp/err"
check_rc "unknown option: usage" 2 $?
"$bench" patch frob > "$tmp/out" 2> "$tmp/err"
check_rc "unknown subcommand: usage" 2 $?
"$bench" patch check "$tmp/none" > "$tmp/out" 2> "$tmp/err"
check_rc "check of a directory without a build: error" 1 $?
"$bench" patch build "$tmp/none.diff" -o "$tmp/x" > "$tmp/out" 2> "$tmp/err"
check_rc "a fix that does not exist: error" 1 $?
echo "1..$n"
