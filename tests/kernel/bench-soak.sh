#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Soak benchmark (prints figures; not a pass/fail test): CYCLES apply/revert
# cycles of the target patch per strategy, under the target workload (the
# hammer, which checks every call for a mixed chain), the stall workload
# (threads spinning on the clock) and fork/exit churn. Per strategy: cycles
# done, refused and timed-out transitions, mixed chains, and kgraft's task
# states left at the end. Run it with the console verdict of the guest:
#   build/bench vm --timeout 86400 --result soak.result -- \
#       tests/kernel/bench-soak.sh [CYCLES [STRATEGY...]]
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

CYCLES=${1:-1000}
shift
STRATEGIES=${*:-kgraft kgraft_sweep stop_machine immediate klp}
BENCH=$KGRAFT_BUILD/bench
stop=/tmp/soak.stop
trap 'touch $stop; wait; unload_all' EXIT
build_tools || exit 1
load_core && insmod "$(ko kgraft_target)" loop_kthread=1 || exit 1
for s in stop_machine immediate klp; do
	load_strategy $s || exit 1
done
# Refusals (a hammer thread inside the chain at the stop) retry quickly.
echo 20 > /sys/module/kgraft_stop_machine/parameters/retry_interval_ms
insmod "$(ko kgraft_patch_target)" || exit 1

churn() { while [ ! -e $stop ]; do $TOOLS/forker 50 >/dev/null; done; }

printf '%-13s %7s %8s %8s %10s %8s %12s %14s %7s\n' strategy cycles refused timeouts \
	calls mixed task_states states_unfreed seconds
for s in $STRATEGIES; do
	rm -f $stop
	sysfs_write $KG/$PT/strategy $s >/dev/null
	$TOOLS/hammer -t 2 -f $stop > /tmp/soak.hammer.$s &
	"$BENCH" workload stall -t 1 -d 86400 >/dev/null 2>&1 &
	stall=$!
	churn &
	t0=$(date +%s)
	done_=0 refused=0 timeouts=0
	for c in $(seq "$CYCLES"); do
		for v in 1 0; do
			r=$(sysfs_write $KG/$PT/enabled $v)
			if [ "$r" != 0 ]; then
				refused=$((refused + 1))
				continue 2
			fi
			if ! wait_done $PT 120; then
				timeouts=$((timeouts + 1))
				sysfs_write $KG/$PT/force 1 >/dev/null
				wait_done $PT 30
			fi
		done
		done_=$((done_ + 1))
	done
	touch $stop
	kill $stall 2>/dev/null
	wait
	calls=$(awk '{ for (i = 1; i < NF; i++) if ($i == "calls") print $(i + 1) }' /tmp/soak.hammer.$s)
	mixed=$(awk '{ for (i = 1; i < NF; i++) if ($i == "mixed") print $(i + 1) }' /tmp/soak.hammer.$s)
	printf '%-13s %7d %8d %8d %10s %8s %12s %14s %7d\n' "$s" "$done_" "$refused" "$timeouts" \
		"${calls:--}" "${mixed:--}" "$(stat $PT task_states)" \
		"$(stat $PT task_states_unfreed)" $(($(date +%s) - t0))
done
