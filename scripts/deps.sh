#!/bin/bash
# Install what the project needs from Debian, fetch the stock kernel image
# into build/, and build libperf from the kernel source package.
# Idempotent: quiet when everything is already there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}

packages=(
	build-essential gcc-12 pkg-config make
	clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev
	gnuplot-nox qemu-system-x86 busybox-static cpio kmod xz-utils zstd
	libcmocka-dev flex bison
	linux-headers-amd64 linux-source-6.1
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages: ${missing[*]}" >&2
		echo "deps: run 'make deps' as root (it uses apt-get)" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# The headers must match the image exactly; linux-headers-amd64 may lag
# behind a freshly updated package list.
rel=$("$top/scripts/stock-kernel.sh" release)
export STOCK_RELEASE=$rel
if ! dpkg-query -W -f='${Status}' "linux-headers-$rel" 2>/dev/null |
	grep -q 'install ok installed'; then
	echo "deps: installing linux-headers-$rel"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"linux-headers-$rel" >/dev/null
fi
"$top/scripts/stock-kernel.sh" fetch
"$top/scripts/build-libperf.sh"
