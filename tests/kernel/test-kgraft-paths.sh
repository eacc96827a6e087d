#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kgraft: the paths by which tasks switch. The core's are listed once and
# show the same in the stats file and in kgraft_task_switch's format; a
# strategy registers its own (kgraft_test_paths here), which follow the
# core's in the stats, count where they should, and go when it goes; names
# that clash with a registered one (or extend it with "_") are refused.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

FMT=$TRACE/events/kgraft/kgraft_task_switch/format
trap 'rmmod kgraft_test_paths 2>/dev/null; unload_all' EXIT
load_target || { fail "load kgraft, target, patch" "insmod ok" "failed"; exit 1; }

# paths: the path names of the stats file, in order (switched_syscall is
# the total of the syscall_* lines).
paths() {
	sed -n 's/^switched_\([a-z0-9_]*\) .*/\1/p' $KG/$PT/stats |
		grep -vx syscall | tr '\n' ' ' | sed 's/ $//'
}
core="syscall_enter syscall_exit sweep signal fork force idle kthread safepoint user_return dead"

check_eq "the core's paths in the stats, in order" "$core" "$(paths)"
check_eq "switched_syscall is still there (their total)" 1 \
	"$(grep -c '^switched_syscall ' $KG/$PT/stats)"
# The event's format gives each value its name: the same list, 0 up.
sym=$(grep -o '__print_symbolic(REC->path,[^)]*)' $FMT |
	grep -o '{ [0-9]*, "[a-z0-9_]*" }' | sed 's/{ \([0-9]*\), "\(.*\)" }/\1=\2/' |
	tr '\n' ' ' | sed 's/ $//')
want=$(i=0; for p in $core; do printf '%s=%s ' $i $p; i=$((i + 1)); done | sed 's/ $//')
check_eq "kgraft_task_switch's format names the same paths, by value" "$want" "$sym"

# A strategy's own paths: after the core's, counted in its slots.
tp=$(ko kgraft_test_paths) || { fail "kgraft_test_paths built" "built" "missing"; exit 1; }
check_cmd "a strategy registers paths alpha, beta" insmod "$tp" paths=alpha,beta
check_eq "its paths follow the core's" "$core alpha beta" "$(paths)"
check_eq "select it" 0 "$(sysfs_write $KG/$PT/strategy test_paths)"
check_eq "its start counts 1 on alpha, 2 on beta, then refuses" 95 \
	"$(sysfs_write $KG/$PT/enabled 1)"
check_eq "counts land on its own paths" "1 2 0" \
	"$(stat $PT switched_alpha) $(stat $PT switched_beta) $(stat $PT switched_sweep)"
check_eq "back to kgraft" 0 "$(sysfs_write $KG/$PT/strategy kgraft)"
check_cmd "the strategy unloads" rmmod kgraft_test_paths
check_eq "its paths are gone" "$core" "$(paths)"

# Clashes: a registered name, a total's name, an extension, bad names.
for p in sweep syscall kthread_x fork,x alpha,alpha Bad a-b \
	abcdefghijklmnopqrstuvwxyz0123456; do
	check_cmd "paths=$p refused" sh -c "! insmod '$tp' paths='$p' 2>/dev/null"
done
check_eq "nothing left registered by a refused module" "$core" "$(paths)"

# A freed slot is reused with its old count cleared.
check_cmd "a strategy registers path gamma" insmod "$tp" paths=gamma
check_eq "gamma in the freed slot, at 0" "$core gamma/0" \
	"$(paths)/$(stat $PT switched_gamma)"
rmmod kgraft_test_paths

# The real strategies, once built, name their own.
for st in stop_machine immediate klp; do
	if ! ko "kgraft_$st" > /dev/null 2>&1; then
		skip "$st registers its path" "kgraft_$st.ko not built"
		continue
	fi
	load_strategy $st
	p=$([ $st = stop_machine ] && echo stop || echo $st)
	check_eq "$st registers its path $p" "$core $p" "$(paths)"
	rmmod kgraft_$st
done
