#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Choosing a patch's strategy: at load (strategy=) or through sysfs while
# disabled; unknown names and changes during a transition or while enabled
# are refused and change nothing; a strategy module stays while a patch
# has it selected.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

trap 'unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }
S=$KG/$PT/strategy

check_eq "default strategy" kgraft "$(cat $S)"
check_eq "unknown name refused (EINVAL)" 22 "$(sysfs_write $S no_such)"
check_eq "empty name refused (EINVAL)" 22 "$(sysfs_write $S $'\n')"
check_eq "a strategy whose module is not loaded is refused (EINVAL)" 22 \
	"$(sysfs_write $S stop_machine)"
check_eq "unchanged after refusals" kgraft "$(cat $S)"
load_strategy stop_machine && load_strategy immediate ||
	{ fail "load the strategy modules" "insmod ok" "failed"; exit 1; }
check_eq "select stop_machine" 0 "$(sysfs_write $S stop_machine)"
check_eq "reads stop_machine" stop_machine "$(cat $S)"
check_eq "selected strategy's module cannot unload" 11 "$($TOOLS/sysw -d kgraft_stop_machine)"
check_eq "an unselected one can" 0 "$($TOOLS/sysw -d kgraft_immediate)"
check_eq "select it once gone: EINVAL" 22 "$(sysfs_write $S immediate)"
check_eq "select kgraft (with a newline)" 0 "$(sysfs_write $S $'kgraft\n')"
check_eq "reads kgraft" kgraft "$(cat $S)"
check_eq "stop_machine's module unloads once unselected" 0 "$($TOOLS/sysw -d kgraft_stop_machine)"

# During a kgraft transition (a sleeper holds it open) and while enabled.
load_strategy stop_machine || { fail "reload stop_machine" "insmod ok" "failed"; exit 1; }
start_sleeper /tmp/select.sleeper || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable (kgraft)" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "transition open" 1 "$(cat $KG/$PT/transition)"
check_eq "change during the transition refused (EBUSY)" 16 "$(sysfs_write $S stop_machine)"
check_eq "unknown name during the transition still EINVAL" 22 "$(sysfs_write $S no_such)"
check_eq "strategy unchanged" kgraft "$(cat $S)"
check_eq "transition unaffected" 1 "$(cat $KG/$PT/transition)"
wake_sleepers
wait $SLEEPER
wait_done $PT 30 || fail "transition completes" "transition 0" "$(cat $KG/$PT/pending)"
check_eq "enabled" 1 "$(cat $KG/$PT/enabled)"
check_eq "change while enabled refused (EBUSY)" 16 "$(sysfs_write $S stop_machine)"
check_eq "writing the current one is fine" 0 "$(sysfs_write $S kgraft)"
check_eq "disable" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30 || fail "revert completes" "transition 0" "$(cat $KG/$PT/pending)"
check_eq "change once disabled" 0 "$(sysfs_write $S stop_machine)"
check_eq "apply with stop_machine" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "revert with stop_machine" 0 "$(sysfs_write $KG/$PT/enabled 0)"
check_eq "stop_machine has no force (EINVAL when not in transition)" 22 \
	"$(sysfs_write $KG/$PT/force 1)"

# At load: strategy= picks it; an unknown one fails the load.
rmmod kgraft_patch_target
check_eq "load with an unknown strategy fails (EINVAL)" 22 \
	"$($TOOLS/sysw -i "$(ko kgraft_patch_target)" strategy=no_such)"
check_cmd "and leaves nothing registered" test ! -e $KG/$PT
check_eq "load with strategy=stop_machine" 0 \
	"$($TOOLS/sysw -i "$(ko kgraft_patch_target)" strategy=stop_machine)"
check_eq "reads stop_machine" stop_machine "$(cat $S)"
