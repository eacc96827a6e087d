#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: a running transition can be turned around, and force ends one at
# once (breaking consistency for the task it forces, as expected).
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

stop=/tmp/kgraft-rf.stop
out=/tmp/kgraft-rf.sleeper
trap 'touch $stop; unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }
rm -f $stop
nice -n 19 $TOOLS/hammer -t 1 -f $stop > /tmp/kgraft-rf.hammer &
hammer=$!

# Reverse: the sleeper holds the patching open; turn it into an unpatching,
# which the sleeper (still in the old universe) does not block.
start_sleeper $out || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 1
check_eq "patching held open by the sleeper" 1 "$(cat $KG/$PT/transition)"
check_eq "writing 0 reverses the running transition" 0 "$(sysfs_write $KG/$PT/enabled 0)"
check_eq "enabled reads 0 at once" 0 "$(cat $KG/$PT/enabled)"
if wait_done $PT 30; then ok "reversed transition completes"; else
	fail "reversed transition completes" "transition 0 within 30 s" \
		"$(cat $KG/$PT/pending | tr '\n' ';')"
fi
check_cmd "it completed while the sleeper still sleeps" napping_above 0
check_model_paths $PT "reversed transition"
check_eq "no task state left" 0 "$(stat $PT task_states)"
r=$($TOOLS/hammer -t 1 -n 1000 -e 1)
check_eq "calls after the reversal see v1" "calls 1000 mixed 0 all_v1 1000 all_v2 0 other 0" "$r"
wake_sleepers
wait $SLEEPER
check_eq "sleeper's call unmixed" "versions 1 1 1 1 mixed 0" "$(cat $out)"

# Reverse twice: patch, back, and forward again.
start_sleeper $out || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "reverse once" 0 "$(sysfs_write $KG/$PT/enabled 0)"
check_eq "reverse again" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "enabled reads 1" 1 "$(cat $KG/$PT/enabled)"
sleep 1
check_eq "still held by the sleeper" 1 "$(cat $KG/$PT/transition)"

# Force: ends the transition at once; the sleeper is moved with its old f1
# still on the stack, so its own call is mixed: that is what force means.
check_eq "force accepted" 0 "$(sysfs_write $KG/$PT/force 1)"
check_eq "no transition after force" 0 "$(cat $KG/$PT/transition)"
check_eq "enabled after force" 1 "$(cat $KG/$PT/enabled)"
check_eq "stats say forced" 1 "$(stat $PT forced)"
check_ge "force switched the sleeper" 1 "$(stat $PT switched_force)"
check_eq "no task state left" 0 "$(stat $PT task_states)"
check_cmd "loud warning in the kernel log" sh -c "dmesg | grep -q 'kgraft_patch_target: FORCING'"
wake_sleepers
wait $SLEEPER
check_eq "forced sleeper finished its call in v2 after old f1" \
	"versions 1 2 2 2 mixed 1" "$(cat $out)"

check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30
touch $stop
wait $hammer
read -r _ calls _ mixed _ < /tmp/kgraft-rf.hammer
diag "hammer: $(cat /tmp/kgraft-rf.hammer)"
check_eq "hammer thread never saw a mixed chain" 0 "$mixed"
check_cmd "patch module unloads after a normal revert" rmmod kgraft_patch_target
trap - EXIT
unload_all
