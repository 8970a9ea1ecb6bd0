// SPDX-License-Identifier: GPL-2.0
/*
 * Port 0x64, the 8042 keyboard controller's command port, reduced to what guests use it
 * for here: command 0xFE pulses the CPU reset line. Status reads 0 (input buffer empty),
 * which is what a guest polls for before sending the command.
 */
#include "vmm/log.h"
#include "vmm/platform.h"

#define KBD_CMD_RESET 0xfe

static int reset_io(struct vcpu *vcpu, uint16_t port, unsigned int size, bool is_write,
		    uint32_t *val, void *opaque)
{
	if (!is_write) {
		*val = 0;
		return 0;
	}
	if ((*val & 0xff) == KBD_CMD_RESET) {
		log_info("guest reset through port 0x64");
		vm_request_exit(vcpu->vm, VM_EXIT_REBOOT);
	}
	return 0;
}

int reset_init(struct vm *vm)
{
	return vm_register_pio(vm, RESET_PORT, 1, reset_io, NULL);
}
