#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# immediate strategy: every function switches in the write, unchecked. It
# applies and reverts both patches; the damage it allows is visible: a task
# held inside the chain across the switch finishes its call mixed.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

CYCLES=2
stop=/tmp/imm.stop
out=/tmp/imm.hammer
trap 'touch $stop; wait; unload_all' EXIT

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
insmod "$(ko kgraft)" && load_strategy immediate &&
	insmod "$(ko kgraft_target)" loop_kthread=1 &&
	insmod "$(ko kgraft_patch_target)" ||
	{ fail "load kgraft, immediate, target, patch" "insmod ok" "failed"; exit 1; }
check_eq "select immediate through sysfs" 0 "$(sysfs_write $KG/$PT/strategy immediate)"
check_eq "strategy reads immediate" immediate "$(cat $KG/$PT/strategy)"

rm -f $stop
nice -n 19 $TOOLS/hammer -t 2 -f $stop > $out &
sleep 1
for c in $(seq $CYCLES); do
	check_eq "cycle $c: enable done in the write" 0 "$(sysfs_write $KG/$PT/enabled 1)"
	check_eq "cycle $c: enabled, no transition" "1 0" \
		"$(cat $KG/$PT/enabled) $(cat $KG/$PT/transition)"
	n=$(stat $PT tasks_at_start)
	check_eq "cycle $c: every task counted as switched at once" "$n" "$(stat $PT switched_immediate)"
	check_eq "cycle $c: no stop of the machine" 0 "$(stat $PT stops)"
	check_eq "cycle $c: calls after the apply all see v2" \
		"calls 2000 mixed 0 all_v1 0 all_v2 2000 other 0" "$($TOOLS/hammer -t 1 -n 2000 -e 2)"
	check_eq "cycle $c: disable done in the write" 0 "$(sysfs_write $KG/$PT/enabled 0)"
	check_eq "cycle $c: disabled, no transition" "0 0" \
		"$(cat $KG/$PT/enabled) $(cat $KG/$PT/transition)"
	check_eq "cycle $c: calls after the revert all see v1" \
		"calls 2000 mixed 0 all_v1 2000 all_v2 0 other 0" "$($TOOLS/hammer -t 1 -n 2000 -e 1)"
done
touch $stop
wait
diag "hammer across $CYCLES immediate cycles: $(cat $out)"
read -r _ kcalls _ kmixed _ <<< "$($TOOLS/tstat)"
diag "kthread: $kcalls calls, $kmixed mixed"

# The exposing scenario: a task asleep in the old f1 when every function
# switches wakes up and calls the new f2, f3, f4.
sout=/tmp/imm.sleeper
start_sleeper $sout || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable with a task inside the chain: not refused" 0 "$(sysfs_write $KG/$PT/enabled 1)"
wake_sleepers
wait $SLEEPER
check_eq "the held call ran old f1 then new f2..f4: mixed" "versions 1 2 2 2 mixed 1" "$(cat $sout)"
check_eq "disable" 0 "$(sysfs_write $KG/$PT/enabled 0)"
# Reverts made while the hammer ran may have been unprovable at once (a
# thread on a CPU): their hold goes once a rescan proves it, within ~1 s.
unloads() { [ "$($TOOLS/sysw -d kgraft_patch_target)" = 0 ]; }
if wait_for 20 unloads; then ok "with nobody in the new code, the patch module unloads"; else
	fail "with nobody in the new code, the patch module unloads" "delete_module 0" \
		"$($TOOLS/sysw -d kgraft_patch_target)"
fi

# The vmlinux patch, getppid checked on every call.
insmod "$(ko kgraft_patch_vmlinux)" strategy=immediate ||
	{ fail "load the vmlinux patch" "insmod ok" "failed"; exit 1; }
check_vmlinux_cycle

trap - EXIT
unload_all
check_cmd "every module unloaded" sh -c '! grep -q "^kgraft" /proc/modules'
