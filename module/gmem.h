/* SPDX-License-Identifier: GPL-2.0 */
/* Guest-physical memory access for the emulator, through the memslots. */
#ifndef _LHV_GMEM_H
#define _LHV_GMEM_H

#include "emulate.h"

struct lhv_vm;

/* Fill @mem with accessors of @vm's RAM; safe on an owned CPU. */
void lhv_gmem_init(struct lhv_guest_mem *mem, struct lhv_vm *vm);

#endif /* _LHV_GMEM_H */
