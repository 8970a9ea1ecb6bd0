/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit statuses of xenkvm; docs/VMM-INTERFACE.md is the reference. No dependencies, so
 * that the toolstack, which reads them from the processes it starts, shares this list.
 */
#ifndef XENKVM_VMM_EXIT_STATUS_H
#define XENKVM_VMM_EXIT_STATUS_H

enum vm_exit_status {
	VM_EXIT_POWEROFF = 0,
	VM_EXIT_VMM_ERROR = 1,
	VM_EXIT_USAGE = 2,
	VM_EXIT_REBOOT = 4,
	VM_EXIT_SUSPEND = 6,
	VM_EXIT_CRASH = 8,
	VM_EXIT_WATCHDOG = 10,
	VM_EXIT_SOFT_RESET = 12,
};

#endif
