#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft, the 2014 model: no task is switched by looking at its stack. A
# user task that never makes a syscall switches on its way back to user
# mode once the fake signal reaches it; kthreads switch at the top of their
# main loop (the target's looping and busy kthreads, and the kernel's own);
# idle tasks under their CPU's step; a zombie, which will never run again,
# at a check. A kthread that never reaches its
# loop's top keeps the transition open and is named in pending; a
# reversal then completes at once, since it never left the old universe.
# A patch of a function a safe point sits in is refused.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

EINVAL=22
stop=/tmp/kgraft-model.stop
trap 'touch $stop; kill $spin $zparent 2>/dev/null; wait; trace_off; unload_all; rmmod kgraft_patch_refused 2>/dev/null' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
KGRAFT_STRATEGY=kgraft
load_target loop_kthread=1 busy_kthreads=2 ||
	{ fail "load kgraft, target (looping, busy kthreads), patch" "insmod ok" "failed"; exit 1; }
check_eq "the patch's strategy is kgraft" kgraft "$(cat $KG/$PT/strategy)"
rm -f $stop
nice -n 19 $TOOLS/hammer -t 1 -f $stop > /tmp/kgraft-model.hammer &
hammer=$!
$TOOLS/spin &
spin=$!
# A zombie: its parent execs into a sleep and never reaps it.
sh -c 'sleep 0 & exec sleep 120' &
zparent=$!
sleep 1
zombie=$(ps -eo pid=,ppid=,stat= | awk -v p=$zparent '$2 == p && $3 ~ /^Z/ { print $1 }')
kpid=$(grep -lx kgraft_target_loop /proc/[0-9]*/comm | cut -d/ -f3)
bpids=$(grep -lx 'kgraft_busy/[0-9]*' /proc/[0-9]*/comm | cut -d/ -f3 | sort -n | tr '\n' ' ')

trace_on
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
if wait_done $PT 30; then ok "patching completes (spinner, busy kthreads)"; else
	fail "patching completes (spinner, busy kthreads)" "transition 0 within 30 s" \
		"$(tr '\n' ';' < $KG/$PT/pending)"
fi
trace_off
t=$(grep kgraft_task_switch $TRACE/trace)
path_of() { echo "$t" | grep -o "pid=$1 comm=.* path=[a-z_]*" | grep -o 'path=.*'; }
diag "stats: $(tr '\n' ' ' < $KG/$PT/stats)"
check_eq "no task switched by a stack check (sweep, kthread paths)" "0 0 0" \
	"$(stat $PT switched_sweep) $(stat $PT switched_kthread) $(stat $PT sweeps)"
check_ge "checks ran" 1 "$(stat $PT checks)"
check_eq "spinner switched on its way back to user mode" "path=user_return" "$(path_of $spin)"
check_ge "a fake signal was sent (the spinner's)" 1 "$(stat $PT signals_sent)"
check_eq "looping kthread switched at its loop's safe point" "path=safepoint" "$(path_of $kpid)"
check_eq "zombie ${zombie:-(none)} switched as dead" "path=dead" "$(path_of "${zombie:-none}")"
b=$(for p in $bpids; do path_of $p; done | sort -u | tr '\n' ' ')
check_eq "busy kthreads ($bpids) switched at their loop's safe point" "path=safepoint " "$b"
kthreads=$(ps -eo pid=,ppid= | awk '$2 == 2 || $1 == 2 { print $1 }' | wc -l)
check_ge "the kernel's kthreads switched there too ($kthreads kthreads)" \
	$((kthreads - 1)) "$(stat $PT switched_safepoint)"
check_eq "every idle task switched under its CPU's step" "$(nproc)" \
	"$(echo "$t" | grep -c 'path=idle target=1')"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
if wait_done $PT 30; then ok "unpatching completes"; else
	fail "unpatching completes" "transition 0 within 30 s" "$(tr '\n' ';' < $KG/$PT/pending)"
fi
check_eq "unpatching: no switch by a stack check" "0 0" \
	"$(stat $PT switched_sweep) $(stat $PT switched_kthread)"
kill $spin $zparent
touch $stop
wait $hammer
check_eq "hammer saw no mixed chain" 0 \
	"$(awk '{ for (i = 1; i < NF; i++) if ($i == "mixed") print $(i + 1) }' /tmp/kgraft-model.hammer)"
read -r _ _ _ kmixed _ <<< "$($TOOLS/tstat)"
check_eq "looping kthread never saw a mixed chain" 0 "$kmixed"
rmmod kgraft_patch_target && rmmod kgraft_target

# A kthread that waits and asks whether to stop only below its main
# function never reaches a safe point.
insmod "$(ko kgraft_target)" nosafe_kthread=1 && insmod "$(ko kgraft_patch_target)" ||
	{ fail "load target (nosafe kthread), patch" "insmod ok" "failed"; exit 1; }
npid=$(grep -lx kgraft_nosafe /proc/[0-9]*/comm | cut -d/ -f3)
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
sleep 3
check_eq "transition held open" 1 "$(cat $KG/$PT/transition)"
check_eq "pending names the kthread with no safe point, and only it" "$npid kgraft_nosafe -" \
	"$(cat $KG/$PT/pending)"
check_eq "pending_tasks agrees" 1 "$(stat $PT pending_tasks)"
check_eq "reverse accepted" 0 "$(sysfs_write $KG/$PT/enabled 0)"
if wait_done $PT 10; then ok "reversal completes: it never left the old universe"; else
	fail "reversal completes: it never left the old universe" "transition 0" \
		"$(tr '\n' ';' < $KG/$PT/pending)"
fi
check_eq "nothing forced" 0 "$(stat $PT forced)"
rmmod kgraft_patch_target && rmmod kgraft_target

# A patch of msleep (a kthread safe point): registers, but kgraft refuses
# to apply it, naming the function; the state is untouched.
ko=$(ko kgraft_patch_refused)
dmesg -C
check_eq "a patch of msleep registers" 0 "$($TOOLS/sysw -i "$ko" fault=safepoint)"
check_eq "kgraft refuses to enable it (EINVAL)" $EINVAL \
	"$(sysfs_write $KG/kgraft_patch_refused/enabled 1)"
check_eq "still disabled, no transition" "0 0" \
	"$(cat $KG/kgraft_patch_refused/enabled) $(cat $KG/kgraft_patch_refused/transition)"
check_eq "kernel log names the function" 1 \
	"$(dmesg | grep -c 'kgraft: kgraft_patch_refused: msleep holds a safe point of the kgraft model')"
check_cmd "the refused patch unloads" rmmod kgraft_patch_refused

trap - EXIT
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
