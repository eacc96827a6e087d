#!/bin/bash
# Build libperf and the libapi it needs from Debian's linux-source-6.1 into
# build/libperf (Debian packages no libperf). Cached: done once.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
prefix=$build/libperf
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)

[ -f "$prefix/lib/libperf.a" ] && [ -f "$prefix/lib/libapi.a" ] && exit 0
if [ -z "$tarball" ]; then
	echo "libperf: /usr/src/linux-source-6.1.tar.xz missing (run make deps)" >&2
	exit 1
fi

echo "libperf: building from $tarball"
src=$build/linux-tools
rm -rf "$src"
mkdir -p "$src"
tar -xf "$tarball" -C "$src" --strip-components=1 \
	linux-source-6.1/tools linux-source-6.1/scripts linux-source-6.1/include/uapi \
	linux-source-6.1/arch/x86/include/uapi linux-source-6.1/Makefile
log=$build/libperf-build.log
# libapi (built as part of libperf) has no install target in 6.1: copy it.
if ! make -C "$src/tools/lib/perf" prefix="$prefix" libdir_relative=lib \
	install_lib install_headers >"$log" 2>&1 ||
   ! make -C "$src/tools/lib/api" >>"$log" 2>&1; then
	echo "libperf: build failed, see $log" >&2
	exit 1
fi
cp "$src/tools/lib/api/libapi.a" "$prefix/lib/"
echo "libperf: installed in $prefix"
