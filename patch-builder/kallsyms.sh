#!/bin/bash
# The guest kernel's symbol table, as /proc/kallsyms prints it, captured
# once from a boot into build/kernel/<release>/kallsyms. The patch builder
# checks every symbol a patch refers to against it and tells same-named
# local symbols apart by their position there (the stock image ships no
# System.map). The addresses move with KASLR; only names and order count.
#   kallsyms.sh [--force]   print the file's path
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
release=$(cat "$build/kernel/release" 2>/dev/null || true)
if [ -z "$release" ]; then
	echo "kallsyms: no stock kernel in $build/kernel (run make deps)" >&2
	exit 1
fi
out=$build/kernel/$release/kallsyms
if [ -s "$out" ] && [ "${1:-}" != --force ]; then
	echo "$out"
	exit 0
fi
tmp=$(mktemp -d "$build/kallsyms.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$build/bench" vm -q --share "$tmp" -- \
	sh -c "cat /proc/kallsyms > $tmp/kallsyms" >&2
if [ ! -s "$tmp/kallsyms" ] || ! grep -q ' T _stext$' "$tmp/kallsyms"; then
	echo "kallsyms: the guest gave no symbol table" >&2
	exit 1
fi
mv "$tmp/kallsyms" "$out"
echo "$out"
