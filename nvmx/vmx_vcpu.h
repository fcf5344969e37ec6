/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX backend: per-vCPU hardware state (vcpu->hw) and what the backend's
 * files share.  vmx_vcpu.c sets the VMCS up and moves register state,
 * vmx_exit.c enters the guest and decodes exits, vmx_enter.S is the
 * world switch, vmx_ept.c the EPT entry format.
 */
#ifndef _LHV_VMX_VCPU_H
#define _LHV_VMX_VCPU_H

#include <linux/types.h>

struct lhv_vcpu;
struct lhv_vmexit;
struct lhv_regs;
struct lhv_npt_format;

/*
 * Everything here is written in process context by vmx_vcpu_create()
 * and read-only afterwards, except @launched and the VMCS contents,
 * which only the owned CPU touches.
 */
struct vmx_vcpu {
	void *vmcs;			/* 4 KiB, revision id first */
	void *msr_bitmap;		/* 4 KiB: read low/high, write low/high */
	void *io_bitmap_a;		/* ports 0x0000-0x7fff, all trapped */
	void *io_bitmap_b;		/* ports 0x8000-0xffff, all trapped */
	bool launched;			/* VMLAUNCH done since the last VMCLEAR */

	/* Control words, adjusted to what this CPU allows. */
	u32 pin, proc, proc2, exit_ctl, entry_ctl;
	bool vpid;			/* VPID 1 tags this vCPU's TLB entries */
	u8 invept_type, invvpid_type;	/* 1 single-context, 2 all-context */
	/* CR0/CR4 bits lhv owns (guest/host masks) and their forced values. */
	u64 cr0_mask, cr0_set, cr4_mask, cr4_set;
	u64 pdpte_rsvd;			/* reserved bits of a present PAE PDPTE */
	bool waiting;			/* entered in wait-for-SIPI */
	bool nmi_window;		/* the CPU offers NMI-window exiting */
};

/* vcpu->hw, for files that include module/vm.h. */
#define to_vmx(vcpu)	((struct vmx_vcpu *)(vcpu)->hw)

/* vmx_ept.c: the EPT entry format, for vmx_backend_ops.npt_format. */
extern const struct lhv_npt_format vmx_npt_format;

int vmx_vcpu_create(struct lhv_vcpu *vcpu);
void vmx_vcpu_destroy(struct lhv_vcpu *vcpu);
int vmx_vcpu_load(struct lhv_vcpu *vcpu);
void vmx_vcpu_put(struct lhv_vcpu *vcpu);
void vmx_load_state(struct lhv_vcpu *vcpu);
void vmx_load_regs(struct lhv_vcpu *vcpu);
void vmx_save_state(struct lhv_vcpu *vcpu);
u64 vmx_get_rip(struct lhv_vcpu *vcpu);
void vmx_skip_insn(struct lhv_vcpu *vcpu, unsigned int len);
void vmx_inject_exception(struct lhv_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error_code);
void vmx_inject_nmi(struct lhv_vcpu *vcpu);
bool vmx_nmi_ready(struct lhv_vcpu *vcpu);
void vmx_set_wait_for_sipi(struct lhv_vcpu *vcpu, bool wait);
void vmx_run(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit);

/* vmx_vcpu.c: INVEPT for @eptp, INVVPID for lhv's VPID. */
void vmx_flush_tlb(struct vmx_vcpu *vmx, u64 eptp);
/* vmx_state.c: the one writer of the guest activity state; false on VMfail. */
bool vmx_set_activity(u32 state);
/* vmx_state.c, for the CR-access exit: 0, or -EINVAL when the guest gets #GP. */
int vmx_set_guest_cr0(struct lhv_vcpu *vcpu, u64 val);
int vmx_set_guest_cr4(struct lhv_vcpu *vcpu, u64 val);

/* vmx_enter.S: 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed. */
int vmx_enter_guest(struct lhv_regs *regs, bool launched);
/* vmx_enter.S: where a VM exit lands (HOST_RIP). */
void vmx_vmexit(void);

#endif /* _LHV_VMX_VCPU_H */
