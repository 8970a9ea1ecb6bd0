/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PV control protocol toward a guest, as libxl's libxl__domain_pvcontrol(): the
 * toolstack writes a command into the domain's `control/shutdown` (or a key into
 * `control/sysrq`) in xenstore, and the guest's PV drivers (Linux: drivers/xen/manage.c)
 * acknowledge by writing it back empty before they act.
 */
#ifndef XENKVM_TOOLSTACK_DOMAINS_PVCONTROL_H
#define XENKVM_TOOLSTACK_DOMAINS_PVCONTROL_H

/* libxl's wait for the guest's acknowledgement. */
#define PVCONTROL_TIMEOUT_MS (60 * 1000)

/*
 * Writes `cmd` ("poweroff", "reboot", "halt", "suspend") to /local/domain/DOMID/
 * control/shutdown and waits up to timeout_ms for the guest to clear it. 0 when it did;
 * -ETIMEDOUT when it did not (the request is removed again, as libxl does); -ENOENT when
 * the domain has no xenstore directory; -errno when xenstored cannot be reached.
 */
int pvcontrol_shutdown(unsigned domid, const char *cmd, int timeout_ms);
/* Writes the key to control/sysrq (Linux reads and clears it); 0 or -errno. */
int pvcontrol_sysrq(unsigned domid, char key);

#endif
