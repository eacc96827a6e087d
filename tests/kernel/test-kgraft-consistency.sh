#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: apply and revert the v2 chain while threads hammer it and the
# target's kthread loops through it: no call may ever see a mixed chain,
# calls after completion see v2, calls after revert see v1.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

CYCLES=2
stop=/tmp/kgraft-consistency.stop
out=/tmp/kgraft-consistency.out
trap 'touch $stop; wait; unload_all' EXIT

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target loop_kthread=1 || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

rm -f $stop
nice -n 19 $TOOLS/hammer -t 2 -f $stop > $out &
hammer=$!
sleep 1
slow_before=0
for c in $(seq $CYCLES); do
	check_eq "cycle $c: enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
	if wait_done $PT 60; then ok "cycle $c: patching completes"; else
		fail "cycle $c: patching completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$PT/pending | tr '\n' ';')"
		exit 1
	fi
	check_eq "cycle $c: enabled reads 1" 1 "$(cat $KG/$PT/enabled)"
	check_model_paths $PT "cycle $c: patching"
	check_eq "cycle $c: no task state left" 0 "$(stat $PT task_states)"
	r=$($TOOLS/hammer -t 1 -n 2000 -e 2)
	check_eq "cycle $c: 2000 calls after completion all see v2" \
		"calls 2000 mixed 0 all_v1 0 all_v2 2000 other 0" "$r"
	check_eq "cycle $c: disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
	if wait_done $PT 60; then ok "cycle $c: unpatching completes"; else
		fail "cycle $c: unpatching completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$PT/pending | tr '\n' ';')"
		exit 1
	fi
	check_model_paths $PT "cycle $c: unpatching"
	r=$($TOOLS/hammer -t 1 -n 2000 -e 1)
	check_eq "cycle $c: 2000 calls after revert all see v1" \
		"calls 2000 mixed 0 all_v1 2000 all_v2 0 other 0" "$r"
	slow=$(stat $PT slow_calls)
	check_ge "cycle $c: calls went through the slow handler" $((slow_before + 1)) "$slow"
	slow_before=$slow
done
touch $stop
wait $hammer
read -r _ calls _ mixed _ v1 _ v2 _ other < $out
diag "hammer: $(cat $out)"
check_eq "no mixed chain among the hammer's calls" 0 "$mixed"
check_ge "hammer made at least 200000 checked calls" 200000 "$calls"
check_ge "hammer saw v1 chains" 1 "$v1"
check_ge "hammer saw v2 chains" 1 "$v2"
check_eq "hammer saw no other version" 0 "$other"
check_ge "fast handler used while patched" 1 "$(stat $PT fast_calls)"

read -r _ kcalls _ kmixed _ l1 l2 l3 l4 _ running <<< "$($TOOLS/tstat)"
diag "kthread: $kcalls calls, $kmixed mixed, last $l1 $l2 $l3 $l4"
check_ge "kthread looped through the chain" 100 "$kcalls"
check_eq "kthread never saw a mixed chain" 0 "$kmixed"
check_eq "kthread's last chain is v1 after revert" "1 1 1 1" "$l1 $l2 $l3 $l4"

trap - EXIT
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
