/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lhv core: what the module core, the device and the backends share.
 *
 * A backend (nvmx/ or nsvm/) implements struct lhv_backend_ops; nothing
 * above that table knows which vendor it runs on.
 */
#ifndef _LHV_H
#define _LHV_H

#include <linux/lhv.h>
#include <linux/types.h>

/* What a backend keeps per owned CPU: one zeroed page, allocated for it. */
struct lhv_cpu_hw {
	void *page;		/* VMX: the VMXON region; SVM: host save area */
	phys_addr_t page_pa;
};

struct lhv_vm;
struct lhv_vcpu;

/*
 * A VM exit, decoded by the backend into what the core needs.  The core
 * handles it; nothing above the backend looks at vendor exit codes
 * except to copy raw_* into an exit record.
 */
enum lhv_vmexit_kind {
	LHV_VMEXIT_HANDLED,	/* the backend dealt with it (e.g. CR access) */
	LHV_VMEXIT_NMI,		/* an NMI arrived: lhv's kick or the guest's */
	LHV_VMEXIT_IO,		/* .io */
	LHV_VMEXIT_NPF,		/* .npf: access outside RAM or to RO memory */
	LHV_VMEXIT_CPUID,
	LHV_VMEXIT_RDMSR,	/* index in RCX */
	LHV_VMEXIT_WRMSR,	/* index in RCX, value in EDX:EAX */
	LHV_VMEXIT_XSETBV,	/* index in RCX, value in EDX:EAX */
	LHV_VMEXIT_SHUTDOWN,	/* triple fault */
	LHV_VMEXIT_INIT,
	LHV_VMEXIT_SIPI,	/* .sipi_vector */
	LHV_VMEXIT_FAIL_ENTRY,	/* raw_reason/raw_qual: why */
	LHV_VMEXIT_UNHANDLED,	/* raw_* say what */
};

struct lhv_vmexit {
	enum lhv_vmexit_kind kind;
	unsigned int stat;	/* LHV_STAT_* class, for LHV_GET_STATS */
	/*
	 * Length of the exiting instruction when the CPU reported it; 0 when
	 * it did not (SVM without next-RIP save), and the core decodes it.
	 */
	unsigned int insn_len;
	u64 raw_reason, raw_qual, raw_info;
	/*
	 * The backend's own summary of the guest's wait and blocking state
	 * before entry and after the exit (VMX: activity state << 8 |
	 * interruptibility), for the stuck-vCPU report only; filled in only
	 * when lhv_exit_trace is set, as it costs reads on every exit.
	 */
	u32 state_in, state_out;
	union {
		struct {
			u16 port;
			u8 size;
			bool in, string, rep;
		} io;
		struct {
			u64 gpa;
			bool write;
		} npf;
		u8 sipi_vector;
	};
};

/* Module parameter exit_trace (run.c): fill in RIP and state_in/out. */
extern bool lhv_exit_trace;

/*
 * The nested page table entry format of a backend (EPT or NPT), for the
 * vendor-neutral table builder in module/npt.c.  Leaf bits are ORed: a
 * writable WB 4 KiB page is leaf_base | leaf_write | memtype_wb.
 */
struct lhv_npt_format {
	u64 table;		/* a non-leaf entry pointing at a table */
	u64 leaf_base;		/* every leaf: present/readable/executable */
	u64 leaf_write;		/* writable */
	u64 leaf_large;		/* a 2 MiB leaf in a level-2 table */
	u64 memtype_wb;		/* guest RAM */
	u64 memtype_uc;		/* the 1:1 local APIC page */
};

/*
 * One table per backend.  "Owned CPU" entries run on the CPU a vCPU owns,
 * interrupts off, inside the root loop: they must not sleep, allocate or
 * printk.  The others run in process context and may sleep.
 */
struct lhv_backend_ops {
	const char *name;
	/*
	 * Find out, on the calling CPU and without enabling VMX/SVM, whether
	 * this backend can run guests.  Fills @caps and returns 0, or returns
	 * -ENODEV with *@why naming what is missing.
	 */
	int (*probe)(struct lhv_caps *caps, const char **why);
	/*
	 * Owned CPU: turn VMX/SVM operation on (0, or a negative errno and
	 * nothing changed) and off again.  These are the only places lhv
	 * does either.
	 */
	int (*cpu_enable)(struct lhv_cpu_hw *hw);
	void (*cpu_disable)(struct lhv_cpu_hw *hw);

	const struct lhv_npt_format *npt_format;

	/* Process context: allocate/free vcpu->hw (VMCS or VMCB and friends). */
	int (*vcpu_create)(struct lhv_vcpu *vcpu);
	void (*vcpu_destroy)(struct lhv_vcpu *vcpu);
	/*
	 * Owned CPU, once before the first entry: make the VMCS current and
	 * write its constant fields / initialise the VMCB, flush the TLB
	 * tags this CPU may hold for an earlier VM.  vcpu_put undoes the
	 * "current" part (VMCLEAR) before the CPU leaves VMX operation.
	 */
	int (*vcpu_load)(struct lhv_vcpu *vcpu);
	void (*vcpu_put)(struct lhv_vcpu *vcpu);
	/*
	 * Owned CPU: copy vcpu->regs and vcpu->sregs into the guest state,
	 * or the guest state out into them.  GPRs other than RSP always live
	 * in vcpu->regs; these calls move RSP, RIP, RFLAGS and the sregs.
	 */
	void (*load_state)(struct lhv_vcpu *vcpu);
	void (*save_state)(struct lhv_vcpu *vcpu);
	/* load_state of RSP, RIP and RFLAGS alone: all an emulated instruction changes. */
	void (*load_regs)(struct lhv_vcpu *vcpu);
	/* Owned CPU: RIP, and RIP += @len with the single-step/STI/MOV SS shadow ended. */
	u64 (*get_rip)(struct lhv_vcpu *vcpu);
	void (*skip_insn)(struct lhv_vcpu *vcpu, unsigned int len);
	/* Owned CPU: make the next entry deliver an exception or an NMI. */
	void (*inject_exception)(struct lhv_vcpu *vcpu, u8 vector,
				 bool has_error, u32 error_code);
	void (*inject_nmi)(struct lhv_vcpu *vcpu);
	/*
	 * Owned CPU: whether the next entry may inject an NMI: nothing else
	 * queued for it and the guest blocking no NMI.  When it may not, the
	 * backend makes the guest exit as soon as it may where the hardware
	 * can (VMX NMI-window exiting); the core asks again at every entry.
	 */
	bool (*nmi_ready)(struct lhv_vcpu *vcpu);
	/*
	 * Owned CPU, passthrough mode only (NULL elsewhere): make the next
	 * entry park the vCPU in the wait-for-SIPI activity state (@wait) or
	 * run it (!@wait).  A parked vCPU comes back on INIT, SIPI or the
	 * backend's own timer (LHV_VMEXIT_HANDLED), so a stop request is seen.
	 */
	void (*set_wait_for_sipi)(struct lhv_vcpu *vcpu, bool wait);
	/*
	 * Owned CPU: enter the guest and return when it exits, with the exit
	 * decoded into *@exit and the GPRs in vcpu->regs.
	 */
	void (*run)(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit);
	/*
	 * Any CPU, for the stuck-vCPU report (NULL where the state cannot be
	 * read from outside, VMX): print the guest state the owned CPU last
	 * entered with and whatever the hardware wrote back at an exit the
	 * owned CPU has not come back from.
	 */
	void (*print_entry_state)(struct lhv_vcpu *vcpu);
};

extern const struct lhv_backend_ops vmx_backend_ops;
extern const struct lhv_backend_ops svm_backend_ops;

/* The backend chosen at load time and what it found; read-only after. */
extern const struct lhv_backend_ops *lhv_backend;
extern struct lhv_caps lhv_caps;

/* vCPUs per VM; also the bound on vCPU ids. */
#define LHV_MAX_VCPUS	64

int lhv_backend_select(void);
int lhv_vm_create(void __user *argp);
int lhv_vm_init(void);
void lhv_vm_exit(void);
int lhv_dev_register(void);
void lhv_dev_unregister(void);

#endif /* _LHV_H */
