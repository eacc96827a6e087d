#!/bin/bash
# mkinitramfs.sh KERNEL_TREE RELEASE OUT: busybox, guest/init and the
# virtio/9p modules of the unpacked stock kernel, as a gzip'd cpio archive.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1
rel=$2
out=$3

# Load order matters: each module needs the ones before it.
mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
      9pnet 9pnet_virtio netfs fscache 9p"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,lib/modules}
cp /bin/busybox "$stage/bin/busybox"
install -m 755 "$top/guest/init" "$stage/init"
for m in $mods; do
	ko=$(find "$tree/lib/modules/$rel" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
	[ -n "$ko" ] || { echo "mkinitramfs: $m.ko not found under $tree" >&2; exit 1; }
	case "$ko" in
	*.xz) xz -dc "$ko" > "$stage/lib/modules/$m.ko" ;;
	*) cp "$ko" "$stage/lib/modules/$m.ko" ;;
	esac
	echo "$m" >> "$stage/modules.order"
done
(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
