#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stop_machine strategy: applies and reverts both patches under load with
# no mixed chain, records every stop split into its parts; a task asleep
# inside a patched function makes it retry and then fail with EBUSY,
# changing nothing and naming the sleeper; once it left, a new try works.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

CYCLES=2
SM=/sys/module/kgraft_stop_machine/parameters
stop=/tmp/sm.stop
out=/tmp/sm.hammer
trap 'touch $stop; wait; unload_all' EXIT

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
insmod "$(ko kgraft)" && load_strategy stop_machine &&
	insmod "$(ko kgraft_target)" loop_kthread=1 &&
	insmod "$(ko kgraft_patch_target)" strategy=stop_machine ||
	{ fail "load kgraft, stop_machine, target, patch" "insmod ok" "failed"; exit 1; }
check_eq "strategy given at load" stop_machine "$(cat $KG/$PT/strategy)"
check_eq "default retries (kpatch's)" 5 "$(cat $SM/retries)"
check_eq "default retry interval (ms)" 2000 "$(cat $SM/retry_interval_ms)"

rm -f $stop
nice -n 19 $TOOLS/hammer -t 2 -f $stop > $out &
sleep 1
for c in $(seq $CYCLES); do
	t0=$(date +%s%N)
	check_eq "cycle $c: enable done in the write" 0 "$(sysfs_write $KG/$PT/enabled 1)"
	t1=$(date +%s%N)
	check_eq "cycle $c: no transition left after the write" 0 "$(cat $KG/$PT/transition)"
	check_eq "cycle $c: enabled" 1 "$(cat $KG/$PT/enabled)"
	check_eq "cycle $c: one stop for the apply" 1 "$(stat $PT stops)"
	check_eq "cycle $c: no attempt refused" 0 "$(stat $PT stop_busy)"
	total=$(stat $PT stop_last_total_ns)
	parts=$(( $(stat $PT stop_last_rendezvous_ns) + $(stat $PT stop_last_check_ns) +
		  $(stat $PT stop_last_switch_ns) + $(stat $PT stop_last_release_ns) ))
	check_eq "cycle $c: stop = rendezvous + check + switch + release" "$total" "$parts"
	check_ge "cycle $c: the stack check took time" 1 "$(stat $PT stop_last_check_ns)"
	check_le "cycle $c: the stop is within the write" $((t1 - t0)) "$total"
	n=$(stat $PT tasks_at_start)
	s=$(stat $PT switched_stop)
	check_ge "cycle $c: every task switched in the stop ($s of $n at start)" $((n - 20)) "$s"
	check_le "cycle $c: no more switched than exist ($s vs $n)" $((n + 20)) "$s"
	check_eq "cycle $c: no lazy switch" 0 "$(( $(stat $PT switched_sweep) + $(stat $PT switched_syscall) ))"
	diag "cycle $c: apply $(( (t1 - t0) / 1000 )) us, stop $((total / 1000)) us (rendezvous $(( $(stat $PT stop_last_rendezvous_ns) / 1000 )) check $(( $(stat $PT stop_last_check_ns) / 1000 )) us, $n tasks)"
	r=$($TOOLS/hammer -t 1 -n 2000 -e 2)
	check_eq "cycle $c: calls after the apply all see v2" \
		"calls 2000 mixed 0 all_v1 0 all_v2 2000 other 0" "$r"
	check_eq "cycle $c: strategy change refused while enabled" 16 \
		"$(sysfs_write $KG/$PT/strategy kgraft)"
	check_eq "cycle $c: disable done in the write" 0 "$(sysfs_write $KG/$PT/enabled 0)"
	check_eq "cycle $c: disabled" 0 "$(cat $KG/$PT/enabled)"
	check_eq "cycle $c: one stop for the revert" 1 "$(stat $PT stops)"
	r=$($TOOLS/hammer -t 1 -n 2000 -e 1)
	check_eq "cycle $c: calls after the revert all see v1" \
		"calls 2000 mixed 0 all_v1 2000 all_v2 0 other 0" "$r"
done
touch $stop
wait
read -r _ calls _ mixed _ v1 _ v2 _ other < $out
diag "hammer: $(cat $out)"
check_eq "no mixed chain among the hammer's calls" 0 "$mixed"
check_ge "hammer made at least 100000 checked calls" 100000 "$calls"
check_ge "hammer saw v2 chains" 1 "$v2"
read -r _ kcalls _ kmixed _ <<< "$($TOOLS/tstat)"
check_ge "kthread looped through the chain" 100 "$kcalls"
check_eq "kthread never saw a mixed chain" 0 "$kmixed"

# A sleeper inside kgraft_target_f1 blocks every attempt.
echo 3 > $SM/retries
echo 300 > $SM/retry_interval_ms
sout=/tmp/sm.sleeper
start_sleeper $sout || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
dmesg -C
t0=$(date +%s%N)
check_eq "enable with a task in f1 fails with EBUSY" 16 "$(sysfs_write $KG/$PT/enabled 1)"
t1=$(date +%s%N)
check_ge "it waited between the 3 attempts (ms)" 600 $(( (t1 - t0) / 1000000 ))
check_eq "3 stops, all refused" "3 3" "$(stat $PT stops) $(stat $PT stop_busy)"
check_eq "still disabled" 0 "$(cat $KG/$PT/enabled)"
check_eq "no transition" 0 "$(cat $KG/$PT/transition)"
check_eq "old code intact: calls see v1" "calls 500 mixed 0 all_v1 500 all_v2 0 other 0" \
	"$($TOOLS/hammer -t 1 -n 500 -e 1)"
check_cmd "the kernel log names the blocker and its function" \
	sh -c "dmesg | grep -q 'refused after 3 attempts: sleeper (pid $SLEEPER) is in kgraft_target_f1'"
check_cmd "each retry was logged" sh -c "dmesg | grep -q 'attempt 2 of 3'"
check_eq "patch module unloads after the failed apply" 0 "$($TOOLS/sysw -d kgraft_patch_target)"
insmod "$(ko kgraft_patch_target)" strategy=stop_machine ||
	{ fail "patch module reloads" "insmod ok" "failed"; exit 1; }
wake_sleepers
wait $SLEEPER
check_eq "the sleeper's call ran v1 unmixed" "versions 1 1 1 1 mixed 0" "$(cat $sout)"
check_eq "once the sleeper left, enable succeeds" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "enabled" 1 "$(cat $KG/$PT/enabled)"

# On revert, a task inside a replacement blocks in the same way.
start_sleeper $sout || { fail "sleeper asleep in f1 v2" "napping" "not napping"; exit 1; }
check_eq "disable with a task in f1 v2 fails with EBUSY" 16 "$(sysfs_write $KG/$PT/enabled 0)"
check_eq "still enabled" 1 "$(cat $KG/$PT/enabled)"
check_eq "new code intact: calls see v2" "calls 500 mixed 0 all_v1 0 all_v2 500 other 0" \
	"$($TOOLS/hammer -t 1 -n 500 -e 2)"
check_eq "patch module cannot unload while enabled" 11 "$($TOOLS/sysw -d kgraft_patch_target)"
check_eq "strategy module cannot unload while a patch uses it" 11 "$($TOOLS/sysw -d kgraft_stop_machine)"
wake_sleepers
wait $SLEEPER
check_eq "the sleeper's call ran v2 unmixed" "versions 2 2 2 2 mixed 0" "$(cat $sout)"
check_eq "then disable succeeds" 0 "$(sysfs_write $KG/$PT/enabled 0)"

# The vmlinux patch, getppid checked on every call.
insmod "$(ko kgraft_patch_vmlinux)" strategy=stop_machine ||
	{ fail "load the vmlinux patch" "insmod ok" "failed"; exit 1; }
check_vmlinux_cycle

trap - EXIT
unload_all
check_cmd "every module unloaded" sh -c '! grep -q "^kgraft" /proc/modules'
