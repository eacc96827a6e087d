#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: a task asleep inside a function being patched keeps the transition
# open, is named by the pending file, and the transition completes by itself
# once it leaves; meanwhile the patch module cannot be unloaded.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

trap 'unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

out=/tmp/kgraft-sleeper.out
start_sleeper $out || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 2
check_eq "transition still open while the sleeper sleeps" 1 "$(cat $KG/$PT/transition)"
# The hybrid names the patched function on the sleeper's stack; the 2014
# model looks at no stack.
func=-
[ "$KGRAFT_STRATEGY" = kgraft_sweep ] && func=kgraft_target_f1
check_eq "pending names the sleeper ($func)" \
	"$SLEEPER sleeper $func" "$(grep "^$SLEEPER " $KG/$PT/pending)"
check_eq "only the sleeper is pending" 1 "$(wc -l < $KG/$PT/pending)"

# delete_module(2) itself, not rmmod's own refcount check.
unload_err() { $TOOLS/sysw -d kgraft_patch_target; }
check_eq "delete_module of the patch during the transition fails (EWOULDBLOCK)" 11 "$(unload_err)"
check_cmd "patch module still loaded" test -d /sys/module/kgraft_patch_target
check_eq "transition unaffected by the unload attempt" 1 "$(cat $KG/$PT/transition)"

wake_sleepers
wait $SLEEPER
check_eq "sleeper's call ran the old chain unmixed" "versions 1 1 1 1 mixed 0" "$(cat $out)"
if wait_done $PT 20; then ok "transition completes once the sleeper left"; else
	fail "transition completes once the sleeper left" "transition 0" \
		"$(cat $KG/$PT/pending | tr '\n' ';')"
fi
check_eq "nothing was forced" 0 "$(stat $PT switched_force)"
check_model_paths $PT "patching"
check_ge "a fake signal was sent to the sleeper after its delay" 1 "$(stat $PT signals_sent)"
if [ "$KGRAFT_STRATEGY" = kgraft_sweep ]; then
	check_eq "the sweep ran more than once meanwhile, no 2014 check" "ok 0" \
		"$([ "$(stat $PT sweeps)" -ge 2 ] && echo ok) $(stat $PT checks)"
else
	check_eq "checks ran more than once meanwhile, no sweep" "ok 0" \
		"$([ "$(stat $PT checks)" -ge 2 ] && echo ok) $(stat $PT sweeps)"
fi
diag "stats: $(tr '\n' ' ' < $KG/$PT/stats)"

check_eq "delete_module while enabled fails too" 11 "$(unload_err)"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 30
check_eq "reverted" 0 "$(cat $KG/$PT/enabled)"
check_cmd "patch module unloads once reverted" rmmod kgraft_patch_target
trap - EXIT
unload_all
