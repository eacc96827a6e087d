# SPDX-License-Identifier: GPL-2.0
# A short `bench run` per strategy in the guest (the running kernel:
# --target=local) must leave a complete results directory whose summary
# holds every field with plausible values: every cycle done, transitions
# timed, task switches that add up to the tasks present at the start, by
# the strategy's own path; stop_machine stops at least once per transition
# and the others never; no mixed chain except with immediate; probes and
# counters by phase. A strategy whose module is not built is skipped.
# testlib.sh (it sources lib.sh) for load_core.
. "$(dirname "$0")/../../kgraft-core/tools/testlib.sh"

bench=$KGRAFT_BUILD/bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run STRATEGY [ARGS]: two short cycles; the summary flattened into
# $tmp/S.flat.
run() {
	local st=$1 out=$tmp/run-$1 rc f
	shift
	"$bench" run --target=local --strategy="$st" --patch=target --cycles 2 \
		--baseline 0.3 --settled 0.3 --gap 0.1 --seed 7 --out "$out" "$@" \
		> "$tmp/log-$st" 2>&1
	rc=$?
	check_eq "$st: bench run --target=local exits 0" 0 "$rc"
	[ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/log-$st" | tail -n 20
	for f in status summary metadata; do
		jflat "$out/$f.json" > "$tmp/$st-$f.flat" 2>/dev/null
	done
	cp "$tmp/$st-summary.flat" "$tmp/$st.flat"
	return $rc
}

# g STRATEGY PATH: a value of that strategy's summary, 0 when absent.
g() {
	local v
	v=$(jget "$tmp/$1.flat" "$2")
	echo "${v:-0}"
}

# The checks every strategy's run must pass.
common() {
	local st=$1 s=$tmp/$1.flat
	check_eq "$st: status.json says complete" complete \
		"$(jget "$tmp/$st-status.flat" status)"
	check_eq "$st: both cycles done" 2 "$(jget "$s" cycles_done)"
	check_eq "$st: two apply transitions timed" 2 \
		"$(jget "$s" strategies.$st.transitions.apply_ns.count)"
	check_eq "$st: two revert transitions timed" 2 \
		"$(jget "$s" strategies.$st.transitions.revert_ns.count)"
	check_ge "$st: the target workload ran (calls)" 100 \
		"$(jget "$s" workloads.target.ops)"
	check_ge "$st: the target workload ran during transitions" 1 \
		"$(jget "$s" strategies.$st.workloads.target.apply.latency_ns.count)"
	check_ge "$st: the stall detector ran" 1000 "$(jget "$s" workloads.stall.ops)"
	check_eq "$st: events.csv records each apply" 2 \
		"$(grep -c ',apply,' "$tmp/run-$st/events.csv")"
	check_cmd "$st: the patch module was unloaded after the run" \
		sh -c "! grep -q '^kgraft_patch_target ' /proc/modules"
}

# converge STRATEGY: convergence.json has each transition with the kernel's
# bounds, and every sample within it, at most its tasks (+10%: tasks born
# meanwhile); the lazy strategies were sampled inside their transitions.
converge() {
	local st=$1 f=$tmp/run-$1/convergence.json fl=$tmp/$1-conv.flat bad n
	check_cmd "$st: convergence.json written" test -s "$f"
	jflat "$f" > "$fl" 2>/dev/null
	check_eq "$st: a convergence entry per transition" 4 \
		"$(grep -c '^transitions\.[0-9]*\.phase=' "$fl")"
	check_eq "$st: each with the kernel's start and end" 8 \
		"$(grep -c '^transitions\.[0-9]*\.\(start\|end\)_ns=' "$fl")"
	bad=$(awk -F'[.=]' '
		$3 == "settled_ns" { set[$2] = $4 }
		$3 == "tasks_at_start" { ts[$2] = $4 }
		$3 == "samples" && $5 == 0 { t[$2 "." $4] = $6 }
		$3 == "samples" && $5 == 1 { p[$2 "." $4] = $6 }
		END {
			for (s in p) {
				split(s, i, ".")
				if (p[s] < 0 || p[s] > ts[i[1]] * 1.1 + 1 ||
				    t[s] > set[i[1]])
					print s ": " t[s] " ns, " p[s] " pending"
			}
		}' "$fl")
	check_eq "$st: every sample within its transition, at most its tasks" "" "$bad"
	# Tasks only leave the count (forks add a few): it never climbs back,
	# as it did when a read during the start saw states half made.
	bad=$(awk -F'[.=]' '
		$3 == "tasks_at_start" { ts[$2] = $4 }
		$3 == "samples" && $5 == 1 { p[$2, $4] = $6; if ($4 + 1 > n[$2]) n[$2] = $4 + 1 }
		END {
			for (tr in n)
				for (k = 1; k < n[tr]; k++)
					if (p[tr, k] > p[tr, k - 1] + ts[tr] / 10 + 2)
						print tr "." k ": " p[tr, k - 1] " then " p[tr, k]
		}' "$fl")
	check_eq "$st: pending never climbs back within a transition" "" "$bad"
	n=$(grep -c '^transitions\.[0-9]*\.samples\.[0-9]*\.1=' "$fl")
	diag "$st: $n pending samples over 4 transitions"
	case $st in kgraft|kgraft_sweep|klp)
		check_ge "$st: pending tasks sampled inside its transitions" 1 "$n"
	esac
}

# switches STRATEGY PATH: every task switched once, by the strategy's path.
switches() {
	local st=$1 path=$2 d ts sw by
	for d in apply revert; do
		ts=$(g "$st" strategies.$st.kernel.$d.tasks_at_start)
		sw=$(g "$st" strategies.$st.kernel.$d.switched)
		by=$(g "$st" strategies.$st.kernel.$d.switched_by_path.$path)
		diag "$st $d: $ts tasks at start (2 transitions), $sw switched$([ "$path" = lazy ] || echo ", $by by $path")"
		check_ge "$st $d: tasks at start counted" 2 "$ts"
		# Tasks that exit before switching, or are born during the
		# transition, move the count a little; never by a tenth.
		check_ge "$st $d: task switches add up to the tasks at start (>= 90%)" \
			$((ts * 9 / 10)) "$sw"
		check_le "$st $d: task switches add up to the tasks at start (<= 110%)" \
			$((ts * 11 / 10 + 2)) "$sw"
		if [ "$path" = lazy ]; then
			check_eq "$st $d: no task switched by another strategy's path" 0 \
				$(($(g "$st" strategies.$st.kernel.$d.switched_by_path.stop) +
				   $(g "$st" strategies.$st.kernel.$d.switched_by_path.immediate) +
				   $(g "$st" strategies.$st.kernel.$d.switched_by_path.klp)))
		else
			check_eq "$st $d: every switch by the $path path" "$sw" "$by"
		fi
	done
}

# stops STRATEGY: what the kernel and the stop probe saw of stop_machine.
stops() {
	local st=$1 s=$tmp/$1.flat d
	for d in apply revert; do
		diag "$st $d: $(g "$st" strategies.$st.kernel.$d.stops.count) stops ($(g "$st" strategies.$st.kernel.$d.stops.busy) busy), longest $(g "$st" strategies.$st.kernel.$d.stops.max_total_ns) ns, last rendezvous p50 $(g "$st" strategies.$st.kernel.$d.stops.last_stop_ns.rendezvous.p50_ns) ns, check p50 $(g "$st" strategies.$st.kernel.$d.stops.last_stop_ns.check.p50_ns) ns"
		if [ "$st" = stop_machine ]; then
			check_ge "$st $d: at least one stop per transition" 1 \
				"$(g "$st" strategies.$st.kernel.$d.stops.min_per_transition)"
			check_ge "$st $d: the stop took time" 1 \
				"$(g "$st" strategies.$st.kernel.$d.stops.max_total_ns)"
		else
			check_eq "$st $d: no stop" 0 \
				"$(g "$st" strategies.$st.kernel.$d.stops.count)"
		fi
	done
	if [ "$(jget "$s" probes.stop.attached)" != true ]; then
		skip "$st: the stop probe saw the stops" \
			"stop probe not attached: $(jget "$s" probes.stop.error)"
	elif [ "$st" = stop_machine ]; then
		diag "$st: stop probe ($(jget "$s" probes.stop.mode)) in apply: $(g "$st" strategies.$st.probes.stop.apply.stop_ns.count) CPU stops, longest $(g "$st" strategies.$st.probes.stop.apply.stop_ns.max_ns) ns"
		check_ge "$st: the stop probe saw a CPU stopped in each apply" 2 \
			"$(g "$st" strategies.$st.probes.stop.apply.stop_ns.count)"
	fi
	if [ "$(jget "$s" probes.kgraft.attached)" = true ]; then
		check_eq "$st: one kgraft_stop event per stop the kernel counted" \
			$(( $(g "$st" strategies.$st.kernel.apply.stops.count) +
			    $(g "$st" strategies.$st.kernel.revert.stops.count) )) \
			$(( $(g "$st" strategies.$st.probes.kgraft.apply.kgraft_stop) +
			    $(g "$st" strategies.$st.probes.kgraft.revert.kgraft_stop) ))
	fi
}

mixed() {
	local st=$1 m
	m=$(jget "$tmp/$st.flat" workloads.target.mixed)
	if [ "$st" = immediate ]; then
		# No check: whether a call straddles the switch is luck here;
		# tests/kernel/test-strategy-immediate.sh forces one.
		diag "$st: ${m:-?} mixed chains (allowed: no consistency)"
	else
		check_eq "$st: no mixed chain seen by the target workload" 0 "$m"
	fi
}

# --- kgraft: always there (built into kgraft.ko). At the tests' pace
# (load_core: checks every 100 ms, fake signals after 1 s; --knobs native
# keeps it), not klp's 15 s before the first signal.
load_core || fail "kgraft.ko loads at the tests' pace" "insmod ok" "failed"
run kgraft --knobs native
ran=$?
rmmod kgraft 2>/dev/null
if [ $ran -eq 0 ]; then
	s=$tmp/kgraft.flat
	common kgraft
	mixed kgraft
	converge kgraft
	switched=0
	for p in syscall_enter syscall_exit sweep signal fork force idle kthread \
		safepoint user_return dead; do
		switched=$((switched + $(g kgraft "strategies.kgraft.task_switches.$p")))
	done
	check_ge "kgraft: tasks switched universe (all paths, both ways)" 2 "$switched"
	check_eq "kgraft: no task switched by a stack check (sweep, kthread)" 0 \
		$(($(g kgraft strategies.kgraft.task_switches.sweep) +
		   $(g kgraft strategies.kgraft.task_switches.kthread)))
	check_ge "kgraft: kthreads switched at their loops' safe points" 1 \
		"$(g kgraft strategies.kgraft.task_switches.safepoint)"
	check_eq "metadata: the 2014 model's timing as run (load_core's)" \
		"100 100 1000" \
		"$(for k in first_check_ms recheck_ms fake_signal_ms; do jget "$tmp/kgraft-metadata.flat" timing.$k; done | tr '\n' ' ' | sed 's/ $//')"
	check_eq "metadata names the running kernel" "$(uname -r)" \
		"$(jget "$tmp/kgraft-metadata.flat" kernel_release)"
	check_eq "metadata keeps the seed" 7 "$(jget "$tmp/kgraft-metadata.flat" seed)"
	if grep -q '"tasks_at_start"' "$tmp/run-kgraft/cycles.json"; then
		switches kgraft lazy
		stops kgraft
	else
		skip "kgraft: task switches against tasks at start" \
			"this kgraft.ko has no tasks_at_start stat yet"
	fi
	# Probes and counters by phase (the defaults).
	for p in stop sched kgraft; do
		a=$(jget "$s" probes.$p.attached)
		[ "$a" = true ] || diag "probe $p not attached: $(jget "$s" probes.$p.error)"
		check_eq "probe $p attached" true "$a"
	done
	check_ge "sched probe: wake-ups seen in the baseline" 1 \
		"$(g kgraft strategies.kgraft.probes.sched.baseline.latency_ns.count)"
	ev=$(($(g kgraft strategies.kgraft.probes.kgraft.apply.kgraft_task_switch) +
	      $(g kgraft strategies.kgraft.probes.kgraft.revert.kgraft_task_switch)))
	sw=$(($(g kgraft strategies.kgraft.kernel.apply.switched) +
	      $(g kgraft strategies.kgraft.kernel.revert.switched)))
	diag "kgraft probe: $ev task-switch events in transitions, the core counted $sw"
	if [ "$sw" -gt 0 ]; then
		check_ge "kgraft probe: a task-switch event for (nearly) every switch" \
			$((sw * 9 / 10)) "$ev"
	fi
	# Each event counted under the name its value has in the event's
	# format file (bench keeps no list of the core's paths).
	byp=$(grep -E '^strategies\.kgraft\.probes\.kgraft\.(apply|revert)\.task_switch_by_path\.[a-z0-9_]+=' "$s" |
	      awk -F= '{ s += $2 } END { print s + 0 }')
	check_eq "kgraft probe: every task-switch event counted by its path's name" "$ev" "$byp"
	check_eq "kgraft probe: the paths named as the kernel's format names them" 1 \
		"$(grep -c '^strategies\.kgraft\.probes\.kgraft\.apply\.task_switch_by_path\.safepoint=' "$s")"
	check_eq "kgraft probe: two transitions started in the apply phases" 2 \
		"$(g kgraft strategies.kgraft.probes.kgraft.apply.kgraft_transition_start)"
	check_ge "counters: context switches counted in the baseline" 1 \
		"$(g kgraft strategies.kgraft.counters.baseline.context-switches)"
	check_ge "cycles.json: per-cycle probe numbers" 1 \
		"$(grep -c '"probes": {' "$tmp/run-kgraft/cycles.json")"
	check_cmd "probe-stop.json written" test -s "$tmp/run-kgraft/probe-stop.json"
fi

# --- kgraft_sweep, the hybrid: built in too.
if run kgraft_sweep; then
	common kgraft_sweep
	mixed kgraft_sweep
	converge kgraft_sweep
	switches kgraft_sweep lazy
	check_ge "kgraft_sweep: tasks switched by a stack check (sweep, kthread)" 1 \
		$(($(g kgraft_sweep strategies.kgraft_sweep.task_switches.sweep) +
		   $(g kgraft_sweep strategies.kgraft_sweep.task_switches.kthread)))
	check_eq "kgraft_sweep: none by the 2014 model's paths" 0 \
		$(($(g kgraft_sweep strategies.kgraft_sweep.task_switches.safepoint) +
		   $(g kgraft_sweep strategies.kgraft_sweep.task_switches.user_return) +
		   $(g kgraft_sweep strategies.kgraft_sweep.task_switches.dead)))
fi

# --- the strategy modules, once built.
for st in stop_machine immediate klp; do
	if ! ko "kgraft_$st" > /dev/null 2>&1; then
		skip "$st: a short bench run" "kgraft_$st.ko not built yet (strategies/$st)"
		continue
	fi
	run "$st" || continue
	common "$st"
	mixed "$st"
	converge "$st"
	switches "$st" "$([ "$st" = stop_machine ] && echo stop || echo "$st")"
	stops "$st"
	check_cmd "$st: cycles.json holds the machine-wide stall per phase" \
		grep -q '"machine_stall_ns"' "$tmp/run-$st/cycles.json"
	check_cmd "$st: cycles.json holds the excess lost time per phase" \
		grep -q '"excess_lost_ns"' "$tmp/run-$st/cycles.json"
	if [ "$st" = stop_machine ]; then
		check_ge "$st: summary records the module's retries" 1 \
			"$(g "$st" strategies.$st.module_params.retries)"
		# The stall detector checked against the stop probe per apply.
		check_eq "$st: a stall coverage for each apply" 2 \
			"$(g "$st" strategies.$st.stall.apply.stop_coverage_n)"
		check_cmd "$st: bench run prints the coverage per apply" \
			grep -q "machine-wide stall / stopped time per CPU (probe), per apply:" \
			"$tmp/log-$st"
	fi
done

# --- stop_machine refused: tasks asleep inside the patch (the population's
# sleepers) keep every attempt busy; the refusal is a result, the run goes on.
if ko kgraft_stop_machine > /dev/null 2>&1; then
	out=$tmp/run-refused
	"$bench" run --target=local --strategy=stop_machine --patch=target \
		--workload=target,population --tasks-inside 4 --cycles 1 --baseline 0.3 \
		--settled 0.3 --gap 0.1 --seed 7 --out "$out" > "$tmp/log-refused" 2>&1
	rc=$?
	check_eq "stop_machine refused: bench run exits 0" 0 "$rc"
	[ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/log-refused" | tail -n 20
	jflat "$out/summary.json" > "$tmp/refused.flat" 2>/dev/null
	check_eq "stop_machine refused: the apply counted as refused" 1 \
		"$(jget "$tmp/refused.flat" strategies.stop_machine.applies_refused)"
	check_eq "stop_machine refused: every attempt's stop refused (5 of 5)" "5 5" \
		"$(jget "$tmp/refused.flat" strategies.stop_machine.kernel.apply.stops.count) $(jget "$tmp/refused.flat" strategies.stop_machine.kernel.apply.stops.busy)"
	check_cmd "stop_machine refused: the run is complete" \
		grep -q '"complete"' "$out/status.json"
	check_cmd "stop_machine refused: the cycle says so" \
		grep -q "apply refused" "$tmp/log-refused"
fi

# --- a scenario and the knobs beside it: busy kthreads in the target
# module, spinners and churn in the population, both kgraft strategies at
# klp's timing (--knobs parity, the default); all of it in the results.
out=$tmp/run-scenario
"$bench" run --target=local --strategy=kgraft_sweep --patch=target \
	--scenario busy-kthreads --spinners 2 --churn 50 --cycles 1 \
	--baseline 0.3 --settled 0.3 --gap 0.1 --seed 7 --no-counters \
	--out "$out" > "$tmp/log-scenario" 2>&1
rc=$?
check_eq "scenario busy-kthreads: bench run exits 0" 0 "$rc"
[ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/log-scenario" | tail -n 20
jflat "$out/metadata.json" > "$tmp/sc-meta.flat" 2>/dev/null
jflat "$out/summary.json" > "$tmp/sc.flat" 2>/dev/null
jflat "$out/workload-population.json" > "$tmp/sc-pop.flat" 2>/dev/null
check_eq "scenario: metadata names it, its knobs and the timing" \
	"busy-kthreads 2 2 50 parity" \
	"$(for k in scenario busy_kthreads spinners churn_hz knobs; do jget "$tmp/sc-meta.flat" $k; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "scenario: kgraft.ko ran at klp's timing (sweep 1 s, signals after 15 s; checks at once and every 1 s, signals from 15 s)" \
	"1000 15000 0 1000 15000" \
	"$(for k in sweep_interval_ms signal_delay_ms first_check_ms recheck_ms fake_signal_ms; do jget "$tmp/sc.flat" strategies.kgraft_sweep.module_params.$k; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "scenario: metadata states that timing" "1000 15000 0 1000 15000" \
	"$(for k in sweep_interval_ms signal_delay_ms first_check_ms recheck_ms fake_signal_ms; do jget "$tmp/sc-meta.flat" timing.$k; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "scenario: two busy kthreads and two spinners ran" "2 2" \
	"$(jget "$tmp/sc-pop.flat" workload.busy_kthreads) $(jget "$tmp/sc-pop.flat" workload.spinners)"
check_ge "scenario: the busy kthreads looped through the chain" 1000 \
	"$(jget "$tmp/sc-pop.flat" workload.busy_calls)"
check_eq "scenario: no busy kthread ran a mixed chain" 0 \
	"$(jget "$tmp/sc-pop.flat" workload.busy_mixed)"
check_ge "scenario: churn forked" 10 "$(jget "$tmp/sc-pop.flat" workload.ops)"
check_cmd "scenario: the busy kthreads are gone with the module" \
	sh -c "! grep -q '^kgraft_target ' /proc/modules"
check_cmd "scenario: kgraft's knobs are back to its own (module reloaded)" \
	sh -c "! grep -q '^kgraft ' /proc/modules || { [ \$(cat /sys/module/kgraft/parameters/sweep_interval_ms) = 100 ] && [ \$(cat /sys/module/kgraft/parameters/first_check_ms) = 10000 ]; }"

# --- the replace scenario: v2 of the chain enabled before each cycle, a
# cumulative v3 replacing it as the apply, outside every phase; the kernel
# says v2 was replaced once per cycle, no call saw a mixed chain, and both
# patch modules are gone at the end.
out=$tmp/run-replace
dmesg -C
"$bench" run --target=local --strategy=kgraft_sweep --scenario replace \
	--tasks-outside 0 --cycles 2 --baseline 0.3 --settled 0.3 --gap 0.1 \
	--seed 8 --no-counters --out "$out" > "$tmp/log-replace" 2>&1
rc=$?
check_eq "scenario replace: bench run exits 0" 0 "$rc"
[ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/log-replace" | tail -n 20
jflat "$out/metadata.json" > "$tmp/rp-meta.flat" 2>/dev/null
jflat "$out/summary.json" > "$tmp/rp.flat" 2>/dev/null
jflat "$out/workload-target.json" > "$tmp/rp-target.flat" 2>/dev/null
check_eq "scenario replace: metadata and summary name the scenario and patch" \
	"replace replace" \
	"$(jget "$tmp/rp-meta.flat" scenario) $(jget "$tmp/rp.flat" patch)"
check_eq "scenario replace: 2 applies (the replacements) and 2 reverts" "2 2" \
	"$(jget "$tmp/rp.flat" strategies.kgraft_sweep.transitions.apply_ns.count) $(jget "$tmp/rp.flat" strategies.kgraft_sweep.transitions.revert_ns.count)"
check_eq "scenario replace: the kernel replaced v2 by v3 once per cycle" 2 \
	"$(dmesg | grep -c 'kgraft: kgraft_patch_target: replaced by kgraft_patch_target_v3')"
check_ge "scenario replace: the target workload checked calls" 1000 \
	"$(jget "$tmp/rp-target.flat" workload.ops)"
check_eq "scenario replace: no call saw a mixed chain" 0 \
	"$(jget "$tmp/rp-target.flat" workload.mixed)"
check_cmd "scenario replace: both patch modules unloaded" \
	sh -c "! grep -qE '^kgraft_patch_target(_v3)? ' /proc/modules"
