/* SPDX-License-Identifier: GPL-2.0 */
/*
 * grant_probe: a test-only backend (xenkvm --test-devices) that lets a test guest drive
 * the grant-table backend API through port I/O; docs/VMM-INTERFACE.md, "Test devices".
 * A guest grants pages to domain 0, names a grant, an offset and a length, runs a command
 * and reads back its status and a data word.
 */
#ifndef XENKVM_DRIVERS_PV_GRANT_PROBE_H
#define XENKVM_DRIVERS_PV_GRANT_PROBE_H

#include "xen-emul/xen.h"

/* Four dword registers from here (all accesses are 32-bit). */
#define GRANT_PROBE_PORT 0x5c0
#define GRANT_PROBE_REF (GRANT_PROBE_PORT + 0) /* write: grant reference */
#define GRANT_PROBE_ARG (GRANT_PROBE_PORT + 4) /* write: offset (bits 0-15), length (16-31) */
#define GRANT_PROBE_DATA (GRANT_PROBE_PORT + 8) /* read/write: data word */
#define GRANT_PROBE_CMD (GRANT_PROBE_PORT + 12) /* write: run a command; read: its status */

/* The probe acts as this backend domain. */
#define GRANT_PROBE_DOMID 0

enum grant_probe_cmd {
	GRANT_PROBE_MAP_RO = 1, /* map REF read-only into the probe's one slot */
	GRANT_PROBE_MAP_RW = 2, /* map REF writable */
	GRANT_PROBE_UNMAP = 3, /* drop the slot's mapping */
	GRANT_PROBE_READ = 4, /* DATA = the 32-bit word at offset of the mapping */
	GRANT_PROBE_WRITE = 5, /* the 32-bit word at offset of the mapping = DATA */
	GRANT_PROBE_FILL = 6, /* byte i of [offset, offset + len) = (DATA + i) & 0xff */
	GRANT_PROBE_SUM = 7, /* DATA = FNV-1a 32 of [offset, offset + len) of the mapping */
	GRANT_PROBE_COPY_FROM = 8, /* copy [offset, +len) of REF out; DATA = its FNV-1a 32 */
	GRANT_PROBE_COPY_TO = 9, /* copy the FILL pattern of seed DATA into REF at offset */
};

/* Statuses besides the GNTST_* the backend API returns. */
#define GRANT_PROBE_ENOTMAPPED (-100) /* READ/WRITE/FILL/SUM/UNMAP without a mapping */
#define GRANT_PROBE_EROFS (-101) /* WRITE/FILL through a read-only mapping */
#define GRANT_PROBE_EBUSY (-102) /* MAP while the slot holds a mapping */
#define GRANT_PROBE_EINVAL (-103) /* unknown command, or a range outside the page */

int grant_probe_init(struct xen_domain *dom);
/* Drops a mapping the guest left behind; before xen_domain_destroy(). */
void grant_probe_destroy(void);

#endif
