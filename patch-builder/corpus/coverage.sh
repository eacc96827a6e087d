#!/bin/bash
# The patch builder's coverage of a corpus of real fixes (candidates.sh):
# every candidate (or every Nth, --sample N, in list order) is built with
# bench patch build for the kernel it fixes; the table says how many built,
# how many were refused and why, grouped, and how long a build took. With
# --live the built ones are then loaded, applied and reverted under every
# strategy in one guest of that kernel (try-live.sh), which this checkout
# must boot (its build/kernel/release is RELEASE).
#   coverage.sh [--sample N] [--live] [--built-in] CORPUS OLD RELEASE OUT
# A benchmark, not a test: it prints figures, writes OUT/coverage.tsv and
# OUT/summary.txt, and fails only when it cannot run.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
sample=1 live= builtin=
while [ $# -gt 0 ]; do
	case $1 in
	--sample) sample=$2; shift 2 ;;
	--live) live=1; shift ;;
	--built-in) builtin=1; shift ;;
	--) shift; break ;;
	-*) echo "coverage: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -ne 4 ]; then
	echo "usage: $0 [--sample N] [--live] [--built-in] CORPUS OLD RELEASE OUT" >&2
	exit 2
fi
corpus=$1 old=$2 release=$3 out=$4
bench=$top/build/bench
tree=$("$here/../source.sh" "$old") || exit 1
mkdir -p "$out"
tsv=$out/coverage.tsv
printf 'candidate\tkind\tstatus\tseconds\tfunctions\tcategories\n' > "$tsv"

names=$(cat "$corpus/list")
if [ -n "$builtin" ]; then
	names=$(awk '$2 == "y" { print $1 }' "$corpus/kinds")
fi
i=0
for n in $names; do
	i=$((i + 1))
	[ $(((i - 1) % sample)) -eq 0 ] || continue
	kind=$(awk -v n="$n" '$1 == n { print $2 }' "$corpus/kinds" 2>/dev/null)
	rm -rf "${out:?}/$n"
	"$bench" patch build -q --release "$release" --version "$old" \
		--source "$tree" "$corpus/$n.diff" -o "$out/$n" >/dev/null 2>&1
	rc=$?
	line=$("$bench" patch check --tsv "$out/$n" 2>/dev/null)
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || line="error	0	0	build error (exit $rc)"
	printf '%s\t%s\t%s\n' "$n" "${kind:-?}" "$line" >> "$tsv"
	echo "coverage: $n: $(echo "$line" | cut -f1,4)" >&2
done

if [ -n "$live" ]; then
	built=$(awk -F'\t' '$3 == "built" { print $1 }' "$tsv")
	if [ -n "$built" ]; then
		dirs=()
		for n in $built; do dirs+=("$out/$n"); done
		"$bench" vm --timeout 3000 --share "$out" --result "$out/guest.result" -- \
			"$here/try-live.sh" "$out/live.txt" "${dirs[@]}" >&2
	fi
fi
# The table: fractions, the refusals grouped (a candidate counts once per
# category it hit), build times, and the live results per strategy. Plain
# awk (Debian's default is mawk): sorting is sort(1)'s.
times=$(awk -F'\t' 'NR > 1 && $3 == "built" { print $4 }' "$tsv" | sort -n)
nb=$(echo "$times" | grep -c .)
{
awk -F'\t' -v nb="$nb" -v med="$(echo "$times" | sed -n "$(((nb + 1) / 2))p")" \
	-v max="$(echo "$times" | tail -1)" '
	NR == 1 { next }
	{ n++; st[$3]++; if ($3 == "built") f += $5; else if ($3 != "refused") err++ }
	$3 == "refused" && $6 !~ /does not compile|not built in this config/ { alone++ }
	$3 == "built" { alone++ }
	$6 ~ /no function changed/ { same++ }
	END {
		b = st["built"] + 0
		printf "candidates %d: built %d, refused %d, errors %d\n", n, b,
			st["refused"] + 0, err + 0
		wilson("built, of all candidates", b, n)
		wilson("built, of those that compile alone", b, alone)
		wilson("built, of those that compile alone and change code", b, alone - same)
		printf "for reference (other corpora, other kernels): Ksplice built 56 of 64 significant security patches with no new code (88%%); kpatch-build, per KUP, 2 of 23 Ubuntu kernel releases\n"
		if (nb > 0)
			printf "build time of a built patch: median %.1f s, max %.1f s (n=%d); %d functions replaced in all\n",
				med, max, nb, f
	}
	function wilson(what, k, m,    z, p, d, ctr, hw) {
		if (!m)
			return
		z = 1.96; p = k / m
		d = 1 + z * z / m; ctr = (p + z * z / (2 * m)) / d
		hw = z * sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / d
		printf "  %s: %d of %d, %.1f%% (95%% CI %.1f-%.1f%%, Wilson)\n",
			what, k, m, 100 * p, 100 * (ctr - hw), 100 * (ctr + hw)
	}' "$tsv"
echo "refusals by reason (candidates; one counts once per reason):"
awk -F'\t' 'NR > 1 && $3 == "refused" { k = split($6, parts, ";"); for (i = 1; i <= k; i++) print parts[i] }' "$tsv" |
	sort | uniq -c | sort -rn | sed 's/^ */  /'
if [ -n "$live" ] && [ -f "$out/live.txt" ]; then
	echo "live (load, apply, smoke, revert, unload; no WARN/BUG/Oops), per strategy:"
	awk '{ s[$2] = 1; r[$2 " " $3]++ }
	     END { for (x in s) printf "  %-13s ok %d, failed %d\n", x, r[x " ok"] + 0, r[x " fail"] + 0 }' \
		"$out/live.txt" | sort
	[ -f "$out/guest.result" ] &&
		echo "guest console: $(sed -n 's/^problem //p' "$out/guest.result") (bench vm's scan: Oops, BUG, WARNING, lockdep, RCU stall, lockup, panic)"
fi
} | tee "$out/summary.txt"
