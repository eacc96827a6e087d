#!/bin/bash
# In the guest (bench vm): every patch built by bench patch build in DIR...
# loads, applies and reverts under every strategy, and the guest stays
# healthy: a smoke run of the touched subsystem while it is applied (ext4:
# a file system on a loop device written and read back; anything else: a
# fork and exec), no new WARN, BUG or Oops in the kernel log.
#   try-live.sh OUT DIR...   appends "NAME STRATEGY ok|fail [why]" to OUT
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../kgraft-core/tools/testlib.sh"

out=$1
shift
rel=$(uname -r)
ktree=$PWD/build/kernel/$rel

field() { sed -n "s/.*\"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
stock() { modprobe -q -d "$ktree" -S "$rel" "$1"; }

smoke() {
	case " $1 " in
	*" ext4 "*)
		stock loop && truncate -s 64M /tmp/live.img &&
			mkfs.ext4 -q -F /tmp/live.img && mkdir -p /tmp/live &&
			mount -o loop /tmp/live.img /tmp/live || return 1
		for i in $(seq 50); do
			dd if=/dev/urandom of=/tmp/live/f$i bs=64k count=4 2>/dev/null
		done
		sync && cat /tmp/live/f* | wc -c | grep -qx $((50 * 262144))
		local rc=$?
		umount /tmp/live && rm -f /tmp/live.img
		return $rc
		;;
	*) sh -c 'ls / > /dev/null && /bin/true' ;;
	esac
}

one() {
	local dir=$1 s=$2 name module objs m ko
	name=$(field name "$dir/manifest.json")
	module=$(field module "$dir/manifest.json")
	objs=$(grep -o '"object": "[^"]*"' "$dir/manifest.json" | cut -d'"' -f4 |
		sort -u | grep -vx vmlinux)
	ko=$dir/$module.ko
	for m in $objs; do
		stock "$m" || { echo "fail stock module $m does not load"; return; }
	done
	local err
	err=$($TOOLS/sysw -i "$ko" strategy="$s")
	[ "$err" = 0 ] || { echo "fail load: errno $err"; return; }
	err=$(sysfs_write "$KG/$name/enabled" 1)
	if [ "$err" != 0 ] || ! wait_done "$name" 60; then
		echo "fail apply: errno $err"; rmmod "$module"; return
	fi
	smoke "$objs" || { echo "fail smoke"; sysfs_write "$KG/$name/enabled" 0 > /dev/null;
		wait_done "$name" 60; rmmod "$module"; return; }
	err=$(sysfs_write "$KG/$name/enabled" 0)
	if [ "$err" != 0 ] || ! wait_done "$name" 60; then
		echo "fail revert: errno $err"; return
	fi
	rmmod "$module" || { echo "fail unload"; return; }
	echo ok
}

for s in kgraft kgraft_sweep stop_machine klp immediate; do
	load_core || { echo "try-live: kgraft does not load" >&2; exit 1; }
	case $s in kgraft | kgraft_sweep) ;; *) load_strategy "$s" ;; esac
	for dir in "$@"; do
		dmesg -C
		r=$(one "$dir" "$s")
		if dmesg | grep -qE 'WARNING:|BUG:|Oops|general protection|RCU stall'; then
			r="fail kernel log: $(dmesg | grep -m1 -E 'WARNING:|BUG:|Oops|general protection|RCU stall')"
		fi
		echo "$(basename "$dir") $s $r" | tee -a "$out"
	done
	unload_all
done
