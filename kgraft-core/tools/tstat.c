// SPDX-License-Identifier: GPL-2.0
/*
 * tstat: the kgraft_target looping kthread's counters. Prints
 * "kthread_calls N kthread_mixed M last a b c d running r napping s".
 * tstat wake: end every sleeper's sleep now.
 * tstat objects N: create and release N target objects (KGRAFT_TARGET_IOC_
 * OBJECTS); prints "objects N verified V".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "../include/uapi/kgraft_target.h"

int main(int argc, char **argv)
{
	struct kgraft_target_stats st;
	int fd = open(KGRAFT_TARGET_DEV, O_RDWR);

	if (argc == 2 && !strcmp(argv[1], "wake")) {
		if (fd < 0 || ioctl(fd, KGRAFT_TARGET_IOC_WAKE)) {
			perror("tstat wake");
			return 2;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "objects")) {
		struct kgraft_target_objects o = {
			.count = strtoull(argv[2], NULL, 10),
		};

		if (fd < 0 || ioctl(fd, KGRAFT_TARGET_IOC_OBJECTS, &o)) {
			perror("tstat objects");
			return 2;
		}
		printf("objects %llu verified %llu\n",
		       (unsigned long long)o.count,
		       (unsigned long long)o.verified);
		return 0;
	}
	if (fd < 0 || ioctl(fd, KGRAFT_TARGET_IOC_STATS, &st)) {
		perror("tstat");
		return 2;
	}
	printf("kthread_calls %llu kthread_mixed %llu last %u %u %u %u running %u napping %u\n",
	       (unsigned long long)st.kthread_calls,
	       (unsigned long long)st.kthread_mixed, st.kthread_last[0],
	       st.kthread_last[1], st.kthread_last[2], st.kthread_last[3],
	       st.kthread_running, st.napping);
	return 0;
}
