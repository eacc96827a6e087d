#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft: tasks that never cross the syscall boundary are switched by the
# sweep: a busy user task that makes no syscall, the target's looping
# kthread, the idle tasks. Read from kgraft's own tracepoint.
# The hybrid's own mechanism: kgraft_sweep.
KGRAFT_STRATEGY=kgraft_sweep
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

trap 'kill $spin 2>/dev/null; wait; trace_off; unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target loop_kthread=1 || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

$TOOLS/spin &
spin=$!
sleep 1
# /proc shows a kthread's full name, the trace its 15-character comm.
kpid=$(grep -lx kgraft_target_loop /proc/[0-9]*/comm | cut -d/ -f3)
trace_on
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
if wait_done $PT 30; then ok "patching completes with a spinning task"; else
	fail "patching completes with a spinning task" "transition 0 within 30 s" \
		"$(cat $KG/$PT/pending | tr '\n' ';')"
fi
trace_off
t=$(grep kgraft_task_switch $TRACE/trace)
check_eq "spinner switched by the sweep" "path=sweep" \
	"$(echo "$t" | grep -o "pid=$spin comm=spin path=[a-z_]*" | grep -o 'path=.*')"
kline=$(echo "$t" | grep "comm=kgraft_target_l ")
diag "kthread pid $kpid: $kline"
check_eq "looping kthread switched as a kthread" "pid=$kpid path=kthread" \
	"$(echo "$kline" | grep -o 'pid=[0-9]*') $(echo "$kline" | grep -o 'path=[a-z_]*')"
ncpu=$(nproc)
check_eq "every idle task switched" "$ncpu" "$(echo "$t" | grep -c 'path=idle target=1')"
check_eq "one transition_start event, target 1" 1 \
	"$(grep -c 'kgraft_transition_start: patch=kgraft_patch_target target=1' $TRACE/trace)"
check_eq "one transition_end event, result 0" 1 \
	"$(grep -c 'kgraft_transition_end: patch=kgraft_patch_target target=1 duration_ns=[0-9]* result=0' $TRACE/trace)"
check_cmd "spinner still running" kill -0 $spin
read -r _ _ _ kmixed _ l1 l2 l3 l4 _ <<< "$($TOOLS/tstat)"
sleep 0.2
read -r _ _ _ kmixed _ l1 l2 l3 l4 _ <<< "$($TOOLS/tstat)"
check_eq "kthread now runs v2, never mixed" "0 2 2 2 2" "$kmixed $l1 $l2 $l3 $l4"

check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
if wait_done $PT 30; then ok "unpatching completes with a spinning task"; else
	fail "unpatching completes with a spinning task" "transition 0 within 30 s" \
		"$(cat $KG/$PT/pending | tr '\n' ';')"
fi
kill $spin
wait
trap - EXIT
unload_all
