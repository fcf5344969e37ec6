// SPDX-License-Identifier: GPL-2.0
/*
 * isolation: writes just past the end of its RAM and to addresses far
 * outside it.  Each must become an MMIO exit (test_run checks address,
 * size and value), never a write to host memory: test_run also checks the
 * canary page that follows guest RAM in the launcher's mapping.  Then it
 * reads the first address back: the test answers ISOLATION_READ_VALUE.
 */
#include "guest.h"
#include "isolation.h"

uint32_t guest_main(uint64_t ram_size)
{
	volatile uint64_t *p;
	uint64_t v;
	unsigned int i;

	puts_com1("isolation: writing outside guest RAM\n");
	for (i = 0; i < ISOLATION_NR_TARGETS; i++) {
		p = (volatile uint64_t *)(isolation_target(ram_size, i));
		*p = ISOLATION_VALUE(i);
	}
	p = (volatile uint64_t *)ram_size;
	v = *p;
	printf_com1("isolation: read %lx past the end of RAM\n", v);
	return v == ISOLATION_READ_VALUE ? 0 : 1;
}
