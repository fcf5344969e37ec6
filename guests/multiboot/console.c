// SPDX-License-Identifier: GPL-2.0
/*
 * COM1 as a polled 16550: no interrupts, so it works on any CPU with
 * interrupts off, and a tiny printf (%s %c %u %x %llx).  Only the BSP
 * prints, except for a fatal error on an AP, so there is no lock.
 */
#include "mb-smp.h"
#include "io.h"
#include "platform.h"

#define COM1		PLAT_PORT_COM1
#define UART_THR	0		/* DLAB 0: transmit holding register */
#define UART_DLL	0		/* DLAB 1: divisor latch */
#define UART_IER	1
#define UART_DLM	1
#define UART_LCR	3
#define UART_LSR	5
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define LSR_THRE	0x20
#define THRE_POLLS	1000000		/* give up on a missing UART */

void console_init(void)
{
	outb(0, COM1 + UART_IER);		/* polled: no interrupts */
	outb(LCR_DLAB, COM1 + UART_LCR);	/* 115200 baud, divisor 1 */
	outb(1, COM1 + UART_DLL);
	outb(0, COM1 + UART_DLM);
	outb(LCR_8N1, COM1 + UART_LCR);
}

static void com1_putc(char c)
{
	uint32_t i;

	/* A real 16550 drops bytes written while THR is still full. */
	for (i = 0; i < THRE_POLLS; i++)
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	outb(c, COM1 + UART_THR);
}

static void put_u32(uint32_t v, uint32_t base)
{
	char buf[10];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		com1_putc(buf[--n]);
}

/* Hex by shifts: 64-bit division would need libgcc. */
static void put_hex64(uint64_t v)
{
	int shift = 60;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		com1_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

void mb_vprintf(const char *fmt, va_list ap)
{
	const char *s;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			com1_putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			for (s = va_arg(ap, const char *); *s; s++)
				com1_putc(*s);
			break;
		case 'c':
			com1_putc(va_arg(ap, int));
			break;
		case 'u':
			put_u32(va_arg(ap, uint32_t), 10);
			break;
		case 'x':
			put_u32(va_arg(ap, uint32_t), 16);
			break;
		case 'l':			/* only %llx */
			fmt += 2;
			put_hex64(va_arg(ap, uint64_t));
			break;
		case '\0':
			return;
		default:
			com1_putc(*fmt);
		}
	}
}

void mb_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mb_vprintf(fmt, ap);
	va_end(ap);
}
