// SPDX-License-Identifier: GPL-2.0
/*
 * hello: prints, marks, computes without a single exit, marks, prints and
 * reports 0.  test_run compares LHV_GET_STATS at the two markers: the
 * only exit between them must be the second marker's own.
 */
#include "guest.h"

#define HELLO_ITERATIONS	10000000u

/* Register-only arithmetic: no I/O, no memory access, hence no exits. */
static uint64_t compute(void)
{
	uint64_t x = 1;
	uint32_t i;

	for (i = 0; i < HELLO_ITERATIONS; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* Keep gcc from folding the loop away. */
		asm volatile("" : "+r"(x));
	}
	return x;
}

uint32_t guest_main(uint64_t ram_size)
{
	uint64_t x;

	printf_com1("Hello from lhv guest, %lu KiB of RAM\n", ram_size >> 10);
	marker(1);
	x = compute();
	marker(2);
	printf_com1("computed %lx in %u iterations\n", x, HELLO_ITERATIONS);
	puts_com1("Goodbye\n");
	return 0;
}
