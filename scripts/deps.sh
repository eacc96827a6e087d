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
	gnuplot-nox busybox-static cpio kmod xz-utils zstd
	libcmocka-dev flex bison rt-tests
	# io_uring workers in the kernel tests (io-wq threads are created without
	# a fork event)
	liburing-dev
	# bench's results files (JSON)
	libjansson-dev
	linux-headers-amd64 linux-source-6.1
	# the patch builder compiles objects in linux-source-6.1's own tree
	# (bc and openssl's headers for its prepare step) and applies fixes
	bc libssl-dev patch
	# the redis and memcached workloads: the servers, and redis-benchmark
	# (redis-tools) for the cross-check beside bench's own client
	redis-server redis-tools memcached
	# the paper (make paper): pdflatex, bibtex, booktabs, times; ~53 MB download, 167 MB installed
	texlive-latex-base texlive-latex-recommended texlive-fonts-recommended
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
	mkdir -p "$build"
	if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
		>"$build/deps.log" 2>&1; then
		tail -n 20 "$build/deps.log" >&2
		echo "deps: apt-get failed, see $build/deps.log" >&2
		exit 1
	fi
fi

# QEMU comes from the backports suite: 7.2 (bookworm) with multi-threaded TCG
# runs stale code after text_poke on another vCPU and the guest soft-locks.
qemu_min=1:8
qemu_have=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true)
if [ -z "$qemu_have" ] || dpkg --compare-versions "$qemu_have" lt "$qemu_min"; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: qemu-system-x86 >= $qemu_min needed (have ${qemu_have:-none}); run 'make deps' as root" >&2
		exit 1
	fi
	mkdir -p "$build"
	suite=$("$top/scripts/apt-backports.sh")
	echo "deps: installing qemu-system-x86 from $suite (have ${qemu_have:-none})"
	if ! { apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			-t "$suite" qemu-system-x86; } >"$build/deps.log" 2>&1; then
		tail -n 20 "$build/deps.log" >&2
		echo "deps: apt-get failed, see $build/deps.log" >&2
		exit 1
	fi
	qemu_have=$(dpkg-query -W -f='${Version}' qemu-system-x86)
	if dpkg --compare-versions "$qemu_have" lt "$qemu_min"; then
		echo "deps: $suite gave qemu-system-x86 $qemu_have, still older than $qemu_min" >&2
		exit 1
	fi
fi

# The headers must match the image exactly; linux-headers-amd64 may lag
# behind a freshly updated package list.
rel=$("$top/scripts/stock-kernel.sh" release)
export STOCK_RELEASE=$rel
if ! dpkg-query -W -f='${Status}' "linux-headers-$rel" 2>/dev/null |
	grep -q 'install ok installed'; then
	echo "deps: installing linux-headers-$rel"
	mkdir -p "$build"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"linux-headers-$rel" >"$build/deps.log" 2>&1; then
		tail -n 20 "$build/deps.log" >&2
		echo "deps: apt-get failed, see $build/deps.log" >&2
		exit 1
	fi
fi
"$top/scripts/stock-kernel.sh" fetch
"$top/scripts/build-libperf.sh"
