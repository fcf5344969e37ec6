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

/*
 * The run page: mmap() of a vCPU fd at offset 0, LHV_RUN_PAGE_SIZE bytes,
 * PROT_READ (writes are refused).  After LHV_RUN returns 0 it holds the
 * exit record; the kernel never reads it back.
 */
#define LHV_RUN_PAGE_SIZE	4096

/* lhv_run.exit_reason */
#define LHV_EXIT_NONE		0	/* nothing pending */
#define LHV_EXIT_PIO		1	/* one port access: .pio */
#define LHV_EXIT_MMIO		2	/* one access outside guest RAM: .mmio */
#define LHV_EXIT_SHUTDOWN	3	/* triple fault; the vCPU cannot go on */
#define LHV_EXIT_FAIL_ENTRY	4	/* the CPU refused the guest state: .fail */
#define LHV_EXIT_INTERNAL_ERROR	5	/* lhv could not go on: .internal */
#define LHV_EXIT_UNHANDLED	6	/* a hardware exit lhv does not handle: .hw */
#define LHV_EXIT_INTR		7	/* LHV_RUN was interrupted (-EINTR) */

/* lhv_exit_pio.direction, lhv_exit_mmio.direction */
#define LHV_DIR_READ		0	/* IN, or a load: userspace supplies data */
#define LHV_DIR_WRITE		1	/* OUT, or a store: data holds the value */

/* lhv_exit_internal.suberror */
#define LHV_INTERNAL_DECODE	1	/* instruction not decodable: .insn */
#define LHV_INTERNAL_FETCH	2	/* instruction bytes not readable */
#define LHV_INTERNAL_WALK	3	/* guest page tables not walkable */
#define LHV_INTERNAL_EMULATE	4	/* decoded, but its effect cannot be had */

struct lhv_exit_pio {
	__u16 port;
	__u8 size;			/* 1, 2 or 4 */
	__u8 direction;			/* LHV_DIR_* */
	__u32 padding;
	__u64 data;			/* low @size bytes */
};

struct lhv_exit_mmio {
	__u64 gpa;
	__u8 size;			/* 1, 2, 4 or 8 */
	__u8 direction;			/* LHV_DIR_* */
	__u8 padding[6];
	__u64 data;			/* low @size bytes */
};

struct lhv_exit_fail {
	__u64 hardware_reason;		/* VMX: basic exit reason; SVM: exit code */
	__u64 qualification;		/* VMX: exit qualification; SVM: EXITINFO1 */
};

struct lhv_exit_internal {
	__u32 suberror;			/* LHV_INTERNAL_* */
	__u32 insn_len;			/* valid bytes in insn[] */
	__u64 gpa;			/* the faulting access, if any */
	__u8 insn[16];
};

struct lhv_exit_hw {
	__u64 hardware_reason;		/* VMX: full exit reason; SVM: exit code */
	__u64 qualification;		/* VMX: exit qualification; SVM: EXITINFO1 */
	__u64 info;			/* VMX: interruption info; SVM: EXITINFO2 */
};

struct lhv_run {
	__u32 exit_reason;		/* LHV_EXIT_* */
	__u32 padding;
	__u64 rip;			/* guest RIP of the exiting instruction */
	union {
		struct lhv_exit_pio pio;
		struct lhv_exit_mmio mmio;
		struct lhv_exit_fail fail;
		struct lhv_exit_internal internal;
		struct lhv_exit_hw hw;
		__u64 pad[8];
	};
};

/*
 * LHV_RUN (on a vCPU fd) runs the guest until an exit needs userspace.
 * Its argument completes the PIO or MMIO exit of the previous LHV_RUN:
 * exit_reason and the request fields must repeat that exit (-EINVAL
 * otherwise); data is what a read returns.  LHV_EXIT_NONE completes
 * nothing: a pending request is then delivered again.
 */
struct lhv_completion {
	__u32 exit_reason;		/* LHV_EXIT_NONE, _PIO or _MMIO */
	__u8 size;
	__u8 direction;
	__u16 port;			/* PIO */
	__u64 gpa;			/* MMIO */
	__u64 data;			/* reads: the value, low @size bytes */
	__u64 reserved[5];
};

/*
 * LHV_GET_STATS (on a vCPU fd): counters since the vCPU was created.
 * by_reason[] counts VM exits by LHV_STAT_* class.
 */
#define LHV_STAT_IO		0	/* port I/O */
#define LHV_STAT_NPF		1	/* EPT violation / nested page fault */
#define LHV_STAT_CPUID		2
#define LHV_STAT_MSR_READ	3
#define LHV_STAT_MSR_WRITE	4
#define LHV_STAT_XSETBV		5
#define LHV_STAT_CR_ACCESS	6	/* control registers lhv must shadow */
#define LHV_STAT_NMI		7	/* an NMI: a kick from lhv or the guest's */
#define LHV_STAT_SHUTDOWN	8
#define LHV_STAT_INIT		9
#define LHV_STAT_SIPI		10
#define LHV_STAT_EXCEPTION	11
#define LHV_STAT_FAIL_ENTRY	12
#define LHV_STAT_OTHER		13	/* anything else */
#define LHV_STAT_EMUL_INIT	14	/* INITs lhv emulated (filtered mode) */
#define LHV_STAT_EMUL_SIPI	15	/* SIPIs lhv emulated (filtered mode) */
#define LHV_STAT_ICR_TRAP	16	/* trapped ICR writes (filtered mode) */
#define LHV_STAT_IPI_DROPPED	17	/* IPIs to APIC IDs outside the VM */
#define LHV_STAT_LAPIC_OTHER	18	/* other LAPIC-related exits */
#define LHV_STAT_NMI_INJECTED	19	/* platform NMIs given to the guest */
#define LHV_STAT_INIT_HELD	20	/* INIT exits consumed: held by wait-for-SIPI */
#define LHV_STAT_NR		32

struct lhv_stats {
	__u64 exits;			/* all VM exits */
	__u64 user_exits;		/* LHV_RUN returns with an exit record */
	__u64 entries;			/* VM entries */
	__u64 kicks;			/* NMIs lhv sent to stop the guest */
	__u64 by_reason[LHV_STAT_NR];	/* LHV_STAT_* */
	__u64 nested_pages_4k;		/* the VM's EPT/NPT leaves, 4 KiB ... */
	__u64 nested_pages_2m;		/* ... and 2 MiB */
	__u64 reserved[2];
};

/*
 * LHV_GET_RUN_STATE/LHV_SET_RUN_STATE (on a vCPU fd): where the vCPU is in
 * the INIT/SIPI life cycle (Documentation/initsipi.rst).  A new vCPU is in
 * LHV_RUN_STATE_INIT (waiting for SIPI); userspace starts the BSP by
 * setting it RUNNING.  Pending INIT/SIPI are what lhv recorded and will
 * apply before the vCPU next enters the guest; SET may clear them (flags
 * 0) but not invent them.
 */
#define LHV_RUN_STATE_HALTED	0	/* stopped; only INIT leaves it */
#define LHV_RUN_STATE_INIT	1	/* waiting for SIPI */
#define LHV_RUN_STATE_RUNNING	2

#define LHV_RUN_PEND_INIT	(1U << 0)
#define LHV_RUN_PEND_SIPI	(1U << 1)	/* sipi_vector holds its vector */
#define LHV_RUN_PEND_VALID	(LHV_RUN_PEND_INIT | LHV_RUN_PEND_SIPI)

struct lhv_run_state {
	__u32 state;			/* LHV_RUN_STATE_* */
	__u32 pending;			/* LHV_RUN_PEND_* */
	__u8 sipi_vector;
	__u8 padding[7];
	__u64 reserved[6];
};

/*
 * LHV_SIGNAL_MSI (on a VM fd): raise an interrupt on the VM's vCPUs the way
 * a device's MSI write of @data to @address would (SDM Vol. 3A, 10.11),
 * through the vCPUs' real local APICs: no LAPIC is monitored for it.
 * address: 0xfee00000 | destination ID [19:12] | redirection hint [3] |
 * destination mode [2] (1 logical); data: vector [7:0] | delivery mode
 * [10:8] (fixed, lowest priority or NMI), edge-triggered.  Destinations
 * resolve against the VM's own vCPUs only.  Returns how many vCPUs it was
 * sent to: 0 when the destination names none of them.
 */
struct lhv_msi {
	__u64 address;
	__u32 data;
	__u32 flags;			/* none defined: must be 0 */
	__u64 reserved[6];
};

/*
 * LHV_INJECT_NMI (on a VM fd): an NMI for vCPU @vcpu_id, or for every vCPU
 * with LHV_NMI_ALL (@vcpu_id must then be 0), as a platform NMI (SERR#,
 * a watchdog) would arrive.  The guest's NMI handler runs next time the
 * vCPU is in the guest with NMIs unblocked.  Returns how many vCPUs it
 * was sent to.
 */
#define LHV_NMI_ALL		(1U << 0)

struct lhv_nmi {
	__u32 vcpu_id;
	__u32 flags;			/* LHV_NMI_* */
	__u64 reserved[7];
};

/* Returns LHV_API_VERSION; takes no argument. */
#define LHV_GET_API_VERSION	_IO(LHV_IOCTL_TYPE, 0x00)
#define LHV_GET_CAPS		_IOR(LHV_IOCTL_TYPE, 0x01, struct lhv_caps)
#define LHV_CREATE_VM		_IOW(LHV_IOCTL_TYPE, 0x02, struct lhv_vm_config)

/* On a VM fd. */
#define LHV_CREATE_VCPU		_IOW(LHV_IOCTL_TYPE, 0x40, struct lhv_vcpu_config)
#define LHV_SET_MEMORY_REGION	_IOW(LHV_IOCTL_TYPE, 0x41, struct lhv_memory_region)
#define LHV_SIGNAL_MSI		_IOW(LHV_IOCTL_TYPE, 0x42, struct lhv_msi)
#define LHV_INJECT_NMI		_IOW(LHV_IOCTL_TYPE, 0x43, struct lhv_nmi)

/* On a vCPU fd. */
#define LHV_GET_REGS		_IOR(LHV_IOCTL_TYPE, 0x80, struct lhv_regs)
#define LHV_SET_REGS		_IOW(LHV_IOCTL_TYPE, 0x81, struct lhv_regs)
#define LHV_GET_SREGS		_IOR(LHV_IOCTL_TYPE, 0x82, struct lhv_sregs)
#define LHV_SET_SREGS		_IOW(LHV_IOCTL_TYPE, 0x83, struct lhv_sregs)
#define LHV_RUN			_IOW(LHV_IOCTL_TYPE, 0x84, struct lhv_completion)
#define LHV_GET_STATS		_IOR(LHV_IOCTL_TYPE, 0x85, struct lhv_stats)
#define LHV_GET_RUN_STATE	_IOR(LHV_IOCTL_TYPE, 0x86, struct lhv_run_state)
#define LHV_SET_RUN_STATE	_IOW(LHV_IOCTL_TYPE, 0x87, struct lhv_run_state)

#ifndef __cplusplus
_Static_assert(sizeof(struct lhv_caps) == 120, "lhv_caps ABI size");
_Static_assert(sizeof(struct lhv_vm_config) == 64, "lhv_vm_config ABI size");
_Static_assert(sizeof(struct lhv_vcpu_config) == 64, "lhv_vcpu_config ABI size");
_Static_assert(sizeof(struct lhv_memory_region) == 64, "lhv_memory_region ABI size");
_Static_assert(sizeof(struct lhv_msi) == 64, "lhv_msi ABI size");
_Static_assert(sizeof(struct lhv_nmi) == 64, "lhv_nmi ABI size");
_Static_assert(sizeof(struct lhv_regs) == 176, "lhv_regs ABI size");
_Static_assert(sizeof(struct lhv_segment) == 24, "lhv_segment ABI size");
_Static_assert(sizeof(struct lhv_dtable) == 16, "lhv_dtable ABI size");
_Static_assert(sizeof(struct lhv_sregs) == 320, "lhv_sregs ABI size");
_Static_assert(sizeof(struct lhv_exit_pio) == 16, "lhv_exit_pio ABI size");
_Static_assert(sizeof(struct lhv_exit_mmio) == 24, "lhv_exit_mmio ABI size");
_Static_assert(sizeof(struct lhv_exit_internal) == 32, "lhv_exit_internal ABI size");
_Static_assert(sizeof(struct lhv_run) == 80, "lhv_run ABI size");
_Static_assert(sizeof(struct lhv_run) <= LHV_RUN_PAGE_SIZE, "lhv_run fits the run page");
_Static_assert(sizeof(struct lhv_completion) == 64, "lhv_completion ABI size");
_Static_assert(sizeof(struct lhv_stats) == 320, "lhv_stats ABI size");
_Static_assert(sizeof(struct lhv_run_state) == 64, "lhv_run_state ABI size");
#endif

#endif /* _UAPI_LINUX_LHV_H */
