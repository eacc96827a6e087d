# SPDX-License-Identifier: GPL-2.0
# bench's BPF probes in the stock-kernel guest: each loads, attaches and
# sees the events it is shown.
. "$(dirname "$0")/lib.sh"

BENCH=${BENCH:-$KGRAFT_BUILD/bench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# These two poll with shell builtins and a deadline in real time: starting
# a process (ls, grep, sleep) takes long enough in this guest to miss a
# short run, or to stretch a poll loop counted in iterations for minutes.

# running PID: wait until bench's workload threads exist (its probes are
# attached by then); fails if bench ends first or within 30 s.
running() {
	local end=$((SECONDS + 30)) t
	while kill -0 "$1" 2> /dev/null && [ $SECONDS -lt $end ]; do
		t=(/proc/"$1"/task/*)
		[ ${#t[@]} -ge 2 ] && return 0
	done
	return 1
}

# reads FILE VALUE SECONDS: wait until FILE holds VALUE.
reads() {
	local end=$((SECONDS + $3)) v
	while [ $SECONDS -lt $end ]; do
		read -r v < "$1" && [ "$v" = "$2" ] && return 0
	done
	return 1
}

# sum FLAT REGEX: the sum of the values of the paths matching REGEX.
sum() { grep -E "^$2=" "$1" | awk -F= '{ s += $2 } END { print s + 0 }'; }

# --- syscall: a workload that makes exactly N getppid calls (N known from
# its own count): the probe must count at least N of syscall 110.
if "$BENCH" workload target --op getppid --duration 1 --probes syscall \
	--counters none --json "$tmp/sys.json" > "$tmp/sys.out" 2>&1; then
	jflat "$tmp/sys.json" > "$tmp/sys.flat"
	n=$(jget "$tmp/sys.flat" workload.ops)
	seen=$(jget "$tmp/sys.flat" probes.syscall.count_by_nr.110)
	p50=$(jget "$tmp/sys.flat" probes.syscall.latency.p50_ns)
	diag "syscall probe: workload made $n getppid calls, probe counted ${seen:-none} (p50 $p50 ns)"
	check_ge "syscall probe: workload made calls" 1 "$n"
	check_ge "syscall probe: counts at least the $n getppid calls" "$n" "${seen:-0}"
else
	fail "syscall probe loads and runs" "exit 0" "$(tail -n 3 "$tmp/sys.out")"
fi

# --- sched: every timer wake-up of the wakeup workload is a wakeup-to-run.
if "$BENCH" workload wakeup --rate 500 --duration 1 --probes sched \
	--counters none --json "$tmp/sched.json" > "$tmp/sched.out" 2>&1; then
	jflat "$tmp/sched.json" > "$tmp/sched.flat"
	n=$(jget "$tmp/sched.flat" workload.ops)
	seen=$(jget "$tmp/sched.flat" probes.sched.latency.count)
	p99=$(($(jget "$tmp/sched.flat" probes.sched.latency.p99_ns) / 1000))
	diag "sched probe: $n timer wake-ups, $seen wakeup-to-run events (p99 $p99 us)"
	# Not exactly one each: a wake-up so late that the next deadline has
	# passed before clock_nanosleep() returns at once, without sleeping.
	check_ge "sched probe: sees (nearly) every wake-up of the workload" \
		$((n * 9 / 10)) "$seen"
else
	fail "sched probe loads and runs" "exit 0" "$(tail -n 3 "$tmp/sched.out")"
fi

# --- stop: taking a CPU offline runs stop_machine() on every online CPU.
if [ "$(nproc)" -lt 2 ] || [ ! -w /sys/devices/system/cpu/cpu1/online ]; then
	skip "stop probe sees stop_machine" "needs a second CPU that can go offline"
else
	"$BENCH" workload stall --duration 2 --probes stop --counters none \
		--json "$tmp/stop.json" > "$tmp/stop.out" 2>&1 &
	pid=$!
	running "$pid" || diag "the workload was not seen running"
	echo 0 > /sys/devices/system/cpu/cpu1/online
	echo 1 > /sys/devices/system/cpu/cpu1/online
	if wait "$pid"; then
		jflat "$tmp/stop.json" > "$tmp/stop.flat"
		mode=$(jget "$tmp/stop.flat" probes.stop.mode)
		stops=$(sum "$tmp/stop.flat" 'probes\.stop\.per_cpu\.[0-9]+\.stops')
		cpu0=$(jget "$tmp/stop.flat" probes.stop.per_cpu.0.stops)
		longest=$(($(jget "$tmp/stop.flat" probes.stop.latency.max_ns) / 1000))
		events=$(grep -c '^probes\.stop\.events\.[0-9]*\.cpu=' "$tmp/stop.flat")
		diag "stop probe ($mode): $stops CPU stops for one offline+online, cpu0 $cpu0, longest $longest us"
		check_eq "stop probe: fentry on multi_cpu_stop attaches on the stock kernel" multi_cpu_stop "$mode"
		check_ge "stop probe: cpu0 was stopped" 1 "$cpu0"
		check_ge "stop probe: stops on both CPUs" 2 "$stops"
		check_eq "stop probe: one event per stop" "$stops" "$events"
	else
		fail "stop probe runs" "exit 0" "$(tail -n 3 "$tmp/stop.out")"
	fi
fi

# --- kgraft: without the core, a clear refusal naming the tracepoint.
if [ -d /sys/kernel/tracing/events/kgraft ]; then
	skip "kgraft probe refuses without the core" "the core is already loaded"
else
	"$BENCH" workload stall --duration 0.1 --probes kgraft --counters none \
		> "$tmp/kg0.out" 2>&1
	rc=$?
	check_eq "kgraft probe without the core: exit 1" 1 "$rc"
	if grep -q "tracepoint kgraft:kgraft_transition_start is missing" "$tmp/kg0.out"; then
		ok "kgraft probe without the core: says which tracepoint is missing"
	else
		fail "kgraft probe without the core: says which tracepoint is missing" \
			"'tracepoint kgraft:kgraft_transition_start is missing'" "$(cat "$tmp/kg0.out")"
	fi
fi

# --- kgraft: with the core, one enable and one disable of the target patch
# while the target workload runs: both transitions and task switches arrive
# in the ring buffer, decoded with the events' formats.
core=$(ko kgraft 2>/dev/null)
target=$(ko kgraft_target 2>/dev/null)
patch=$(ko kgraft_patch_target 2>/dev/null)
sysp=/sys/kernel/kgraft/kgraft_patch_target
if [ -z "$core" ] || [ -z "$target" ] || [ -z "$patch" ]; then
	skip "kgraft probe sees transitions" "kgraft.ko, kgraft_target.ko or kgraft_patch_target.ko not built"
elif ! insmod "$core" || ! insmod "$target" || ! insmod "$patch"; then
	fail "kgraft modules load" "insmod exits 0" "insmod failed"
else
	# Long enough for both transitions; interrupted once they are done,
	# which keeps the results (marked so) and exits 1.
	"$BENCH" workload target --op ioctl --threads 2 --duration 60 --probes kgraft \
		--counters none --json "$tmp/kg.json" > "$tmp/kg.out" 2>&1 &
	pid=$!
	running "$pid" || diag "the workload was not seen running"
	echo 1 > $sysp/enabled
	reads $sysp/transition 0 30 || diag "enable transition did not finish in 30 s"
	echo 0 > $sysp/enabled
	reads $sysp/transition 0 30 || diag "disable transition did not finish in 30 s"
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	check_eq "kgraft probe: interrupted run exits 1" 1 "$rc"
	if [ -s "$tmp/kg.json" ]; then
		check_eq "kgraft probe: interrupted run marked so" true \
			"$(jflat "$tmp/kg.json" | sed -n 's/^interrupted=//p')"
		f=$tmp/kg.flat
		jflat "$tmp/kg.json" > "$f"
		ev='probes\.kgraft\.events\.[0-9]*'
		starts=$(grep -c "^$ev\.event=\"kgraft_transition_start\"$" "$f")
		ends=$(grep -c "^$ev\.event=\"kgraft_transition_end\"$" "$f")
		sw=$(grep -c "^$ev\.event=\"kgraft_task_switch\"$" "$f")
		names=$(grep "^$ev\.patch=" "$f" | cut -d= -f2 | sort -u | tr -d '"' | tr '\n' ' ')
		durs=$(grep "^$ev\.duration_ns=" "$f" | cut -d= -f2 | tr '\n' ' ')
		mixed=$(jget "$f" workload.mixed)
		diag "kgraft probe: $starts starts, $ends ends (durations ns: $durs), $sw task switches; workload saw $mixed mixed chains"
		check_eq "kgraft probe: a start per transition" 2 "$starts"
		check_eq "kgraft probe: an end per transition" 2 "$ends"
		check_eq "kgraft probe: the patch's name decoded" "kgraft_patch_target " "$names"
		check_ge "kgraft probe: task switches seen" 2 "$sw"
	else
		fail "kgraft probe writes its results when interrupted" "$tmp/kg.json" \
			"none; $(tail -n 3 "$tmp/kg.out")"
	fi
	rmmod kgraft_patch_target 2>/dev/null || diag "rmmod kgraft_patch_target failed"
	rmmod kgraft_target 2>/dev/null || diag "rmmod kgraft_target failed"
	rmmod kgraft 2>/dev/null || diag "rmmod kgraft failed"
fi
