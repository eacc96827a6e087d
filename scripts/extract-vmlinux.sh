#!/bin/bash
# extract-vmlinux.sh VMLINUZ OUT: the ELF vmlinux inside a bzImage. QEMU boots
# it through its PVH entry (no decompression under TCG: ~4 s saved), and
# bpftool reads its BTF for vmlinux.h.
set -euo pipefail

in=$1
out=$2
try() {
	local magic=$1
	shift
	local off
	off=$(LC_ALL=C grep -obUaP "$magic" "$in" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || return 1
	tail -c +$((off + 1)) "$in" | "$@" > "$out.tmp" 2>/dev/null || true
	readelf -h "$out.tmp" >/dev/null 2>&1
}
if try '\xfd7zXZ\x00' xz -dc --single-stream ||
   try '\x28\xb5\x2f\xfd' zstd -dc ||
   try '\x1f\x8b\x08' gzip -dc; then
	mv "$out.tmp" "$out"
	exit 0
fi
rm -f "$out.tmp"
echo "extract-vmlinux: no ELF kernel found in $in" >&2
exit 1
