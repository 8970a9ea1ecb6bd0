// SPDX-License-Identifier: MIT
/*
 * console_flood: CONSOLEIO_write of 1 MiB buffers of printable lines, forever. Each call
 * must return 0, as Xen's guest_console_write() does for a domain allowed to write (the
 * bytes beyond the host's output budget are the host's to drop, not the guest's error).
 */
#include "hostile.h"

#define BUF_SIZE (1u << 20)
#define LINE 64

static char buf[BUF_SIZE];

void test_main(void)
{
	static const char line[LINE + 1] =
		"console_flood: abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ\n";
	unsigned long calls = 0;

	/* One line, then doubling with rep movsb: byte loops are slow on some hosts. */
	memcpy(buf, line, LINE);
	for (unsigned long have = LINE; have < BUF_SIZE; have *= 2) {
		void *d = buf + have, *s = buf;
		unsigned long n = have;

		asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	}
	hostile_start("CONSOLEIO_write of 1 MiB buffers");
	for (;;) {
		long rc = HYPERVISOR_console_io(CONSOLEIO_write, BUF_SIZE, buf);

		hostile_expect(rc == 0, "CONSOLEIO_write call %lu returned %ld", calls, rc);
		calls++;
	}
}
