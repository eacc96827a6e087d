#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What bench's BPF probes cost the workload they measure (prints figures;
# not a pass/fail test). In one guest boot, the target workload (one thread
# calling the target's chain through ioctl back to back, or getppid with
# OP=getppid) runs DURATION seconds per configuration: no probe, each probe
# alone, bench run's default set; ROUNDS rounds, the order rotated each
# round. Adjacent runs share the host's drift, so the cost is the median of
# per-round ratios to the no-probe run of the same round.
#   build/bench vm --timeout 1500 -- tests/kernel/bench-probe-cost.sh
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

ROUNDS=${ROUNDS:-7}
DURATION=${DURATION:-2}
OP=${OP:-ioctl}
CONFIGS=${CONFIGS:-"none syscall sched stop kgraft stop,sched,kgraft"}
BENCH=${BENCH:-build/bench}
raw=/tmp/pc.raw

trap 'unload_all' EXIT
insmod "$(ko kgraft)" && insmod "$(ko kgraft_target)" || exit 1
: > $raw
set -- $CONFIGS
n=$#
for r in $(seq $ROUNDS); do
	for i in $(seq 0 $((n - 1))); do
		k=$(( (i + r) % n + 1 ))
		c=${!k}
		p=()
		[ "$c" = none ] || p=(--probes "$c")
		t=$($BENCH workload target --op $OP -t 1 -c 1 -d $DURATION \
			--counters none "${p[@]}" 2>&1 |
			awk '/^throughput:/ { print $2 }')
		[ -n "$t" ] || { echo "# round $r, $c: no throughput"; exit 1; }
		echo "$r $c $t" >> $raw
	done
done

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "# target workload ($OP, 1 thread back to back, ${DURATION} s a run, $ROUNDS rounds, $(nproc) vCPUs)"
printf "%-18s %12s %12s\n" probes "ops/s (med)" "vs none"
for c in $CONFIGS; do
	med=$(awk -v c=$c '$2 == c { print $3 }' $raw | median)
	ratio=$(awk -v c=$c '
		$2 == "none" { base[$1] = $3 }
		$2 == c { v[$1] = $3 }
		END { for (r in v) if (base[r] > 0) printf "%.4f\n", v[r] / base[r] }' $raw | median)
	printf "%-18s %12.0f %12s\n" "$c" "$med" "$ratio"
done
