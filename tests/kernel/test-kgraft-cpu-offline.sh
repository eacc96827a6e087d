#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: a CPU taken offline mid-transition. Its idle task does not run
# (and restarts from scratch when the CPU comes back), so it must not keep
# the transition open, and the pending file and pending_tasks agree. The
# sharp case: CPU 1's idle task has switched, CPU 1 goes offline, and the
# transition is reversed, which makes that idle task pending again.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

CPU=/sys/devices/system/cpu/cpu1/online
if [ "$(nproc)" -lt 2 ] || [ ! -w $CPU ]; then
	skip "CPU taken offline mid-transition" "needs a second CPU that can go offline"
	exit 0
fi
trap 'echo 1 > $CPU; unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }
taskset -cp 0 $$ >/dev/null # the sleepers run on CPU 0, which stays

# Two reads: tasks may switch between them (under kgraft, user tasks at
# the fake signal), so a few tries; a count that stays wrong fails.
agree() {
	local n c i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		n=$(wc -l < $KG/$PT/pending)
		c=$(stat $PT pending_tasks)
		[ "$n" = "$c" ] && break
		sleep 0.3
	done
	check_eq "$1: pending lines ($n) and pending_tasks agree" "$n" "$c"
}

out=/tmp/kgraft-offline.1
start_sleeper $out 30000 || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 1
check_eq "transition held open by the sleeper" 1 "$(cat $KG/$PT/transition)"
echo 0 > $CPU
check_eq "CPU 1 offline" 0 "$(cat $CPU)"
agree "patching, CPU 1 offline"
check_eq "reverse accepted with CPU 1 offline" 0 "$(sysfs_write $KG/$PT/enabled 0)"
sleep 2
agree "reversed, CPU 1 offline"
if wait_done $PT 20; then ok "reversed transition completes with CPU 1 offline"; else
	fail "reversed transition completes with CPU 1 offline" "transition 0" \
		"pending_tasks $(stat $PT pending_tasks): $(tr '\n' ';' < $KG/$PT/pending)"
	sysfs_write $KG/$PT/force 1 >/dev/null
fi
wake_sleepers
wait $SLEEPER
echo 1 > $CPU
check_eq "CPU 1 back online" 1 "$(cat $CPU)"
check_eq "patch disabled" 0 "$(cat $KG/$PT/enabled)"

out=/tmp/kgraft-offline.2
start_sleeper $out 30000 || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted again" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 1
echo 0 > $CPU
agree "patching again, CPU 1 offline"
wake_sleepers
wait $SLEEPER
if wait_done $PT 20; then ok "patching completes with CPU 1 offline"; else
	fail "patching completes with CPU 1 offline" "transition 0" \
		"pending_tasks $(stat $PT pending_tasks): $(tr '\n' ';' < $KG/$PT/pending)"
	sysfs_write $KG/$PT/force 1 >/dev/null
fi
echo 1 > $CPU
check_eq "nothing was forced" 0 "$(stat $PT forced)"
check_eq "disable accepted with every CPU online" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30
check_eq "reverted" 0 "$(cat $KG/$PT/enabled)"
check_cmd "patch module unloads" rmmod kgraft_patch_target
