/* SPDX-License-Identifier: GPL-2.0 */
/* Event channels of a PV device (pv_device.h has the backend-facing calls). */
#ifndef XENKVM_DRIVERS_PV_PV_EVTCHN_H
#define XENKVM_DRIVERS_PV_PV_EVTCHN_H

struct pv_device;

/* After disconnect(): every channel the backend bound is closed on our side. */
void pv_evtchn_unbind_all(struct pv_device *dev);

#endif
