#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klp strategy: the same kgraft patches applied through upstream livepatch
# (klp_enable_patch). Both patches apply and revert several times under
# load (a fresh klp_patch per enable, so re-enabling works), no call sees a
# mixed chain, the kgraft files and events report the transitions, a
# sleeper in f1 holds a patching open so it can be reversed and forced,
# and the modules' references hold while they must.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

CYCLES=2
N=20000
EINVAL=22
EBUSY=16
EWOULDBLOCK=11
LP=/sys/kernel/livepatch
stop=/tmp/klp.stop
out=/tmp/klp.hammer
sout=/tmp/klp.sleeper
trap 'touch $stop; wait; unload_all' EXIT

problems() { dmesg | grep -cE 'WARNING:|BUG:|Oops|Call Trace:' ; }
vcalls() { cat /sys/module/kgraft_patch_vmlinux/parameters/calls; }
lp_files() { cat $LP/$1/enabled $LP/$1/transition 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
ms() { echo $(( $1 / 1000000 )); }

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
p0=$(problems)
insmod "$(ko kgraft)" && insmod "$(ko kgraft_target)" loop_kthread=1 ||
	{ fail "load kgraft and the target" "insmod ok" "failed"; exit 1; }
check_eq "strategy=klp refused while kgraft_klp is not loaded" $EINVAL \
	"$($TOOLS/sysw -i "$(ko kgraft_patch_target)" strategy=klp)"
load_strategy klp ||
	{ fail "load kgraft_klp" "insmod ok" "failed"; exit 1; }
insmod "$(ko kgraft_patch_target)" strategy=klp &&
	insmod "$(ko kgraft_patch_vmlinux)" ||
	{ fail "load both patches" "insmod ok" "failed"; exit 1; }
check_eq "target patch: strategy given at load" klp "$(cat $KG/$PT/strategy)"
check_eq "vmlinux patch: loaded with the default" kgraft "$(cat $KG/$PV/strategy)"
check_eq "vmlinux patch: klp selected through sysfs" 0 "$(sysfs_write $KG/$PV/strategy klp)"
check_eq "vmlinux patch: strategy reads klp" klp "$(cat $KG/$PV/strategy)"
check_eq "kgraft_klp cannot be unloaded while patches select it" $EWOULDBLOCK \
	"$($TOOLS/sysw -d kgraft_klp)"
check_cmd "no livepatch patch before the first enable" test ! -e $LP/$PT

rm -f $stop
nice -n 19 $TOOLS/hammer -t 2 -f $stop > $out &
hammer=$!
sleep 1
applies=""
reverts=""
for c in $(seq $CYCLES); do
	[ "$c" = 1 ] && trace_on
	t0=$(date +%s%N)
	check_eq "cycle $c: target enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
	check_eq "cycle $c: enabled reads 1 at once" 1 "$(cat $KG/$PT/enabled)"
	check_cmd "cycle $c: the patch appears in /sys/kernel/livepatch" test -d $LP/$PT
	if wait_done $PT 60; then ok "cycle $c: patching completes"; else
		fail "cycle $c: patching completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$PT/pending | tr '\n' ';')"
		exit 1
	fi
	t1=$(date +%s%N)
	check_eq "cycle $c: livepatch agrees (enabled, no transition)" "1 0" "$(lp_files $PT)"
	check_eq "cycle $c: enabled reads 1" 1 "$(cat $KG/$PT/enabled)"
	check_eq "cycle $c: nothing pending" "" "$(cat $KG/$PT/pending)"
	check_eq "cycle $c: not forced" 0 "$(stat $PT forced)"
	d=$(stat $PT duration_ns)
	check_ge "cycle $c: stats have the apply's duration" 1 "$d"
	check_le "cycle $c: ... within the wall time seen" $((t1 - t0)) "$d"
	check_ge "cycle $c: tasks at start counted" 10 "$(stat $PT tasks_at_start)"
	applies="$applies $(ms "$d")"
	r=$($TOOLS/hammer -t 1 -n 2000 -e 2)
	check_eq "cycle $c: 2000 calls after the apply all see v2" \
		"calls 2000 mixed 0 all_v1 0 all_v2 2000 other 0" "$r"
	check_eq "cycle $c: rmmod of the enabled patch refused" $EWOULDBLOCK \
		"$($TOOLS/sysw -d $PT)"
	check_eq "cycle $c: strategy change refused while enabled" $EBUSY \
		"$(sysfs_write $KG/$PT/strategy kgraft)"

	# The vmlinux patch on top: two klp patches at once.
	check_eq "cycle $c: vmlinux enable accepted" 0 "$(sysfs_write $KG/$PV/enabled 1)"
	if wait_done $PV 60; then ok "cycle $c: vmlinux patching completes"; else
		fail "cycle $c: vmlinux patching completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$PV/pending | tr '\n' ';')"
		exit 1
	fi
	check_eq "cycle $c: livepatch agrees for vmlinux" "1 0" "$(lp_files $PV)"
	v0=$(vcalls)
	check_eq "cycle $c: getppid answers right when patched" "calls $N wrong 0" \
		"$($TOOLS/getppid $N)"
	check_ge "cycle $c: every getppid ran the replacement" $((v0 + N)) "$(vcalls)"
	check_eq "cycle $c: vmlinux disable accepted" 0 "$(sysfs_write $KG/$PV/enabled 0)"
	if wait_done $PV 60; then ok "cycle $c: vmlinux unpatching completes"; else
		fail "cycle $c: vmlinux unpatching completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$PV/pending | tr '\n' ';')"
		exit 1
	fi
	check_cmd "cycle $c: the vmlinux klp patch is gone" test ! -e $LP/$PV
	v0=$(vcalls)
	check_eq "cycle $c: getppid answers right after revert" "calls $N wrong 0" \
		"$($TOOLS/getppid $N)"
	check_eq "cycle $c: reverted: replacement not called" "$v0" "$(vcalls)"

	t0=$(date +%s%N)
	check_eq "cycle $c: target disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
	check_eq "cycle $c: enabled reads 0 at once" 0 "$(cat $KG/$PT/enabled)"
	if wait_done $PT 60; then ok "cycle $c: unpatching completes"; else
		fail "cycle $c: unpatching completes" "transition 0 within 60 s" \
			"pending: $(head -c 300 $KG/$PT/pending | tr '\n' ';')"
		exit 1
	fi
	t1=$(date +%s%N)
	check_cmd "cycle $c: the klp patch is gone when the transition ends" test ! -e $LP/$PT
	d=$(stat $PT duration_ns)
	check_le "cycle $c: revert duration within the wall time seen" $((t1 - t0)) "$d"
	reverts="$reverts $(ms "$d")"
	r=$($TOOLS/hammer -t 1 -n 2000 -e 1)
	check_eq "cycle $c: 2000 calls after the revert all see v1" \
		"calls 2000 mixed 0 all_v1 2000 all_v2 0 other 0" "$r"
	if [ "$c" = 1 ]; then
		trace_off
		ev=$(grep -cE "kgraft_transition_(start|end): patch=$PT " $TRACE/trace)
		check_eq "cycle 1: 2 transition_start and 2 transition_end events" 4 "$ev"
		check_cmd "cycle 1: kernel log names the strategy" \
			sh -c "dmesg | grep -q '$PT: unpatching completed by klp'"
	fi
done
diag "apply (ms):$applies; revert (ms):$reverts"
n=$(stat $PT tasks_at_start)
check_ge "switched_klp: the tasks present at completion (~$n at start)" $((n * 9 / 10)) \
	"$(stat $PT switched_klp)"
check_eq "no other path counted (livepatch's own are not observable)" 0 \
	"$(( $(stat $PT switched_sweep) + $(stat $PT switched_syscall) + $(stat $PT switched_stop) ))"

# Rapid alternating writes: each is the opposite of the last, so each is
# accepted, as a reversal while livepatch is still in the transition or
# as a new transition once it completed (a fresh klp_patch for an enable).
bad=0
for i in $(seq 6); do
	v=$((i % 2))
	r=$(sysfs_write $KG/$PT/enabled $v)
	[ "$r" = 0 ] || { bad=$((bad + 1)); diag "write $i ($v): errno $r"; }
	sleep 0.$((i % 3 * 4))
done
check_eq "6 alternating writes all accepted" 0 "$bad"
if wait_done $PT 60; then ok "the last transition completes"; else
	fail "the last transition completes" "transition 0 within 60 s" \
		"pending: $(head -c 300 $KG/$PT/pending | tr '\n' ';')"
	exit 1
fi
check_eq "ends disabled, as the last write asked" 0 "$(cat $KG/$PT/enabled)"
check_cmd "no klp patch left" test ! -e $LP/$PT
r=$($TOOLS/hammer -t 1 -n 2000 -e 1)
check_eq "2000 calls after it all see v1" \
	"calls 2000 mixed 0 all_v1 2000 all_v2 0 other 0" "$r"

# Reverse: a sleeper in (old) f1 holds the patching open; turned into an
# unpatching, which the sleeper does not block.
start_sleeper $sout || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 3
check_eq "patching held open by the sleeper" 1 "$(cat $KG/$PT/transition)"
check_eq "livepatch shows the transition too" "1 1" "$(lp_files $PT)"
check_eq "pending names the sleeper in kgraft_target_f1" \
	"$SLEEPER sleeper kgraft_target_f1" "$(grep "^$SLEEPER " $KG/$PT/pending)"
check_eq "strategy change refused during a transition" $EBUSY \
	"$(sysfs_write $KG/$PT/strategy kgraft)"
check_eq "enabled <- 1 again refused (busy)" $EBUSY "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "writing 0 reverses the running transition" 0 "$(sysfs_write $KG/$PT/enabled 0)"
check_eq "enabled reads 0 at once" 0 "$(cat $KG/$PT/enabled)"
if wait_done $PT 30; then ok "reversed transition completes"; else
	fail "reversed transition completes" "transition 0 within 30 s" \
		"$(head -c 300 $KG/$PT/pending | tr '\n' ';')"
fi
check_cmd "it completed while the sleeper still sleeps" napping_above 0
check_cmd "the klp patch is gone" test ! -e $LP/$PT
r=$($TOOLS/hammer -t 1 -n 1000 -e 1)
check_eq "calls after the reversal see v1" "calls 1000 mixed 0 all_v1 1000 all_v2 0 other 0" "$r"
wake_sleepers
wait $SLEEPER
check_eq "sleeper's call unmixed" "versions 1 1 1 1 mixed 0" "$(cat $sout)"

# Reverse twice, then force.
start_sleeper $sout || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "reverse once" 0 "$(sysfs_write $KG/$PT/enabled 0)"
check_eq "reverse again" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "enabled reads 1" 1 "$(cat $KG/$PT/enabled)"
sleep 3
check_eq "still held by the sleeper" 1 "$(cat $KG/$PT/transition)"
check_eq "livepatch: enabled, in transition" "1 1" "$(lp_files $PT)"
check_eq "force accepted" 0 "$(sysfs_write $KG/$PT/force 1)"
if wait_done $PT 10; then ok "forced transition completes (at livepatch's next retry)"; else
	fail "forced transition completes (at livepatch's next retry)" \
		"transition 0 within 10 s" "$(head -c 300 $KG/$PT/pending | tr '\n' ';')"
fi
check_eq "enabled after force" 1 "$(cat $KG/$PT/enabled)"
check_eq "stats say forced" 1 "$(stat $PT forced)"
check_cmd "loud warning in the kernel log" sh -c "dmesg | grep -q 'kgraft_klp: $PT: FORCING'"
wake_sleepers
wait $SLEEPER
check_eq "forced sleeper finished its call in v2 after old f1" \
	"versions 1 2 2 2 mixed 1" "$(cat $sout)"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
wait_done $PT 60 || fail "unpatching after force completes" "transition 0" "1"
check_eq "not forced" 0 "$(stat $PT forced)"

touch $stop
wait $hammer
read -r _ calls _ mixed _ v1 _ v2 _ other < $out
diag "hammer: $(cat $out)"
check_eq "no mixed chain among the hammer's calls" 0 "$mixed"
check_ge "hammer made at least 100000 checked calls" 100000 "$calls"
check_ge "hammer saw v1 chains" 1 "$v1"
check_ge "hammer saw v2 chains" 1 "$v2"
check_eq "hammer saw no other version" 0 "$other"
read -r _ kcalls _ kmixed _ <<< "$($TOOLS/tstat)"
diag "kthread: $kcalls calls, $kmixed mixed"
check_ge "kthread looped through the chain" 100 "$kcalls"
check_eq "kthread never saw a mixed chain" 0 "$kmixed"

check_cmd "target patch module unloads after the revert" rmmod $PT
check_eq "kgraft_klp still held by the vmlinux patch" $EWOULDBLOCK \
	"$($TOOLS/sysw -d kgraft_klp)"
check_cmd "vmlinux patch module unloads" rmmod $PV
check_cmd "kgraft_klp unloads once no patch selects it" rmmod kgraft_klp
check_eq "no WARNING, BUG or Oops in the kernel log" "$p0" "$(problems)"
trap - EXIT
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
