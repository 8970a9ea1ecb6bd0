// SPDX-License-Identifier: GPL-2.0
/* Port 0xe9: Bochs/QEMU debug console. A write is a byte of output; a read returns 0xe9. */
#include "vmm/console.h"
#include "vmm/platform.h"

static int debugcon_io(struct vcpu *vcpu, uint16_t port, unsigned int size, bool is_write,
		       uint32_t *val, void *opaque)
{
	if (is_write) {
		char c = (char)*val;

		console_write(&c, 1);
	} else {
		/* Reading 0xe9 back is how guests detect the port. */
		*val = DEBUGCON_PORT;
	}
	return 0;
}

int debugcon_init(struct vm *vm)
{
	return vm_register_pio(vm, DEBUGCON_PORT, 1, debugcon_io, NULL);
}
