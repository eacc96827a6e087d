#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: one CPU monopolised by a SCHED_FIFO task that never makes a
# syscall, with RT throttling off, runs no kernel worker. Its interrupts
# then cannot be proven switched, so the transition stays open (correctly),
# but nothing may wait for that CPU while holding kgraft's lock: enabled,
# stats, pending and transition answer at once and force ends it.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

RT=/proc/sys/kernel/sched_rt_runtime_us
SPIN=

# within SECONDS CMD...: CMD's output and "rc=N" if it finished within
# SECONDS, else "blocked" (CMD is left to finish in the background).
within() {
	local s=$1 f i pid
	shift
	f=$(mktemp)
	{ "$@"; echo "rc=$?"; } > "$f" 2>&1 &
	pid=$!
	for ((i = 0; i < s * 10; i++)); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 $pid 2>/dev/null; then echo blocked; else cat "$f"; fi
}

if [ "$(nproc)" -lt 2 ]; then
	skip "monopolised CPU" "needs 2 CPUs, the guest has $(nproc)"
	exit 0
fi
rt0=$(cat $RT)
# CPU 1's softirq and RCU-core threads (SCHED_OTHER) would starve too, and
# with them RCU's grace periods on this kernel: every synchronize_rcu()
# would then wait for the spinner, and past 21 s RCU reports a stall,
# whatever kgraft does. An RT set-up runs them above the hog; so does this
# test, for its duration. Kernel workers stay starved: the point.
SOFT=$(ps -eo pid=,comm= | awk '$2 ~ /^(ksoftirqd|rcuc)\/1$/ { print $1 }')
cleanup() {
	local p
	[ -n "$SPIN" ] && kill -9 $SPIN 2>/dev/null
	echo "$rt0" > $RT
	for p in $SOFT; do chrt -o -p 0 $p 2>/dev/null; done
	unload_all
}
trap cleanup EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

for p in $SOFT; do chrt -f -p 60 $p; done
echo -1 > $RT
chrt -f 50 taskset -c 1 $TOOLS/spin &
SPIN=$!
# Never past the RCU stall timeout (21 s), should anything still starve.
(sleep 19; kill -9 $SPIN 2>/dev/null) &
t0=$(date +%s)
check_eq "spinner is SCHED_FIFO on CPU 1" "FIFO 1" \
	"$(chrt -p $SPIN | awk -F': ' '/policy/ { sub(/SCHED_/, "", $2); print $2 }') $(ps -o psr= -p $SPIN | tr -d ' ')"

check_eq "enable returns within 10 s" "0 rc=0" \
	"$(within 10 sysfs_write $KG/$PT/enabled 1 | tr '\n' ' ' | sed 's/ $//')"
sleep 1
check_eq "transition answers within 3 s (and is open)" "1 rc=0" \
	"$(within 3 cat $KG/$PT/transition | tr '\n' ' ' | sed 's/ $//')"
check_eq "stats answers within 3 s" "rc=0" "$(within 3 cat $KG/$PT/stats | tail -n1)"
check_eq "pending answers within 3 s" "rc=0" "$(within 3 cat $KG/$PT/pending | tail -n1)"
check_eq "enabled answers within 3 s" "1 rc=0" \
	"$(within 3 cat $KG/$PT/enabled | tr '\n' ' ' | sed 's/ $//')"
diag "pending: $(within 3 cat $KG/$PT/pending | tr '\n' ';')"
check_eq "force returns within 10 s" "0 rc=0" \
	"$(within 10 sysfs_write $KG/$PT/force 1 | tr '\n' ' ' | sed 's/ $//')"
check_eq "transition over after force" 0 "$(within 3 cat $KG/$PT/transition | head -n1)"
check_eq "patch enabled after force" 1 "$(within 3 cat $KG/$PT/enabled | head -n1)"
check_eq "forced is recorded" 1 "$(within 3 awk '$1 == "forced" { print $2 }' $KG/$PT/stats | head -n1)"
diag "spinner ran $(($(date +%s) - t0)) s; softirq/RCU threads raised: ${SOFT:-none}"

kill -9 $SPIN
wait $SPIN 2>/dev/null
SPIN=
echo "$rt0" > $RT
check_eq "disable accepted once the CPU is free" 0 "$(sysfs_write $KG/$PT/enabled 0)"
if wait_done $PT 30; then ok "unpatching completes once the CPU is free"; else
	fail "unpatching completes once the CPU is free" "transition 0" \
		"$(tr '\n' ';' < $KG/$PT/pending)"
fi
check_cmd "patch module unloads" rmmod kgraft_patch_target
