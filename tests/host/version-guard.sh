#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft-core calls unexported kernel functions through pointers resolved by
# name. Its build must refuse a kernel whose prototypes differ from the ones
# it calls them with: here a copy of kgraft-core with one pointer's type
# changed (as kallsyms_on_each_symbol's changed in 6.2) must fail to build,
# naming the function, while the real one builds.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
rel=$(cat "$top/build/kernel/release" 2>/dev/null)
kdir=/usr/src/linux-headers-$rel
n=0
tap() {
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"
		echo "#   expected: $3"
		echo "#   saw:      $4"
	fi
}
if [ -z "$rel" ] || [ ! -f "$kdir/Makefile" ]; then
	echo "ok 1 - version guard # SKIP no kernel headers (run make deps)"
	echo "1..1"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() {
	rm -rf "$tmp/k" && cp -r "$top/kgraft-core" "$tmp/k" && rm -rf "$tmp/k/target" \
		"$tmp/k/patches" "$tmp/k/tools"
	[ -z "$1" ] || sed -i "$1" "$tmp/k/symbols.c"
	make -s -C "$kdir" M="$tmp/k" CONFIG_DEBUG_INFO_BTF_MODULES= modules 2>&1
}

out=$(build "")
if [ -f "$tmp/k/kgraft.ko" ]; then tap ok "kgraft.ko builds against $rel"; else
	tap fail "kgraft.ko builds against $rel" "kgraft.ko" "$(echo "$out" | grep -m1 error)"
fi
out=$(build 's/^int (\*kgraft_wake_up_state)(/long (*kgraft_wake_up_state)(/')
if [ ! -f "$tmp/k/kgraft.ko" ] && echo "$out" | grep -q 'wake_up_state changed its prototype'; then
	tap ok "a pointer whose type differs from the kernel's prototype fails the build, named"
else
	tap fail "a pointer whose type differs from the kernel's prototype fails the build, named" \
		"error: wake_up_state changed its prototype" "$(echo "$out" | grep -m1 -i error || echo built)"
fi
echo "1..$n"
