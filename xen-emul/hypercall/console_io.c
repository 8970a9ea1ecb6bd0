// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_console_io. Xen lets an ordinary domU write only when the hypervisor is a
 * debug build (or the domain is the console domain); xenkvm always allows the write, as a
 * debug Xen would, and refuses reads and anything else with -EPERM as Xen does for a domU.
 * Output follows Xen's domU path: non-printable bytes dropped, one "(dN) " line at a time.
 */
#include <stdint.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "vmm/console.h"
#include "xen-emul/xen.h"

#define CONSOLE_IO_CHUNK 127
#define CONSOLE_LINE_MAX 200

static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;
static char line[CONSOLE_LINE_MAX];
static size_t line_len;

static void emit_line(uint16_t domid)
{
	char out[CONSOLE_LINE_MAX + 16];
	int n = snprintf(out, sizeof(out), "(d%u) %.*s\n", domid, (int)line_len, line);

	console_write(out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
	line_len = 0;
}

/* A full line buffer is emitted as a line, so nothing a guest writes is lost. */
static void put_chunk(uint16_t domid, const char *buf, size_t len)
{
	pthread_mutex_lock(&line_lock);
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n') {
			emit_line(domid);
			continue;
		}
		if (!isprint((unsigned char)c) && c != '\t')
			continue;
		line[line_len++] = c;
		if (line_len == CONSOLE_LINE_MAX)
			emit_line(domid);
	}
	pthread_mutex_unlock(&line_lock);
}

/*
 * XEN_BATCH_BYTES an exit; the rest is a continuation with the buffer moved on and the
 * count lowered, as guest_console_write() does when preempted.
 */
static long console_write_op(struct xen_call *call, uint32_t count, uint64_t gva)
{
	char chunk[CONSOLE_IO_CHUNK];
	uint32_t budget = XEN_BATCH_BYTES;

	while (count) {
		if (!budget) {
			call->args[1] = count;
			call->args[2] = call->is_64 ? gva : (uint32_t)gva;
			return xen_call_continue(call);
		}
		uint32_t n = count < sizeof(chunk) ? count : sizeof(chunk);

		if (xen_copy_from_guest(call, chunk, gva, n))
			return -XEN_EFAULT;
		put_chunk(call->dom->cfg.domid, chunk, n);
		gva += n;
		count -= n;
		budget = budget > n ? budget - n : 0;
	}
	return 0;
}

long xen_do_console_io(struct xen_call *call)
{
	if (call->args[0] != CONSOLEIO_write)
		return -XEN_EPERM;
	return console_write_op(call, (uint32_t)call->args[1], call->args[2]);
}
