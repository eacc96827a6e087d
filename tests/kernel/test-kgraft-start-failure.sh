#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: a start that fails half way (sys_enter hooked, sys_exit refused:
# injected) rolls back without any task having switched, so no task is
# left in new code whose redirection goes away; the patch stays disabled
# and a later enable works.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

PARAM=/sys/module/kgraft/parameters
ENOMEM=12
trap 'touch /tmp/startfail.stop; unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

rm -f /tmp/startfail.stop
# Threads making syscalls all the time (the chain is an ioctl).
$TOOLS/hammer -t 4 -f /tmp/startfail.stop > /tmp/startfail.hammer &
hammer=$!
sleep 1
for i in 1 2 3; do
	echo 1 > $PARAM/inject_start_failure
	check_eq "start $i: enable fails with the injected ENOMEM" $ENOMEM \
		"$(sysfs_write $KG/$PT/enabled 1)"
	check_eq "start $i: no task switched behind the failed start" "0 0" \
		"$(stat $PT switched_syscall_enter) $(stat $PT switched_syscall_exit)"
	check_eq "start $i: patch disabled, no transition" "0 0" \
		"$(cat $KG/$PT/enabled) $(cat $KG/$PT/transition)"
	check_eq "start $i: no task state left" 0 "$(stat $PT task_states)"
done
check_eq "enable works after the failures" 0 "$(sysfs_write $KG/$PT/enabled 1)"
wait_done $PT 30 && ok "transition completes" ||
	fail "transition completes" "transition 0" "$(tr '\n' ';' < $KG/$PT/pending)"
check_model_paths $PT "patching"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30
touch /tmp/startfail.stop
wait $hammer
check_eq "no mixed chain across failed starts" 0 \
	"$(awk '{ for (i = 1; i < NF; i++) if ($i == "mixed") print $(i + 1) }' /tmp/startfail.hammer)"
diag "hammer: $(cat /tmp/startfail.hammer)"
check_cmd "patch module unloads" rmmod kgraft_patch_target
