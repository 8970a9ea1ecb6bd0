// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550A UART (COM1, 0x3f8, IRQ 4): transmit goes to the console at once (the
 * transmitter is always empty), receive comes from the console's input queue. Enough of
 * the register file for Linux's 8250 probe: scratch, divisor latch, loopback, FIFO flags.
 */
#include <pthread.h>
#include <sys/ioctl.h>

#include "vmm/console.h"
#include "vmm/platform.h"

#define UART_RBR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define FCR_ENABLE 0x01

struct uart {
	pthread_mutex_t lock;
	struct vm *vm;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	bool thr_irq; /* THRE interrupt pending until IIR is read or THR written */
	int loop_byte; /* loopback receive register, -1 when empty */
	bool irq_level;
};

static struct uart com1 = { .lock = PTHREAD_MUTEX_INITIALIZER, .loop_byte = -1 };

static bool rx_ready(struct uart *u)
{
	return u->mcr & MCR_LOOP ? u->loop_byte >= 0 : console_input_ready();
}

static uint8_t iir(struct uart *u)
{
	uint8_t fifo = u->fcr & FCR_ENABLE ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && rx_ready(u))
		return IIR_RDI | fifo;
	if ((u->ier & IER_THRI) && u->thr_irq)
		return IIR_THRI | fifo;
	return IIR_NO_INT | fifo;
}

static void update_irq(struct uart *u)
{
	bool level = !(iir(u) & IIR_NO_INT);
	struct kvm_irq_level irq = { .irq = UART_COM1_IRQ, .level = level };

	if (level == u->irq_level || !u->vm)
		return;
	u->irq_level = level;
	ioctl(u->vm->vm_fd, KVM_IRQ_LINE, &irq);
}

static uint8_t read_msr(struct uart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return 0xb0; /* DCD, DSR, CTS: a modem that is always there */
	/* Loopback wires DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
	return (uint8_t)(((u->mcr & 0x01) << 5) | ((u->mcr & 0x02) << 3) | ((u->mcr & 0x04) << 4) |
			 ((u->mcr & 0x08) << 4));
}

static uint8_t uart_read(struct uart *u, unsigned int reg)
{
	uint8_t v = 0;
	int c;

	switch (reg) {
	case UART_RBR:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (u->mcr & MCR_LOOP) {
			c = u->loop_byte;
			u->loop_byte = -1;
		} else {
			c = console_input_pop();
		}
		return c < 0 ? 0 : (uint8_t)c;
	case UART_IER:
		return u->lcr & LCR_DLAB ? u->dlm : u->ier;
	case UART_IIR:
		v = iir(u);
		if ((v & 0x0f) == IIR_THRI)
			u->thr_irq = false;
		return v;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (rx_ready(u) ? LSR_DR : 0);
	case UART_MSR:
		return read_msr(u);
	default:
		return u->scr;
	}
}

static void uart_write(struct uart *u, unsigned int reg, uint8_t v)
{
	switch (reg) {
	case UART_RBR:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
		} else if (u->mcr & MCR_LOOP) {
			u->loop_byte = v;
		} else {
			char c = (char)v;

			console_write(&c, 1);
		}
		u->thr_irq = true;
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
		} else {
			/* Enabling the THRE interrupt with an empty transmitter raises it. */
			if ((v & IER_THRI) && !(u->ier & IER_THRI))
				u->thr_irq = true;
			u->ier = v & 0x0f;
		}
		break;
	case UART_IIR:
		u->fcr = v;
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & 0x1f;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default:
		break; /* LSR and MSR are read-only */
	}
}

static int uart_io(struct vcpu *vcpu, uint16_t port, unsigned int size, bool is_write,
		   uint32_t *val, void *opaque)
{
	struct uart *u = opaque;
	unsigned int reg = port - UART_COM1_PORT;

	pthread_mutex_lock(&u->lock);
	if (is_write)
		uart_write(u, reg, (uint8_t)*val);
	else
		*val = uart_read(u, reg);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return 0;
}

void uart16550_input_notify(void)
{
	pthread_mutex_lock(&com1.lock);
	update_irq(&com1);
	pthread_mutex_unlock(&com1.lock);
}

int uart16550_init(struct vm *vm)
{
	com1.vm = vm;
	return vm_register_pio(vm, UART_COM1_PORT, 8, uart_io, &com1);
}
