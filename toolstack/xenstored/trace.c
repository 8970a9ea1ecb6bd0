// SPDX-License-Identifier: GPL-2.0
/*
 * -T trace file: one line per request and per reply or event, as Xen's xenstored
 * writes them ("IN"/"OUT", connection, time, message type, payload with NULs shown
 * as spaces), and the daemon's log (stderr in the foreground, syslog otherwise).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "toolstack/xenstored/daemon.h"

static const char *const type_names[XS_TYPE_COUNT] = {
	[XS_CONTROL] = "CONTROL",
	[XS_DIRECTORY] = "DIRECTORY",
	[XS_READ] = "READ",
	[XS_GET_PERMS] = "GET_PERMS",
	[XS_WATCH] = "WATCH",
	[XS_UNWATCH] = "UNWATCH",
	[XS_TRANSACTION_START] = "TRANSACTION_START",
	[XS_TRANSACTION_END] = "TRANSACTION_END",
	[XS_INTRODUCE] = "INTRODUCE",
	[XS_RELEASE] = "RELEASE",
	[XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
	[XS_WRITE] = "WRITE",
	[XS_MKDIR] = "MKDIR",
	[XS_RM] = "RM",
	[XS_SET_PERMS] = "SET_PERMS",
	[XS_WATCH_EVENT] = "WATCH_EVENT",
	[XS_ERROR] = "ERROR",
	[XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
	[XS_RESUME] = "RESUME",
	[XS_SET_TARGET] = "SET_TARGET",
	[XS_RESET_WATCHES] = "RESET_WATCHES",
	[XS_DIRECTORY_PART] = "DIRECTORY_PART",
};

int trace_open(struct xsd *d, const char *path)
{
	d->trace = fopen(path, "ae");
	return d->trace ? 0 : -1;
}

void trace_msg(struct xsd *d, const struct conn *c, bool out, const struct xsd_sockmsg *hdr,
	       const char *body)
{
	const char *name = hdr->type < XS_TYPE_COUNT ? type_names[hdr->type] : NULL;
	char stamp[32];
	time_t now;
	struct tm tm;

	if (!d->trace)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d %H:%M:%S", &tm);
	fprintf(d->trace, "%s conn%lu dom%u %s %s%s(", out ? "OUT" : "IN", c->serial, c->who.domid,
		stamp, name ? name : "UNKNOWN", name ? " " : " ");
	for (uint32_t i = 0; i < hdr->len && body; i++) {
		unsigned char ch = (unsigned char)body[i];

		fputc(ch == '\0' ? ' ' : (ch < 32 || ch > 126 ? '.' : ch), d->trace);
	}
	fprintf(d->trace, ") req %u tx %u\n", hdr->req_id, hdr->tx_id);
	fflush(d->trace);
}

void xsd_log(struct xsd *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (d->opt.no_fork) {
		fputs("xenstored: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(LOG_NOTICE, fmt, ap);
	}
	va_end(ap);
}
