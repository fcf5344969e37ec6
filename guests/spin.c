// SPDX-License-Identifier: GPL-2.0
/* spin: says so, then spins forever without exits (for the kill tests). */
#include "guest.h"

uint32_t guest_main(uint64_t ram_size)
{
	(void)ram_size;
	puts_com1("spinning\n");
	for (;;)
		asm volatile("pause");
	return 1;
}
