/* SPDX-License-Identifier: GPL-2.0 */
/* xenkvm's control-socket commands (docs/CONTROL.md) over vmm/control_sock. */
#ifndef XENKVM_XENKVM_CONTROL_H
#define XENKVM_XENKVM_CONTROL_H

#include <time.h>

#include "vmm/control_sock.h"
#include "vmm/vm.h"
#include "xen-emul/xen.h"
#include "xenkvm/options.h"

struct xenkvm_control {
	struct control_sock cs;
	struct vm *vm;
	struct xen_domain *dom;
	const struct options *o;
	struct timespec started;
};

int xenkvm_control_open(struct xenkvm_control *xc, struct evloop *loop, struct vm *vm,
			struct xen_domain *dom, const struct options *o);
void xenkvm_control_close(struct xenkvm_control *xc);

#endif
