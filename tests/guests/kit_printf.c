// SPDX-License-Identifier: MIT
/*
 * kit_printf: a self-test of the kit's formatter against what C's printf gives for
 * the same format (the expected strings are what glibc prints). Needs no hypervisor.
 */
#include "kit.h"

KIT_TEST_RUNS_WITHOUT_XEN;

static void expect(const char *want, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void expect(const char *want, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	check(strcmp(buf, want) == 0, "format \"%s\" gave \"%s\", expected \"%s\"", fmt, buf, want);
	check_eq(n, strlen(want), "returned length");
}

void test_main(void)
{
	char small[6];
	int n;

	expect("plain", "plain");
	expect("42 -42 0", "%d %d %d", 42, -42, 0);
	expect("-2147483648", "%d", (int)0x80000000);
	expect("4294967295", "%u", 0xffffffffu);
	expect("-9223372036854775808", "%ld", (long)0x8000000000000000ULL);
	expect("18446744073709551615", "%llu", 0xffffffffffffffffULL);
	expect("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	expect("ffffffffffffffff", "%lx", 0xffffffffffffffffUL);
	expect("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	expect("0x1000", "%p", (void *)0x1000);
	expect("0x1f", "%#x", 0x1f);
	expect("00ff|   ff|ff   |", "%04x|%5x|%-5x|", 0xff, 0xff, 0xff);
	expect("-0042|  -42", "%05d|%5d", -42, -42);
	expect("0x00000abc", "%#010x", 0xabc);
	expect("x|  y|z  |", "%c|%3c|%-3c|", 'x', 'y', 'z');
	expect("str|  ab|ab  |", "%s|%4s|%-4s|", "str", "ab", "ab");
	expect("100%", "%d%%", 100);
	expect("7", "%zu", (size_t)7);

	/* Truncation: NUL-terminated within the buffer, full length returned. */
	n = snprintf(small, sizeof(small), "%s", "truncated");
	check_eq(n, 9, "snprintf length when truncating");
	check(strcmp(small, "trunc") == 0, "truncated to \"%s\"", small);
}
