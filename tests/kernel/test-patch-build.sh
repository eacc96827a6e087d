#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep stop_machine klp immediate
# A patch built from a source fix by the patch builder (bench patch build,
# tests/patches/prctl-answer.diff: prctl(2) learns an option): it loads
# under every strategy, kgraft resolves the unexported symbols its code
# refers to, the new behaviour is seen from user space once it is enabled,
# calls that go through those resolved references (PR_SET_NAME ->
# __set_task_comm) work, and disabling gives the old behaviour back. A
# caller loops through the transitions and sees only the old or the new
# answer. The module is built on the host by tests/host/patch-build.sh.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

S=$KGRAFT_STRATEGY
P=prctl_answer
M=kgraft_fix_prctl_answer
KO=$PWD/build/tests/patches/prctl-answer/$M.ko
OPT=0x4b475246
NEW=19271	# 0x4b47, the fix's answer
OLD=-22		# -EINVAL: no such option before the fix
trap 'kill $LOOP 2>/dev/null; wait; rmmod $M 2>/dev/null; unload_all' EXIT

answers() { $TOOLS/prctl count $OPT "$1" | sort | tr '\n' ' ' | sed 's/ $//'; }
toggle() {
	check_eq "$1: write $2 to enabled accepted" 0 "$(sysfs_write $KG/$P/enabled "$2")"
	wait_done $P 60 || { fail "$1: completes" "transition 0 within 60 s" \
		"pending: $(head -c 300 $KG/$P/pending | tr '\n' ';')"; exit 1; }
}

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
[ -f "$KO" ] || { fail "the built fix is there" "$KO (tests/host/patch-build.sh builds it)" \
	"missing"; exit 1; }
load_core || { fail "load kgraft" "insmod ok" "failed"; exit 1; }
case $S in kgraft | kgraft_sweep) ;; *) load_strategy "$S" ||
	{ fail "load strategy $S" "insmod ok" "failed"; exit 1; } ;; esac
dmesg -C
check_eq "built patch loads with strategy=$S" 0 "$($TOOLS/sysw -i "$KO" strategy="$S")"
nrel=$(grep -c '\.name = ' "$(dirname "$KO")/${M}_main.c")
check_ge "kernel log: kgraft resolved its relocations" 1 \
	"$(dmesg | grep -c "kgraft: $P: [0-9]* relocations resolved")"
check_eq "registered, disabled" 0 "$(cat $KG/$P/enabled)"
check_eq "disabled: the option does not exist" "$OLD 1000" "$(answers 1000)"

$TOOLS/prctl count $OPT 300000 > /tmp/prctl-loop.$$ &
LOOP=$!
toggle "enable" 1
check_eq "enabled: the fix answers" "$NEW 1000" "$(answers 1000)"
check_eq "kernel log: the new code's pr_info_once ran once (its own once flag)" 1 \
	"$(dmesg | grep -c 'prctl: patched, first called by prctl')"
check_eq "PR_SET_NAME through a kgraft-resolved call (__set_task_comm)" \
	kgraftname "$($TOOLS/prctl name kgraftname)"
[ "$S" = klp ] || check_eq "stacks: both syscall entries redirected" 2 \
	"$(grep -c "^vmlinux __\(x64\|ia32\)_sys_prctl $P:" $KG/stacks)"
toggle "disable" 0
wait $LOOP
LOOP=
check_eq "a caller looping through both transitions saw only old or new answers" "" \
	"$(awk -v o=$OLD -v n=$NEW '$1 != o && $1 != n' /tmp/prctl-loop.$$)"
diag "looping caller: $(tr '\n' ' ' < /tmp/prctl-loop.$$)"
rm -f /tmp/prctl-loop.$$
check_eq "disabled again: the option is gone" "$OLD 1000" "$(answers 1000)"
toggle "enable again" 1
check_eq "enabled again: the fix answers" "$NEW 1000" "$(answers 1000)"
toggle "disable again" 0
check_cmd "patch module unloads" rmmod $M
check_cmd "system usable: fork and exec" sh -c 'ls / > /dev/null && /bin/true'
diag "relocations in the module: $nrel"
