/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vif's hotplug script, called as libxl calls Xen's vif-bridge for a vif
 * (libxl_linux.c): `SCRIPT online type_if=vif` once the interface exists and
 * `SCRIPT offline type_if=vif` when it goes, with the environment a Xen hotplug script
 * reads: script, XENBUS_TYPE=vif, XENBUS_PATH (the backend directory relative to dom0's
 * home, backend/vif/DOMID/DEVID, as libxl gives it), XENBUS_BASE_PATH=backend, vif (the
 * interface), netdev (the gatewaydev: empty) and the caller's own (XENSTORED_PATH among
 * it, so that the script's xenstore-read and xenstore-write reach our xenstored).
 */
#ifndef XENKVM_DRIVERS_PV_NET_HOTPLUG_H
#define XENKVM_DRIVERS_PV_NET_HOTPLUG_H

/*
 * Runs `script action` and waits for it (at most 30 s): 0 when it exited 0, -EIO
 * otherwise (its stderr goes to ours), -errno when it could not be started.
 */
int net_hotplug_run(const char *script, const char *action, const char *xenbus_path,
		    const char *ifname);

#endif
