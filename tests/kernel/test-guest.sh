# SPDX-License-Identifier: GPL-2.0
# The guest the kernel suite runs in is the one the project promises: the
# stock kernel, the host's userland, and the file systems tests rely on.
. "$(dirname "$0")/lib.sh"

check_eq "running the stock kernel release" \
	"$(cat "$KGRAFT_BUILD/kernel/release")" "$(uname -r)"
check_eq "running as root" 0 "$(id -u)"
for fs in proc:/proc sysfs:/sys tracefs:/sys/kernel/tracing \
	debugfs:/sys/kernel/debug bpf:/sys/fs/bpf tmpfs:/tmp devtmpfs:/dev; do
	type=${fs%%:*}
	dir=${fs#*:}
	check_eq "$dir is mounted as $type" "$type" \
		"$(awk -v d="$dir" '$2 == d { t = $3 } END { print t }' /proc/mounts)"
done
check_cmd "livepatch is built in (/sys/kernel/livepatch exists)" test -d /sys/kernel/livepatch
check_cmd "the host root is read-only" sh -c "! touch $KGRAFT_TOP/.rw-probe 2>/dev/null"
hello=$(ko kgraft_test_hello)
check_cmd "a module built here loads" insmod "$hello"
check_cmd "and unloads" rmmod kgraft_test_hello
