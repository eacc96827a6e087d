// SPDX-License-Identifier: GPL-2.0
/* spin: a user task that never makes a syscall once started; kill it. */
int main(void)
{
	for (;;)
		__asm__ __volatile__("" : : : "memory");
}
