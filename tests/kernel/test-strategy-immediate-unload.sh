#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# immediate: after a revert, the patch module may go only once no task is
# inside a replacement. The proof must see every task wherever it is: here
# a task asleep inside the new f1 belongs to a CPU that is offline (it went
# to sleep on CPU 1, which then went down), so a CPU-by-CPU scan over the
# online CPUs would never look at it and the module would unload under it.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

CPU=/sys/devices/system/cpu/cpu1/online
EWOULDBLOCK=11
if [ "$(nproc)" -lt 2 ] || [ ! -w $CPU ]; then
	skip "immediate unload proof with a CPU offline" "needs a second CPU that can go offline"
	exit 0
fi
trap 'echo 1 > $CPU; unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
insmod "$(ko kgraft)" && load_strategy immediate &&
	insmod "$(ko kgraft_target)" && insmod "$(ko kgraft_patch_target)" strategy=immediate ||
	{ fail "load kgraft, immediate, target, patch" "insmod ok" "failed"; exit 1; }

check_eq "enable (immediate)" 0 "$(sysfs_write $KG/$PT/enabled 1)"
n0=$($TOOLS/tstat | awk '{ print $NF }')
taskset -c 1 $TOOLS/sleeper 30000 > /tmp/immunload.sleeper &
SLEEPER=$!
wait_for 30 napping_above "$n0" || { fail "sleeper asleep in the new f1" "napping" "not napping"; exit 1; }
check_eq "sleeper went to sleep on CPU 1" 1 "$(ps -o psr= -p $SLEEPER | tr -d ' ')"
echo 0 > $CPU
check_eq "CPU 1 offline, the sleeper still asleep (D: an uninterruptible nap)" "0 D" \
	"$(cat $CPU) $(ps -o stat= -p $SLEEPER | cut -c1)"
check_eq "disable (immediate revert)" 0 "$(sysfs_write $KG/$PT/enabled 0)"
sleep 1
r=$($TOOLS/sysw -d kgraft_patch_target)
check_eq "delete_module refused while a task sleeps in the new f1" $EWOULDBLOCK "$r"
if [ "$r" = 0 ]; then
	# The module is gone under the sleeper: waking it would run freed
	# code. Leave it asleep; the guest is lost anyway.
	diag "patch module unloaded under a sleeping task: not waking it"
	trap - EXIT
	exit 1
fi
echo 1 > $CPU
wake_sleepers
wait $SLEEPER
check_eq "the held call ran the new chain" "versions 2 1 1 1 mixed 1" "$(cat /tmp/immunload.sleeper)"
unloads() { [ "$($TOOLS/sysw -d kgraft_patch_target)" = 0 ]; }
if wait_for 20 unloads; then ok "once the sleeper left, the patch module unloads"; else
	fail "once the sleeper left, the patch module unloads" "delete_module 0" \
		"$($TOOLS/sysw -d kgraft_patch_target)"
fi
