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
		"$bench" vm --timeout 3000 --share "$out" -- \
			"$here/try-live.sh" "$out/live.txt" "${dirs[@]}" >&2
	fi
fi
# The table: fractions, the refusals grouped (a candidate counts once per
# category it hit), build times, and the live results per strategy.
awk -F'\t' -v live="${live:+$out/live.txt}" '
	NR == 1 { next }
	{ n++; st[$3]++; if ($3 == "built") { t[++nb] = $4 + 0; f += $5 } }
	$3 != "built" { k = split($6, c, ";"); for (i = 1; i <= k; i++) cat[c[i]]++ }
	END {
		b = st["built"] + 0
		z = 1.96; p = n ? b / n : 0
		d = 1 + z * z / n; ctr = (p + z * z / (2 * n)) / d
		hw = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
		printf "candidates %d: built %d (%.1f%%, 95%% CI %.1f-%.1f%%, Wilson), refused %d, errors %d\n",
			n, b, 100 * p, 100 * (ctr - hw), 100 * (ctr + hw),
			st["refused"] + 0, st["error"] + st["failed"]
		if (nb) {
			asort(t)
			printf "build time of a built patch: median %.1f s, max %.1f s (n=%d); %d functions replaced in all\n",
				t[int((nb + 1) / 2)], t[nb], nb, f
		}
		printf "refusals by reason (candidates):\n"
		for (c in cat) printf "  %4d  %s\n", cat[c], c | "sort -rn"
		close("sort -rn")
		if (live != "") {
			while ((getline l < live) > 0) {
				split(l, w, " ")
				res[w[2] " " w[3]]++
				strat[w[2]] = 1
			}
			printf "live (load, apply, revert, guest healthy), per strategy:\n"
			for (s in strat)
				printf "  %-13s ok %d, failed %d\n", s, res[s " ok"] + 0,
					res[s " fail"] + 0
		}
	}' "$tsv" | tee "$out/summary.txt"
