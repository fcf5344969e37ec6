/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lhv: a lightweight partitioning hypervisor -- the userspace ABI.
 *
 * Every ioctl of /dev/lhv, its argument structures and constants, and
 * nothing else.  Rules (Documentation/ioctl.rst has the details):
 *  - fields are fixed width with explicit padding; every struct size is
 *    pinned by a static assertion below;
 *  - reserved and padding fields must be zero on input (-EINVAL otherwise)
 *    and are zero on output;
 *  - LHV_API_VERSION changes only when an existing ioctl changes meaning.
 */
#ifndef _UAPI_LINUX_LHV_H
#define _UAPI_LINUX_LHV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LHV_API_VERSION		1

/* 0xB6 is unused in the kernel's ioctl-number registry. */
#define LHV_IOCTL_TYPE		0xB6

/* Backend vendors reported in lhv_caps.vendor. */
#define LHV_VENDOR_NONE		0
#define LHV_VENDOR_INTEL_VMX	1
#define LHV_VENDOR_AMD_SVM	2

/*
 * How a VM's local APICs are handled (Documentation/design.rst):
 * PASSTHROUGH leaves them unmonitored and takes INIT/SIPI as VM exits (VMX
 * with the wait-for-SIPI activity state); FILTERED traps ICR writes only.
 * DEFAULT picks what lhv_caps.default_lapic_mode says.
 */
#define LHV_LAPIC_DEFAULT	0
#define LHV_LAPIC_PASSTHROUGH	1
#define LHV_LAPIC_FILTERED	2

/* lhv_caps.features bits found by the Intel VMX backend. */
#define LHV_CAP_VMX_EPT			(1ULL << 0)
#define LHV_CAP_VMX_EPT_2M		(1ULL << 1)
#define LHV_CAP_VMX_UNRESTRICTED	(1ULL << 2)
#define LHV_CAP_VMX_VPID		(1ULL << 3)
#define LHV_CAP_VMX_WAIT_FOR_SIPI	(1ULL << 4)
#define LHV_CAP_VMX_PREEMPTION_TIMER	(1ULL << 5)
#define LHV_CAP_VMX_MASK		0x000000000000003fULL

/* lhv_caps.features bits found by the AMD SVM backend. */
#define LHV_CAP_SVM_NPT			(1ULL << 16)
#define LHV_CAP_SVM_NRIPS		(1ULL << 17)
#define LHV_CAP_SVM_DECODE_ASSISTS	(1ULL << 18)
#define LHV_CAP_SVM_VGIF		(1ULL << 19)
#define LHV_CAP_SVM_MASK		0x00000000000f0000ULL

/* lhv_caps.features bits that do not depend on the vendor. */
#define LHV_CAP_X2APIC			(1ULL << 32)
#define LHV_CAP_COMMON_MASK		0x0000000100000000ULL

/*
 * LHV_GET_CAPS: what the backend found on the CPU that probed it when the
 * module loaded.  The raw_* fields carry the registers the decision was
 * made from, so a bug report can quote them.
 */
struct lhv_caps {
	__u32 vendor;			/* LHV_VENDOR_* */
	__u32 vmcs_revision;		/* VMX: IA32_VMX_BASIC[30:0] */
	__u64 features;			/* LHV_CAP_* */
	__u32 asid_count;		/* SVM: CPUID 0x8000000A EBX */
	__u32 preemption_timer_shift;	/* VMX: IA32_VMX_MISC[4:0] */
	__u64 raw_vmx_basic;		/* IA32_VMX_BASIC */
	__u64 raw_vmx_misc;		/* IA32_VMX_MISC */
	__u64 raw_vmx_ept_vpid_cap;	/* IA32_VMX_EPT_VPID_CAP */
	__u32 raw_svm_features;		/* CPUID 0x8000000A EDX */
	__u32 svm_revision;		/* CPUID 0x8000000A EAX[7:0] */
	__u32 lapic_modes;		/* bit n set: LHV_LAPIC_* n supported */
	__u32 default_lapic_mode;	/* what LHV_LAPIC_DEFAULT means here */
	__u32 max_vcpus;		/* per VM */
	__u32 reserved32;
	__u64 reserved[6];
};

/*
 * LHV_SET_MEMORY_REGION (on a VM fd): guest-physical memory backed by the
 * calling process's memory, pinned for the VM's lifetime.  Each slot is
 * set once.
 */
#define LHV_MEM_READONLY	(1U << 0)	/* guest writes become MMIO exits */
#define LHV_MEM_FLAGS_VALID	LHV_MEM_READONLY

struct lhv_memory_region {
	__u32 slot;			/* 0 .. LHV_MAX_MEMSLOTS - 1 */
	__u32 flags;			/* LHV_MEM_* */
	__u64 guest_phys_addr;		/* page aligned */
	__u64 memory_size;		/* page aligned, not 0 */
	__u64 userspace_addr;		/* page aligned */
	__u64 reserved[4];
};

#define LHV_MAX_MEMSLOTS	32

/* LHV_GET_REGS/LHV_SET_REGS (on a vCPU fd): general-purpose registers. */
struct lhv_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
	__u64 reserved[4];
};

/* A segment register with its hidden part, as the CPU caches it. */
struct lhv_segment {
	__u64 base;
	__u32 limit;			/* in bytes - 1, granularity applied */
	__u16 selector;
	__u8 type;			/* descriptor type, 4 bits */
	__u8 present;
	__u8 dpl;
	__u8 db;
	__u8 s;
	__u8 l;
	__u8 g;
	__u8 avl;
	__u8 unusable;
	__u8 padding;
};

struct lhv_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

/* LHV_GET_SREGS/LHV_SET_SREGS (on a vCPU fd): system registers. */
struct lhv_sregs {
	struct lhv_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct lhv_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;		/* the host CPU's; cannot be changed */
	__u64 reserved[5];
};

/* LHV_CREATE_VM: returns a VM file descriptor. */
struct lhv_vm_config {
	__u32 lapic_mode;		/* LHV_LAPIC_* */
	__u32 flags;			/* none defined: must be 0 */
	__u64 reserved[7];
};

/*
 * LHV_CREATE_VCPU (on a VM fd): returns a vCPU file descriptor.  The host
 * CPU goes offline and belongs to the vCPU until the VM is destroyed, that
 * is, until its fd and every vCPU fd are closed.
 */
struct lhv_vcpu_config {
	__u32 vcpu_id;			/* 0 .. lhv_caps.max_vcpus - 1 */
	__u32 host_cpu;			/* never 0; one vCPU per host CPU */
	__u64 reserved[7];
};

/* Returns LHV_API_VERSION; takes no argument. */
#define LHV_GET_API_VERSION	_IO(LHV_IOCTL_TYPE, 0x00)
#define LHV_GET_CAPS		_IOR(LHV_IOCTL_TYPE, 0x01, struct lhv_caps)
#define LHV_CREATE_VM		_IOW(LHV_IOCTL_TYPE, 0x02, struct lhv_vm_config)

/* On a VM fd. */
#define LHV_CREATE_VCPU		_IOW(LHV_IOCTL_TYPE, 0x40, struct lhv_vcpu_config)
#define LHV_SET_MEMORY_REGION	_IOW(LHV_IOCTL_TYPE, 0x41, struct lhv_memory_region)

/* On a vCPU fd. */
#define LHV_GET_REGS		_IOR(LHV_IOCTL_TYPE, 0x80, struct lhv_regs)
#define LHV_SET_REGS		_IOW(LHV_IOCTL_TYPE, 0x81, struct lhv_regs)
#define LHV_GET_SREGS		_IOR(LHV_IOCTL_TYPE, 0x82, struct lhv_sregs)
#define LHV_SET_SREGS		_IOW(LHV_IOCTL_TYPE, 0x83, struct lhv_sregs)

#ifndef __cplusplus
_Static_assert(sizeof(struct lhv_caps) == 120, "lhv_caps ABI size");
_Static_assert(sizeof(struct lhv_vm_config) == 64, "lhv_vm_config ABI size");
_Static_assert(sizeof(struct lhv_vcpu_config) == 64, "lhv_vcpu_config ABI size");
_Static_assert(sizeof(struct lhv_memory_region) == 64, "lhv_memory_region ABI size");
_Static_assert(sizeof(struct lhv_regs) == 176, "lhv_regs ABI size");
_Static_assert(sizeof(struct lhv_segment) == 24, "lhv_segment ABI size");
_Static_assert(sizeof(struct lhv_dtable) == 16, "lhv_dtable ABI size");
_Static_assert(sizeof(struct lhv_sregs) == 320, "lhv_sregs ABI size");
#endif

#endif /* _UAPI_LINUX_LHV_H */
