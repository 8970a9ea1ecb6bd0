/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform devices of a xenkvm VM, each in its own file: the debug console port 0xe9
 * (debugcon.c), a 16550 UART at 0x3f8 (uart16550.c), the keyboard-controller reset at 0x64
 * (reset.c) and the isa-debug-exit port 0xf4 (debug_exit.c).
 */
#ifndef XENKVM_VMM_PLATFORM_H
#define XENKVM_VMM_PLATFORM_H

#include "vmm/vm.h"

#define DEBUGCON_PORT 0xe9
#define UART_COM1_PORT 0x3f8
#define UART_COM1_IRQ 4
#define RESET_PORT 0x64
#define DEBUG_EXIT_PORT 0xf4

int debugcon_init(struct vm *vm);
int uart16550_init(struct vm *vm);
int reset_init(struct vm *vm);
int debug_exit_init(struct vm *vm);

/* Raises the UART's receive interrupt if console input is now waiting. */
void uart16550_input_notify(void);

/* All of the above. */
int platform_init(struct vm *vm);

#endif
