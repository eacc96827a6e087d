#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft benchmark (prints figures; not a pass/fail test). In one guest boot:
#  - ns per pass through kgraft_target's 4-function chain, run in the kernel:
#    unpatched, kgraft slow handler (transition held open), kgraft fast
#    handler, upstream livepatch (same v2 chain), in interleaved rounds;
#  - getppid(2) round trip with and without kgraft's boundary probes;
#  - transition time with 10..10000 user tasks asleep outside the patch,
#    for kgraft (the 2014 model, its checks every 100 ms and fake signals
#    after 1 s here) and kgraft_sweep (the hybrid: sweep 100 ms, signals 1 s).
# Run: build/bench vm --timeout 1500 -- tests/kernel/bench-kgraft.sh
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

ROUNDS=${ROUNDS:-7}
LOOPS=${LOOPS:-500000}
SYSCALLS=${SYSCALLS:-200000}
TASKS=${TASKS:-"10 100 1000 10000"}
KLP=/sys/kernel/livepatch/kgraft_klp_target

trap 'unload_all; rmmod kgraft_klp_target 2>/dev/null' EXIT
build_tools || exit 1
load_core && insmod "$(ko kgraft_target)" || exit 1

chain() { $TOOLS/cost chain $LOOPS | awk '{ print $2 }'; }
sysc() { $TOOLS/cost syscall $SYSCALLS | awk '{ print $2 }'; }
klp_idle() { [ ! -e $KLP/transition ] || [ "$(cat $KLP/transition 2>/dev/null)" = 0 ]; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# Under emulation on a shared host, noise only adds time: the minimum is
# the best estimate of the cost, the median shows the spread.
minimum() { sort -n | head -n1; }

for r in $(seq $ROUNDS); do
	echo "unpatched $(chain)" >> /tmp/kb.chain
	echo "syscall_noprobes $(sysc)" >> /tmp/kb.sys

	insmod "$(ko kgraft_patch_target)"
	start_sleeper /dev/null || exit 1
	sysfs_write $KG/$PT/enabled 1 > /dev/null
	sleep 0.5
	[ "$(cat $KG/$PT/transition)" = 1 ] || echo "# round $r: transition not held"
	echo "kgraft_slow $(chain)" >> /tmp/kb.chain
	echo "syscall_probes $(sysc)" >> /tmp/kb.sys
	wake_sleepers
	wait $SLEEPER
	wait_done $PT 60
	echo "kgraft_fast $(chain)" >> /tmp/kb.chain
	sysfs_write $KG/$PT/enabled 0 > /dev/null
	wait_done $PT 60
	rmmod kgraft_patch_target

	insmod "$(ko kgraft_klp_target)"
	wait_for 60 klp_idle
	echo "livepatch $(chain)" >> /tmp/kb.chain
	echo 0 > $KLP/enabled
	wait_for 60 klp_idle
	wait_for 10 rmmod kgraft_klp_target
done

report() {
	local m
	for m in "${@:2}"; do
		printf "%-18s min %-8s median %-8s (all: %s)\n" $m \
			"$(awk -v m=$m '$1 == m { print $2 }' $1 | minimum)" \
			"$(awk -v m=$m '$1 == m { print $2 }' $1 | median)" \
			"$(awk -v m=$m '$1 == m { print $2 }' $1 | tr '\n' ' ')"
	done
}
echo "# ns per pass through the 4-function chain ($LOOPS passes in the kernel, $ROUNDS interleaved rounds)"
report /tmp/kb.chain unpatched kgraft_slow kgraft_fast livepatch
echo "# ns per getppid(2) round trip ($SYSCALLS calls, $ROUNDS rounds)"
report /tmp/kb.sys syscall_noprobes syscall_probes

echo "# transition time with N user threads asleep outside the patch"
insmod "$(ko kgraft_patch_target)"
for n in $TASKS; do
	$TOOLS/nap $n > /tmp/kb.nap &
	nap=$!
	wait_for 300 grep -q ready /tmp/kb.nap || { echo "# nap $n: not ready"; break; }
	for st in kgraft kgraft_sweep; do
		sysfs_write $KG/$PT/strategy $st > /dev/null
		sysfs_write $KG/$PT/enabled 1 > /dev/null
		wait_done $PT 600
		p=$(stat $PT duration_ns)
		ps_sw=$(stat $PT switched_sweep)
		sig=$(($(stat $PT switched_signal) + $(stat $PT switched_user_return)))
		sysfs_write $KG/$PT/enabled 0 > /dev/null
		wait_done $PT 600
		u=$(stat $PT duration_ns)
		printf "%-12s tasks %-6s patch_ms %-8s unpatch_ms %-8s (patch: %s by sweep, %s after signal)\n" \
			$st $n $((p / 1000000)) $((u / 1000000)) "$ps_sw" "$sig"
	done
	kill $nap
	wait $nap 2>/dev/null
done
trap - EXIT
unload_all
