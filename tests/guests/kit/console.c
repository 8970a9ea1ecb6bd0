// SPDX-License-Identifier: MIT
/*
 * printf-style output. One formatter feeds a sink: the 0xe9 debug port, a string
 * buffer, or a buffer flushed with CONSOLEIO_write.
 */
#include "kit.h"
#include "hypercall.h"

struct sink {
	void (*put)(struct sink *s, char c);
	char *buf;
	size_t size, len; /* len counts every byte produced, stored or not */
	long err; /* console_io sink: first hypercall error */
	char port_buf[128]; /* port sink: bytes not yet written */
	size_t port_len;
};

/*
 * One `rep outsb` writes a whole chunk to the debug port: a single I/O exit instead of
 * one per byte, which on a hypervisor is the cost that dominates a test's run time.
 */
static void flush_port(struct sink *s)
{
	const char *p = s->port_buf;
	size_t n = s->port_len;

	asm volatile("rep outsb" : "+S"(p), "+c"(n) : "d"((uint16_t)0xe9) : "memory");
	s->port_len = 0;
}

static void put_port(struct sink *s, char c)
{
	s->port_buf[s->port_len++] = c;
	if (c == '\n' || s->port_len == sizeof(s->port_buf))
		flush_port(s);
	s->len++;
}

static void put_buf(struct sink *s, char c)
{
	if (s->size && s->len < s->size - 1)
		s->buf[s->len] = c;
	s->len++;
}

static void emit_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		s->put(s, c);
}

/* Prints one number; base 10 or 16, sign handled by the caller through @neg. */
static void emit_num(struct sink *s, unsigned long long v, unsigned int base, bool upper, bool neg,
		     const char *prefix, int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = prefix ? (int)strlen(prefix) : 0, body;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	body = n + plen + (neg ? 1 : 0);
	if (!left && !zero)
		emit_pad(s, ' ', width - body);
	if (neg)
		s->put(s, '-');
	while (plen && *prefix)
		s->put(s, *prefix++);
	if (!left && zero)
		emit_pad(s, '0', width - body);
	while (n)
		s->put(s, tmp[--n]);
	if (left)
		emit_pad(s, ' ', width - body);
}

static void emit_str(struct sink *s, const char *str, int width, bool left)
{
	int n;

	if (!str)
		str = "(null)";
	n = (int)strlen(str);
	if (!left)
		emit_pad(s, ' ', width - n);
	while (*str)
		s->put(s, *str++);
	if (left)
		emit_pad(s, ' ', width - n);
}

/* Reads an integer argument of the size given by the length modifier. */
static unsigned long long fetch_arg(va_list *ap, int lng, bool is_signed, bool *neg)
{
	long long sv;

	*neg = false;
	if (!is_signed) {
		if (lng >= 2)
			return va_arg(*ap, unsigned long long);
		if (lng == 1)
			return va_arg(*ap, unsigned long);
		return va_arg(*ap, unsigned int);
	}
	if (lng >= 2)
		sv = va_arg(*ap, long long);
	else if (lng == 1)
		sv = va_arg(*ap, long);
	else
		sv = va_arg(*ap, int);
	if (sv < 0) {
		*neg = true;
		return 0ULL - (unsigned long long)sv;
	}
	return (unsigned long long)sv;
}

static void format(struct sink *s, const char *fmt, va_list ap0)
{
	va_list ap;

	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		bool zero = false, left = false, alt = false, neg;
		int width = 0, lng = 0;
		unsigned long long v;

		if (*fmt != '%') {
			s->put(s, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		/* 'z' counts as 'l': size_t is unsigned long here. */
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
		case 'i':
			v = fetch_arg(&ap, lng, true, &neg);
			emit_num(s, v, 10, false, neg, NULL, width, zero, left);
			break;
		case 'u':
			v = fetch_arg(&ap, lng, false, &neg);
			emit_num(s, v, 10, false, false, NULL, width, zero, left);
			break;
		case 'x':
		case 'X':
			v = fetch_arg(&ap, lng, false, &neg);
			emit_num(s, v, 16, *fmt == 'X', false, alt ? "0x" : NULL, width, zero,
				 left);
			break;
		case 'p':
			v = (unsigned long)va_arg(ap, void *);
			emit_num(s, v, 16, false, false, "0x", width, zero, left);
			break;
		case 'c':
			emit_pad(s, ' ', left ? 0 : width - 1);
			s->put(s, (char)va_arg(ap, int));
			emit_pad(s, ' ', left ? width - 1 : 0);
			break;
		case 's':
			emit_str(s, va_arg(ap, const char *), width, left);
			break;
		case '%':
			s->put(s, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end */
			break;
		default:
			/* Unknown conversion: show it rather than guess. */
			s->put(s, '%');
			s->put(s, *fmt);
			break;
		}
	}
	va_end(ap);
}

int vprintf(const char *fmt, va_list ap)
{
	struct sink s = { .put = put_port };

	format(&s, fmt, ap);
	flush_port(&s);
	return (int)s.len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .put = put_buf, .buf = buf, .size = size };

	format(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* The console_io sink writes in chunks of this size, as Xen copies at most 127 at a time. */
#define CIO_CHUNK 64

static void cio_flush(struct sink *s)
{
	long rc;

	if (!s->len)
		return;
	rc = HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)s->len, s->buf);
	if (rc && !s->err)
		s->err = rc;
	s->len = 0;
}

static void put_cio(struct sink *s, char c)
{
	s->buf[s->len++] = c;
	if (s->len == s->size)
		cio_flush(s);
}

long cio_printf(const char *fmt, ...)
{
	char chunk[CIO_CHUNK];
	struct sink s = { .put = put_cio, .buf = chunk, .size = sizeof(chunk) };
	va_list ap;

	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	cio_flush(&s);
	return s.err;
}
