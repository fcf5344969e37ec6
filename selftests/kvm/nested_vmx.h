/* SPDX-License-Identifier: GPL-2.0 */
/*
 * L1 helpers of the nested VMX INIT/SIPI tests (guest code).
 */
#ifndef NESTED_VMX_H
#define NESTED_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx.h"

/* Activity states of the guest-state area (SDM Vol. 3C, 25.4.2). */
#define ACT_ACTIVE	0
#define ACT_HLT		1
#define ACT_WAIT_SIPI	3

/* IA32_VMX_MISC bit 8: wait-for-SIPI is supported (SDM Vol. 3D, A.6). */
#define VMX_MISC_ACT_WAIT_SIPI	BIT_ULL(8)

/* VMLAUNCH/VMRESUME failed (VMfail): no VM exit to report. */
#define L1_VMFAIL		0xffffffffu
/* Exit-reason bit 31: the VM entry failed (SDM Vol. 3C, 25.9.1). */
#define EXIT_FAILED_ENTRY	0x80000000u

/* VMXON, a current VMCS and a guest (L2) that starts at @rip. */
static inline void l1_vmx_setup(struct vmx_pages *vmx, void *rip, void *rsp)
{
	GUEST_ASSERT(prepare_for_vmx_operation(vmx));
	GUEST_ASSERT(load_vmcs(vmx));
	prepare_vmcs(vmx, rip, rsp);
}

/*
 * Enter L2 in activity state @act; the full exit reason (bit 31 set for
 * a failed entry) or L1_VMFAIL.
 */
static inline uint32_t l1_enter(bool launch, uint64_t act)
{
	GUEST_ASSERT(!vmwrite(GUEST_ACTIVITY_STATE, act));
	if (launch ? vmlaunch() : vmresume())
		return L1_VMFAIL;
	return vmreadz(VM_EXIT_REASON);
}

/* Step L2 past the VMCALL it exited on, so it can be resumed. */
static inline void l1_skip_insn(void)
{
	vmwrite(GUEST_RIP, vmreadz(GUEST_RIP) + vmreadz(VM_EXIT_INSTRUCTION_LEN));
}

#endif /* NESTED_VMX_H */
