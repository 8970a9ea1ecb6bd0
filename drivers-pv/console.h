/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PV console backend: the xencons_interface ring (xen/io/console.h) in the page and
 * event channel given to the guest in HVM_PARAM_CONSOLE_PFN/EVTCHN, wired to the VMM's
 * console (vmm/console.h) in both directions, as xenconsoled is on Xen.
 */
#ifndef XENKVM_DRIVERS_PV_CONSOLE_H
#define XENKVM_DRIVERS_PV_CONSOLE_H

#include "xen-emul/xen.h"

struct pv_console;

int pv_console_init(struct xen_domain *dom, struct pv_console **con);
/* Console input was queued: move what fits into the guest's input ring. */
void pv_console_input(struct pv_console *con);
void pv_console_destroy(struct pv_console *con);

#endif
