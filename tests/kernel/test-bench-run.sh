# SPDX-License-Identifier: GPL-2.0
# A short `bench run` in the guest (the running kernel: --target=local) must
# leave a complete results directory whose summary holds every field with
# plausible values: every cycle done, transitions timed, no mixed chain,
# workloads that ran, task switches that add up.
. "$(dirname "$0")/lib.sh"

bench=$KGRAFT_BUILD/bench
tmp=$(mktemp -d)
out=$tmp/run
trap 'rm -rf "$tmp"' EXIT

"$bench" run --target=local --strategy=kgraft --patch=target --cycles 2 \
	--baseline 0.3 --settled 0.3 --gap 0.1 --seed 7 --out "$out" > "$tmp/log" 2>&1
rc=$?
check_eq "bench run --target=local exits 0" 0 "$rc"
[ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/log" | tail -n 20
for f in status summary metadata; do
	jflat "$out/$f.json" > "$tmp/$f.flat" 2>/dev/null
done
s=$tmp/summary.flat
check_eq "status.json says complete" complete "$(jget "$tmp/status.flat" status)"
check_eq "both cycles done" 2 "$(jget "$s" cycles_done)"
check_eq "two apply transitions timed" 2 \
	"$(jget "$s" strategies.kgraft.transitions.apply_ns.count)"
check_eq "two revert transitions timed" 2 \
	"$(jget "$s" strategies.kgraft.transitions.revert_ns.count)"
check_eq "no mixed chain seen by the target workload" 0 \
	"$(jget "$s" workloads.target.mixed)"
check_ge "the target workload ran (calls)" 100 "$(jget "$s" workloads.target.ops)"
check_ge "the target workload ran during transitions" 1 \
	"$(jget "$s" strategies.kgraft.workloads.target.apply.latency_ns.count)"
check_ge "the stall detector ran" 1000 "$(jget "$s" workloads.stall.ops)"
switched=0
for p in syscall_enter syscall_exit sweep signal fork force idle kthread; do
	v=$(jget "$s" "strategies.kgraft.task_switches.$p")
	switched=$((switched + ${v:-0}))
done
check_ge "tasks switched universe (all paths, both ways)" 2 "$switched"
check_eq "events.csv records each apply" 2 "$(grep -c ',apply,' "$out/events.csv")"
check_eq "metadata names the running kernel" "$(uname -r)" \
	"$(jget "$tmp/metadata.flat" kernel_release)"
check_eq "metadata keeps the seed" 7 "$(jget "$tmp/metadata.flat" seed)"
check_cmd "the patch module was unloaded after the run" \
	sh -c "! grep -q '^kgraft_patch_target ' /proc/modules"
