// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime of the 64-bit test guests: a polled COM1 console, a tiny printf,
 * the marker and debug-exit ports, and the memset/memcpy that gcc may
 * emit calls to even in freestanding code.
 */
#include <stdarg.h>

#include "guest.h"

void putc_com1(char c)
{
	/* Wait for THR empty (LSR bit 5), as on a real 16550. */
	while (!(inb(GUEST_COM1_LSR) & 0x20))
		;
	outb(GUEST_COM1, c);
}

void puts_com1(const char *s)
{
	while (*s)
		putc_com1(*s++);
}

static void put_num(uint64_t v, unsigned int base, bool neg)
{
	char buf[24];
	int i = 0;

	if (neg)
		putc_com1('-');
	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		putc_com1(buf[--i]);
}

void printf_com1(const char *fmt, ...)
{
	va_list ap;
	bool is_long;
	int64_t sv;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc_com1(*fmt);
			continue;
		}
		is_long = fmt[1] == 'l';
		if (is_long)
			fmt++;
		switch (*++fmt) {
		case 's':
			puts_com1(va_arg(ap, const char *));
			break;
		case 'c':
			putc_com1((char)va_arg(ap, int));
			break;
		case 'd':
			sv = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, sv < 0);
			break;
		case 'u':
			put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int),
				10, false);
			break;
		case 'x':
			put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int),
				16, false);
			break;
		case '%':
			putc_com1('%');
			break;
		case '\0':
			fmt--;	/* a lone % at the end */
			break;
		default:
			putc_com1('?');
			break;
		}
	}
	va_end(ap);
}

void marker(uint32_t v)
{
	outl(GUEST_MARKER, v);
}

void guest_exit(uint32_t result)
{
	outl(GUEST_DEBUG_EXIT, result);
	/* The launcher stops here; should it resume us, stay put. */
	for (;;)
		asm volatile("cli; hlt");
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}
