#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft: registration refuses a patch whose function is missing, is
# ambiguous, has an impossible position, has
# no ftrace entry site, is listed twice, or has callbacks for an object none
# of its functions is in, with the errno and a kernel log line that says
# which and why. A function another patch redirects is not refused: the
# new patch stacks on it (test-kgraft-lifecycle.sh); nor one in a module
# that is not loaded: it is patched when the module loads
# (test-kgraft-late-module.sh).
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

ENOENT=2
EINVAL=22
trap 'unload_all; rmmod kgraft_patch_refused 2>/dev/null' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_core && insmod "$(ko kgraft_patch_vmlinux)" ||
	{ fail "load kgraft and the vmlinux patch" "insmod ok" "failed"; exit 1; }
ko=$(ko kgraft_patch_refused)
diag "vmlinux symbols named type_show: $(grep -c ' type_show$' /proc/kallsyms)"

refused() {
	local fault=$1 errno=$2 msg=$3 got
	dmesg -C
	got=$($TOOLS/sysw -i "$ko" "fault=$fault")
	check_eq "$fault: registration refused with errno $errno" "$errno" "$got"
	check_eq "$fault: kernel log says why" 1 "$(dmesg | grep -c "kgraft: $msg")"
	check_cmd "$fault: no sysfs directory left" test ! -e $KG/kgraft_patch_refused
}
refused missing $ENOENT "kgraft_no_such_function: no such symbol in vmlinux"
refused ambiguous $EINVAL "type_show: [0-9]* symbols of that name in vmlinux: give sympos"
refused sympos $EINVAL "type_show: sympos 100000 but only [0-9]* symbols of that name"
refused notrace $EINVAL "do_syscall_64: not traceable by ftrace at its entry"
refused twice $EINVAL "kgraft_patch_refused: __x64_sys_getppid listed twice"
refused callbacks $EINVAL "kgraft_patch_refused: callbacks for kgraft_target, which none of its functions is in"
check_eq "the other patch is untouched" "0/0" "$(cat $KG/$PV/enabled)/$(cat $KG/$PV/transition)"
trap - EXIT
unload_all
check_cmd "all modules unloaded" test ! -d /sys/module/kgraft
