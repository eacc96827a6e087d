# SPDX-License-Identifier: GPL-2.0
# Helpers for the kernel tests (sourced; bash). A test file prints one TAP
# line per check through these functions; tests/kernel/run.sh numbers them
# and prints the plan, as kselftest does. Run inside the guest only.

: "${KGRAFT_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${KGRAFT_BUILD:=$KGRAFT_TOP/build}"
KMOD=$KGRAFT_BUILD/kmod

# ok DESC: a check that passed.
ok() { echo "ok - $*"; }

# fail DESC EXPECTED SAW: a check that failed, with what was expected and seen.
fail() {
	echo "not ok - $1"
	echo "#   expected: $2"
	echo "#   saw:      $3"
}

# skip DESC WHY: genuinely unavailable here; never used for a failure.
skip() { echo "ok - $1 # SKIP $2"; }

# diag TEXT: a comment line in the TAP stream.
diag() { echo "# $*"; }

# check_eq DESC EXPECTED SAW
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "$2" "$3"; fi
}

# check_cmd DESC CMD...: passes when CMD exits 0; shows its output otherwise.
check_cmd() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		fail "$desc" "'$*' exits 0" "exit $?: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	fi
}

# check_le DESC LIMIT SAW / check_ge DESC LIMIT SAW (integers)
check_le() {
	if [ "$3" -le "$2" ]; then ok "$1"; else fail "$1" "<= $2" "$3"; fi
}
check_ge() {
	if [ "$3" -ge "$2" ]; then ok "$1"; else fail "$1" ">= $2" "$3"; fi
}

# ko NAME: path of a module built from this tree (build/kmod/.../NAME.ko).
ko() {
	local f
	f=$(find "$KMOD" -name "$1.ko" | head -n1)
	[ -n "$f" ] || { echo "lib.sh: module $1.ko not built" >&2; return 1; }
	echo "$f"
}

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds.
wait_for() {
	local limit=$1 i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -ge $((limit * 20)) ] && return 1
		sleep 0.05
	done
}

# jflat FILE: bench's JSON (one member per line, as it writes it) as
# "path=value" lines, e.g. workload.per_thread.0.ops=123; strings keep
# their quotes. awk, because a python3 start takes ~40 s in the TCG guest.
jflat() {
	awk '
	function path(key,   i, p) {
		p = ""
		for (i = 1; i <= d; i++)
			p = p k[i] "."
		return p key
	}
	{
		line = $0
		sub(/^[ \t]+/, "", line)
		sub(/,$/, "", line)
		if (line == "}" || line == "]") {
			d--
			next
		}
		if (line ~ /^"[^"]*": /) {
			key = line
			sub(/^"/, "", key)
			sub(/": .*$/, "", key)
			val = line
			sub(/^"[^"]*": /, "", val)
		} else if (d > 0 && arr[d]) {
			key = n[d]++
			val = line
		} else {
			key = ""
			val = line
		}
		if (val == "{" || val == "[") {
			if (key == "" && d == 0 && !started) {
				started = 1
				next
			}
			d++
			k[d] = key
			arr[d] = val == "["
			n[d] = 0
			next
		}
		print path(key) "=" val
	}' "$1"
}

# jget FLAT PATH: one value from jflat output (strings unquoted).
jget() {
	sed -n "s/^$(printf '%s' "$2" | sed 's/[.[\*^$]/\\&/g')=//p" "$1" | head -n 1 | sed 's/^"\(.*\)"$/\1/'
}
