// SPDX-License-Identifier: GPL-2.0
/*
 * VMX backend: a vCPU's VMCS, set up for a partitioned guest.
 *
 * The guest owns its CPU, so the VMCS intercepts only what would let it
 * reach outside its partition or what lhv must emulate:
 *  - no external-interrupt exiting: interrupts go straight to the guest
 *    through its own (passed-through) local APIC;
 *  - NMI exiting with virtual NMIs: an NMI is how lhv kicks the CPU out
 *    of the guest, and virtual NMIs let lhv inject the guest's own;
 *  - no HLT, MWAIT, RDTSC, CR3 or CR8 exiting: the CPU, its TSC and its
 *    TPR are the guest's;
 *  - every I/O port traps (both I/O bitmaps all ones): devices are
 *    userspace's;
 *  - MSRs trap as module/msr_policy.c says, through the MSR bitmap;
 *  - EPT maps guest RAM; anything else becomes an EPT violation (MMIO);
 *  - unrestricted guest, so guests may start in real mode;
 *  - CR0/CR4 bits that VMX forces (CR0.NE, CR4.VMXE, ...) are owned by
 *    lhv through the guest/host masks; the guest sees its own values in
 *    the read shadows (vmx_state.c).
 *
 * vmx_vcpu_create() decides every control word in process context, where
 * a missing feature can be named in the kernel log; vmx_vcpu_load() only
 * writes them, on the owned CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "../module/msr_policy.h"
#include "../module/vm.h"
#include "vmcs.h"
#include "vmx_bits.h"
#include "vmx_caps.h"
#include "vmx_vcpu.h"

/* IA32_VMX_EPT_VPID_CAP (SDM Vol. 3D, A.10). */
#define VMX_CAP_INVEPT			BIT_ULL(20)
#define VMX_CAP_INVEPT_SINGLE		BIT_ULL(25)
#define VMX_CAP_INVEPT_ALL		BIT_ULL(26)
#define VMX_CAP_INVVPID			BIT_ULL(32)
#define VMX_CAP_INVVPID_SINGLE		BIT_ULL(41)
#define VMX_CAP_INVVPID_ALL		BIT_ULL(42)

#define VMX_INV_SINGLE			1
#define VMX_INV_ALL			2

/* EPTP: write-back paging structures, 4-level walk (24.6.11). */
#define VMX_EPTP_WB			6ULL
#define VMX_EPTP_WALK_4			(3ULL << 3)

/* Each owned CPU runs one vCPU, so one tag serves every VM (see vmx_flush_tlb). */
#define VMX_VPID			1

/* The power-up IA32_PAT (SDM Vol. 3A, 11.12.4). */
#define VMX_PAT_RESET			0x0007040600070406ULL

static unsigned long vmx_alloc_page(void)
{
	return get_zeroed_page(GFP_KERNEL_ACCOUNT);
}

/*
 * The MSR bitmap (24.6.9): four 1 KiB bitmaps, reads of 0-0x1fff, reads
 * of 0xc0000000-0xc0001fff, then writes of each.  A set bit traps.  MSRs
 * outside those ranges always trap; module/msr_policy.c decides the rest.
 */
static void vmx_build_msr_bitmap(u8 *bitmap, u32 lapic_mode, bool host_x2apic)
{
	static const u32 base[2] = { 0, 0xc0000000 };
	unsigned int range, write, i;

	for (write = 0; write < 2; write++)
		for (range = 0; range < 2; range++) {
			u8 *map = bitmap + write * 2048 + range * 1024;

			for (i = 0; i < 0x2000; i++)
				if (lhv_msr_trapped(base[range] + i, write,
						    lapic_mode, host_x2apic))
					map[i / 8] |= BIT(i % 8);
		}
}

static u64 vmx_cap(u32 msr)
{
	u64 val;

	return rdmsrl_safe(msr, &val) ? 0 : val;
}

/* The instructions the guest's CPUID promises, which VMX must let through. */
static u32 vmx_cpuid_proc2(void)
{
	u32 eax, ebx, ecx, edx, max = cpuid_eax(0), want = 0;

	if (cpuid_eax(0x80000000) >= 0x80000001 &&
	    (cpuid_edx(0x80000001) & BIT(27)))
		want |= VMX_PROC2_RDTSCP;
	if (max >= 7) {
		cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
		if (ebx & BIT(10))
			want |= VMX_PROC2_INVPCID;
	}
	if (max >= 0xd && (cpuid_ecx(1) & BIT(26))) {
		cpuid_count(0xd, 1, &eax, &ebx, &ecx, &edx);
		if (eax & BIT(3))
			want |= VMX_PROC2_XSAVES;
	}
	return want;
}

static int vmx_adjust(const char *what, u64 cap, u32 need, u32 want,
		      u32 forbid, u32 *out)
{
	int err = vmx_adjust_controls(cap, need, want, forbid, out);

	if (err)
		pr_err("VMX %s controls: bits %#x cannot be set as lhv needs (capability %#llx)\n",
		       what, *out, cap);
	return err;
}

/* Decide every control word from the capability MSRs (SDM Vol. 3D, A.3-A.5). */
static int vmx_setup_controls(struct vmx_vcpu *vmx)
{
	bool true_ctls = lhv_caps.raw_vmx_basic & LHV_VMX_BASIC_TRUE_CTLS;
	u64 ept_vpid = lhv_caps.raw_vmx_ept_vpid_cap;
	u32 proc2_want = vmx_cpuid_proc2();
	int err;

	if (lhv_caps.features & LHV_CAP_VMX_VPID)
		proc2_want |= VMX_PROC2_VPID;

	err = vmx_adjust("pin-based",
			 vmx_cap(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
				 MSR_IA32_VMX_PINBASED_CTLS),
			 VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS, 0,
			 VMX_PIN_EXT_INTR_EXITING, &vmx->pin);
	err = err ?: vmx_adjust("processor-based",
				vmx_cap(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
					MSR_IA32_VMX_PROCBASED_CTLS),
				VMX_PROC_IO_BITMAPS | VMX_PROC_MSR_BITMAPS |
				VMX_PROC_SECONDARY, 0,
				VMX_PROC_HLT_EXITING | VMX_PROC_INVLPG_EXITING |
				VMX_PROC_MWAIT_EXITING | VMX_PROC_RDPMC_EXITING |
				VMX_PROC_RDTSC_EXITING | VMX_PROC_CR3_LOAD_EXITING |
				VMX_PROC_CR3_STORE_EXITING |
				VMX_PROC_CR8_LOAD_EXITING |
				VMX_PROC_CR8_STORE_EXITING | VMX_PROC_TPR_SHADOW |
				VMX_PROC_MOV_DR_EXITING |
				VMX_PROC_MONITOR_EXITING | VMX_PROC_PAUSE_EXITING,
				&vmx->proc);
	/* Only while an NMI waits for the guest to unblock NMIs (vmx_state.c). */
	vmx->nmi_window = !err &&
		(vmx_cap(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			 MSR_IA32_VMX_PROCBASED_CTLS) >> 32) & VMX_PROC_NMI_WINDOW;
	err = err ?: vmx_adjust("secondary",
				vmx_cap(MSR_IA32_VMX_PROCBASED_CTLS2),
				VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED, proc2_want,
				0, &vmx->proc2);
	/* The host is 64-bit; EFER, PAT and the debug controls switch. */
	err = err ?: vmx_adjust("VM-exit",
				vmx_cap(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
					MSR_IA32_VMX_EXIT_CTLS),
				VMX_EXIT_HOST_64BIT | VMX_EXIT_SAVE_DEBUG |
				VMX_EXIT_SAVE_PAT | VMX_EXIT_LOAD_PAT |
				VMX_EXIT_SAVE_EFER | VMX_EXIT_LOAD_EFER, 0,
				VMX_EXIT_ACK_INTR, &vmx->exit_ctl);
	/* "IA-32e mode guest" follows EFER.LMA; vmx_state.c sets it. */
	err = err ?: vmx_adjust("VM-entry",
				vmx_cap(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
					MSR_IA32_VMX_ENTRY_CTLS),
				VMX_ENTRY_LOAD_DEBUG | VMX_ENTRY_LOAD_PAT |
				VMX_ENTRY_LOAD_EFER, 0,
				VMX_ENTRY_IA32E_GUEST | VMX_ENTRY_SMM,
				&vmx->entry_ctl);
	if (err)
		return err;

	vmx->vpid = vmx->proc2 & VMX_PROC2_VPID;
	if (!(ept_vpid & VMX_CAP_INVEPT) ||
	    !(ept_vpid & (VMX_CAP_INVEPT_SINGLE | VMX_CAP_INVEPT_ALL))) {
		pr_err("VMX lacks INVEPT (IA32_VMX_EPT_VPID_CAP %#llx)\n", ept_vpid);
		return -EOPNOTSUPP;
	}
	vmx->invept_type = ept_vpid & VMX_CAP_INVEPT_SINGLE ? VMX_INV_SINGLE :
							      VMX_INV_ALL;
	/* VPID without a usable INVVPID would keep stale translations. */
	if (!(ept_vpid & VMX_CAP_INVVPID) ||
	    !(ept_vpid & (VMX_CAP_INVVPID_SINGLE | VMX_CAP_INVVPID_ALL))) {
		vmx->proc2 &= ~VMX_PROC2_VPID;
		vmx->vpid = false;
	}
	vmx->invvpid_type = ept_vpid & VMX_CAP_INVVPID_SINGLE ? VMX_INV_SINGLE :
								VMX_INV_ALL;

	/* With unrestricted guest, CR0.PE and CR0.PG are the guest's (26.3.1.1). */
	vmx_cr_fixed(vmx_cap(MSR_IA32_VMX_CR0_FIXED0),
		     vmx_cap(MSR_IA32_VMX_CR0_FIXED1),
		     X86_CR0_PE | X86_CR0_PG, &vmx->cr0_mask, &vmx->cr0_set);
	vmx_cr_fixed(vmx_cap(MSR_IA32_VMX_CR4_FIXED0),
		     vmx_cap(MSR_IA32_VMX_CR4_FIXED1), 0,
		     &vmx->cr4_mask, &vmx->cr4_set);

	/* PAE PDPTE bits 2:1, 8:5 and above MAXPHYADDR (SDM Vol. 3A, 4.4.1). */
	vmx->pdpte_rsvd = 0x1e6ULL |
			  ~((1ULL << boot_cpu_data.x86_phys_bits) - 1);
	return 0;
}

int vmx_vcpu_create(struct lhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = kzalloc(sizeof(*vmx), GFP_KERNEL_ACCOUNT);
	int err = -ENOMEM;

	if (!vmx)
		return -ENOMEM;
	vcpu->hw = vmx;
	vmx->vmcs = (void *)vmx_alloc_page();
	vmx->msr_bitmap = (void *)vmx_alloc_page();
	vmx->io_bitmap_a = (void *)vmx_alloc_page();
	vmx->io_bitmap_b = (void *)vmx_alloc_page();
	if (!vmx->vmcs || !vmx->msr_bitmap || !vmx->io_bitmap_a ||
	    !vmx->io_bitmap_b)
		goto fail;

	err = vmx_setup_controls(vmx);
	if (err)
		goto fail;
	/* Revision identifier, bit 31 clear: not a shadow VMCS (24.2). */
	*(u32 *)vmx->vmcs = lhv_caps.vmcs_revision;
	vmx_build_msr_bitmap(vmx->msr_bitmap, vcpu->vm->lapic_mode,
			     vcpu->vm->x2apic);
	memset(vmx->io_bitmap_a, 0xff, PAGE_SIZE);
	memset(vmx->io_bitmap_b, 0xff, PAGE_SIZE);
	return 0;

fail:
	vmx_vcpu_destroy(vcpu);
	return err;
}

void vmx_vcpu_destroy(struct lhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->hw;

	if (!vmx)
		return;
	free_page((unsigned long)vmx->vmcs);
	free_page((unsigned long)vmx->msr_bitmap);
	free_page((unsigned long)vmx->io_bitmap_a);
	free_page((unsigned long)vmx->io_bitmap_b);
	kfree(vmx);
	vcpu->hw = NULL;
}

/* 0, or -EIO on VMfail (CF or ZF set). */
static int vmx_vmclear(phys_addr_t pa)
{
	bool fail;

	asm volatile("vmclear %[pa]\n\tsetna %[fail]"
		     : [fail] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	return fail ? -EIO : 0;
}

static int vmx_vmptrld(phys_addr_t pa)
{
	bool fail;

	asm volatile("vmptrld %[pa]\n\tsetna %[fail]"
		     : [fail] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	return fail ? -EIO : 0;
}

static void vmx_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };

	asm volatile("invept %[desc], %[type]"
		     : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
}

static void vmx_invvpid(unsigned long type, u16 vpid)
{
	struct { u64 vpid, addr; } desc = { vpid, 0 };

	asm volatile("invvpid %[desc], %[type]"
		     : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
}

/*
 * Forget the guest translations this CPU may hold: the combined
 * (EPT-tagged) ones of this VM's EPTP, and the VPID-tagged ones, which
 * an earlier VM on this CPU left under the same VPID (28.3.3.3).
 */
void vmx_flush_tlb(struct vmx_vcpu *vmx, u64 eptp)
{
	vmx_invept(vmx->invept_type, eptp);
	if (vmx->vpid)
		vmx_invvpid(vmx->invvpid_type, VMX_VPID);
}

struct vmx_field {
	u32 field;
	u64 val;
};

/* The number of writes that failed: each is a bug in the field list. */
static unsigned int vmx_write_fields(const struct vmx_field *f, unsigned int n)
{
	unsigned int i, bad = 0;

	for (i = 0; i < n; i++)
		bad += !vmx_vmwrite(f[i].field, f[i].val);
	return bad;
}

static u16 vmx_host_selector(u16 sel)
{
	/* Host selectors must have RPL 0 and TI 0 (26.2.3); null is fine for data. */
	return sel & 7 ? 0 : sel;
}

/* The TSS base from this CPU's GDT: a 16-byte system descriptor. */
static u64 vmx_host_tr_base(unsigned long gdt, u16 tr)
{
	const u32 *d = (const u32 *)(gdt + (tr & ~7));

	return (d[0] >> 16) | ((u64)(d[1] & 0xff) << 16) |
	       ((u64)(d[1] >> 24) << 24) | ((u64)d[2] << 32);
}

/*
 * Host state (24.5, checked by 26.2.3): the live CPU's, as the root loop
 * runs it.  VM exits force the GDTR/IDTR limits to 0xffff and the TR
 * limit to 0x67 (27.5.2); that only matters in user mode, which an owned
 * CPU never returns to before Linux brings it back up with INIT.
 */
static unsigned int vmx_write_host_state(void)
{
	struct desc_ptr gdt, idt;
	u16 cs, ss, ds, es, fs, gs, tr;
	u64 sysenter_cs;
	unsigned long fs_base, gs_base, sysenter_esp, sysenter_eip;
	u64 efer, pat;

	native_store_gdt(&gdt);
	store_idt(&idt);
	tr = native_store_tr();
	savesegment(cs, cs);
	savesegment(ss, ss);
	savesegment(ds, ds);
	savesegment(es, es);
	savesegment(fs, fs);
	savesegment(gs, gs);
	rdmsrl(MSR_FS_BASE, fs_base);
	rdmsrl(MSR_GS_BASE, gs_base);
	rdmsrl(MSR_IA32_SYSENTER_CS, sysenter_cs);
	rdmsrl(MSR_IA32_SYSENTER_ESP, sysenter_esp);
	rdmsrl(MSR_IA32_SYSENTER_EIP, sysenter_eip);
	rdmsrl(MSR_EFER, efer);
	rdmsrl(MSR_IA32_CR_PAT, pat);

	{
		const struct vmx_field f[] = {
			{ VMCS_HOST_CR0, native_read_cr0() },
			{ VMCS_HOST_CR3, __native_read_cr3() },
			{ VMCS_HOST_CR4, cr4_read_shadow() },
			{ VMCS_HOST_CS_SELECTOR, cs },
			{ VMCS_HOST_SS_SELECTOR, vmx_host_selector(ss) },
			{ VMCS_HOST_DS_SELECTOR, vmx_host_selector(ds) },
			{ VMCS_HOST_ES_SELECTOR, vmx_host_selector(es) },
			{ VMCS_HOST_FS_SELECTOR, vmx_host_selector(fs) },
			{ VMCS_HOST_GS_SELECTOR, vmx_host_selector(gs) },
			{ VMCS_HOST_TR_SELECTOR, tr },
			{ VMCS_HOST_FS_BASE, fs_base },
			{ VMCS_HOST_GS_BASE, gs_base },
			{ VMCS_HOST_TR_BASE, vmx_host_tr_base(gdt.address, tr) },
			{ VMCS_HOST_GDTR_BASE, gdt.address },
			{ VMCS_HOST_IDTR_BASE, idt.address },
			{ VMCS_HOST_SYSENTER_CS, sysenter_cs },
			{ VMCS_HOST_SYSENTER_ESP, sysenter_esp },
			{ VMCS_HOST_SYSENTER_EIP, sysenter_eip },
			{ VMCS_HOST_EFER, efer },
			{ VMCS_HOST_PAT, pat },
			/* HOST_RSP is written by vmx_enter_guest() itself. */
			{ VMCS_HOST_RIP, (unsigned long)vmx_vmexit },
		};

		return vmx_write_fields(f, ARRAY_SIZE(f));
	}
}

static unsigned int vmx_write_controls(struct lhv_vcpu *vcpu, u64 eptp)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	const struct vmx_field f[] = {
		{ VMCS_PIN_CONTROLS, vmx->pin },
		{ VMCS_PROC_CONTROLS, vmx->proc },
		{ VMCS_PROC2_CONTROLS, vmx->proc2 },
		{ VMCS_EXIT_CONTROLS, vmx->exit_ctl },
		{ VMCS_ENTRY_CONTROLS, vmx->entry_ctl },
		{ VMCS_EXCEPTION_BITMAP, 0 },
		{ VMCS_CR3_TARGET_COUNT, 0 },
		{ VMCS_EXIT_MSR_STORE_COUNT, 0 },
		{ VMCS_EXIT_MSR_LOAD_COUNT, 0 },
		{ VMCS_ENTRY_MSR_LOAD_COUNT, 0 },
		{ VMCS_ENTRY_INTR_INFO, 0 },
		{ VMCS_IO_BITMAP_A, __pa(vmx->io_bitmap_a) },
		{ VMCS_IO_BITMAP_B, __pa(vmx->io_bitmap_b) },
		{ VMCS_MSR_BITMAP, __pa(vmx->msr_bitmap) },
		{ VMCS_EPT_POINTER, eptp },
		{ VMCS_CR0_GUEST_HOST_MASK, vmx->cr0_mask },
		{ VMCS_CR4_GUEST_HOST_MASK, vmx->cr4_mask },
		/* Not used: the VMCS has no shadow (26.3.1.5). */
		{ VMCS_LINK_POINTER, ~0ULL },
	};
	unsigned int bad = vmx_write_fields(f, ARRAY_SIZE(f));

	if (vmx->vpid)
		bad += !vmx_vmwrite(VMCS_VPID, VMX_VPID);
	/* No XSAVES/XRSTORS exits: the bitmap exists only with the control. */
	if (vmx->proc2 & VMX_PROC2_XSAVES)
		bad += !vmx_vmwrite(VMCS_XSS_EXIT_BITMAP, 0);
	return bad;
}

/*
 * Guest state that struct lhv_sregs does not carry, at its power-up
 * values (SDM Vol. 3A, 10.1.1); the guest's own later values persist in
 * the VMCS.
 */
static unsigned int vmx_write_guest_extras(void)
{
	static const struct vmx_field f[] = {
		{ VMCS_GUEST_PAT, VMX_PAT_RESET },
		{ VMCS_GUEST_DR7, 0x400 },
		{ VMCS_GUEST_DEBUGCTL, 0 },
		{ VMCS_GUEST_SYSENTER_CS, 0 },
		{ VMCS_GUEST_SYSENTER_ESP, 0 },
		{ VMCS_GUEST_SYSENTER_EIP, 0 },
		{ VMCS_GUEST_INTERRUPTIBILITY, 0 },
		{ VMCS_GUEST_PENDING_DBG, 0 },
	};

	return vmx_write_fields(f, ARRAY_SIZE(f));
}

int vmx_vcpu_load(struct lhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	u64 eptp = vcpu->vm->npt.root_pa | VMX_EPTP_WB | VMX_EPTP_WALK_4;
	phys_addr_t pa = __pa(vmx->vmcs);
	unsigned int bad;

	/* VMCLEAR first: it puts the VMCS in the "clear" launch state (24.11.3). */
	if (vmx_vmclear(pa) || vmx_vmptrld(pa))
		return -EIO;
	vmx->launched = false;
	bad = vmx_write_controls(vcpu, eptp);
	bad += vmx_write_host_state();
	bad += vmx_write_guest_extras();
	bad += !vmx_set_activity(VMX_ACTIVITY_ACTIVE);
	if (bad)
		return -EIO;
	/* vcpu->regs/sregs are the guest's state until the first entry. */
	vmx_load_state(vcpu);
	vmx_flush_tlb(vmx, eptp);
	return 0;
}

void vmx_vcpu_put(struct lhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->hw;

	/* Writes the VMCS back to memory and makes it not current (24.11.3). */
	vmx_vmclear(__pa(vmx->vmcs));
	vmx->launched = false;
}
