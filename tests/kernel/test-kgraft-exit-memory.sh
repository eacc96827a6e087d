#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: the state of a task that exits during a transition is freed while
# the transition goes on (after every CPU has passed a point where no
# handler can still read it), not kept until the transition ends: a fork
# storm under a transition held open by a sleeper leaves memory flat.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

N=4000
trap 'unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

start_sleeper /tmp/exitmem.sleeper 60000 ||
	{ fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 1
u0=$(stat $PT task_states_unfreed)
for i in 1 2 3 4; do
	$TOOLS/forker $((N / 4)) >/dev/null
done
sleep 2
u1=$(stat $PT task_states_unfreed)
check_eq "transition still open" 1 "$(cat $KG/$PT/transition)"
check_le "states of exited tasks freed during the transition ($u0 -> $u1 after $N exits)" \
	100 "$u1"
diag "stats: $(tr '\n' ' ' < $KG/$PT/stats)"
wake_sleepers
wait $SLEEPER
wait_done $PT 30 && ok "transition completes" ||
	fail "transition completes" "transition 0" "$(tr '\n' ';' < $KG/$PT/pending)"
check_model_paths $PT "patching"
check_eq "no state left after the transition" "0 0" \
	"$(stat $PT task_states) $(stat $PT task_states_unfreed)"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30
check_cmd "patch module unloads" rmmod kgraft_patch_target
