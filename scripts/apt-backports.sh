#!/bin/bash
# Make Debian's <codename>-backports suite available to apt, derived from the
# machine's own apt source for <codename>: the same mirror, components and
# keyring, another suite name. No mirror host is written into the tree.
#
#   apt-backports.sh            add the suite if missing, print its name
#   apt-backports.sh --print    print the entry it would write, change nothing
#
# Why: QEMU 7.2 (bookworm) with multi-threaded TCG leaves vCPUs on stale code
# after text_poke on another vCPU (soft lockups); bookworm-backports' QEMU does
# not (see ../shared/design.md and the README).
set -euo pipefail

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || { echo "apt-backports: no VERSION_CODENAME in /etc/os-release" >&2; exit 1; }
suite=$codename-backports
out=/etc/apt/sources.list.d/kgraft-$suite.sources

# An entry already naming the suite, ours or the machine's, is enough.
has_suite() {
	grep -qsE "^[[:space:]]*(Suites:.*[[:space:]]$suite([[:space:]]|\$)|deb[[:space:]].*[[:space:]]$suite[[:space:]])" \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list
}

# deb822 stanzas: print "URIs|Components|Signed-By" of the first Types: deb
# stanza whose Suites include the codename itself.
from_deb822() {
	awk -v want="$codename" '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " want " ") && uris != "" && !done) {
				print uris "|" comps "|" signed; done = 1
			}
			types = suites = uris = comps = signed = ""
		}
		/^[[:space:]]*$/ { flush(); next }
		/^#/ { next }
		{
			key = $1; sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
			if (key == "Types") types = $0
			else if (key == "Suites") suites = $0
			else if (key == "URIs") uris = $0
			else if (key == "Components") comps = $0
			else if (key == "Signed-By") signed = $0
		}
		END { flush() }
	' "$@" 2>/dev/null | head -n1
}

# One-line format: "deb [opts] URI SUITE COMPONENTS..."
from_list() {
	awk -v want="$codename" '
		$1 != "deb" { next }
		{
			i = 2; signed = ""
			if ($2 ~ /^\[/) {
				while (i <= NF) {
					if ($i ~ /^\[?signed-by=/) { s = $i; sub(/^\[?signed-by=/, "", s); sub(/\]$/, "", s); signed = s }
					if ($i ~ /\]$/) { i++; break }
					i++
				}
			}
			if ($(i + 1) != want) next
			comps = ""
			for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
			print $i "|" comps "|" signed; exit
		}
	' "$@" 2>/dev/null | head -n1
}

entry() {
	local found uris comps signed
	found=$(from_deb822 /etc/apt/sources.list.d/*.sources)
	[ -n "$found" ] || found=$(from_list /etc/apt/sources.list /etc/apt/sources.list.d/*.list)
	if [ -z "$found" ]; then
		echo "apt-backports: no apt source for '$codename' to derive $suite from" >&2
		exit 1
	fi
	IFS='|' read -r uris comps signed <<<"$found"
	echo "# Written by kgraft's scripts/apt-backports.sh from the $codename entry."
	echo "Types: deb"
	echo "URIs: $uris"
	echo "Suites: $suite"
	echo "Components: ${comps:-main}"
	[ -z "$signed" ] || echo "Signed-By: $signed"
}

case "${1:-}" in
--print) entry; exit 0 ;;
"") ;;
*) echo "usage: apt-backports.sh [--print]" >&2; exit 2 ;;
esac

if ! has_suite; then
	entry >"$out.new"
	mv "$out.new" "$out"
	echo "apt-backports: added $suite ($out)" >&2
fi
echo "$suite"
