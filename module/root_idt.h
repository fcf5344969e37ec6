/* SPDX-License-Identifier: GPL-2.0 */
/* lhv's own IDT for short stretches of an owned CPU's root loop. */
#ifndef _LHV_ROOT_IDT_H
#define _LHV_ROOT_IDT_H

#include <asm/desc_defs.h>

/* Switch to lhv's root IDT, saving Linux's in @linux_idt; and back. */
void lhv_root_idt_enter(struct desc_ptr *linux_idt);
void lhv_root_idt_leave(const struct desc_ptr *linux_idt);

/* root_gates.S */
void lhv_drain_stub(void);
void lhv_root_nmi(void);
void lhv_root_hlt(const int *doorbell, int seen);

#endif /* _LHV_ROOT_IDT_H */
