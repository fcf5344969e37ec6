/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one hypercall lhv answers (Documentation/bench.rst): VMCALL on
 * Intel, VMMCALL on AMD, with EAX = LHV_HC_NOP.  lhv skips the
 * instruction, sets RAX to 0 and enters the guest again without leaving
 * its backend: the cost is one VM exit and one entry, the floor every
 * other exit is compared with.  Any other VMCALL/VMMCALL raises #UD, as
 * on a CPU without virtualization.  Shared by lhv.ko and the guests, so
 * no types.
 */
#ifndef _LHV_HYPERCALL_H
#define _LHV_HYPERCALL_H

#define LHV_HC_NOP		0x4c485600	/* "\0VHL" */

#endif /* _LHV_HYPERCALL_H */
