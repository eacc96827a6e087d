# SPDX-License-Identifier: GPL-2.0
# Helpers for tests/kernel/test-kgraft-*.sh (sourced, bash, in the guest).
# Kept here, not in tests/kernel/, so run.sh does not take it for a test.

. "$(dirname "${BASH_SOURCE[0]}")/../../tests/kernel/lib.sh"

KG=/sys/kernel/kgraft
PT=kgraft_patch_target
PV=kgraft_patch_vmlinux
TOOLS=$KMOD/kgraft-core/tools
TRACE=/sys/kernel/tracing

# build_tools: the helpers are built on the host by `make` (tools/Kbuild).
build_tools() {
	local t
	for t in hammer sleeper spin forker getppid tstat nap cost sysw iowq kwrite prctl; do
		[ -x "$TOOLS/$t" ] || { echo "testlib: $TOOLS/$t not built" >&2; return 1; }
	done
}

# The lazy strategy a test runs under: kgraft (the 2014 model) or
# kgraft_sweep (the hybrid). tests/kernel/run.sh runs a test under each of
# the strategies its "# strategies:" line names, exporting this.
: "${KGRAFT_STRATEGY:=kgraft}"

# load_core [ARGS]: kgraft.ko, the 2014 model at the hybrid's pace (checks
# every 100 ms, fake signals after 1 s), not kGraft's 10 s and 2 s.
load_core() {
	insmod "$(ko kgraft)" first_check_ms=100 recheck_ms=100 \
		fake_signal_ms=1000 "$@"
}

# use_strategy PATCH: PATCH will be applied by $KGRAFT_STRATEGY.
use_strategy() {
	[ "$(sysfs_write "$KG/$1/strategy" "$KGRAFT_STRATEGY")" = 0 ]
}

# check_model_paths PATCH WHAT: the last transition of PATCH moved no task
# by the other lazy model's means: under kgraft no stack check (paths sweep
# and kthread, no sweep run), under kgraft_sweep none of the 2014 model's
# (no check run, paths safepoint and user_return).
check_model_paths() {
	local keys
	case $KGRAFT_STRATEGY in
	kgraft) keys="switched_sweep switched_kthread sweeps" ;;
	kgraft_sweep) keys="checks switched_safepoint switched_user_return" ;;
	*) return 0 ;;
	esac
	check_eq "$2: $KGRAFT_STRATEGY used only its own means ($keys)" "0 0 0" \
		"$(for k in $keys; do stat "$1" $k; done | tr '\n' ' ' | sed 's/ $//')"
}

# load_target [ARGS]: kgraft.ko, kgraft_target.ko [ARGS], the v2 patch,
# applied by $KGRAFT_STRATEGY.
load_target() {
	load_core && insmod "$(ko kgraft_target)" "$@" &&
		insmod "$(ko kgraft_patch_target)" && use_strategy $PT
}

# unload_all: whatever of ours is loaded, patch first; never fails loudly.
unload_all() {
	local m
	[ -e /dev/kgraft_target ] && $TOOLS/tstat wake 2>/dev/null
	wait
	for m in kgraft_patch_target_v3 kgraft_patch_shadow kgraft_patch_late \
		kgraft_late kgraft_patch_target \
		kgraft_patch_vmlinux kgraft_patch_writer kgraft_target \
		kgraft_stop_machine kgraft_immediate kgraft_klp kgraft; do
		[ -d /sys/module/$m ] && rmmod $m 2>/dev/null
	done
	true
}

# load_strategy NAME [ARGS]: the module of strategy NAME (after kgraft.ko).
load_strategy() { insmod "$(ko "kgraft_$1")" "${@:2}"; }

napping_above() { [ "$($TOOLS/tstat | awk '{ print $NF }')" -gt "$1" ]; }

# start_sleeper OUT [MS]: a sleeper (pid in SLEEPER) asleep inside
# kgraft_target_f1 when this returns; its result goes to OUT. It sleeps MS
# (default 50 s) or until wake_sleepers.
start_sleeper() {
	local n0
	n0=$($TOOLS/tstat | awk '{ print $NF }')
	$TOOLS/sleeper "${2:-50000}" > "$1" &
	SLEEPER=$!
	wait_for 60 napping_above "$n0"
}

wake_sleepers() { $TOOLS/tstat wake; }

# stat PATCH NAME: one value from the stats file.
stat() { awk -v k="$2" '$1 == k { print $2 }' "$KG/$1/stats"; }

transition_over() { [ "$(cat "$KG/$1/transition")" = 0 ]; }

# wait_done PATCH SECONDS: the transition ended in time.
wait_done() { wait_for "$2" transition_over "$1"; }

# sysfs_write FILE VALUE: prints 0 if the write succeeded, else the errno.
sysfs_write() { "$TOOLS/sysw" "$1" "$2"; }

# trace_on / trace_off: kgraft's events into the global buffer. Command
# recording stays off: it patches a static call in __schedule() each time
# events go on or off, which QEMU TCG has been seen to hang on.
trace_on() {
	KGRAFT_RECORD_CMD=$(cat $TRACE/options/record-cmd)
	echo 0 > $TRACE/options/record-cmd
	echo > $TRACE/trace
	echo 1 > $TRACE/events/kgraft/enable
}
trace_off() {
	echo 0 > $TRACE/events/kgraft/enable
	echo "${KGRAFT_RECORD_CMD:-1}" > $TRACE/options/record-cmd
}

# check_vmlinux_cycle: apply and revert the (loaded) vmlinux patch with a
# strategy that finishes inside the write; getppid right on every call and
# run by the replacement exactly while patched.
check_vmlinux_cycle() {
	local c1 c2
	vcalls() { cat /sys/module/kgraft_patch_vmlinux/parameters/calls; }
	check_eq "vmlinux patch: enable" 0 "$(sysfs_write $KG/$PV/enabled 1)"
	c1=$(vcalls)
	check_eq "vmlinux patch: getppid right when patched" "calls 5000 wrong 0" "$($TOOLS/getppid 5000)"
	check_ge "vmlinux patch: every getppid ran the replacement" $((c1 + 5000)) "$(vcalls)"
	check_eq "vmlinux patch: disable" 0 "$(sysfs_write $KG/$PV/enabled 0)"
	c2=$(vcalls)
	check_eq "vmlinux patch: getppid right after revert" "calls 5000 wrong 0" "$($TOOLS/getppid 5000)"
	check_eq "vmlinux patch: replacement no longer called" "$c2" "$(vcalls)"
}
