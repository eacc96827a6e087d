#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep stop_machine immediate klp
# The patch life cycle as vendors ship it, under each strategy, while
# threads hammer the chain: v3 stacked on v2 (the newest wins, disabling it
# falls back to v2, not the original); callbacks once per transition, in
# order, a refusing pre_patch changing nothing, a reversed enable ending in
# post_unpatch; v3 cumulative without f4 replacing v2 (f4 back to v1, v2
# disabled and unloadable). No call may see a chain that is not a state
# the system passes through.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

S=$KGRAFT_STRATEGY
P3=kgraft_patch_target_v3
EPERM=1
EINVAL=22
EBUSY=16
stop=/tmp/lifecycle.stop
out=/tmp/lifecycle.hammer
sout=/tmp/lifecycle.sleeper
LP=/sys/kernel/livepatch
trap 'kill -CONT $hammer 2>/dev/null; touch $stop; wait_sleepers; wait; rmmod $P3 2>/dev/null; unload_all' EXIT

wait_sleepers() { [ -e /dev/kgraft_target ] && wake_sleepers 2>/dev/null; }
cblog() { cat /sys/module/$P3/parameters/callbacks; }
# chain N: N calls, one line "chains ABCD N ..." of what they saw.
chain() { $TOOLS/hammer -t 1 -n "$1" -p | sed -n 's/^chains //p'; }
# stack FUNC: the patches on kgraft_target's FUNC, newest first ("-": none).
stack() {
	awk -v f="$1" '$2 == f { $1 = ""; $2 = ""; print; found = 1 }
		END { if (!found) print "-" }' $KG/stacks | sed 's/^ *//'
}
enable() {
	check_eq "$1: write $2 to enabled accepted" 0 "$(sysfs_write $KG/$1/enabled "$2")"
	if wait_done "$1" 60; then ok "$1: transition to $2 completes"; else
		fail "$1: transition to $2 completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$1/pending | tr '\n' ';')"
		exit 1
	fi
}
# unload_patch MODULE WHAT: it unloads. Under immediate only once a
# rescan proves no task in its code, which a task on a CPU leaves
# unproven: the hammer's threads, always running, are stopped meanwhile
# (a stopped task waits at its return to user space, outside the chain).
unloaded() { [ "$($TOOLS/sysw -d "$1")" = 0 ]; }
unload_patch() {
	[ "$S" = immediate ] && kill -STOP $hammer 2>/dev/null
	if wait_for 20 unloaded "$1"; then ok "$2 module unloads"; else
		fail "$2 module unloads" "delete_module ok within 20 s" \
			"errno $($TOOLS/sysw -d "$1")"
	fi
	[ "$S" = immediate ] && kill -CONT $hammer 2>/dev/null
	true
}
# own_redirection: klp stacks through livepatch, not kgraft's stacks file.
klp() { [ "$S" = klp ]; }

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_core && insmod "$(ko kgraft_target)" loop_kthread=1 ||
	{ fail "load kgraft and the target" "insmod ok" "failed"; exit 1; }
case $S in kgraft | kgraft_sweep) ;; *) load_strategy "$S" ||
	{ fail "load strategy $S" "insmod ok" "failed"; exit 1; } ;; esac
insmod "$(ko kgraft_patch_target)" strategy="$S" &&
	insmod "$(ko $P3)" strategy="$S" ||
	{ fail "load v2 and v3 (stacked) with strategy $S" "insmod ok" "failed"; exit 1; }

rm -f $stop
nice -n 19 $TOOLS/hammer -t 2 -f $stop -p > $out &
hammer=$!
sleep 1

# Stacking.
enable $PT 1
check_eq "v2 alone: calls see v2" "2222 500" "$(chain 500)"
enable $P3 1
check_eq "v3 on v2: calls see v3" "3333 500" "$(chain 500)"
if klp; then
	check_eq "livepatch has both patches enabled" "1 1" \
		"$(cat $LP/$PT/enabled $LP/$P3/enabled | tr '\n' ' ' | sed 's/ $//')"
else
	check_eq "stacks: f1 has v3 over v2" "$P3:fast $PT:fast" "$(stack kgraft_target_f1)"
	check_eq "bench list stacks shows the four stacks" 4 \
		"$("$KGRAFT_BUILD/bench" list stacks | grep -cE "^  kgraft_target +kgraft_target_f[1-4] +$P3:fast $PT:fast\$")"
fi
enable $P3 0
check_eq "v3 disabled: the fallback is v2, not the original" "2222 500" "$(chain 500)"
check_eq "v2 still enabled" 1 "$(cat $KG/$PT/enabled)"
klp || check_eq "stacks: f1 has v2 alone again" "$PT:fast" "$(stack kgraft_target_f1)"
enable $P3 1
check_eq "v3 again on v2" "3333 500" "$(chain 500)"
enable $P3 0
check_eq "callbacks: one pre and one post per transition, in order" PpUuPpUu "$(cblog)"
enable $PT 0
check_eq "both disabled: calls see v1" "1111 500" "$(chain 500)"
klp || check_eq "stacks: f1 patched by none" - "$(stack kgraft_target_f1)"
unload_patch $P3 "v3"

# A refusing pre_patch changes nothing.
insmod "$(ko $P3)" strategy="$S" refuse=1 ||
	{ fail "load v3 refuse=1" "insmod ok" "failed"; exit 1; }
enable $PT 1
dmesg -C
check_eq "pre_patch refusal: the write fails with its error" $EPERM \
	"$(sysfs_write $KG/$P3/enabled 1)"
check_eq "pre_patch refusal: still disabled, no transition" "0 0" \
	"$(cat $KG/$P3/enabled $KG/$P3/transition | tr '\n' ' ' | sed 's/ $//')"
check_eq "pre_patch refusal: only pre_patch ran (no post for the refuser)" P "$(cblog)"
check_eq "pre_patch refusal: kernel log says who" 1 \
	"$(dmesg | grep -c "kgraft: $P3: pre_patch callback for kgraft_target refused the transition: -1")"
check_eq "pre_patch refusal: calls still see v2" "2222 500" "$(chain 500)"
echo 0 > /sys/module/$P3/parameters/refuse

# A reversed enable ends in post_unpatch, with no pre_unpatch.
case $S in
kgraft | kgraft_sweep | klp)
	start_sleeper $sout 50000 ||
		{ fail "sleeper asleep in f1" "napping" "not"; exit 1; }
	check_eq "reversal: enable accepted" 0 "$(sysfs_write $KG/$P3/enabled 1)"
	check_eq "reversal: held open by the sleeper" 1 "$(cat $KG/$P3/transition)"
	check_eq "reversal: disable accepted mid-transition" 0 "$(sysfs_write $KG/$P3/enabled 0)"
	wake_sleepers
	wait $SLEEPER
	if wait_done $P3 60; then ok "reversal: completes"; else
		fail "reversal: completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$P3/pending | tr '\n' ';')"
		exit 1
	fi
	check_eq "reversal: callbacks pre_patch, post_unpatch" PPu "$(cblog)"
	check_eq "reversal: calls see v2" "2222 500" "$(chain 500)"
	;;
*) skip "reversal" "$S transitions end inside the write" ;;
esac
unload_patch $P3 "v3"

# Cumulative replace: v3 without f4 replaces v2; f4 goes back to v1.
echo 3331 > /sys/module/kgraft_target/parameters/chains
insmod "$(ko $P3)" strategy="$S" replace=1 drop=4 ||
	{ fail "load v3 replace=1 drop=4" "insmod ok" "failed"; exit 1; }
enable $P3 1
check_eq "replace: calls see v3 and the original f4" "3331 500" "$(chain 500)"
check_eq "replace: v2 ends disabled, no transition" "0 0" \
	"$(cat $KG/$PT/enabled $KG/$PT/transition | tr '\n' ' ' | sed 's/ $//')"
if klp; then
	check_cmd "replace: livepatch dropped v2" test ! -e $LP/$PT
else
	check_eq "replace: f1 stack holds v3 alone" "$P3:fast" "$(stack kgraft_target_f1)"
	check_eq "replace: f4 runs the original with no handler" - "$(stack kgraft_target_f4)"
fi
check_eq "replace: v2 refuses a disable (it is off)" $EINVAL "$(sysfs_write $KG/$PT/enabled 0)"
unload_patch $PT "replace: v2"
check_eq "replace: callbacks" Pp "$(cblog)"
enable $P3 0
check_eq "replace reverted: calls see v1" "1111 500" "$(chain 500)"
check_eq "replace reverted: callbacks" PpUu "$(cblog)"
klp || check_eq "replace reverted: nothing patched" "" "$(cat $KG/stacks)"

touch $stop
wait
read -r _ calls _ mixed _ v1 _ v2 _ other < $out
diag "hammer: $(head -n 1 $out); $(sed -n 2p $out)"
check_ge "hammer made calls" 1000 "$calls"
read -r _ _ _ kmixed _ <<< "$($TOOLS/tstat)"
if [ "$S" = immediate ]; then
	# No consistency: a call in flight at a switch may mix versions.
	diag "immediate: $mixed mixed hammer calls, $kmixed in the kthread"
else
	check_eq "no mixed chain among the hammer's calls" 0 "$mixed"
	check_eq "hammer saw only 1111, 2222, 3333, 3331" "" \
		"$(sed -n 's/^chains //p' $out | tr ' ' '\n' | awk 'NR % 2' |
			grep -vxE '1111|2222|3333|3331' | tr '\n' ' ')"
	check_eq "the target's kthread saw no mixed chain" 0 "$kmixed"
fi

# Stacking across redirection means is refused, not faked.
if klp; then
	insmod "$(ko kgraft_patch_target)" ||
		{ fail "load v2 under kgraft" "insmod ok" "failed"; exit 1; }
	enable $PT 1
	dmesg -C
	check_eq "klp over kgraft: refused" $EBUSY "$(sysfs_write $KG/$P3/enabled 1)"
	check_eq "klp over kgraft: kernel log says why" 1 \
		"$(dmesg | grep -c "kgraft: $P3: kgraft_target_f1 is redirected by patch $PT with strategy kgraft, which klp cannot stack on")"
	check_eq "klp over kgraft: v2 unchanged" "2222 500" "$(chain 500)"
	enable $PT 0
fi

trap - EXIT
unload_patch $P3 "v3"
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
