/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMCB, laid out as AMD APM Vol. 2, Appendix B ("Layout of VMCB")
 * gives it: a control area at offset 0 and the guest state save area at
 * 0x400.  Only the fields lhv uses are named; the rest is padding.
 */
#ifndef _LHV_VMCB_H
#define _LHV_VMCB_H

#include <linux/build_bug.h>
#include <linux/types.h>

struct vmcb_control {
	u32 intercept_cr;		/* 0x000: reads 15:0, writes 31:16 */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008 */
	u32 intercept_misc1;		/* 0x00c: SVM_INTERCEPT1_* */
	u32 intercept_misc2;		/* 0x010: SVM_INTERCEPT2_* */
	u32 intercept_misc3;		/* 0x014 */
	u8 reserved_018[0x03c - 0x018];
	u16 pause_filter_threshold;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved_05d[3];
	u64 int_ctl;			/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING... */
	u64 int_state;			/* 0x068: bit 0 interrupt shadow */
	u64 exit_code;			/* 0x070 */
	u64 exit_info1;			/* 0x078 */
	u64 exit_info2;			/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 np_enable;			/* 0x090: bit 0 nested paging */
	u64 reserved_098[2];
	u64 event_inj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean;			/* 0x0c0 */
	u32 reserved_0c4;
	u64 next_rip;			/* 0x0c8 */
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];
	u8 reserved_0e0[0x400 - 0x0e0];
};

/* A segment in the save area; attrib packs the descriptor's bits 8-15 and 20-23. */
struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	u8 reserved_4a0[0x4cb - 0x4a0];
	u8 cpl;					/* 0x4cb */
	u32 reserved_4cc;
	u64 efer;				/* 0x4d0 */
	u8 reserved_4d8[0x548 - 0x4d8];
	u64 cr4;				/* 0x548 */
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip;				/* 0x578 */
	u8 reserved_580[0x5d8 - 0x580];
	u64 rsp;				/* 0x5d8 */
	u8 reserved_5e0[0x5f8 - 0x5e0];
	u64 rax;				/* 0x5f8 */
	u64 star, lstar, cstar, sfmask;		/* 0x600 */
	u64 kernel_gs_base;			/* 0x620 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 cr2;				/* 0x640 */
	u8 reserved_648[0x668 - 0x648];
	u64 g_pat;				/* 0x668 */
	u64 dbgctl;				/* 0x670 */
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

static_assert(offsetof(struct vmcb_control, iopm_base_pa) == 0x040);
static_assert(offsetof(struct vmcb_control, int_ctl) == 0x060);
static_assert(offsetof(struct vmcb_control, event_inj) == 0x0a8);
static_assert(offsetof(struct vmcb_control, next_rip) == 0x0c8);
static_assert(sizeof(struct vmcb_control) == 0x400);
static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb);
static_assert(offsetof(struct vmcb, save.efer) == 0x4d0);
static_assert(offsetof(struct vmcb, save.cr4) == 0x548);
static_assert(offsetof(struct vmcb, save.rip) == 0x578);
static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8);
static_assert(offsetof(struct vmcb, save.rax) == 0x5f8);
static_assert(offsetof(struct vmcb, save.cr2) == 0x640);
static_assert(offsetof(struct vmcb, save.g_pat) == 0x668);

/* intercept_misc1 (APM Vol. 2, B-1, offset 0x00c). */
#define SVM_INTERCEPT1_NMI		BIT(1)
#define SVM_INTERCEPT1_INIT		BIT(3)
#define SVM_INTERCEPT1_CPUID		BIT(18)
#define SVM_INTERCEPT1_INVLPGA		BIT(26)
#define SVM_INTERCEPT1_IOIO		BIT(27)
#define SVM_INTERCEPT1_MSR		BIT(28)
#define SVM_INTERCEPT1_SHUTDOWN		BIT(31)
/* intercept_misc2 (offset 0x010). */
#define SVM_INTERCEPT2_VMRUN		BIT(0)
#define SVM_INTERCEPT2_VMMCALL		BIT(1)
#define SVM_INTERCEPT2_VMLOAD		BIT(2)
#define SVM_INTERCEPT2_VMSAVE		BIT(3)
#define SVM_INTERCEPT2_STGI		BIT(4)
#define SVM_INTERCEPT2_CLGI		BIT(5)
#define SVM_INTERCEPT2_SKINIT		BIT(6)
#define SVM_INTERCEPT2_XSETBV		BIT(13)

/* Exit codes (APM Vol. 2, Appendix C). */
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_XSETBV		0x08d
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	((u64)-1)

/* IOIO EXITINFO1 (APM Vol. 2, 15.10.2). */
#define SVM_IOIO_IN		BIT(0)
#define SVM_IOIO_STR		BIT(2)
#define SVM_IOIO_REP		BIT(3)
#define SVM_IOIO_SIZE_SHIFT	4	/* bits 4-6: one-hot 1, 2, 4 bytes */
#define SVM_IOIO_PORT_SHIFT	16

#define SVM_NPF_WRITE		BIT_ULL(1)

/* EVENTINJ (APM Vol. 2, 15.20). */
#define SVM_EVTINJ_VALID	BIT_ULL(31)
#define SVM_EVTINJ_ERR_VALID	BIT_ULL(11)
#define SVM_EVTINJ_TYPE_NMI	(2ULL << 8)
#define SVM_EVTINJ_TYPE_EXCEPT	(3ULL << 8)
#define SVM_EVTINJ_TYPE_SOFT	(4ULL << 8)
#define SVM_EVTINJ_TYPE_MASK	(7ULL << 8)
#define SVM_EVTINJ_VECTOR	0xffULL

#define SVM_TLB_FLUSH_ALL	1
#define SVM_INT_SHADOW		BIT_ULL(0)

#endif /* _LHV_VMCB_H */
