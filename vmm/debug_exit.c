// SPDX-License-Identifier: GPL-2.0
/*
 * Port 0xf4, QEMU's isa-debug-exit: writing v ends the VM with status (v << 1) | 1, so a
 * test guest can report the same way under QEMU and under xenkvm.
 */
#include "vmm/log.h"
#include "vmm/platform.h"

static int debug_exit_io(struct vcpu *vcpu, uint16_t port, unsigned int size, bool is_write,
			 uint32_t *val, void *opaque)
{
	if (!is_write) {
		*val = 0xffffffff;
		return 0;
	}
	log_info("guest wrote 0x%x to the debug exit port", *val);
	vm_request_exit(vcpu->vm, (int)(((*val << 1) | 1) & 0xff));
	return 0;
}

int debug_exit_init(struct vm *vm)
{
	return vm_register_pio(vm, DEBUG_EXIT_PORT, 4, debug_exit_io, NULL);
}
