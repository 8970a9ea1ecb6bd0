// SPDX-License-Identifier: GPL-2.0
/* The backend's xenbus transitions (xenbus_state.h). */
#include "drivers-pv/xenbus_state.h"

/* The frontend is ready for the rings: connect, from InitWait or after a close. */
static struct pv_xenbus_step frontend_ready(enum xenbus_state backend, bool connected,
					    bool removing)
{
	struct pv_xenbus_step s = { .next = backend };

	if (removing || (connected && backend == XenbusStateConnected))
		return s;
	switch (backend) {
	case XenbusStateInitWait:
	case XenbusStateClosed:
	case XenbusStateConnected: /* written, but connect() never ran */
		s.disconnect = connected;
		s.connect = true;
		s.next = XenbusStateConnected;
		break;
	default:
		/* Initialising (setup not done) or Closing (the frontend must close first). */
		break;
	}
	return s;
}

struct pv_xenbus_step pv_xenbus_next(enum xenbus_state backend, enum xenbus_state frontend,
				     bool connected, bool removing)
{
	struct pv_xenbus_step s = { .next = backend };

	switch (frontend) {
	case XenbusStateInitialising:
		if (backend == XenbusStateClosed && !removing)
			s.next = XenbusStateInitWait;
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		return frontend_ready(backend, connected, removing);
	case XenbusStateClosing:
		s.disconnect = connected;
		if (backend != XenbusStateClosed)
			s.next = XenbusStateClosing;
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		s.disconnect = connected;
		if (backend != XenbusStateInitialising || removing)
			s.next = XenbusStateClosed;
		break;
	default:
		/* InitWait, Reconfiguring, Reconfigured: not a frontend's to take. */
		break;
	}
	return s;
}

const char *pv_xenbus_state_name(enum xenbus_state s)
{
	static const char *const names[] = {
		[XenbusStateUnknown] = "Unknown",
		[XenbusStateInitialising] = "Initialising",
		[XenbusStateInitWait] = "InitWait",
		[XenbusStateInitialised] = "Initialised",
		[XenbusStateConnected] = "Connected",
		[XenbusStateClosing] = "Closing",
		[XenbusStateClosed] = "Closed",
		[XenbusStateReconfiguring] = "Reconfiguring",
		[XenbusStateReconfigured] = "Reconfigured",
	};

	if ((unsigned int)s < sizeof(names) / sizeof(names[0]) && names[s])
		return names[s];
	return "invalid";
}
