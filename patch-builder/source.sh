#!/bin/bash
# The kernel source a patch is built from: Debian's linux-source package of
# the very version the guest runs, unpacked once into build/patch/src,
# configured with that kernel's own config and prepared for single objects.
#   source.sh [VERSION]   prepare (cached) and print the tree's path
# VERSION defaults to the installed headers' version (the guest's kernel).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
release=$(cat "$build/kernel/release" 2>/dev/null || true)
if [ -z "$release" ]; then
	echo "patch source: no stock kernel in $build/kernel (run make deps)" >&2
	exit 1
fi
version=${1:-$(dpkg-query -W -f='${Version}' "linux-headers-$release" 2>/dev/null || true)}
if [ -z "$version" ]; then
	echo "patch source: linux-headers-$release is not installed (run make deps)" >&2
	exit 1
fi
config=$build/kernel/$release/boot/config-$release
tree=$build/patch/src/linux-$version
log=$build/patch/src/linux-$version.log

[ -f "$tree/.kgraft-prepared" ] && { echo "$tree"; exit 0; }
mkdir -p "$build/patch/src"

tarball=
if [ "$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null)" = "$version" ]; then
	tarball=/usr/src/linux-source-6.1.tar.xz
else
	debs=$build/patch/debs
	mkdir -p "$debs"
	chown _apt "$debs" 2>/dev/null || true
	deb=$(ls "$debs"/linux-source-6.1_"${version//:/%3a}"_all.deb 2>/dev/null || true)
	if [ -z "$deb" ]; then
		echo "patch source: downloading linux-source-6.1=$version" >&2
		(cd "$debs" && apt-get download -q "linux-source-6.1=$version" >/dev/null)
		deb=$(ls "$debs"/linux-source-6.1_*"${version#*:}"_all.deb)
	fi
	rm -rf "$debs/x-$version"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$debs" --transform "s,^\./usr/src,x-$version," \
			./usr/src/linux-source-6.1.tar.xz
	tarball=$debs/x-$version/linux-source-6.1.tar.xz
fi

echo "patch source: unpacking $tarball into $tree" >&2
rm -rf "$tree"
mkdir -p "$tree"
tar -xf "$tarball" -C "$tree" --strip-components=1
[ "${tarball#"$build"}" != "$tarball" ] && rm -rf "$(dirname "$tarball")"
cp "$config" "$tree/.config"
echo "patch source: preparing (log: $log)" >&2
# The guest's own config, nothing asked: new options take their defaults.
if ! make -C "$tree" -j"$(nproc)" olddefconfig >"$log" 2>&1 ||
   ! make -C "$tree" -j"$(nproc)" modules_prepare >>"$log" 2>&1; then
	echo "patch source: preparing $tree failed, see $log" >&2
	exit 1
fi
touch "$tree/.kgraft-prepared"
echo "$tree"
