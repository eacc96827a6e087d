#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Platform benchmark (not a test): run `bench run` N times in a row and count
# the runs whose guest soft-locked, reported another kernel problem, timed
# out or failed. Written for the multi-threaded TCG question (QEMU 7.2 left
# vCPUs on stale code after text_poke; the README says which QEMU to use).
#
#   tests/platform/bench-lockups.sh [-n RUNS] [-o DIR] [-- BENCH-RUN-ARGS...]
#
# Default: 30 runs of `bench run --strategy=kgraft --cycles 8`. Prints a line
# per run, a summary table, and writes DIR/lockups.json.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
runs=30
out=
usage() {
	echo "usage: $0 [-n RUNS] [-o DIR] [-- BENCH-RUN-ARGS...]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case "$1" in
	-n) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
case "$runs" in '' | *[!0-9]* | 0) usage ;; esac
[ $# -gt 0 ] || set -- --strategy=kgraft --cycles 8
out=${out:-$top/build/platform/lockups-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out" || exit 1
bench=$top/build/bench
[ -x "$bench" ] || { echo "$0: $bench not built (run make)" >&2; exit 1; }

qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -n1)
declare -A count=([ok]=0 [soft_lockup]=0 [other_problem]=0 [timeout]=0 [failed]=0)
rows=()
start=$(date +%s)
for i in $(seq 1 "$runs"); do
	dir=$out/run-$(printf %02d "$i")
	rm -rf "$dir"
	t0=$(date +%s%N)
	"$bench" run "$@" --out "$dir" >"$dir.out" 2>&1
	rc=$?
	secs=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	why=$(grep -h -m1 'guest kernel reported\|timeout after\|console log' "$dir.out")
	if [ $rc -eq 0 ]; then
		verdict=ok
	elif grep -q 'guest kernel reported a soft lockup' "$dir.out"; then
		verdict=soft_lockup
	elif grep -q 'guest kernel reported' "$dir.out"; then
		verdict=other_problem
	elif grep -q 'timeout after' "$dir.out"; then
		verdict=timeout
	else
		verdict=failed
	fi
	count[$verdict]=$((count[$verdict] + 1))
	printf 'run %2d/%d: %-13s exit %d, %5.1f s%s\n' "$i" "$runs" "$verdict" "$rc" \
		"$secs" "${why:+ ($why)}"
	rows+=("{\"run\": $i, \"verdict\": \"$verdict\", \"exit\": $rc, \"seconds\": $secs, \"dir\": \"$dir\"}")
done
elapsed=$(($(date +%s) - start))

{
	echo "{"
	echo "  \"qemu\": \"$qemu\","
	echo "  \"bench_run_args\": \"$*\","
	echo "  \"runs\": $runs,"
	for k in ok soft_lockup other_problem timeout failed; do
		echo "  \"$k\": ${count[$k]},"
	done
	echo "  \"elapsed_s\": $elapsed,"
	echo "  \"each\": ["
	for ((k = 0; k < ${#rows[@]}; k++)); do
		sep=,
		[ $k -eq $((${#rows[@]} - 1)) ] && sep=
		echo "    ${rows[$k]}$sep"
	done
	echo "  ]"
	echo "}"
} >"$out/lockups.json"

echo
echo "$qemu; bench run $*"
printf '%-14s %5s\n' verdict runs
for k in ok soft_lockup other_problem timeout failed; do
	printf '%-14s %5d\n' "$k" "${count[$k]}"
done
printf '%-14s %5d  (%d s)\n' total "$runs" "$elapsed"
echo "results: $out/lockups.json"
[ "${count[ok]}" -eq "$runs" ]
