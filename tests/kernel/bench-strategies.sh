#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Strategy benchmark (prints figures; not a pass/fail test). In one guest
# boot, with one thread hammering the target's chain:
#  - per strategy, time to apply and to revert the target patch (the
#    kernel's own start-to-end time from the stats file), in interleaved
#    rounds so that drift hits every strategy alike;
#  - stop_machine's stops with N user threads asleep (10, 1000, 10000):
#    total stop and its rendezvous and stack-check parts.
# The vCPU count is the guest's: run it once per count, e.g.
#   for c in 1 2 4; do build/bench vm --cpus $c --timeout 1500 -- \
#       tests/kernel/bench-strategies.sh; done
# With BENCH_JSON=FILE it also writes the figures there as JSON.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

ROUNDS=${ROUNDS:-5}
TASKS=${TASKS:-"10 1000 10000"}
STOP_ROUNDS=${STOP_ROUNDS:-3}
STRATEGIES=${STRATEGIES:-"kgraft kgraft_sweep stop_machine immediate klp"}
raw=/tmp/bs.raw
stop=/tmp/bs.stop

trap 'touch $stop; [ -n "${nap:-}" ] && kill $nap; wait; unload_all' EXIT
build_tools || exit 1
load_core && insmod "$(ko kgraft_target)" || exit 1
have=""
for s in $STRATEGIES; do
	if [ $s = kgraft ] || [ $s = kgraft_sweep ] || load_strategy $s 2>/dev/null; then
		have="$have $s"
	else
		echo "# $s: module not built or not loadable, left out"
	fi
done
insmod "$(ko kgraft_patch_target)" || exit 1
: > $raw

# apply_revert S ROUND: one apply and one revert with strategy S.
apply_revert() {
	sysfs_write $KG/$PT/strategy $1 > /dev/null
	[ "$(sysfs_write $KG/$PT/enabled 1)" = 0 ] || { echo "# $1: apply refused"; return 1; }
	wait_done $PT 120 || { echo "# $1: apply did not end"; return 1; }
	echo "$1 apply $(stat $PT duration_ns) $(stat $PT stop_max_total_ns)" >> $raw
	[ "$(sysfs_write $KG/$PT/enabled 0)" = 0 ] || { echo "# $1: revert refused"; return 1; }
	wait_done $PT 120 || { echo "# $1: revert did not end"; return 1; }
	echo "$1 revert $(stat $PT duration_ns) $(stat $PT stop_max_total_ns)" >> $raw
}

rm -f $stop
nice -n 19 $TOOLS/hammer -t 1 -f $stop > /tmp/bs.hammer &
sleep 1
set -- $have
n=$#
for r in $(seq $ROUNDS); do
	# Rotate the order each round.
	for i in $(seq 0 $((n - 1))); do
		k=$(( (i + r) % n + 1 ))
		apply_revert "${!k}" || exit 1
	done
done
touch $stop
wait
read -r _ calls _ mixed _ <<< "$(cat /tmp/bs.hammer)"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
minimum() { sort -n | head -n1; }
col() { awk -v s=$1 -v w=$2 -v c=$3 '$1 == s && $2 == w { print $c }' $raw; }
us() { awk '{ printf "%.0f", $1 / 1000 }'; }

cpus=$(nproc)
echo "# apply and revert of the target patch (4 functions), $ROUNDS interleaved rounds, $cpus vCPUs, one thread calling the chain"
echo "# times in us, kernel start to end; min / median"
printf "%-13s %10s %10s %10s %10s %12s\n" strategy apply_min apply_med revert_min revert_med max_stop_med
json="{\"cpus\": $cpus, \"rounds\": $ROUNDS, \"hammer_calls\": $calls, \"hammer_mixed\": $mixed, \"strategies\": {"
sep=""
for s in $have; do
	am=$(col $s apply 3 | minimum | us); ad=$(col $s apply 3 | median | us)
	rm_=$(col $s revert 3 | minimum | us); rd=$(col $s revert 3 | median | us)
	ms=$(col $s apply 4 | median | us)
	printf "%-13s %10s %10s %10s %10s %12s\n" $s $am $ad $rm_ $rd $ms
	json="$json$sep\"$s\": {\"apply_min_us\": $am, \"apply_median_us\": $ad, \"revert_min_us\": $rm_, \"revert_median_us\": $rd, \"apply_max_stop_median_us\": $ms}"
	sep=", "
done
json="$json}, \"stops\": ["
echo "# hammer: $calls checked calls, $mixed mixed (immediate may mix; the others must not)"

case " $have " in *" stop_machine "*) ;; *) echo "$json]}" > "${BENCH_JSON:-/dev/null}"; exit 0 ;; esac
echo "# stop_machine stops with N user threads asleep, $STOP_ROUNDS apply+revert each, $cpus vCPUs; us, median (min)"
printf "%-7s %8s %16s %16s %16s\n" tasks checked total rendezvous check
sysfs_write $KG/$PT/strategy stop_machine > /dev/null
sep=""
for t in $TASKS; do
	$TOOLS/nap $t > /tmp/bs.nap &
	nap=$!
	wait_for 300 grep -q ready /tmp/bs.nap || { echo "# nap $t: not ready"; break; }
	: > /tmp/bs.stops
	for r in $(seq $STOP_ROUNDS); do
		for v in 1 0; do
			sysfs_write $KG/$PT/enabled $v > /dev/null
			echo "$(stat $PT stop_last_total_ns) $(stat $PT stop_last_rendezvous_ns) $(stat $PT stop_last_check_ns) $(awk '$1 == "stop_busy" { b = $2 } END { print b }' $KG/$PT/stats)" >> /tmp/bs.stops
		done
	done
	checked=$(stat $PT switched_stop)
	f() { awk -v c=$1 '{ print $c }' /tmp/bs.stops | $2 | us; }
	printf "%-7s %8s %9s (%5s) %9s (%5s) %9s (%5s)\n" $t "$checked" \
		"$(f 1 median)" "$(f 1 minimum)" "$(f 2 median)" "$(f 2 minimum)" \
		"$(f 3 median)" "$(f 3 minimum)"
	json="$json$sep{\"threads\": $t, \"tasks_checked\": $checked, \"total_median_us\": $(f 1 median), \"total_min_us\": $(f 1 minimum), \"rendezvous_median_us\": $(f 2 median), \"check_median_us\": $(f 3 median)}"
	sep=", "
	kill $nap
	wait $nap 2>/dev/null
	nap=""
done
echo "$json]}" > "${BENCH_JSON:-/dev/null}"
