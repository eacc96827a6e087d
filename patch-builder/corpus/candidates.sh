#!/bin/bash
# Real fixes as candidates for the patch builder: the source difference
# between two linux-source-6.1 versions the Debian archive carries, each
# prepared by ../source.sh (downloaded and unpacked once).
#   candidates.sh [--per-file] OLD NEW DIR
# writes DIR/<name>.diff (-p1) and DIR/list: the whole difference as one
# candidate (a Debian security revision: one fix), or with --per-file one
# candidate per changed C source file (an upstream stable range; headers
# and other files go with no candidate and are counted in DIR/skipped;
# DIR/kinds says "NAME y|m|n FILE": built in, in a module, not built with
# the guest's config).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
per_file=
[ "${1:-}" = --per-file ] && { per_file=1; shift; }
if [ $# -ne 3 ]; then
	echo "usage: $0 [--per-file] OLD NEW DIR" >&2
	exit 2
fi
old=$1 new=$2 dir=$3
a=$("$here/../source.sh" "$old")
b=$("$here/../source.sh" "$new")
mkdir -p "$dir"
rm -f "$dir"/*.diff "$dir/list" "$dir/skipped"

# The prepared trees hold build outputs beside the sources: leave them out.
full=$dir/all.patch
(cd "$(dirname "$a")" &&
	diff -ruN -x '*.o' -x '*.cmd' -x '*.a' -x '*.s' -x '*.ko' -x '*.mod*' \
		-x '.*' -x generated -x config -x 'Module.symvers' \
		-x 'modules.*' -x scripts -x tools -x Documentation -x debian \
		"$(basename "$a")" "$(basename "$b")") > "$full" || [ $? -eq 1 ]

if [ -z "$per_file" ]; then
	name=debian-$old-to-$new
	cp "$full" "$dir/$name.diff"
	echo "$name" > "$dir/list"
	rm "$full"
	exit 0
fi
# Split at each file's "diff -ruN" line; keep C sources.
awk -v dir="$dir" '
	/^diff -ruN / {
		file = $NF; sub(/^[^\/]*\//, "", file)
		out = ""
		if (file ~ /\.c$/) {
			name = file; gsub(/[\/.]/, "_", name); sub(/_c$/, "", name)
			out = dir "/" name ".diff"
			print name >> (dir "/list")
		} else {
			print file >> (dir "/skipped")
		}
	}
	out != "" && !/^diff -ruN / { print > out }
' "$full"
rm "$full"
touch "$dir/list" "$dir/skipped"

# How the guest's config builds each file: built in (y), in a module (m)
# or not at all (n), as kbuild itself says (-n: nothing is compiled).
files=$dir/files
for n in $(cat "$dir/list"); do
	printf '%s %s\n' "$n" "$(sed -n 's,^+++ [^/]*/\([^\t ]*\).*,\1,p' "$dir/$n.diff" | head -1)"
done > "$files"
subdirs=$(awk '{ print $2 }' "$files" | xargs -n1 dirname | sort -u |
	grep -v '^arch/[^x]' | sed 's,$,/,')
# shellcheck disable=SC2086
(cd "$a" && make -n -k $subdirs 2>/dev/null) | grep ' -c -o ' |
	perl -ne 'while (/ -c -o (\S+)\.o \S+\.c/g) { $o = $1 }
		  if ($o) { print((/ -DMODULE / ? "m" : "y"), " $o.c\n"); $o = "" }' |
	sort -u > "$dir/kbuild"
awk 'NR == FNR { k[$2] = $1; next }
     { print $1, (($2 in k) ? k[$2] : "n"), $2 }' "$dir/kbuild" "$files" > "$dir/kinds"
rm "$files" "$dir/kbuild"
echo "$(wc -l < "$dir/list") candidates ($(grep -c ' y ' "$dir/kinds") built in, $(grep -c ' m ' "$dir/kinds") in modules, $(grep -c ' n ' "$dir/kinds") not built), $(wc -l < "$dir/skipped") other files" >&2
