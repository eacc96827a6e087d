#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tap-summary.sh FILE...: count TAP results (ok, not ok, # SKIP) per file and
# in all, and end with the line "N passed, N failed, N skipped".
# Exits 1 when anything failed or a file holds no result at all.
set -u

total_pass=0
total_fail=0
total_skip=0
empty=0
for f in "$@"; do
	read -r p fl s < <(awk '
		/^ok [0-9]+.*# *SKIP/ { s++; next }
		/^ok [0-9]+/ { p++; next }
		/^not ok [0-9]+/ { f++; next }
		END { printf "%d %d %d\n", p, f, s }' "$f")
	printf '  %-28s %4d passed %4d failed %4d skipped\n' "$(basename "$f" .tap)" "$p" "$fl" "$s"
	grep '^not ok' "$f" | sed 's/^/    /'
	if [ $((p + fl + s)) -eq 0 ]; then
		echo "    no test result in $f"
		empty=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + fl))
	total_skip=$((total_skip + s))
done
[ $empty -eq 0 ] || total_fail=$((total_fail + 1))
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ $total_fail -eq 0 ]
