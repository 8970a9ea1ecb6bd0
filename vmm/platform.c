// SPDX-License-Identifier: GPL-2.0
#include "vmm/platform.h"

int platform_init(struct vm *vm)
{
	int rc = debugcon_init(vm);

	if (!rc)
		rc = uart16550_init(vm);
	if (!rc)
		rc = reset_init(vm);
	if (!rc)
		rc = debug_exit_init(vm);
	return rc;
}
