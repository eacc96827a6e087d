#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Platform benchmark (not a test): the capacity of redis-server and
# memcached as `bench run` drives them, to choose a --request-rate that
# loads each server to about half of it. Server and client
# share the workload CPU (CPU 1 of the guest; `bench run` leaves CPU 0 to
# its driver); one open-loop client thread over 4 connections, 10% SETs of
# 64-byte values, the workloads' defaults.
#
#   build/bench vm -- tests/platform/kv-capacity.sh [-d SECONDS] [-c CPUS] [-o DIR]
#
# Offered rates double from 250/s until one is not sustained, then the gap
# is halved until it is within an eighth. A rate is sustained when at least
# 95% of the requests due were answered within the run, none failed and
# p99 stayed under 100 ms (above capacity the queue grows for the whole run
# and p99 with it). The capacity is the largest rate sustained. Prints a
# line per rate and writes DIR/kv-capacity.json.
set -u

. "$(dirname "$0")/../kernel/lib.sh"

BENCH=${BENCH:-$KGRAFT_BUILD/bench}
secs=5
cpus=1
out=$(mktemp -d)
usage() {
	echo "usage: $0 [-d SECONDS] [-c CPUS] [-o DIR]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case "$1" in
	-d) [ $# -ge 2 ] || usage; secs=$2; shift 2 ;;
	-c) [ $# -ge 2 ] || usage; cpus=$2; shift 2 ;;
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	*) usage ;;
	esac
done
case "$secs" in '' | *[!0-9]* | 0) usage ;; esac
# One vCPU: the guest has no CPU 1, and everything shares CPU 0.
[ "$(nproc)" -gt 1 ] || cpus=0
mkdir -p "$out"

json="$out/kv-capacity.json"
printf '{"duration_s": %d, "cpus": "%s", "threads": 1, "rates": [' "$secs" "$cpus" > "$json"
sep=

# measure SERVER RATE: one run at RATE a second; sets $sustained (0 or 1).
measure() {
	local w=$1 rate=$2 f="$out/$1-$2" ops left answered errors p50 p99 due
	sustained=0
	if ! "$BENCH" workload "$w" -c "$cpus" -r "$rate" -d "$secs" \
		--counters none -j "$f.json" > "$f.out" 2>&1; then
		echo "$w at $rate/s failed: $(tail -n 2 "$f.out")" >&2
		return
	fi
	jflat "$f.json" > "$f.flat"
	ops=$(jget "$f.flat" workload.ops)
	left=$(( $(jget "$f.flat" workload.unanswered) + $(jget "$f.flat" workload.unsent) ))
	answered=$((ops - left))
	errors=$(jget "$f.flat" workload.errors)
	p50=$(jget "$f.flat" workload.latency.p50_ns)
	p99=$(jget "$f.flat" workload.latency.p99_ns)
	due=$((rate * secs))
	[ $((answered * 100)) -ge $((due * 95)) ] && [ "$p99" -lt 100000000 ] &&
		[ "$errors" -eq 0 ] && sustained=1
	printf '%-10s %8d %9d %8d %7d %8d us %8d us %s\n' "$w" "$rate" $answered \
		$((answered / secs)) "$errors" $((p50 / 1000)) $((p99 / 1000)) \
		"$([ $sustained = 1 ] && echo sustained || echo 'not sustained')"
	printf '%s\n  {"server": "%s", "offered_per_s": %d, "answered": %d, "errors": %d, "p50_ns": %d, "p99_ns": %d, "sustained": %s}' \
		"$sep" "$w" "$rate" $answered "$errors" "$p50" "$p99" \
		"$([ $sustained = 1 ] && echo true || echo false)" >> "$json"
	sep=,
}

top=512000
printf '%-10s %8s %9s %8s %7s %10s %10s %s\n' server offered answered "ans/s" errors p50 p99 verdict
for w in redis memcached; do
	# Double until a rate is not sustained, then halve the gap three times.
	lo=0 hi=0 rate=250
	while [ $rate -le $top ]; do
		measure $w $rate
		[ $sustained = 1 ] || { hi=$rate; break; }
		lo=$rate
		rate=$((rate * 2))
	done
	while [ $hi -gt 0 ] && [ $lo -gt 0 ] && [ $((hi - lo)) -gt $((lo / 8)) ]; do
		rate=$(((lo + hi) / 2))
		measure $w $rate
		if [ $sustained = 1 ]; then lo=$rate; else hi=$rate; fi
	done
	if [ $hi = 0 ]; then
		echo "$w: capacity at least $lo requests/s (every rate tried was sustained)"
	elif [ $lo = 0 ]; then
		echo "$w: capacity below $hi requests/s (the first rate tried was not sustained)"
	else
		echo "$w: capacity $lo requests/s (sustained; $hi/s was not), half is $((lo / 2))/s"
	fi
	eval "cap_$w=$lo"
done
printf '\n], "capacity_per_s": {"redis": %d, "memcached": %d}}\n' \
	"${cap_redis:-0}" "${cap_memcached:-0}" >> "$json"
echo "results: $json"
