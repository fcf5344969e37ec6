/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lhv's hypercalls (Documentation/ioctl.rst): VMCALL on Intel, VMMCALL on
 * AMD, the number in EAX, the result in RAX.  The one lhv defines is
 * LHV_HC_NOP (Documentation/bench.rst): lhv skips the instruction, sets
 * RAX to 0 and enters the guest again without leaving its backend, so
 * its cost is one VM exit and one entry, the floor every other exit is
 * compared with.  Any other number returns LHV_HC_ENOSYS in RAX, KVM's
 * answer to a hypercall it does not know (-KVM_ENOSYS), so that a test
 * kernel that probes for hypercalls runs the same under both.  Shared by
 * lhv.ko and the guests, so no types.
 */
#ifndef _LHV_HYPERCALL_H
#define _LHV_HYPERCALL_H

#define LHV_HC_NOP		0x4c485600	/* "\0VHL" */
#define LHV_HC_ENOSYS		(-1000LL)	/* RAX: no such hypercall */

/* RAX after hypercall @nr (EAX). */
#define LHV_HC_RESULT(nr)	((nr) == LHV_HC_NOP ? 0ULL : (unsigned long long)LHV_HC_ENOSYS)

#endif /* _LHV_HYPERCALL_H */
