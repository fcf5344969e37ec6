/* SPDX-License-Identifier: GPL-2.0 */
/* The runtime of lhv's freestanding test guests: ports, COM1, results. */
#ifndef _LHV_GUEST_H
#define _LHV_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ports liblhv's run loop knows (launcher/liblhv.h). */
#define GUEST_COM1		0x3f8
#define GUEST_COM1_LSR		0x3fd
#define GUEST_DEBUG_EXIT	0xf4	/* 4-byte OUT: the result */
#define GUEST_MARKER		0xf5	/* 4-byte OUT: a point tests wait for */

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void putc_com1(char c);
void puts_com1(const char *s);
/* %s, %c, %d, %u, %x, %lx, %lu, %ld, %%: what the guests need. */
void printf_com1(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void marker(uint32_t v);
__attribute__((noreturn)) void guest_exit(uint32_t result);

/* Defined by each guest. */
uint32_t guest_main(uint64_t ram_size);

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif /* _LHV_GUEST_H */
