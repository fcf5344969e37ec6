/* SPDX-License-Identifier: GPL-2.0 */
/* Guest-physical memory access for the emulator, through the memslots. */
#ifndef _LHV_GMEM_H
#define _LHV_GMEM_H

#include "emulate.h"

struct lhv_vcpu;

/*
 * Fill @mem with accessors of @vcpu's guest memory: its VM's RAM, and in
 * filtered xAPIC mode its local APIC page.  Safe on an owned CPU.
 */
void lhv_gmem_init(struct lhv_guest_mem *mem, struct lhv_vcpu *vcpu);

#endif /* _LHV_GMEM_H */
