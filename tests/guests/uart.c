// SPDX-License-Identifier: MIT
/*
 * uart: the 16550A at COM1 (0x3f8) as Linux's 8250 driver probes and uses it
 * (drivers/tty/serial/8250/8250_port.c autoconfig): scratch register, IER read-back,
 * divisor latch, loopback wiring of the modem-control lines, FIFO identification in IIR,
 * and transmitted bytes reaching the console.
 */
#include "kit.h"

#define COM1 0x3f8
#define RBR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

static uint8_t rd(unsigned int reg)
{
	return inb(COM1 + reg);
}

static void wr(unsigned int reg, uint8_t v)
{
	outb(COM1 + reg, v);
}

static void test_registers(void)
{
	wr(SCR, 0xa5);
	check_eq(rd(SCR), 0xa5, "scratch register");
	wr(SCR, 0x5a);
	check_eq(rd(SCR), 0x5a, "scratch register");
	wr(IER, 0x0f);
	check_eq(rd(IER), 0x0f, "IER read-back");
	wr(IER, 0);
	check_eq(rd(IER), 0, "IER cleared");
	/* Divisor latch: DLAB set, 115200 baud (divisor 1), then 8N1. */
	wr(LCR, 0x80);
	wr(RBR, 0x01);
	wr(IER, 0x00);
	check_eq(rd(RBR), 0x01, "DLL read-back");
	check_eq(rd(IER), 0x00, "DLM read-back");
	wr(LCR, 0x03);
	check_eq(rd(LCR), 0x03, "LCR read-back");
	/* Transmitter empty: THRE (bit 5) and TEMT (bit 6). */
	check_eq(rd(LSR) & 0x60, 0x60, "LSR THRE|TEMT");
	/* With the FIFO enabled a 16550A reports both FIFO bits in IIR; no interrupt pending. */
	wr(FCR, 0x01);
	check_eq(rd(IIR) & 0xc1, 0xc1, "IIR FIFO bits and no-interrupt");
}

static void test_loopback(void)
{
	/* Linux's check: MCR = LOOP | RTS | OUT2 must read back as CTS | DCD in MSR. */
	wr(MCR, 0x10 | 0x0a);
	check_eq(rd(MSR) & 0xf0, 0x90, "loopback MSR for RTS|OUT2");
	wr(MCR, 0x10 | 0x05);
	check_eq(rd(MSR) & 0xf0, 0x60, "loopback MSR for DTR|OUT1");
	/* A byte sent in loopback comes back through the receiver. */
	check_eq(rd(LSR) & 0x01, 0, "no data before the loopback write");
	wr(RBR, 'Z');
	check_eq(rd(LSR) & 0x01, 1, "data ready after the loopback write");
	check_eq(rd(RBR), 'Z', "loopback byte");
	check_eq(rd(LSR) & 0x01, 0, "data ready cleared by the read");
	wr(MCR, 0x03);
}

static void test_transmit(void)
{
	static const char msg[] = "uart: hello through the 16550 THR\n";

	for (const char *p = msg; *p; p++) {
		while (!(rd(LSR) & 0x20))
			;
		wr(RBR, (uint8_t)*p);
	}
}

/* Console input (the runner queues a file with --console-input) arrives through RBR. */
static void test_receive(void)
{
	static const char want[] = "hello-input\n";
	char got[sizeof(want)] = { 0 };
	unsigned int n = 0;

	for (unsigned long spins = 0; n < sizeof(want) - 1 && spins < 100000; spins++)
		if (rd(LSR) & 0x01)
			got[n++] = (char)rd(RBR);
	check(!strcmp(got, want), "received \"%s\"", got);
	check_eq(rd(LSR) & 0x01, 0, "no data ready after the input");
}

void test_main(void)
{
	test_registers();
	test_loopback();
	test_transmit();
	test_receive();
}
