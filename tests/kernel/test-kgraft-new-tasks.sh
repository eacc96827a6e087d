#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft: every task created during a transition is known to it. io_uring's
# io-wq workers come from create_io_thread(), which fires no
# sched_process_fork; a fork whose state allocation fails (injected) has
# none either. Such a task runs in the universe the transition started from,
# so the transition may only complete once a full walk has found every task
# with a state and switched, and no call may see a mixed chain.
# The hybrid's own mechanism: kgraft_sweep.
KGRAFT_STRATEGY=kgraft_sweep
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

W=16
PARAM=/sys/module/kgraft/parameters
trap 'touch /tmp/newtasks.stop; echo 100 > $PARAM/sweep_interval_ms 2>/dev/null; unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

# io-wq workers: with the sweep slowed down, only the creation hook can
# give them a state; its kgraft_task_switch event (path=fork) names each.
echo 60000 > $PARAM/sweep_interval_ms
start_sleeper /tmp/newtasks.sleeper 60000 ||
	{ fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 2
s0=$(stat $PT task_states)
trace_on
$TOOLS/iowq $W 3000 > /tmp/newtasks.iowq &
iowq=$!
wait_for 30 grep -q '^tids' /tmp/newtasks.iowq
s1=$(stat $PT task_states)
trace_off
w=$(awk '$1 == "workers" { print $2 }' /tmp/newtasks.iowq)
# io-wq caps its bounded workers (8 were seen for 16 requests): at least 4.
check_ge "io_uring created io-wq workers (asked for $W, got ${w:-none})" 4 "${w:-0}"
# The creation hook's event names each new task by pid, io-wq workers too.
given=0
for tid in $(sed -n 's/^tids//p' /tmp/newtasks.iowq); do
	grep -q "kgraft_task_switch: pid=$tid .*path=fork" $TRACE/trace && given=$((given + 1))
done
check_eq "each io-wq worker got its state when created (kgraft_task_switch path=fork)" \
	"${w:-0}" "$given"
diag "task_states $s0 -> $s1 around the io_uring start"
wait $iowq
check_eq "every io_uring read completed" "completed $W" "$(tail -n1 /tmp/newtasks.iowq)"
echo 100 > $PARAM/sweep_interval_ms
wake_sleepers
wait $SLEEPER
wait_done $PT 30 && ok "transition completes" ||
	fail "transition completes" "transition 0" "$(tr '\n' ';' < $KG/$PT/pending)"
check_eq "sleeper ran the old chain unmixed" "versions 1 1 1 1 mixed 0" \
	"$(cat /tmp/newtasks.sleeper)"

# Forks that find no memory for their state, while a transition is open
# and threads hammer the chain.
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30
start_sleeper /tmp/newtasks.sleeper 60000 ||
	{ fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
nomem0=$(stat $PT fork_nomem)
check_eq "enable accepted with forks failing" 0 "$(sysfs_write $KG/$PT/enabled 1)"
echo 8 > $PARAM/inject_fork_nomem
rm -f /tmp/newtasks.stop
$TOOLS/hammer -t 4 -f /tmp/newtasks.stop > /tmp/newtasks.hammer &
hammer=$!
$TOOLS/forker 200 >/dev/null
sleep 1
check_eq "every injected failure was used" 0 "$(cat $PARAM/inject_fork_nomem)"
check_ge "forks without a state were counted" $((nomem0 + 8)) "$(stat $PT fork_nomem)"
wake_sleepers
wait $SLEEPER
if wait_done $PT 30; then ok "transition completes after stateless forks"; else
	fail "transition completes after stateless forks" "transition 0" \
		"$(tr '\n' ';' < $KG/$PT/pending)"
fi
touch /tmp/newtasks.stop
wait $hammer
check_eq "no mixed chain across stateless forks" 0 \
	"$(awk '{ for (i = 1; i < NF; i++) if ($i == "mixed") print $(i + 1) }' /tmp/newtasks.hammer)"
diag "hammer: $(cat /tmp/newtasks.hammer); stats: $(tr '\n' ' ' < $KG/$PT/stats)"
check_eq "nothing was forced" 0 "$(stat $PT forced)"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30
check_cmd "patch module unloads" rmmod kgraft_patch_target
