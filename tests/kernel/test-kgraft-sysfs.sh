#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft: every bad write to /sys/kernel/kgraft/<patch>/ is refused with
# EINVAL or EBUSY and leaves the state as it was; concurrent writers are
# serialised (exactly one wins).
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

EINVAL=22
EBUSY=16
trap 'unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

state() { echo "$(cat $KG/$PT/enabled)/$(cat $KG/$PT/transition)"; }

check_eq "files present" "enabled force pending progress stats strategy transition" \
	"$(ls $KG/$PT | tr '\n' ' ' | sed 's/ $//')"
check_eq "strategy is kgraft (the 2014 model, the default)" kgraft "$(cat $KG/$PT/strategy)"
# pending names tasks and the functions on their stacks: root only.
check_eq "modes: enabled force pending progress stats strategy transition" \
	"644 200 400 444 444 644 444" \
	"$(for f in enabled force pending progress stats strategy transition; do command stat -c %a $KG/$PT/$f; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "an unprivileged user cannot read pending" denied \
	"$(setpriv --reuid=65534 --regid=65534 --clear-groups cat $KG/$PT/pending >/dev/null 2>&1 && echo read || echo denied)"
check_eq "stats names no task (no pid or comm line)" 0 \
	"$(grep -cvE '^[a-z_]+ -?[0-9]+$' $KG/$PT/stats)"
check_eq "starts disabled" "0/0" "$(state)"
check_eq "progress: idle, nothing pending" "transition 0;pending_tasks 0;" \
	"$(grep -E '^(transition|pending_tasks) ' $KG/$PT/progress | tr '\n' ';')"

# Disabled patch: garbage, out of range, no-ops.
for v in garbage 2 -1 " " 1x 0x1 99999999999 "1 1" yes; do
	check_eq "enabled <- '$v' refused" $EINVAL "$(sysfs_write $KG/$PT/enabled "$v")"
done
check_eq "enabled <- 0 while disabled refused" $EINVAL "$(sysfs_write $KG/$PT/enabled 0)"
check_eq "force while no transition refused" $EINVAL "$(sysfs_write $KG/$PT/force 1)"
for v in 0 2 garbage; do
	check_eq "force <- '$v' refused" $EINVAL "$(sysfs_write $KG/$PT/force "$v")"
done
check_eq "state unchanged" "0/0" "$(state)"

# In transition (held by a sleeper): same value again is busy; garbage is
# still invalid; nothing changes.
start_sleeper /dev/null || { fail "sleeper asleep in f1" "napping" "not napping"; exit 1; }
check_eq "enable accepted" 0 "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "in transition" "1/1" "$(state)"
check_eq "enabled <- 1 while patching refused (busy)" $EBUSY "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "enabled <- 5 while patching refused" $EINVAL "$(sysfs_write $KG/$PT/enabled 5)"
check_eq "force <- 0 while patching refused" $EINVAL "$(sysfs_write $KG/$PT/force 0)"
check_eq "state unchanged" "1/1" "$(state)"
# The sleeper holds the transition: progress and stats count the same,
# once the others have switched (under kgraft, user tasks at the fake
# signal after 1 s: until then the count moves between two reads).
only_sleeper() { [ "$(stat $PT pending_tasks)" = 1 ]; }
wait_for 20 only_sleeper || diag "pending: $(tr '\n' ';' < $KG/$PT/pending)"
check_eq "progress: running, started when stats say" \
	"transition 1 start_ns $(stat $PT start_ns) end_ns 0" \
	"$(grep -E '^(transition|start_ns|end_ns) ' $KG/$PT/progress | tr '\n' ' ' | sed 's/ $//')"
check_eq "progress: pending_tasks as in stats" "$(stat $PT pending_tasks)" \
	"$(awk '$1 == "pending_tasks" { print $2 }' $KG/$PT/progress)"
check_ge "progress: the sleeper at least is pending" 1 \
	"$(awk '$1 == "pending_tasks" { print $2 }' $KG/$PT/progress)"
for f in transition pending progress stats strategy; do
	r=$(sysfs_write $KG/$PT/$f 1)
	check_cmd "write to read-only $f refused" test "$r" != 0
done
check_eq "patch still transitioning" "1/1" "$(state)"
wake_sleepers
wait $SLEEPER
wait_done $PT 20
check_eq "patched" "1/0" "$(state)"
check_eq "enabled <- 1 while enabled refused" $EINVAL "$(sysfs_write $KG/$PT/enabled 1)"
check_eq "force while enabled refused" $EINVAL "$(sysfs_write $KG/$PT/force 1)"
check_eq "state unchanged" "1/0" "$(state)"

# Concurrent writers: 8 at once write 0; exactly one starts the unpatching,
# the others are refused (EBUSY while it runs, EINVAL once it is over).
res=/tmp/kgraft-sysfs.res
rm -f $res.*
for i in $(seq 8); do
	sysfs_write $KG/$PT/enabled 0 > $res.$i &
done
wait
wins=$(cat $res.* | grep -c '^0$')
others=$(cat $res.* | grep -vc '^0$')
bad=$(cat $res.* | grep -v "^0$\|^$EBUSY$\|^$EINVAL$" | tr '\n' ' ')
check_eq "exactly one concurrent writer wins" 1 "$wins"
check_eq "the 7 others are refused" 7 "$others"
check_eq "refusals are EBUSY or EINVAL only" "" "$bad"
wait_done $PT 20
check_eq "reverted once" "0/0" "$(state)"

# Two patches cannot transition at once (vmlinux patch vs target patch).
insmod "$(ko kgraft_patch_vmlinux)"
start_sleeper /dev/null
sysfs_write $KG/$PT/enabled 1 > /dev/null
check_eq "second patch refused while another transitions" $EBUSY \
	"$(sysfs_write $KG/$PV/enabled 1)"
check_eq "second patch unchanged" "0/0" \
	"$(cat $KG/$PV/enabled)/$(cat $KG/$PV/transition)"
wake_sleepers
wait $SLEEPER
wait_done $PT 20
sysfs_write $KG/$PT/enabled 0 > /dev/null
wait_done $PT 20
rmmod kgraft_patch_vmlinux

# Upstream livepatch owns the chain: enabling fails with EBUSY, no change.
KLP=/sys/kernel/livepatch/kgraft_klp_target
klp_idle() { [ ! -e $KLP/transition ] || [ "$(cat $KLP/transition 2>/dev/null)" = 0 ]; }
if insmod "$(ko kgraft_klp_target)" && wait_for 60 klp_idle; then
	check_eq "enable refused while livepatch redirects the same functions" \
		$EBUSY "$(sysfs_write $KG/$PT/enabled 1)"
	check_eq "state unchanged after the refusal" "0/0" "$(state)"
	check_eq "no task state left behind" 0 "$(stat $PT task_states)"
	echo 0 > $KLP/enabled
	wait_for 60 klp_idle
	wait_for 10 rmmod kgraft_klp_target
else
	fail "upstream livepatch of the chain loads" "klp transition done" "$(dmesg | tail -2)"
fi

trap - EXIT
unload_all
