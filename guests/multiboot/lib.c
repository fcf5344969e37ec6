// SPDX-License-Identifier: GPL-2.0
/*
 * GCC may emit calls to these even with -ffreestanding (struct copies,
 * loops it recognises), so a freestanding image must provide them.  The
 * copies are string instructions: a C loop here could itself be turned
 * into a call to memcpy().
 */
#include "mb-smp.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
