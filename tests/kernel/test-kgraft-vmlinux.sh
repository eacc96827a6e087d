#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strategies: kgraft kgraft_sweep
# kgraft: the vmlinux patch (getppid's syscall function) applies and
# reverts, answers stay right, and the system stays usable. No getppid loop
# runs while the transitions start and end: under QEMU TCG a vCPU looping
# in the syscall entry while the sys_enter/sys_exit tracepoint sites are
# rewritten (text_poke_bp) was seen to spin forever on a stale int3 (an
# emulator fault, not a kernel one); the consistency test keeps a workload
# running across transitions.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

N=20000
calls() { cat /sys/module/kgraft_patch_vmlinux/parameters/calls; }
trap 'unload_all' EXIT
build_tools || { fail "test tools built" "make built them" "missing"; exit 1; }
load_core && insmod "$(ko kgraft_patch_vmlinux)" && use_strategy $PV ||
	{ fail "load kgraft and the vmlinux patch" "insmod ok" "failed"; exit 1; }

check_eq "registered, disabled" 0 "$(cat $KG/$PV/enabled)"
c0=$(calls)
$TOOLS/getppid $N > /dev/null
check_eq "disabled: replacement not called" "$c0" "$(calls)"

check_eq "enable accepted" 0 "$(sysfs_write $KG/$PV/enabled 1)"
if wait_done $PV 30; then ok "patching completes"; else
	fail "patching completes" "transition 0" "$(cat $KG/$PV/pending | tr '\n' ';')"
fi
check_model_paths $PV "patching"
c1=$(calls)
check_eq "getppid answers right when patched" "calls $N wrong 0" "$($TOOLS/getppid $N)"
c2=$(calls)
check_ge "every getppid ran the replacement" $((c1 + N)) "$c2"
check_eq "disable accepted" 0 "$(sysfs_write $KG/$PV/enabled 0)"
if wait_done $PV 30; then ok "unpatching completes"; else
	fail "unpatching completes" "transition 0" "$(cat $KG/$PV/pending | tr '\n' ';')"
fi
c3=$(calls)
check_eq "getppid answers right after revert" "calls $N wrong 0" "$($TOOLS/getppid $N)"
check_eq "reverted: replacement not called" "$c3" "$(calls)"

check_cmd "system usable: fork and exec" sh -c 'ls / > /dev/null && /bin/true'
check_cmd "system usable: pipes and a subshell" sh -c 'test "$(echo ok | cat)" = ok'
check_cmd "patch module unloads" rmmod kgraft_patch_vmlinux
check_cmd "core unloads" rmmod kgraft
trap - EXIT
