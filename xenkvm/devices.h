/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PV devices of --disk and --vif: what libxl writes for each one (the xenstore keys
 * of libxl_disk.c and libxl_nic.c) handed to drivers-pv/ as a pv_device_spec, on the
 * VMM's xenstore connection.
 */
#ifndef XENKVM_DEVICES_H
#define XENKVM_DEVICES_H

#include "drivers-pv/pv_bus.h"
#include "xenkvm/options.h"

/*
 * The virtual-device number of a disk name, as xen-vbd-interface(7) and libxl define it
 * (xvda = 51712, xvdq = 268439552, hda, sda, d0p1, or a plain number); -EINVAL when it
 * is none of those.
 */
int xenkvm_vbd_number(const char *vdev, unsigned int *devid);

/*
 * Connects to xenstored at `socket_path` and adds every --disk and --vif (and with
 * --test-devices the echo device). 0 with *bus NULL when there are none; -EINVAL with the reason logged for a device this xenkvm
 * cannot serve ("no vbd backend"), -errno otherwise.
 */
int xenkvm_devices_add(const struct options *o, struct xen_domain *dom, const char *socket_path,
		       struct pv_bus **bus);

#endif
