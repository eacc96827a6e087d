#!/bin/bash
# The stock Debian kernel under test.
#   stock-kernel.sh release   print the release (e.g. 6.1.0-56-amd64)
#   stock-kernel.sh fetch     download and unpack the image into build/kernel/<release>
#   stock-kernel.sh kdir      print the matching headers directory (KDIR)
# The release is resolved from linux-image-amd64's dependency, never hard-coded;
# STOCK_RELEASE=6.1.0-NN-amd64 picks an older one the archive keeps (a
# checkout of its own: build/ holds one kernel), e.g. to live-patch it with
# the fixes of the next Debian revision (patch-builder/README.md).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}

meta_dep() {
	# linux-image-amd64 -> linux-image-6.1.0-NN-amd64 -> 6.1.0-NN-amd64
	apt-cache depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: $2-\([0-9].*\)$/\1/p" | head -n1
}

release() {
	local rel=${STOCK_RELEASE:-}
	[ -n "$rel" ] || rel=$(meta_dep linux-image-amd64 linux-image)
	if [ -z "$rel" ]; then
		echo "stock-kernel: cannot resolve linux-image-amd64's dependency (run apt-get update)" >&2
		exit 1
	fi
	echo "$rel"
}

kdir() {
	local rel hdr
	rel=$(release)
	# An older kernel chosen by STOCK_RELEASE has its own headers package;
	# the default must agree with linux-headers-amd64's.
	hdr=${STOCK_RELEASE:-$(meta_dep linux-headers-amd64 linux-headers)}
	if [ "$hdr" != "$rel" ]; then
		echo "stock-kernel: image is $rel but headers are ${hdr:-missing}; they must be the same version" >&2
		exit 1
	fi
	if [ ! -f "/usr/src/linux-headers-$rel/Makefile" ]; then
		echo "stock-kernel: /usr/src/linux-headers-$rel is not installed (run make deps)" >&2
		exit 1
	fi
	echo "/usr/src/linux-headers-$rel"
}

# The image ships no modules.dep (its postinst makes one): make it here,
# so that modprobe -d can load a stock module with its dependencies in the
# guest (ext4 for a patch of ext4), where this tree is read-only.
modules_dep() {
	[ -f "$1/lib/modules/$2/modules.dep" ] && return 0
	/sbin/depmod -b "$1" "$2"
}

fetch() {
	local rel dir tmp
	rel=$(release)
	kdir >/dev/null
	dir=$build/kernel/$rel
	mkdir -p "$build/kernel"
	[ "$(cat "$build/kernel/release" 2>/dev/null)" = "$rel" ] ||
		echo "$rel" > "$build/kernel/release"
	if [ -f "$dir/.unpacked" ]; then
		modules_dep "$dir" "$rel"
		return 0
	fi
	echo "stock-kernel: downloading linux-image-$rel"
	rm -rf "$dir"
	tmp=$(mktemp -d)
	chown _apt "$tmp" 2>/dev/null || true # apt-get download writes as _apt
	trap 'rm -rf "$tmp"' RETURN
	(cd "$tmp" && apt-get download -q "linux-image-$rel" >/dev/null)
	mkdir -p "$dir"
	dpkg -x "$tmp"/linux-image-"$rel"_*.deb "$dir"
	[ -f "$dir/boot/vmlinuz-$rel" ] || {
		echo "stock-kernel: no vmlinuz in the downloaded package" >&2
		exit 1
	}
	modules_dep "$dir" "$rel"
	touch "$dir/.unpacked"
}

# Resolve once per invocation (apt-cache takes about a second).
[ "${1:-}" = release ] || STOCK_RELEASE=$(release)

case "${1:-}" in
release) release ;;
kdir) kdir ;;
fetch) fetch ;;
*)
	echo "usage: $0 release|kdir|fetch" >&2
	exit 2
	;;
esac
