#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep stop_machine immediate klp
# A patch of a module that is not loaded: it registers and is enabled; when
# the module loads, its first call (from its own init) already runs the new
# code and the patch's callbacks for it run; the module unloads and loads
# again under the enabled patch; once the patch is disabled a new load runs
# the original. No reference on the module is held meanwhile.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

S=$KGRAFT_STRATEGY
PL=kgraft_patch_late
ML=kgraft_late
trap 'rmmod $ML $PL 2>/dev/null; unload_all' EXIT

cblog() { cat /sys/module/$PL/parameters/callbacks; }
param() { cat /sys/module/$ML/parameters/"$1"; }
stacked() { grep -c "^$ML kgraft_late_answer $PL:fast\$" $KG/stacks; }
toggle() {
	check_eq "$1: write $2 to enabled accepted" 0 "$(sysfs_write $KG/$PL/enabled "$2")"
	wait_done $PL 60 || { fail "$1: completes" "transition 0 within 60 s" \
		"pending: $(head -c 300 $KG/$PL/pending | tr '\n' ';')"; exit 1; }
}

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_core || { fail "load kgraft" "insmod ok" "failed"; exit 1; }
case $S in kgraft | kgraft_sweep) ;; *) load_strategy "$S" ||
	{ fail "load strategy $S" "insmod ok" "failed"; exit 1; } ;; esac
rmmod $ML 2>/dev/null
dmesg -C
check_eq "patch of a module not loaded registers" 0 \
	"$($TOOLS/sysw -i "$(ko $PL)" strategy="$S")"
check_eq "kernel log says it waits for the module" 1 \
	"$(dmesg | grep -c "kgraft: $PL: kgraft_late_answer is in module $ML, not loaded: patched when it loads")"
toggle "enable before the module loads" 1
check_eq "no callback for an object not loaded" "" "$(cblog)"

check_cmd "module loads under the enabled patch" insmod "$(ko $ML)"
check_eq "its first call, from its init, ran the new code" 2 "$(param first)"
check_eq "later calls run it" 2 "$(param answer)"
check_eq "callbacks for the object as it loaded" Pp "$(cblog)"
[ "$S" = klp ] || check_eq "stacks: its function patched" 1 "$(stacked)"
check_eq "module unloads under the enabled patch" 0 "$($TOOLS/sysw -d $ML)"
check_eq "callbacks for the object as it went" PpUu "$(cblog)"
[ "$S" = klp ] || check_eq "stacks: nothing left of it" 0 "$(stacked)"
check_cmd "module loads again" insmod "$(ko $ML)"
check_eq "reloaded: its first call ran the new code" 2 "$(param first)"

toggle "disable with the module loaded" 0
check_eq "disabled: calls run the original" 1 "$(param answer)"
check_eq "callbacks: load, unload, load, disable" PpUuPpUu "$(cblog)"
toggle "enable with the module loaded" 1
check_eq "enabled again: calls run the new code" 2 "$(param answer)"
toggle "disable" 0
check_eq "module unloads" 0 "$($TOOLS/sysw -d $ML)"
check_cmd "module loads with the patch disabled" insmod "$(ko $ML)"
check_eq "disabled patch: its first call ran the original" 1 "$(param first)"
check_eq "no callback while disabled" PpUuPpUuPpUu "$(cblog)"
check_eq "module unloads" 0 "$($TOOLS/sysw -d $ML)"

# A cumulative patch that does not carry kgraft_late_answer replaces the
# late patch: while its transition runs (held by a sleeper in the chain),
# the module cannot load (kgraft would owe it a no-op); once it is over,
# the late patch is replaced and the module loads with the original.
case $S in
kgraft | kgraft_sweep)
	insmod "$(ko kgraft_target)" && insmod "$(ko kgraft_patch_target_v3)" \
		strategy="$S" replace=1 ||
		{ fail "load the target and a cumulative v3" "insmod ok" "failed"; exit 1; }
	toggle "enable the late patch again, module not loaded" 1
	start_sleeper /tmp/late.sleeper 50000 ||
		{ fail "sleeper asleep in f1" "napping" "not"; exit 1; }
	check_eq "cumulative v3: enable accepted" 0 \
		"$(sysfs_write $KG/kgraft_patch_target_v3/enabled 1)"
	check_eq "cumulative v3: held open by the sleeper" 1 \
		"$(cat $KG/kgraft_patch_target_v3/transition)"
	dmesg -C
	check_eq "module load refused while the cumulative patch replaces" 16 \
		"$($TOOLS/sysw -i "$(ko $ML)" "")"
	check_eq "kernel log says why" 1 \
		"$(dmesg | grep -c "kgraft: kgraft_patch_target_v3: module $ML cannot load while cumulative kgraft_patch_target_v3 replaces $PL, which patches its kgraft_late_answer")"
	wake_sleepers
	wait $SLEEPER
	wait_done kgraft_patch_target_v3 60 ||
		{ fail "cumulative v3 completes" "transition 0" "still 1"; exit 1; }
	check_eq "the late patch ends replaced" 0 "$(cat $KG/$PL/enabled)"
	check_cmd "the module loads once the transition is over" insmod "$(ko $ML)"
	check_eq "replaced: its first call ran the original" 1 "$(param first)"
	toggle_v3() { sysfs_write $KG/kgraft_patch_target_v3/enabled 0; }
	check_eq "cumulative v3: disable accepted" 0 "$(toggle_v3)"
	wait_done kgraft_patch_target_v3 60
	rmmod $ML kgraft_patch_target_v3 kgraft_target
	;;
*) skip "module load during a cumulative transition" "$S: no kgraft no-ops (livepatch makes its own, or no transition stays open)" ;;
esac

trap - EXIT
# Under immediate, once a rescan proves no task in its code.
unloaded() { [ "$($TOOLS/sysw -d $PL)" = 0 ]; }
check_cmd "patch module unloads" wait_for 20 unloaded
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
