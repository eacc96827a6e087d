#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft klp
# Shadow variables: kgraft_patch_shadow.ko attaches one to every target
# object it sets up (every other one with interrupts off) and checks and
# frees it on release. 3 x 100k objects: every one verified, none left
# alive, the slab back to where it was. Then objects made and released
# while the patch goes on and off: whatever the old release left behind is
# freed by the patch's post_unpatch, so nothing leaks.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

S=$KGRAFT_STRATEGY
PS=kgraft_patch_shadow
N=100000
stop=/tmp/shadow.stop
trap 'touch $stop; wait; unload_all' EXIT

shadows() { cat $KG/shadows; }
# The slab shadow variables come from (56 bytes each).
slab64() { awk '$1 == "kmalloc-64" { print $2 }' /proc/slabinfo; }
slab_back() { [ "$(slab64)" -le $(($1 + N / 20)) ]; }
enable() {
	check_eq "$2: write $1 accepted" 0 "$(sysfs_write $KG/$PS/enabled "$1")"
	wait_done $PS 60 || { fail "$2: completes" "transition 0 within 60 s" \
		"pending: $(head -c 300 $KG/$PS/pending | tr '\n' ';')"; exit 1; }
}

build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_core && insmod "$(ko kgraft_target)" ||
	{ fail "load kgraft and the target" "insmod ok" "failed"; exit 1; }
case $S in kgraft | kgraft_sweep) ;; *) load_strategy "$S" ||
	{ fail "load strategy $S" "insmod ok" "failed"; exit 1; } ;; esac
insmod "$(ko $PS)" strategy="$S" ||
	{ fail "load the shadow patch with strategy $S" "insmod ok" "failed"; exit 1; }

check_eq "unpatched: objects carry no shadow" "objects 1000 verified 0" \
	"$($TOOLS/tstat objects 1000)"
check_eq "no shadow variable alive" 0 "$(shadows)"
slab0=$(slab64)
enable 1 "patching"
for r in 1 2 3; do
	check_eq "round $r: all $N objects had their shadow, intact" \
		"objects $N verified $N" "$($TOOLS/tstat objects $N)"
	check_eq "round $r: every shadow freed with its object" 0 "$(shadows)"
done
if wait_for 20 slab_back "$slab0"; then
	ok "kmalloc-64 back within $((N / 20)) objects of before ($slab0)"
else
	fail "kmalloc-64 back to before" "at most $((slab0 + N / 20))" "$(slab64)"
fi

# Objects outliving the patch: released by the old code, which knows no
# shadow; post_unpatch frees what is left.
rm -f $stop
(while [ ! -e $stop ]; do $TOOLS/tstat objects 20000 > /dev/null; done) &
for c in 1 2 3; do
	enable 0 "toggle $c: unpatching"
	enable 1 "toggle $c: patching"
done
enable 0 "last unpatching"
touch $stop
wait
check_eq "after the last unpatching no shadow variable is left" 0 "$(shadows)"
check_eq "unpatched again: objects carry no shadow" "objects 1000 verified 0" \
	"$($TOOLS/tstat objects 1000)"

trap - EXIT
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
