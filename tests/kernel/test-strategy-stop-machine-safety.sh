#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stop_machine's safety limits, each shown by a patch that hits it:
# (a) the task that writes enabled is itself inside the function being
#     replaced (kgraft_target_write_file, which writes the enabled file
#     from the kernel for kwrite): checked in place it would refuse every
#     attempt; the switch is made from a work item once it has left, both
#     ways. A patch of sysfs_kf_write, on the sysfs write path (tail-called
#     on 6.1, so not on the writer's stack), applies and reverts too;
#     (b) more tasks than max_tasks: the
#     apply is refused before any stop, changing nothing; (c) a patch of
#     multi_cpu_stop, which every stopper thread runs during the stop:
#     refused up front, by name, with a clear message.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

SM=/sys/module/kgraft_stop_machine/parameters
PM=kgraft_patch_machinery
MCALLS=/sys/module/$PM/parameters/calls
cleanup() {
	if [ -d $KG/$PM ]; then
		[ "$(cat $KG/$PM/enabled)" = 1 ] && sysfs_write $KG/$PM/enabled 0 > /dev/null
		wait_done $PM 10
		rmmod $PM 2>/dev/null
	fi
	unload_all
}
trap cleanup EXIT

# dmesg_has PATTERN: the kernel log since the last dmesg -C matches.
dmesg_has() { dmesg | grep -q -- "$1"; }

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
insmod "$(ko kgraft)" && load_strategy stop_machine &&
	insmod "$(ko kgraft_target)" &&
	insmod "$(ko kgraft_patch_target)" strategy=stop_machine ||
	{ fail "load kgraft, stop_machine, target, patch" "insmod ok" "failed"; exit 1; }
echo 2 > $SM/retries
echo 200 > $SM/retry_interval_ms
for f in sysfs_kf_write multi_cpu_stop; do
	check_cmd "$f is traceable" grep -q "^$f\$" $TRACE/available_filter_functions
done

# (a) The writer's own stack.
insmod "$(ko $PM)" func=sysfs_kf_write strategy=stop_machine ||
	{ fail "load the sysfs_kf_write patch" "insmod ok" "failed"; exit 1; }
dmesg -C
check_eq "(a) enable of a sysfs_kf_write patch is accepted" 0 "$(sysfs_write $KG/$PM/enabled 1)"
check_cmd "(a) the transition ends by itself" wait_done $PM 10
check_eq "(a) sysfs_kf_write patch enabled" 1 "$(cat $KG/$PM/enabled)"
check_eq "(a) a stop switched it (stops > refused ones)" 1 \
	"$(( $(stat $PM stops) > $(stat $PM stop_busy) ))"
diag "(a) deferred for the writer: $(dmesg | grep -c 'writer.*sysfs_kf_write') (0: tail-called, not on its stack)"
c0=$(cat $MCALLS)
check_eq "(a) another patch applies through the patched path" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "(a) and reverts" 0 "$(sysfs_write $KG/$PT/enabled 0)"
check_ge "(a) those writes ran the replacement" $((c0 + 2)) "$(cat $MCALLS)"
check_eq "(a) disable of the sysfs_kf_write patch is accepted" 0 "$(sysfs_write $KG/$PM/enabled 0)"
check_cmd "(a) the revert ends by itself" wait_done $PM 10
check_eq "(a) sysfs_kf_write patch disabled" 0 "$(cat $KG/$PM/enabled)"
c1=$(cat $MCALLS)
sysfs_write $KG/$PT/strategy stop_machine > /dev/null
check_eq "(a) replacement no longer called" "$c1" "$(cat $MCALLS)"
[ "$(cat $KG/$PM/enabled)" = 1 ] && { sysfs_write $KG/$PM/enabled 0 > /dev/null; wait_done $PM 10; }
rmmod $PM
check_cmd "(a) patch module unloads" sh -c "! grep -q ^$PM /proc/modules"

# (a) The writer inside the function being replaced, both ways.
PW=kgraft_patch_writer
WCALLS=/sys/module/$PW/parameters/calls
insmod "$(ko $PW)" strategy=stop_machine ||
	{ fail "load the writer patch" "insmod ok" "failed"; exit 1; }
dmesg -C
check_eq "(a) enable written from inside kgraft_target_write_file is accepted" 0 \
	"$($TOOLS/kwrite $KG/$PW/enabled 1)"
# One read of stats, so both fields describe the same moment: while the
# deferred transition waits for its stop, no task has switched.
st=$(cat $KG/$PW/stats)
end=$(awk '$1 == "end_ns" { print $2 }' <<< "$st")
pend=$(awk '$1 == "pending_tasks" { print $2 }' <<< "$st")
diag "(a) stats read $([ "$end" = 0 ] && echo during || echo after) the deferred transition: pending_tasks $pend"
check_eq "(a) an open deferred transition counts its tasks as pending" 1 \
	"$(( end != 0 || pend > 0 ))"
check_cmd "(a) that transition ends by itself" wait_done $PW 10
check_eq "(a) writer patch enabled" 1 "$(cat $KG/$PW/enabled)"
check_cmd "(a) the log says the switch waited for the writer to leave" \
	dmesg_has "writer (kwrite.*kgraft_target_write_file"
w0=$(cat $WCALLS)
$TOOLS/kwrite $KG/$PW/transition 1 > /dev/null
check_eq "(a) the next kernel write runs the replacement" $((w0 + 1)) "$(cat $WCALLS)"
dmesg -C
check_eq "(a) disable written from inside the replacement is accepted" 0 \
	"$($TOOLS/kwrite $KG/$PW/enabled 0)"
check_cmd "(a) the revert ends by itself" wait_done $PW 10
check_eq "(a) writer patch disabled" 0 "$(cat $KG/$PW/enabled)"
check_cmd "(a) the log says the revert waited for the writer to leave" \
	dmesg_has "writer (kwrite.*kgraft_target_write_file"
w1=$(cat $WCALLS)
$TOOLS/kwrite $KG/$PW/transition 1 > /dev/null
check_eq "(a) the next kernel write runs the original" "$w1" "$(cat $WCALLS)"
check_cmd "(a) writer patch module unloads" rmmod $PW

# (b) A bound on the tasks checked inside the stop.
check_cmd "(b) max_tasks parameter exists" test -w $SM/max_tasks
old=$(cat $SM/max_tasks 2>/dev/null)
n=$(ls -d /proc/[0-9]*/task/[0-9]* | wc -l)
s0=$(stat $PT stops)
echo 50 > $SM/max_tasks 2>/dev/null
dmesg -C
trace_on
check_eq "(b) enable with more than max_tasks=50 tasks fails with E2BIG" 7 \
	"$(sysfs_write $KG/$PT/enabled 1)"
trace_off
check_eq "(b) still disabled, no transition" "0 0" "$(cat $KG/$PT/enabled) $(cat $KG/$PT/transition)"
check_eq "(b) no stop was made (stops unchanged)" "$s0" "$(stat $PT stops)"
check_eq "(b) no kgraft_stop or transition event" 0 \
	"$(grep -c 'kgraft_stop:\|kgraft_transition_start:' $TRACE/trace)"
check_eq "(b) old code intact: calls see v1" "calls 500 mixed 0 all_v1 500 all_v2 0 other 0" \
	"$($TOOLS/hammer -t 1 -n 500 -e 1)"
check_cmd "(b) the log names the count and the parameter" dmesg_has "tasks.*max_tasks=50"
[ -n "$old" ] && echo "$old" > $SM/max_tasks
check_ge "(b) the default allows this guest's $n threads" "$n" "${old:-0}"
check_eq "(b) with the default, enable works" 0 "$(sysfs_write $KG/$PT/enabled 1)"
diag "(b) stack check of $(stat $PT switched_stop) tasks took $(( $(stat $PT stop_last_check_ns) / 1000 )) us"
check_eq "(b) and disable" 0 "$(sysfs_write $KG/$PT/enabled 0)"

# (c) The stopper threads' own code.
insmod "$(ko $PM)" func=multi_cpu_stop strategy=stop_machine ||
	{ fail "load the multi_cpu_stop patch" "insmod ok" "failed"; exit 1; }
dmesg -C
check_eq "(c) enable of a multi_cpu_stop patch fails with EOPNOTSUPP" 95 \
	"$(sysfs_write $KG/$PM/enabled 1)"
check_eq "(c) still disabled, no transition" "0 0" "$(cat $KG/$PM/enabled) $(cat $KG/$PM/transition)"
check_eq "(c) no stop was made" 0 "$(stat $PM stops)"
check_cmd "(c) the log names the function and why" dmesg_has "multi_cpu_stop.*stop_machine"
check_eq "(c) the stopper never ran the replacement" 0 "$(cat $MCALLS)"
if [ "$(cat $KG/$PM/enabled)" = 1 ]; then
	sysfs_write $KG/$PM/enabled 0 > /dev/null
	diag "(c) disabled again; replacement calls $(cat $MCALLS)"
fi
rmmod $PM

trap - EXIT
unload_all
check_cmd "every module unloaded" sh -c '! grep -q "^kgraft" /proc/modules'
