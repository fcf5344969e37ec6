/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM and vCPU objects, as the core and the backends see them.
 *
 * Two sides touch a vCPU: the task in LHV_RUN and other vCPU ioctls
 * ("ioctl side", process context, under vcpu->lock) and the host CPU the
 * vCPU owns ("owned CPU", interrupts off, in the root loop).  They hand
 * the vCPU back and forth through vcpu->req: the ioctl side may touch
 * regs, sregs, emul and pending only while req is LHV_REQ_IDLE or
 * LHV_REQ_DONE; the owned CPU only while it is LHV_REQ_RUN.  The atomic
 * store that changes req publishes those fields to the other side.
 */
#ifndef _LHV_VM_H
#define _LHV_VM_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/wait.h>

#include "../lapic/runstate.h"
#include "cpuid.h"
#include "emulate.h"
#include "lhv.h"
#include "memslot.h"
#include "npt.h"

/* Where the owned CPU is, for a diagnostic when it does not answer. */
enum lhv_vcpu_where {
	LHV_WHERE_ROOT,		/* root loop, waiting for a request */
	LHV_WHERE_LOAD,		/* loading the vCPU or its state */
	LHV_WHERE_PARK,		/* parked: waiting for INIT/SIPI */
	LHV_WHERE_GUEST,	/* in the guest */
	LHV_WHERE_EXIT,		/* handling an exit */
	LHV_WHERE_NOTIFY,	/* waking the ioctl side */
};

enum lhv_vcpu_req {
	LHV_REQ_IDLE,		/* nothing asked; the owned CPU waits */
	LHV_REQ_RUN,		/* ioctl side: run until an exit needs userspace */
	LHV_REQ_DONE,		/* owned CPU: stopped, vcpu->exit says why */
};

#define LHV_EXIT_TRACE	8

struct lhv_vcpu {
	struct lhv_vm *vm;
	u32 id;
	u32 host_cpu;
	u64 apic_base;			/* the host CPU's, BSP flag clear */
	void *hw;			/* the backend's (VMCS/VMCB, ...) */
	bool cpu_released;		/* host_cpu is Linux's again */

	struct mutex lock;		/* ioctl side: one caller at a time */

	/* Handed over through req (see the top of this file). */
	struct lhv_regs regs;
	struct lhv_sregs sregs;
	bool state_dirty;		/* regs/sregs newer than the guest state */
	bool state_saved;		/* owned CPU: regs/sregs are the guest's now */
	bool loaded;			/* vcpu_load() ran on the owned CPU */
	bool dead;			/* SHUTDOWN, FAIL_ENTRY, ...: no more runs */
	struct lhv_run exit;		/* the last exit, as userspace sees it */
	bool pending;			/* exit is a PIO/MMIO request not completed */
	bool completed;			/* userspace completed it; emul has the data */
	struct lhv_emul emul;
	struct lhv_cpuid_cache cpuid_cache;	/* owned CPU only */
	u32 gmem_last_slot;		/* owned CPU: gmem.c's last hit */

	/*
	 * lapic/: the INIT/SIPI run state.  Events come from this vCPU's own
	 * exits and, in filtered mode, from other vCPUs' CPUs, all with
	 * interrupts off: a raw spinlock.
	 */
	raw_spinlock_t rs_lock;
	struct lapic_runstate rs;
	u32 apic_id;			/* the host CPU's, which the guest sees */
	u8 logical_id;			/* xAPIC LDR[31:24] as the guest set it */
	u8 dfr_cluster;			/* xAPIC DFR model: cluster (1), flat (0) */
	u32 icr_high;			/* xAPIC ICR[63:32] as the guest wrote it */

	/* Cross-CPU. */
	atomic_t req;			/* enum lhv_vcpu_req */
	atomic_t kicked;		/* lhv sent an NMI: not the guest's */
	atomic_t nmi_requested;		/* LHV_INJECT_NMI: inject one */
	bool in_guest;			/* owned CPU: between entry and exit */
	bool in_wfs;			/* owned CPU: entered in wait-for-SIPI */
	u32 where;			/* owned CPU: enum lhv_vcpu_where, for diagnostics */
	/* Owned CPU: the last exits, oldest first from trace_next, for diagnostics. */
	struct lhv_exit_trace {
		u64 reason, qual, rip;
		u32 state_in, state_out;
	} trace[LHV_EXIT_TRACE];
	u32 trace_next;
	bool stop;			/* ioctl side: leave the guest soon */
	wait_queue_head_t wq;		/* the ioctl side waits here for DONE */
	call_single_data_t wake_csd;	/* owned CPU -> an online CPU: wake wq */
	atomic_t wakes_inflight;	/* wake_csd queued, callback not done */
	bool user_polling;		/* the ioctl side spins: no wake-up needed */
	u64 poll_ns;			/* ioctl side: its next spin, adaptive */
	struct lhv_vmexit emul_exit;	/* the exit being emulated */

	/* Written by the owned CPU only; read racily by LHV_GET_STATS. */
	struct lhv_stats stats;

	struct page *run_page;		/* what mmap() of the vCPU fd shows */
};

struct lhv_vm {
	struct kref ref;
	u32 lapic_mode;
	struct mutex lock;		/* protects vcpus[], mem and npt */
	struct lhv_vcpu *vcpus[LHV_MAX_VCPUS];
	struct lhv_memslots mem;
	struct lhv_npt npt;
	u64 apic_gpa;			/* the local APIC page, mapped 1:1 */
	bool x2apic;			/* the host's APIC mode, which guests keep */
	bool started;			/* a vCPU ran: memory is fixed */
	bool dead;			/* host reboot took the CPUs back */
	struct list_head node;		/* in vm.c's list of VMs */
};

#endif /* _LHV_VM_H */
