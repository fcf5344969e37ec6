// SPDX-License-Identifier: GPL-2.0
/* lhv's IPIs through the real APIC: the kick NMI and SIPI, forwarded IPIs. */
#include <asm/apic.h>

#include "hw.h"

void lhv_apic_hw_send(u32 low, u32 apicid)
{
	/* An xAPIC ICR written while busy would lose the previous IPI. */
	safe_apic_wait_icr_idle();
	apic_icr_write(low, apicid);
}
