/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMCS field encodings, control bits, exit reasons and the VMREAD/VMWRITE
 * helpers of the VMX backend.
 *
 * Section numbers in nvmx/ follow the SDM Vol. 3C editions that number the
 * VMX chapters 24 (VMCS), 25 (VMX non-root operation), 26 (VM entries),
 * 27 (VM exits) and 28 (EPT); newer editions add one to each.  Titles are
 * quoted where it matters, so either edition can be searched.  Encodings
 * are from Appendix B ("Field Encoding in VMCS"), exit reasons from
 * Appendix C ("VMX Basic Exit Reasons").
 */
#ifndef _LHV_VMCS_H
#define _LHV_VMCS_H

#include <linux/types.h>

/* 16-bit fields. */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_ES_SELECTOR		0x0800	/* ES CS SS DS FS GS LDTR TR, step 2 */
#define VMCS_HOST_ES_SELECTOR		0x0c00
#define VMCS_HOST_CS_SELECTOR		0x0c02
#define VMCS_HOST_SS_SELECTOR		0x0c04
#define VMCS_HOST_DS_SELECTOR		0x0c06
#define VMCS_HOST_FS_SELECTOR		0x0c08
#define VMCS_HOST_GS_SELECTOR		0x0c0a
#define VMCS_HOST_TR_SELECTOR		0x0c0c

/* 64-bit fields. */
#define VMCS_IO_BITMAP_A		0x2000
#define VMCS_IO_BITMAP_B		0x2002
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_EPT_POINTER		0x201a
#define VMCS_XSS_EXIT_BITMAP		0x202c
#define VMCS_GUEST_PHYSICAL_ADDRESS	0x2400
#define VMCS_LINK_POINTER		0x2800
#define VMCS_GUEST_DEBUGCTL		0x2802
#define VMCS_GUEST_PAT			0x2804
#define VMCS_GUEST_EFER			0x2806
#define VMCS_GUEST_PDPTE0		0x280a	/* PDPTE0..3, step 2 */
#define VMCS_HOST_PAT			0x2c00
#define VMCS_HOST_EFER			0x2c02

/* 32-bit fields. */
#define VMCS_PIN_CONTROLS		0x4000
#define VMCS_PROC_CONTROLS		0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CONTROLS		0x400c
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_ENTRY_CONTROLS		0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR	0x4018
#define VMCS_ENTRY_INSTRUCTION_LEN	0x401a
#define VMCS_PROC2_CONTROLS		0x401e
#define VMCS_VM_INSTRUCTION_ERROR	0x4400
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INTR_INFO		0x4404
#define VMCS_EXIT_INTR_ERROR		0x4406
#define VMCS_IDT_VECTORING_INFO		0x4408
#define VMCS_IDT_VECTORING_ERROR	0x440a
#define VMCS_EXIT_INSTRUCTION_LEN	0x440c
#define VMCS_GUEST_ES_LIMIT		0x4800	/* ES .. TR, step 2 */
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814	/* ES .. TR, step 2 */
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY_STATE	0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_PREEMPTION_TIMER		0x482e
#define VMCS_HOST_SYSENTER_CS		0x4c00

/* Natural-width fields. */
#define VMCS_CR0_GUEST_HOST_MASK	0x6000
#define VMCS_CR4_GUEST_HOST_MASK	0x6002
#define VMCS_CR0_READ_SHADOW		0x6004
#define VMCS_CR4_READ_SHADOW		0x6006
#define VMCS_EXIT_QUALIFICATION		0x6400
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806	/* ES .. TR, step 2 */
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DBG		0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12
#define VMCS_HOST_RSP			0x6c14	/* also in vmx_enter.S */
#define VMCS_HOST_RIP			0x6c16

/* Segment registers in VMCS encoding order (Appendix B.1.2). */
enum vmx_seg {
	VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS,
	VMX_SEG_FS, VMX_SEG_GS, VMX_SEG_LDTR, VMX_SEG_TR,
	VMX_SEG_NR
};

/* Guest activity states (24.4.2). */
#define VMX_ACTIVITY_ACTIVE		0
#define VMX_ACTIVITY_HLT		1
#define VMX_ACTIVITY_SHUTDOWN		2
#define VMX_ACTIVITY_WAIT_SIPI		3

/* Guest interruptibility state (24.4.2, table "Format of Interruptibility State"). */
#define VMX_INTR_BLOCK_STI		BIT(0)
#define VMX_INTR_BLOCK_MOV_SS		BIT(1)
#define VMX_INTR_BLOCK_SMI		BIT(2)
#define VMX_INTR_BLOCK_NMI		BIT(3)

/* Pending debug exceptions: BS, a single step is pending (24.4.2). */
#define VMX_PENDING_DBG_BS		BIT(14)

/* Interruption information: exit, IDT vectoring and entry (24.8.3, 24.9.2). */
#define VMX_INTR_VECTOR_MASK		0xffu
#define VMX_INTR_TYPE_SHIFT		8
#define VMX_INTR_TYPE_MASK		(7u << VMX_INTR_TYPE_SHIFT)
#define VMX_INTR_TYPE_EXT		(0u << VMX_INTR_TYPE_SHIFT)
#define VMX_INTR_TYPE_NMI		(2u << VMX_INTR_TYPE_SHIFT)
#define VMX_INTR_TYPE_HW_EXC		(3u << VMX_INTR_TYPE_SHIFT)
#define VMX_INTR_TYPE_SOFT_INT		(4u << VMX_INTR_TYPE_SHIFT)
#define VMX_INTR_TYPE_PRIV_SOFT_EXC	(5u << VMX_INTR_TYPE_SHIFT)
#define VMX_INTR_TYPE_SOFT_EXC		(6u << VMX_INTR_TYPE_SHIFT)
#define VMX_INTR_ERROR_VALID		BIT(11)
#define VMX_INTR_NMI_UNBLOCK_IRET	BIT(12)
#define VMX_INTR_VALID			BIT(31)

/* Exit reason: bit 31 says the VM entry failed (24.9.1). */
#define VMX_EXIT_REASON_BASIC		0xffffu
#define VMX_EXIT_REASON_FAILED_ENTRY	BIT(31)
/*
 * Not a hardware exit reason: VMLAUNCH/VMRESUME themselves failed
 * (VMfailValid, 30.2), VM_INSTRUCTION_ERROR says why.
 */
#define VMX_EXIT_REASON_VMFAIL		0xffffffffu

/* Basic exit reasons (Appendix C). */
#define VMX_EXIT_EXCEPTION_NMI		0
#define VMX_EXIT_EXTERNAL_INTERRUPT	1
#define VMX_EXIT_TRIPLE_FAULT		2
#define VMX_EXIT_INIT			3
#define VMX_EXIT_SIPI			4
#define VMX_EXIT_CPUID			10
#define VMX_EXIT_NMI_WINDOW		8
#define VMX_EXIT_HLT			12
#define VMX_EXIT_VMCALL			18
#define VMX_EXIT_VMCLEAR		19
#define VMX_EXIT_VMLAUNCH		20
#define VMX_EXIT_VMPTRLD		21
#define VMX_EXIT_VMPTRST		22
#define VMX_EXIT_VMREAD			23
#define VMX_EXIT_VMRESUME		24
#define VMX_EXIT_VMWRITE		25
#define VMX_EXIT_VMXOFF			26
#define VMX_EXIT_VMXON			27
#define VMX_EXIT_CR_ACCESS		28
#define VMX_EXIT_IO			30
#define VMX_EXIT_RDMSR			31
#define VMX_EXIT_WRMSR			32
#define VMX_EXIT_INVALID_GUEST_STATE	33
#define VMX_EXIT_MSR_LOADING		34
#define VMX_EXIT_MACHINE_CHECK		41
#define VMX_EXIT_EPT_VIOLATION		48
#define VMX_EXIT_EPT_MISCONFIG		49
#define VMX_EXIT_INVEPT			50
#define VMX_EXIT_PREEMPTION_TIMER	52
#define VMX_EXIT_INVVPID		53
#define VMX_EXIT_XSETBV			55
#define VMX_EXIT_VMFUNC			59
#define VMX_EXIT_NR			70

/* EPT-violation qualification (27.2.1, table "Exit Qualification for EPT Violations"). */
#define VMX_EPT_QUAL_WRITE		BIT(1)
#define VMX_EPT_QUAL_NMI_UNBLOCK_IRET	BIT(12)

/* Pin-based controls (24.6.1). */
#define VMX_PIN_EXT_INTR_EXITING	BIT(0)
#define VMX_PIN_NMI_EXITING		BIT(3)
#define VMX_PIN_VIRTUAL_NMIS		BIT(5)
#define VMX_PIN_PREEMPTION_TIMER	BIT(6)

/* Primary processor-based controls (24.6.2). */
#define VMX_PROC_INTR_WINDOW		BIT(2)
#define VMX_PROC_HLT_EXITING		BIT(7)
#define VMX_PROC_INVLPG_EXITING		BIT(9)
#define VMX_PROC_MWAIT_EXITING		BIT(10)
#define VMX_PROC_RDPMC_EXITING		BIT(11)
#define VMX_PROC_RDTSC_EXITING		BIT(12)
#define VMX_PROC_CR3_LOAD_EXITING	BIT(15)
#define VMX_PROC_CR3_STORE_EXITING	BIT(16)
#define VMX_PROC_CR8_LOAD_EXITING	BIT(19)
#define VMX_PROC_CR8_STORE_EXITING	BIT(20)
#define VMX_PROC_TPR_SHADOW		BIT(21)
#define VMX_PROC_NMI_WINDOW		BIT(22)
#define VMX_PROC_MOV_DR_EXITING		BIT(23)
#define VMX_PROC_UNCOND_IO_EXITING	BIT(24)
#define VMX_PROC_IO_BITMAPS		BIT(25)
#define VMX_PROC_MSR_BITMAPS		BIT(28)
#define VMX_PROC_MONITOR_EXITING	BIT(29)
#define VMX_PROC_PAUSE_EXITING		BIT(30)
#define VMX_PROC_SECONDARY		BIT(31)

/* Secondary processor-based controls (24.6.2). */
#define VMX_PROC2_VIRT_APIC_ACCESS	BIT(0)
#define VMX_PROC2_EPT			BIT(1)
#define VMX_PROC2_DESC_TABLE_EXITING	BIT(2)
#define VMX_PROC2_RDTSCP		BIT(3)
#define VMX_PROC2_VIRT_X2APIC		BIT(4)
#define VMX_PROC2_VPID			BIT(5)
#define VMX_PROC2_WBINVD_EXITING	BIT(6)
#define VMX_PROC2_UNRESTRICTED		BIT(7)
#define VMX_PROC2_INVPCID		BIT(12)
#define VMX_PROC2_XSAVES		BIT(20)

/* VM-exit controls (24.7.1). */
#define VMX_EXIT_SAVE_DEBUG		BIT(2)
#define VMX_EXIT_HOST_64BIT		BIT(9)
#define VMX_EXIT_ACK_INTR		BIT(15)
#define VMX_EXIT_SAVE_PAT		BIT(18)
#define VMX_EXIT_LOAD_PAT		BIT(19)
#define VMX_EXIT_SAVE_EFER		BIT(20)
#define VMX_EXIT_LOAD_EFER		BIT(21)

/* VM-entry controls (24.8.1). */
#define VMX_ENTRY_LOAD_DEBUG		BIT(2)
#define VMX_ENTRY_IA32E_GUEST		BIT(9)
#define VMX_ENTRY_SMM			BIT(10)
#define VMX_ENTRY_LOAD_PAT		BIT(14)
#define VMX_ENTRY_LOAD_EFER		BIT(15)

/*
 * VMREAD/VMWRITE.  The backend only touches fields it knows exist on the
 * current VMCS, so a failure is a bug; vmx_vmwrite() reports it (CF or ZF
 * set, 30.3) for the setup path to count, the hot paths ignore it.
 */
static __always_inline u64 vmx_vmread(unsigned long field)
{
	unsigned long val;

	asm volatile("vmread %[field], %[val]"
		     : [val] "=r" (val)
		     : [field] "r" (field)
		     : "cc");
	return val;
}

static __always_inline bool vmx_vmwrite(unsigned long field, u64 val)
{
	bool fail;

	asm volatile("vmwrite %[val], %[field]\n\t"
		     "setna %[fail]"
		     : [fail] "=qm" (fail)
		     : [field] "r" (field), [val] "rm" ((unsigned long)val)
		     : "cc");
	return !fail;
}

#endif /* _LHV_VMCS_H */
