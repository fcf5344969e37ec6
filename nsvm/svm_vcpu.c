// SPDX-License-Identifier: GPL-2.0
/*
 * SVM backend: one VMCB per vCPU, set up for a partitioned guest (AMD APM
 * Vol. 2, chapter 15).
 *
 * What is intercepted, and why (the rest runs natively):
 *  - NMI: lhv's kick.  INIT: the next issue's INIT/SIPI handling.
 *  - CPUID, XSETBV: emulated by the core (module/run.c).
 *  - IOIO with every port set in the I/O permission map: no device is the
 *    guest's; MSRs as module/msr_policy.c says, plus EFER, whose SVME bit
 *    VMRUN requires set in the guest (15.5.1) and the guest must not see.
 *  - SHUTDOWN: a triple fault ends up in userspace, not as a CPU reset.
 *  - VMRUN (required, 15.5.1) and the other SVM instructions: EFER.SVME is
 *    set while the guest runs, so without intercepts they would work for
 *    it; lhv injects #UD, as a CPU without SVM would raise.
 * Physical interrupts are not intercepted and V_INTR_MASKING is off, so
 * the guest's RFLAGS.IF alone decides when they are taken (15.21.1).
 *
 * Each owned CPU runs one vCPU, so every vCPU uses ASID 1, and the TLB
 * is flushed at the first VMRUN on a CPU, which an earlier VM may have
 * used.  No VMCB clean bits are set: the CPU reloads everything.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/trapnr.h>

#include <lhv/hypercall.h>

#include "../module/cpuid.h"
#include "../module/msr_policy.h"
#include "../module/run.h"
#include "../module/vm.h"
#include "svm_vcpu.h"
#include "vmcb.h"

#define SVM_IOPM_ORDER		2	/* 12 KiB used */
#define SVM_MSRPM_ORDER		1	/* 8 KiB */
#define SVM_PAT_RESET		0x0007040600070406ULL
#define SVM_ASID		1

struct svm_vcpu {
	struct vmcb *vmcb;
	struct page *host_save;		/* VMSAVE of the host's FS/GS/TR/... */
	void *iopm;
	void *msrpm;
	bool flushed;			/* this CPU's TLB flushed for ASID 1 */
};

/* NPT entries are ordinary long-mode page table entries (15.25.5). */
const struct lhv_npt_format svm_npt_format = {
	.table = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER,
	.leaf_base = _PAGE_PRESENT | _PAGE_USER,
	.leaf_write = _PAGE_RW,
	.leaf_large = _PAGE_PSE,
	.memtype_wb = 0,			/* PAT entry 0: WB */
	.memtype_uc = _PAGE_PCD | _PAGE_PWT,	/* PAT entry 3: UC */
};

static struct svm_vcpu *to_svm(struct lhv_vcpu *vcpu)
{
	return vcpu->hw;
}

/* The MSR permission map's three 2K-MSR ranges (15.11). */
static const struct {
	u32 first;
	u32 offset;
} svm_msrpm_ranges[] = {
	{ 0x00000000, 0x0000 },
	{ 0xc0000000, 0x0800 },
	{ 0xc0010000, 0x1000 },
};

static void svm_msrpm_build(u8 *msrpm, u32 lapic_mode, bool host_x2apic)
{
	unsigned int r;
	u32 i;

	for (r = 0; r < ARRAY_SIZE(svm_msrpm_ranges); r++) {
		for (i = 0; i < 0x2000; i++) {
			u32 msr = svm_msrpm_ranges[r].first + i;
			u8 *byte = msrpm + svm_msrpm_ranges[r].offset + i / 4;
			unsigned int shift = (i % 4) * 2;
			bool efer = msr == MSR_EFER;

			if (efer || lhv_msr_trapped(msr, false, lapic_mode, host_x2apic))
				*byte |= 1 << shift;
			if (efer || lhv_msr_trapped(msr, true, lapic_mode, host_x2apic))
				*byte |= 2 << shift;
		}
	}
}

int svm_vcpu_create(struct lhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = kzalloc(sizeof(*svm), GFP_KERNEL_ACCOUNT);
	struct page *vmcb;

	if (!svm)
		return -ENOMEM;
	vmcb = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	svm->host_save = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	svm->iopm = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT, SVM_IOPM_ORDER);
	svm->msrpm = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO,
					      SVM_MSRPM_ORDER);
	svm->vmcb = vmcb ? page_address(vmcb) : NULL;
	vcpu->hw = svm;
	if (!svm->vmcb || !svm->host_save || !svm->iopm || !svm->msrpm) {
		svm_vcpu_destroy(vcpu);
		return -ENOMEM;
	}
	/* Every port traps: no device belongs to the guest. */
	memset(svm->iopm, 0xff, PAGE_SIZE << SVM_IOPM_ORDER);
	svm_msrpm_build(svm->msrpm, vcpu->vm->lapic_mode, vcpu->vm->x2apic);
	return 0;
}

void svm_vcpu_destroy(struct lhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	if (!svm)
		return;
	if (svm->vmcb)
		free_page((unsigned long)svm->vmcb);
	if (svm->host_save)
		__free_page(svm->host_save);
	free_pages((unsigned long)svm->iopm, SVM_IOPM_ORDER);
	free_pages((unsigned long)svm->msrpm, SVM_MSRPM_ORDER);
	kfree(svm);
	vcpu->hw = NULL;
}

int svm_vcpu_load(struct lhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control *c = &svm->vmcb->control;

	c->intercept_misc1 = SVM_INTERCEPT1_NMI | SVM_INTERCEPT1_INIT |
			     SVM_INTERCEPT1_CPUID | SVM_INTERCEPT1_INVLPGA |
			     SVM_INTERCEPT1_IOIO | SVM_INTERCEPT1_MSR |
			     SVM_INTERCEPT1_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT2_VMRUN | SVM_INTERCEPT2_VMMCALL |
			     SVM_INTERCEPT2_VMLOAD | SVM_INTERCEPT2_VMSAVE |
			     SVM_INTERCEPT2_STGI | SVM_INTERCEPT2_CLGI |
			     SVM_INTERCEPT2_SKINIT | SVM_INTERCEPT2_XSETBV;
	c->iopm_base_pa = __pa(svm->iopm);
	c->msrpm_base_pa = __pa(svm->msrpm);
	c->asid = SVM_ASID;
	c->np_enable = 1;
	c->n_cr3 = vcpu->vm->npt.root_pa;
	svm->vmcb->save.g_pat = SVM_PAT_RESET;
	svm->vmcb->save.dr7 = 0x400;
	svm->vmcb->save.dr6 = 0xffff0ff0;
	svm->flushed = false;
	return 0;
}

void svm_vcpu_put(struct lhv_vcpu *vcpu)
{
}

/* lhv_segment <-> VMCB segment: attrib holds descriptor bits 8-15, 20-23. */
static void svm_seg_load(struct vmcb_seg *v, const struct lhv_segment *s)
{
	v->selector = s->selector;
	v->base = s->base;
	v->limit = s->limit;
	v->attrib = s->unusable ? 0 :
		    (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		    (s->present & 1) << 7 | (s->avl & 1) << 8 |
		    (s->l & 1) << 9 | (s->db & 1) << 10 | (s->g & 1) << 11;
}

static void svm_seg_save(struct lhv_segment *s, const struct vmcb_seg *v)
{
	memset(s, 0, sizeof(*s));
	s->selector = v->selector;
	s->base = v->base;
	s->limit = v->limit;
	s->type = v->attrib & 0xf;
	s->s = (v->attrib >> 4) & 1;
	s->dpl = (v->attrib >> 5) & 3;
	s->present = (v->attrib >> 7) & 1;
	s->avl = (v->attrib >> 8) & 1;
	s->l = (v->attrib >> 9) & 1;
	s->db = (v->attrib >> 10) & 1;
	s->g = (v->attrib >> 11) & 1;
	s->unusable = !s->present;
}

static u64 svm_read_cr8(void)
{
	u64 cr8;

	asm volatile("mov %%cr8, %0" : "=r" (cr8));
	return cr8;
}

static void svm_write_cr8(u64 cr8)
{
	asm volatile("mov %0, %%cr8" : : "r" (cr8));
}

void svm_load_state(struct lhv_vcpu *vcpu)
{
	struct vmcb_save *v = &to_svm(vcpu)->vmcb->save;
	const struct lhv_sregs *s = &vcpu->sregs;

	svm_seg_load(&v->cs, &s->cs);
	svm_seg_load(&v->ds, &s->ds);
	svm_seg_load(&v->es, &s->es);
	svm_seg_load(&v->fs, &s->fs);
	svm_seg_load(&v->gs, &s->gs);
	svm_seg_load(&v->ss, &s->ss);
	svm_seg_load(&v->tr, &s->tr);
	svm_seg_load(&v->ldtr, &s->ldt);
	v->gdtr.base = s->gdt.base;
	v->gdtr.limit = s->gdt.limit;
	v->idtr.base = s->idt.base;
	v->idtr.limit = s->idt.limit;
	/* CPL is SS.DPL (15.5.1); real mode runs at 0. */
	v->cpl = (s->cr0 & 1) ? s->ss.dpl : 0;
	v->cr0 = s->cr0;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	v->efer = s->efer | EFER_SVME;
	v->cr2 = s->cr2;
	/* V_INTR_MASKING is off: CR8 is the real TPR, passed through. */
	svm_write_cr8(s->cr8);
	svm_load_regs(vcpu);
}

void svm_load_regs(struct lhv_vcpu *vcpu)
{
	struct vmcb_save *v = &to_svm(vcpu)->vmcb->save;

	v->rsp = vcpu->regs.rsp;
	v->rip = vcpu->regs.rip;
	v->rflags = vcpu->regs.rflags;
}

void svm_save_state(struct lhv_vcpu *vcpu)
{
	struct vmcb_save *v = &to_svm(vcpu)->vmcb->save;
	struct lhv_sregs *s = &vcpu->sregs;

	svm_seg_save(&s->cs, &v->cs);
	svm_seg_save(&s->ds, &v->ds);
	svm_seg_save(&s->es, &v->es);
	svm_seg_save(&s->fs, &v->fs);
	svm_seg_save(&s->gs, &v->gs);
	svm_seg_save(&s->ss, &v->ss);
	svm_seg_save(&s->tr, &v->tr);
	svm_seg_save(&s->ldt, &v->ldtr);
	/* The busy TSS and a present CS are always usable. */
	s->tr.unusable = 0;
	s->gdt.base = v->gdtr.base;
	s->gdt.limit = v->gdtr.limit;
	s->idt.base = v->idtr.base;
	s->idt.limit = v->idtr.limit;
	s->cr0 = v->cr0;
	s->cr2 = v->cr2;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->cr8 = svm_read_cr8();
	s->efer = v->efer & ~EFER_SVME;
	vcpu->regs.rsp = v->rsp;
	vcpu->regs.rip = v->rip;
	vcpu->regs.rflags = v->rflags;
}

u64 svm_get_rip(struct lhv_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.rip;
}

void svm_skip_insn(struct lhv_vcpu *vcpu, unsigned int len)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	vmcb->save.rip += len;
	vmcb->control.int_state &= ~SVM_INT_SHADOW;
	/*
	 * With RFLAGS.TF set the instruction single-stepped: the CPU would
	 * have raised #DB after it, with DR6.BS (APM Vol. 2, 13.1.3.5).  An
	 * event still to be delivered again comes first; it clears TF.
	 */
	if ((vmcb->save.rflags & X86_EFLAGS_TF) &&
	    !(vmcb->control.event_inj & SVM_EVTINJ_VALID)) {
		vmcb->save.dr6 |= DR_STEP;
		svm_inject_exception(vcpu, X86_TRAP_DB, false, 0);
	}
}

void svm_inject_exception(struct lhv_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error_code)
{
	u64 ev = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXCEPT | vector;

	if (has_error)
		ev |= SVM_EVTINJ_ERR_VALID | (u64)error_code << 32;
	to_svm(vcpu)->vmcb->control.event_inj = ev;
}

void svm_inject_nmi(struct lhv_vcpu *vcpu)
{
	to_svm(vcpu)->vmcb->control.event_inj = SVM_EVTINJ_VALID |
						SVM_EVTINJ_TYPE_NMI | 2;
}

/*
 * SVM has no NMI window: an NMI waits for an entry with nothing else in
 * EVENTINJ and no interrupt shadow.  Whether the guest is still in its
 * NMI handler is not visible without vNMI; an NMI injected then nests.
 */
bool svm_nmi_ready(struct lhv_vcpu *vcpu)
{
	const struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	return !(vmcb->control.event_inj & SVM_EVTINJ_VALID) &&
	       !(vmcb->control.int_state & 1);
}

/* Length from next-RIP save where the CPU has it; 0 asks the core to decode. */
static unsigned int svm_insn_len(const struct vmcb *vmcb)
{
	if (!(lhv_caps.features & LHV_CAP_SVM_NRIPS) || !vmcb->control.next_rip)
		return 0;
	return vmcb->control.next_rip - vmcb->save.rip;
}

static void svm_decode_exit(struct lhv_vcpu *vcpu, struct lhv_vmexit *ex)
{
	const struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	const struct vmcb_control *c = &vmcb->control;
	u64 info1 = c->exit_info1;

	memset(ex, 0, sizeof(*ex));
	ex->raw_reason = c->exit_code;
	ex->raw_qual = info1;
	ex->raw_info = c->exit_info2;
	ex->insn_len = svm_insn_len(vmcb);
	switch (c->exit_code) {
	case SVM_EXIT_NMI:
		ex->kind = LHV_VMEXIT_NMI;
		ex->stat = LHV_STAT_NMI;
		return;
	case SVM_EXIT_INIT:
		ex->kind = LHV_VMEXIT_INIT;
		ex->stat = LHV_STAT_INIT;
		return;
	case SVM_EXIT_CPUID:
		ex->kind = LHV_VMEXIT_CPUID;
		ex->stat = LHV_STAT_CPUID;
		return;
	case SVM_EXIT_IOIO:
		ex->kind = LHV_VMEXIT_IO;
		ex->stat = LHV_STAT_IO;
		ex->io.port = info1 >> SVM_IOIO_PORT_SHIFT;
		ex->io.size = (info1 >> SVM_IOIO_SIZE_SHIFT) & 7;
		ex->io.in = info1 & SVM_IOIO_IN;
		ex->io.string = info1 & SVM_IOIO_STR;
		ex->io.rep = info1 & SVM_IOIO_REP;
		/* EXITINFO2 is the next RIP, with or without NRIPS (15.10.2). */
		ex->insn_len = c->exit_info2 - vmcb->save.rip;
		return;
	case SVM_EXIT_MSR:
		ex->kind = info1 ? LHV_VMEXIT_WRMSR : LHV_VMEXIT_RDMSR;
		ex->stat = info1 ? LHV_STAT_MSR_WRITE : LHV_STAT_MSR_READ;
		return;
	case SVM_EXIT_XSETBV:
		ex->kind = LHV_VMEXIT_XSETBV;
		ex->stat = LHV_STAT_XSETBV;
		return;
	case SVM_EXIT_SHUTDOWN:
		ex->kind = LHV_VMEXIT_SHUTDOWN;
		ex->stat = LHV_STAT_SHUTDOWN;
		return;
	case SVM_EXIT_NPF:
		ex->kind = LHV_VMEXIT_NPF;
		ex->stat = LHV_STAT_NPF;
		ex->npf.gpa = c->exit_info2;
		ex->npf.write = info1 & SVM_NPF_WRITE;
		return;
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_VMRUN ... SVM_EXIT_SKINIT:
		/* The SVM instructions of a CPU that has no SVM: #UD. */
		svm_inject_exception(vcpu, 6, false, 0);
		ex->kind = LHV_VMEXIT_HANDLED;
		ex->stat = LHV_STAT_OTHER;
		return;
	case SVM_EXIT_INVALID:
		ex->kind = LHV_VMEXIT_FAIL_ENTRY;
		ex->stat = LHV_STAT_FAIL_ENTRY;
		return;
	default:
		ex->kind = LHV_VMEXIT_UNHANDLED;
		ex->stat = LHV_STAT_OTHER;
		return;
	}
}

/*
 * An exit in the middle of delivering an event through the guest's IDT
 * (a kick NMI, a nested page fault on the IDT or the stack) leaves the
 * event in EXITINTINFO, in EVENTINJ's format; unless the next VMRUN
 * injects it again it is lost (APM Vol. 2, 15.7.2), and an external
 * interrupt lost that way stays in service forever.  INTn, INT3 and INTO
 * are left out: RIP is still at the instruction, which raises them again.
 */
static u64 svm_event_to_reinject(const struct vmcb_control *c)
{
	u64 info = c->exit_int_info;
	u64 type = info & SVM_EVTINJ_TYPE_MASK;
	u64 vector = info & SVM_EVTINJ_VECTOR;

	if (!(info & SVM_EVTINJ_VALID) || type == SVM_EVTINJ_TYPE_SOFT)
		return 0;
	if (type == SVM_EVTINJ_TYPE_EXCEPT && (vector == 3 || vector == 4))
		return 0;
	return info;
}

/* VMMCALL is 0f 01 d9 in every mode. */
#define SVM_VMMCALL_LEN		3

/*
 * Exits completed here, inside the entry loop, without the core's exit
 * path: the null hypercall (include/lhv/hypercall.h), whose point is the
 * bare cost of an exit and an entry, and CPUID leaves that need nothing
 * but the registers, where next-RIP save gives the length.  Returns the
 * exit's LHV_STAT_*, or -1 for any other exit.
 */
static int svm_fast_exit(struct lhv_vcpu *vcpu)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	u32 eax = vmcb->save.rax;
	unsigned int len;

	if (vmcb->control.exit_code == SVM_EXIT_VMMCALL) {
		svm_skip_insn(vcpu, SVM_VMMCALL_LEN);
		vmcb->save.rax = LHV_HC_RESULT(eax);
		return LHV_STAT_OTHER;
	}
	len = svm_insn_len(vmcb);
	if (vmcb->control.exit_code != SVM_EXIT_CPUID || !len)
		return -1;
	if (!lhv_cpuid_cache_answer(&vcpu->cpuid_cache, &vmcb->save.rax,
				    &vcpu->regs.rbx, &vcpu->regs.rcx,
				    &vcpu->regs.rdx)) {
		if (lhv_cpuid_needs_cr4(eax))
			return -1;
		vcpu->regs.rax = vmcb->save.rax;
		lhv_cpuid_emulate(vcpu, 0);
		vmcb->save.rax = vcpu->regs.rax;
	}
	svm_skip_insn(vcpu, len);
	return LHV_STAT_CPUID;
}

void svm_run(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	u64 vmcb_pa = __pa(vmcb);
	u64 host_pa = page_to_phys(svm->host_save);
	int stat;

	/* RAX, like the other GPRs, lives in vcpu->regs outside the guest. */
	vmcb->save.rax = vcpu->regs.rax;
	for (;;) {
		vmcb->control.tlb_control = svm->flushed ? 0 : SVM_TLB_FLUSH_ALL;
		vmcb->control.clean = 0;
		/*
		 * GIF clear from the VMSAVE of the host state to the VMLOAD
		 * that restores it: an NMI in between would run on
		 * half-switched state.  STGI afterwards lets a pending kick
		 * NMI be taken (and dropped: Linux ignores NMIs on offline
		 * CPUs) instead of exiting the next VMRUN at once.
		 */
		asm volatile("clgi" ::: "memory");
		asm volatile("vmsave %0" : : "a" (host_pa) : "memory");
		svm_vmrun(&vcpu->regs, vmcb_pa, host_pa);
		asm volatile("stgi" ::: "memory");
		svm->flushed = true;
		vmcb->control.event_inj = svm_event_to_reinject(&vmcb->control);
		stat = svm_fast_exit(vcpu);
		if (stat < 0)
			break;
		if (lhv_vcpu_wants_root(vcpu)) {
			vcpu->regs.rax = vmcb->save.rax;
			memset(exit, 0, sizeof(*exit));
			exit->kind = LHV_VMEXIT_HANDLED;
			exit->stat = stat;
			exit->raw_reason = vmcb->control.exit_code;
			return;
		}
		/* The core counts the exit it sees; these it never sees. */
		vcpu->stats.exits++;
		vcpu->stats.entries++;
		vcpu->stats.by_reason[stat]++;
	}
	vcpu->regs.rax = vmcb->save.rax;
	svm_decode_exit(vcpu, exit);
}

/*
 * The VMCB is plain memory, readable from any CPU.  Until #VMEXIT it holds
 * what VMRUN loaded.  Its exit code is the last #VMEXIT's: one the exit
 * trace does not end with is an exit the owned CPU never came back from
 * to lhv (a broken host-state reload, as QEMU's TCG has: Documentation/
 * testing.rst, "QEMU TCG's #VMEXIT and the guest's EFER.LME").
 */
void svm_print_entry_state(struct lhv_vcpu *vcpu)
{
	const struct vmcb *v = to_svm(vcpu)->vmcb;
	const struct vmcb_save *s = &v->save;

	pr_err("  VMCB: cs %#x (attrib %#x) rip %#llx rsp %#llx rflags %#llx cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx\n",
	       s->cs.selector, s->cs.attrib, s->rip, s->rsp, s->rflags,
	       s->cr0, s->cr3, s->cr4, s->efer);
	pr_err("  VMCB: event_inj %#llx int_state %#llx exit_code %#llx exit_info1 %#llx exit_int_info %#llx\n",
	       v->control.event_inj, v->control.int_state, v->control.exit_code,
	       v->control.exit_info1, v->control.exit_int_info);
}
