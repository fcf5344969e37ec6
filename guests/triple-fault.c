// SPDX-License-Identifier: GPL-2.0
/*
 * triple-fault: with an empty IDT the #UD of ud2 cannot be delivered, nor
 * the #DF that follows, so the CPU shuts down (SDM 3A 6.15, interrupt 8):
 * the launcher must see LHV_EXIT_SHUTDOWN.
 */
#include "guest.h"

uint32_t guest_main(uint64_t ram_size)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idt = { 0, 0 };

	(void)ram_size;
	puts_com1("triple fault ahead\n");
	asm volatile("lidt %0; ud2" : : "m"(idt));
	return 1;	/* not reached */
}
