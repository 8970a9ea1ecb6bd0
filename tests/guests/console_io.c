// SPDX-License-Identifier: MIT
/*
 * console_io: HYPERVISOR_console_io as a domU sees it.
 *
 * - CONSOLEIO_write copies the buffer to the hypervisor console and returns 0. Xen
 *   accepts it from a domU when built with CONFIG_VERBOSE_DEBUG (or for a console
 *   domain), which is the behaviour xenkvm gives every guest; the runner checks that
 *   the marker line below reaches the output.
 * - A zero-length write succeeds and writes nothing.
 * - An unreadable buffer gives -EFAULT.
 * - CONSOLEIO_read is kept from domUs by Xen's default XSM policy: -EPERM.
 */
#include "kit.h"
#include "hypercall.h"

/* The runner greps for this (tests/guests/manifest). */
#define MARKER "console_io: marker 7f3a written through CONSOLEIO_write"

/* Far beyond any guest RAM and not canonical either: no way to read it. */
#define BAD_POINTER ((const char *)0xdead000000000000ULL)

void test_main(void)
{
	static const char line[] = MARKER "\n";
	char buf[16];
	long rc;

	rc = HYPERVISOR_console_io(CONSOLEIO_write, sizeof(line) - 1, line);
	check_eq(rc, 0, "CONSOLEIO_write of the marker line");

	/* The formatted variant goes through the same call in chunks. */
	rc = cio_printf("console_io: formatted %d %s %#x\n", 42, "via", 0xc0de);
	check_eq(rc, 0, "cio_printf");

	rc = HYPERVISOR_console_io(CONSOLEIO_write, 0, line);
	check_eq(rc, 0, "zero-length CONSOLEIO_write");
	rc = HYPERVISOR_console_io(CONSOLEIO_write, 0, BAD_POINTER);
	printf("console_io: zero-length write from a bad pointer returned %ld\n", rc);
	check_eq(rc, 0, "zero-length CONSOLEIO_write reads nothing, so no fault");

	rc = HYPERVISOR_console_io(CONSOLEIO_write, 8, BAD_POINTER);
	check_eq(rc, -XEN_EFAULT, "CONSOLEIO_write from a bad pointer");

	memset(buf, 0, sizeof(buf));
	rc = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf);
	check_eq(rc, -XEN_EPERM, "CONSOLEIO_read from a domU");

	/* The hypervisor is still there. */
	check(HYPERVISOR_xen_version(XENVER_version, NULL) > 0,
	      "XENVER_version after the bad calls");
}
