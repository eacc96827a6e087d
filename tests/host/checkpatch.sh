#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel code follows the kernel's coding style: checkpatch.pl (from the
# kernel source package) over every kernel .c/.h file. One TAP line a file.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
cp=$top/build/linux-tools/scripts/checkpatch.pl
cd "$top"
files=$(git ls-files -co --exclude-standard -- 'kgraft-core/*.[ch]' 'strategies/*.[ch]' \
	'tests/modules/*.[ch]' | grep -v '/tools/' | sort)
n=0
if [ ! -x "$cp" ]; then
	echo "ok 1 - checkpatch # SKIP $cp missing (make deps extracts it)"
	echo "1..1"
	exit 0
fi
for f in $files; do
	n=$((n + 1))
	if out=$("$cp" --no-tree --quiet --show-types -f "$f" 2>&1); then
		echo "ok $n - checkpatch $f"
	else
		echo "not ok $n - checkpatch $f"
		echo "$out" | sed 's/^/#   /' | head -n 20
	fi
done
echo "1..$n"
