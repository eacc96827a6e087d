#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: 1000 short-lived processes forked and reaped while a transition
# is held open: forks get a state, exits leave none, and the count of
# per-task states is back to zero at the end.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

N=1000
trap 'unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

start_sleeper /dev/null || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 0.5
before=$(stat $PT task_states)
check_eq "forker ran" "forked $N" "$($TOOLS/forker $N)"
check_eq "transition still open" 1 "$(cat $KG/$PT/transition)"
check_ge "forks got their state (switched_fork)" $N "$(stat $PT switched_fork)"
threads=$(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l)
after=$(stat $PT task_states)
diag "task states: $before before the forks, $after after; $threads threads now"
check_le "exited children left no state" $((threads + $(nproc) + 16)) "$after"
check_ge "states still exist mid-transition" 1 "$after"
wake_sleepers
wait $SLEEPER
if wait_done $PT 10; then ok "patching completes after the sleeper"; else
	fail "patching completes after the sleeper" "transition 0" \
		"$(cat $KG/$PT/pending | tr '\n' ';')"
fi
check_eq "per-task state count back to zero" 0 "$(stat $PT task_states)"
check_model_paths $PT "patching"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
if wait_done $PT 30; then ok "unpatching completes"; else
	fail "unpatching completes" "transition 0" "$(cat $KG/$PT/pending | tr '\n' ';')"
fi
check_eq "per-task state count zero after unpatching" 0 "$(stat $PT task_states)"
check_eq "every fork got its state (no allocation failure)" 0 "$(stat $PT fork_nomem)"
trap - EXIT
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
