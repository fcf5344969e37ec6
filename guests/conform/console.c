// SPDX-License-Identifier: GPL-2.0
/*
 * COM1, polled, and a printf with a va_list entry (report.c prints TAP
 * lines from its own variadic functions): %s %c %d %u %x, each with an
 * optional l, and %%.  Also the debug-exit port and what gcc may call.
 */
#include <stdarg.h>

#include "conform.h"

#define LSR_THRE	0x20
#define THRE_POLLS	1000000		/* a missing UART must not hang us */

void putc_com1(char c)
{
	unsigned int i;

	for (i = 0; i < THRE_POLLS; i++)
		if (inb(GUEST_COM1_LSR) & LSR_THRE)
			break;
	outb(GUEST_COM1, c);
}

void puts_com1(const char *s)
{
	while (*s)
		putc_com1(*s++);
}

static void put_num(uint64_t v, unsigned int base)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		putc_com1(buf[--i]);
}

void vprintf_com1(const char *fmt, va_list ap)
{
	bool is_long;
	int64_t sv;

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
			if (sv < 0)
				putc_com1('-');
			put_num(sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10);
			break;
		case 'u':
			put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int), 10);
			break;
		case 'x':
			put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int), 16);
			break;
		case '%':
			putc_com1('%');
			break;
		case '\0':
			return;
		default:
			putc_com1('?');
		}
	}
}

void printf_com1(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf_com1(fmt, ap);
	va_end(ap);
}

void guest_exit(uint32_t result)
{
	outl(GUEST_DEBUG_EXIT, result);
	for (;;)
		asm volatile("cli; hlt");
}

/* Byte loops gcc might turn back into calls: string instructions. */
void *memset(void *s, int c, size_t n)
{
	void *d = s;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	void *p = d;

	asm volatile("rep movsb" : "+D"(p), "+S"(s), "+c"(n) : : "memory");
	return d;
}
