/* SPDX-License-Identifier: MIT */
/*
 * The runtime of the 32-bit guests: PVH note and entry, a stack, Xen detection, the
 * hypercall page with the 32-bit ABI, console output on port 0xe9 and the test's end.
 * A test defines TEST32_NAME's test32_main(); the runtime prints the result line and
 * powers off (or leaves through port 0xf4 with SKIP when there is no Xen).
 */
#ifndef RT32_H
#define RT32_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/arch-x86/hvm/start_info.h>

/* The test: its name (for messages) and body. */
extern const char test32_name[];
void test32_main(const struct hvm_start_info *si, uint32_t xen_base);

void outb(uint16_t port, uint8_t v);
void puts_port(const char *s);
void put_hex(uint32_t v);
/*
 * A fact: "FACT NAME: 0xVALUE" on port 0xe9, a value that must equal what real Xen gives
 * (tests/guests/kit/kit.h has the 64-bit kit_fact, tests/oracle compares them).
 */
void kit_fact_hex(const char *name, uint32_t value);
/* Records a failure (printed with `seen`) unless ok. */
void check(bool ok, const char *what, uint32_t seen);
/* The 32-bit hypercall ABI; the argument registers count as clobbered, as in Linux. */
long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3);
void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);
void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

#endif
