#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klp strategy: kgraft's transition and pending files follow livepatch's
# transition for its whole length, in both directions. 100 tasks asleep
# inside kgraft_target_f1 (old code while patching, new code while
# unpatching) hold livepatch's transition open past its 15 s signal point
# ("signaling remaining tasks"); they are woken after it. While livepatch's
# transition file reads 1, kgraft's transition must read 1 and its pending
# file and pending_tasks must be non-zero; a write to enabled during the
# transition must return at once (EBUSY for the same value, a reversal for
# the opposite one), never wait for livepatch to finish.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

N=100
EBUSY=16
LP=/sys/kernel/livepatch
trap 'unload_all' EXIT

napping() { $TOOLS/tstat | awk '{ print $NF }'; }
signals() { dmesg | grep -c 'livepatch: signaling remaining tasks'; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
lp_transition() { local v=gone; read -r v 2>/dev/null < $LP/$PT/transition; echo $v; }

# start_sleepers: N sleepers asleep in kgraft_target_f1 (50 s, or woken).
start_sleepers() {
	local n0 i
	n0=$(napping)
	for i in $(seq $N); do
		$TOOLS/sleeper 50000 > /dev/null &
	done
	wait_for 60 napping_above $((n0 + N - 1))
}

# timed_write FILE VALUE: "errno ms" of one write.
timed_write() {
	local t0 r
	t0=$(now_ms)
	r=$(sysfs_write "$1" "$2")
	echo "$r $(($(now_ms) - t0))"
}

# sample: one look at both sides. Livepatch's transition is read before
# and after kgraft's files; LP is "1" only if it read 1 both times. BAD is
# what kgraft showed if it disagreed with livepatch being in transition.
sample() {
	local lp1 lp2 kg pend pt lines
	lp1=$(lp_transition)
	read -r kg < $KG/$PT/transition
	mapfile -t lines < $KG/$PT/pending
	pend=${#lines[@]}
	pt=$(stat $PT pending_tasks)
	PP=$(awk '$1 == "pending_tasks" { print $2 }' $KG/$PT/progress)
	lp2=$(lp_transition)
	LP_NOW=$lp2
	BAD=""
	[ "$lp1$lp2" = 11 ] || return 0
	if [ "$kg" != 1 ] || [ "$pend" = 0 ] || [ "$pt" = 0 ]; then
		BAD="transition $kg, pending lines $pend, pending_tasks $pt"
	fi
}

# watch WHAT SAME: sample until livepatch has sent its signals (and 1 s
# more), checking kgraft against livepatch all along; at 5 s write SAME
# (the value just written) to enabled.
watch() {
	local what=$1 same=$2 s0 t0 t bad="" badp="" n=0 wrote="" sig_at=0
	s0=$(signals)
	t0=$(now_ms)
	while :; do
		t=$(($(now_ms) - t0))
		sample
		[ "$LP_NOW" = 1 ] || break
		n=$((n + 1))
		[ -z "$bad" ] && [ -n "$BAD" ] && bad="at $t ms: $BAD"
		[ -z "$badp" ] && [ "${PP:--1}" -lt 1 ] &&
			badp="at $t ms: progress says pending_tasks ${PP:-(none)}"
		if [ -z "$wrote" ] && [ $t -ge 5000 ]; then
			wrote=$(timed_write $KG/$PT/enabled "$same")
		fi
		if [ $sig_at = 0 ] && [ "$(signals)" -gt "$s0" ]; then
			sig_at=$t
		fi
		[ $sig_at != 0 ] && [ $t -ge $((sig_at + 1000)) ] && break
		[ $t -ge 30000 ] && break
		sleep 0.25
	done
	diag "$what: $n samples in livepatch's transition over $t ms; signals at $sig_at ms"
	check_ge "$what: livepatch still in transition after its signals (sleepers hold it)" 1 "$sig_at"
	check_eq "$what: while livepatch's transition reads 1, kgraft's reads 1 and pending is non-zero" \
		"" "$bad"
	check_eq "$what: progress counts the sleepers without the core's mutex" "" "$badp"
	check_eq "$what: writing $same again during the transition: EBUSY" $EBUSY "${wrote% *}"
	check_le "$what: ... returned at once (ms)" 1000 "${wrote#* }"
}

# finish WHAT: sleepers woken; kgraft agrees with livepatch until livepatch
# completes (its next retry, up to a second after the last task switched);
# kgraft's transition ends within 3 s of livepatch's.
finish() {
	local what=$1 t0 t lp_ms kg_ms bad="" n=0
	wake_sleepers
	t0=$(now_ms)
	while :; do
		t=$(($(now_ms) - t0))
		sample
		[ "$LP_NOW" = 1 ] || break
		n=$((n + 1))
		[ -z "$bad" ] && [ -n "$BAD" ] && bad="at $t ms after the wake: $BAD"
		[ $t -ge 20000 ] && break
	done
	lp_ms=$(($(now_ms) - t0))
	wait_done $PT 20
	kg_ms=$(($(now_ms) - t0))
	diag "$what: after the wake, $n samples; livepatch done by $lp_ms ms, kgraft at $kg_ms ms"
	check_eq "$what: after the wake, while livepatch's transition reads 1, kgraft's reads 1 and pending is non-zero" \
		"" "$bad"
	check_le "$what: kgraft's transition ends within 3 s of livepatch's" $((lp_ms + 3000)) "$kg_ms"
	wait
}

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
p0=$(dmesg | grep -cE 'WARNING:|BUG:|Oops|Call Trace:')
insmod "$(ko kgraft)" && insmod "$(ko kgraft_target)" && load_strategy klp &&
	insmod "$(ko kgraft_patch_target)" strategy=klp ||
	{ fail "load kgraft, target, kgraft_klp, patch" "insmod ok" "failed"; exit 1; }

# Patching, held by sleepers in the old f1.
start_sleepers || { fail "$N sleepers asleep in f1" "napping" "$(napping)"; exit 1; }
r=$(timed_write $KG/$PT/enabled 1)
check_eq "enable accepted" 0 "${r% *}"
check_le "... at once (ms)" 1000 "${r#* }"
watch "patching" 1
finish "patching"
check_eq "enabled reads 1, livepatch's too" "1 1" "$(cat $KG/$PT/enabled) $(cat $LP/$PT/enabled)"
check_eq "calls see v2" "calls 200 mixed 0 all_v1 0 all_v2 200 other 0" \
	"$($TOOLS/hammer -t 1 -n 200 -e 2)"

# Unpatching, held by sleepers in the new f1.
start_sleepers || { fail "$N sleepers asleep in the new f1" "napping" "$(napping)"; exit 1; }
r=$(timed_write $KG/$PT/enabled 0)
check_eq "disable accepted" 0 "${r% *}"
check_le "... at once (ms)" 1000 "${r#* }"
watch "unpatching" 0
finish "unpatching"
check_eq "enabled reads 0" 0 "$(cat $KG/$PT/enabled)"
check_cmd "the klp patch is gone" test ! -e $LP/$PT
check_eq "calls see v1" "calls 200 mixed 0 all_v1 200 all_v2 0 other 0" \
	"$($TOOLS/hammer -t 1 -n 200 -e 1)"

# A patching held open and reversed: the write returns at once and both
# sides follow the reversal (the sleepers in the old f1 do not hold it).
start_sleepers || { fail "$N sleepers asleep in f1" "napping" "$(napping)"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 2
check_eq "held: kgraft and livepatch in transition" "1 1" \
	"$(cat $KG/$PT/transition) $(lp_transition)"
r=$(timed_write $KG/$PT/enabled 0)
check_eq "reversal accepted" 0 "${r% *}"
check_le "... at once (ms)" 1000 "${r#* }"
if wait_done $PT 20; then ok "reversed transition completes"; else
	fail "reversed transition completes" "transition 0 within 20 s" \
		"livepatch transition $(lp_transition)"
fi
check_cmd "the klp patch is gone" test ! -e $LP/$PT
check_eq "enabled reads 0" 0 "$(cat $KG/$PT/enabled)"
wake_sleepers
wait

check_eq "no WARNING, BUG or Oops in the kernel log" "$p0" \
	"$(dmesg | grep -cE 'WARNING:|BUG:|Oops|Call Trace:')"
trap - EXIT
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
