// SPDX-License-Identifier: GPL-2.0
/*
 * Host CPU ownership.
 *
 * lhv takes a CPU with remove_cpu(), Linux's own offline path, and keeps
 * it for a VM's lifetime.  Two smp_ops entries are hooked while the module
 * is loaded:
 *
 *  - play_dead, run by the dying CPU's idle task: on a CPU lhv claimed it
 *    disables interrupts, leaves any user mm the idle task still has
 *    loaded (play_dead_common() would have), turns VMX/SVM on through the
 *    backend, says "arrived" and runs the root loop until the CPU is
 *    released; then it turns VMX/SVM off and goes on into Linux's
 *    play_dead, which reports the death the usual way.
 *  - cpu_die, run by the CPU doing the takedown: for a claimed CPU it waits
 *    (bounded) for "arrived" instead of Linux's death report, which comes
 *    only at release.  The releasing side then calls the original cpu_die
 *    ("CPU N is now offline") and add_cpu(); Linux's INIT-SIPI brings the
 *    CPU back.
 *
 * While lhv owns a CPU it is also out of cpu_present_mask, for two
 * reasons.  Linux sends some IPIs by the all-excluding-self shorthand,
 * which reaches offline CPUs too, and so the guest's APIC; it uses the
 * shorthands only while every present CPU is online or has been
 * (apic_smt_update(), run at the end of every CPU hotplug operation).
 * And Linux must not bring the CPU up behind lhv's back (an
 * administrator writing 1 to its sysfs "online" file would INIT it out of
 * the root loop): cpu_up() refuses a CPU that is not present.  The CPU is
 * made absent in lhv_cpu_die(), inside the takedown, and present again at
 * release, just before add_cpu().  IPIs sent by shorthand until the
 * takedown ends reach the CPU: the root loop resets its APIC again before
 * the guest first runs.
 *
 * Any other CPU going offline takes the original paths.  The hooks are
 * restored at module exit under cpus_read_lock(): no hotplug operation is
 * running then, so no CPU is between entering a hook and reaching the
 * original function, and lhv owns no CPU.
 *
 * The root loop runs with interrupts off, outside the scheduler: it must
 * not sleep, take sleeping locks or printk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/moduleparam.h>
#include <asm/fpu/xcr.h>
#include <asm/mwait.h>
#include <asm/smp.h>
#include <asm/tlbflush.h>

#include "../lapic/reset.h"
#include "fpu_reset.h"
#include "lhv.h"
#include "pcpu.h"
#include "run.h"
#include "vm.h"

static bool root_mwait = true;
module_param(root_mwait, bool, 0444);
MODULE_PARM_DESC(root_mwait,
		 "Owned CPUs wait for work in MONITOR/MWAIT where the CPU has it (default), else in a PAUSE loop (Bochs: its MWAIT misses the doorbell)");

/*
 * CLAIMING -> ARRIVING is the dying CPU's step, CLAIMING -> FREE that of a
 * takedown that gave up waiting; both are cmpxchg, so exactly one happens.
 */
enum lhv_pcpu_state {
	LHV_PCPU_FREE,		/* Linux's */
	LHV_PCPU_CLAIMING,	/* going offline, not yet in lhv's hands */
	LHV_PCPU_ARRIVING,	/* in lhv's play_dead, enabling VMX/SVM */
	LHV_PCPU_OWNED,		/* in the root loop */
};

/*
 * state, release, vcpu and hw are written by the claiming/releasing task
 * and read by the CPU itself; enable_err the other way round, before
 * "arrived".  doorbell changes after every request the CPU must look at
 * (a run request in vcpu->req, release): the CPU waits on it.
 */
struct lhv_pcpu {
	atomic_t state;		/* enum lhv_pcpu_state */
	atomic_t doorbell;
	bool release;		/* leave the root loop */
	int enable_err;		/* what the backend's cpu_enable said */
	struct lhv_vcpu *vcpu;	/* the vCPU this CPU runs */
	u64 host_xcr0;		/* put back before Linux has the CPU again */
	struct lhv_cpu_hw hw;
};

static DEFINE_PER_CPU(struct lhv_pcpu, lhv_pcpus);

#define LHV_ARRIVE_TIMEOUT_MS	10000

static void (*lhv_orig_play_dead)(void);
static void (*lhv_orig_cpu_die)(unsigned int cpu);

/*
 * Wait, interrupts off, until the doorbell changes from @seen.  MWAIT on
 * the doorbell's line sleeps until a store to it (or an NMI); where
 * MWAIT does not sleep (QEMU TCG with several CPUs treats it as a NOP)
 * this is a PAUSE loop either way.
 */
static void lhv_root_wait(struct lhv_pcpu *p, int seen)
{
	bool mwait = root_mwait && boot_cpu_has(X86_FEATURE_MWAIT);

	while (atomic_read(&p->doorbell) == seen) {
		if (mwait) {
			__monitor(&p->doorbell, 0, 0);
			if (atomic_read(&p->doorbell) == seen)
				__mwait(0, 0);
		} else {
			cpu_relax();
		}
	}
}

static void lhv_root_loop(struct lhv_pcpu *p)
{
	struct lhv_vcpu *vcpu = p->vcpu;
	int seen = atomic_read(&p->doorbell);

	for (;;) {
		/* Requests are re-checked after every wake-up (DESIGN.md). */
		if (READ_ONCE(p->release))
			break;
		if (atomic_read_acquire(&vcpu->req) == LHV_REQ_RUN) {
			/* Shorthand IPIs of the takedown's last moments. */
			if (!vcpu->loaded)
				lhv_lapic_reset();
			lhv_vcpu_run_on_cpu(vcpu);
			continue;
		}
		lhv_root_wait(p, seen);
		seen = atomic_read(&p->doorbell);
	}
	if (vcpu->loaded) {
		lhv_backend->vcpu_put(vcpu);
		vcpu->loaded = false;
	}
}

void lhv_pcpu_ring(unsigned int cpu)
{
	atomic_inc(&per_cpu_ptr(&lhv_pcpus, cpu)->doorbell);
}

int lhv_pcpu_doorbell(unsigned int cpu)
{
	return atomic_read(&per_cpu_ptr(&lhv_pcpus, cpu)->doorbell);
}

void lhv_pcpu_wait(unsigned int cpu, int seen)
{
	lhv_root_wait(per_cpu_ptr(&lhv_pcpus, cpu), seen);
}

/* Hand the CPU's local state over: from Linux to a guest, or back. */
static void lhv_pcpu_handover(struct lhv_pcpu *p, bool to_guest)
{
	bool xsave = boot_cpu_has(X86_FEATURE_OSXSAVE);

	if (xsave && to_guest)
		p->host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	lhv_fpu_reset();
	if (xsave && !to_guest)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, p->host_xcr0);
	lhv_lapic_reset();
}

static void lhv_play_dead(void)
{
	struct lhv_pcpu *p = this_cpu_ptr(&lhv_pcpus);

	if (atomic_cmpxchg(&p->state, LHV_PCPU_CLAIMING, LHV_PCPU_ARRIVING) ==
	    LHV_PCPU_CLAIMING) {
		local_irq_disable();
		leave_mm(smp_processor_id());
		lhv_pcpu_handover(p, true);
		p->enable_err = lhv_backend->cpu_enable(&p->hw);
		atomic_set_release(&p->state, LHV_PCPU_OWNED);
		if (!p->enable_err) {
			lhv_root_loop(p);
			/* INIT, Linux's way back, is blocked in VMX root operation. */
			lhv_backend->cpu_disable(&p->hw);
		} else {
			while (!READ_ONCE(p->release))
				cpu_relax();
		}
		lhv_pcpu_handover(p, false);
	}
	lhv_orig_play_dead();
}

static void lhv_cpu_die(unsigned int cpu)
{
	struct lhv_pcpu *p = per_cpu_ptr(&lhv_pcpus, cpu);
	unsigned long deadline = jiffies + msecs_to_jiffies(LHV_ARRIVE_TIMEOUT_MS);
	bool reported = false;

	if (atomic_read(&p->state) == LHV_PCPU_FREE) {
		lhv_orig_cpu_die(cpu);
		return;
	}
	for (;;) {
		if (atomic_read_acquire(&p->state) == LHV_PCPU_OWNED) {
			set_cpu_present(cpu, false);
			return;
		}
		/*
		 * Give up on a CPU that never reached lhv's play_dead: it will
		 * take Linux's path when it does, and lhv_pcpu_claim() sees
		 * the state and gives up too.  One that has arrived is only
		 * turning VMX/SVM on, which does not take long.
		 */
		if (time_after(jiffies, deadline) &&
		    atomic_cmpxchg(&p->state, LHV_PCPU_CLAIMING, LHV_PCPU_FREE) ==
		    LHV_PCPU_CLAIMING) {
			pr_err("CPU %u did not reach lhv's root loop\n", cpu);
			lhv_orig_cpu_die(cpu);
			return;
		}
		/*
		 * An arrived CPU cannot be given up on (it runs lhv's code);
		 * if it never finishes arriving, say so once instead of
		 * waiting in silence.
		 */
		if (time_after(jiffies, deadline) && !reported) {
			pr_err("CPU %u arrived but did not finish taking over (state %d)\n",
			       cpu, atomic_read(&p->state));
			reported = true;
		}
		usleep_range(500, 1000);
	}
}

static int lhv_pcpu_hw_alloc(struct lhv_cpu_hw *hw)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return -ENOMEM;
	hw->page = page_address(page);
	hw->page_pa = __pa(hw->page);
	return 0;
}

static void lhv_pcpu_hw_free(struct lhv_cpu_hw *hw)
{
	free_page((unsigned long)hw->page);
	hw->page = NULL;
}

int lhv_pcpu_claim(unsigned int cpu, struct lhv_vcpu *vcpu)
{
	struct lhv_pcpu *p;
	int err;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	/* The administrator's pool (pool.c); CPU 0 is never in it. */
	if (!lhv_pool_allows(cpu))
		return -EPERM;
	p = per_cpu_ptr(&lhv_pcpus, cpu);
	if (atomic_read(&p->state) != LHV_PCPU_FREE)
		return -EBUSY;
	if (!cpu_online(cpu))
		return -ENODEV;
	if (atomic_cmpxchg(&p->state, LHV_PCPU_FREE, LHV_PCPU_CLAIMING) !=
	    LHV_PCPU_FREE)
		return -EBUSY;
	WRITE_ONCE(p->release, false);
	p->enable_err = 0;
	p->vcpu = vcpu;
	err = lhv_pcpu_hw_alloc(&p->hw);
	if (err) {
		atomic_set(&p->state, LHV_PCPU_FREE);
		return err;
	}

	err = remove_cpu(cpu);
	if (err) {
		lhv_pcpu_hw_free(&p->hw);
		atomic_set(&p->state, LHV_PCPU_FREE);
		/* Offlined meanwhile, or Linux would not let it go. */
		return cpu_online(cpu) ? -EBUSY : -ENODEV;
	}
	if (atomic_read_acquire(&p->state) != LHV_PCPU_OWNED) {
		/* lhv_cpu_die() gave up; the CPU died the normal way. */
		lhv_pcpu_hw_free(&p->hw);
		add_cpu(cpu);
		return -ETIMEDOUT;
	}
	if (p->enable_err) {
		pr_err("CPU %u: %s could not be enabled: %d\n", cpu,
		       lhv_backend->name, p->enable_err);
		lhv_pcpu_release(cpu);
		return -EIO;
	}
	return 0;
}

void lhv_pcpu_release(unsigned int cpu)
{
	struct lhv_pcpu *p = per_cpu_ptr(&lhv_pcpus, cpu);
	int err;

	if (WARN_ON_ONCE(atomic_read(&p->state) != LHV_PCPU_OWNED))
		return;
	WRITE_ONCE(p->release, true);
	lhv_pcpu_ring(cpu);
	/* Waits for the death report of Linux's play_dead, then logs it. */
	lhv_orig_cpu_die(cpu);
	/* The CPU has left the root loop: its backend page is unused. */
	lhv_pcpu_hw_free(&p->hw);
	atomic_set(&p->state, LHV_PCPU_FREE);
	set_cpu_present(cpu, true);
	/*
	 * Present again, the CPU can be onlined by anyone: a write to its
	 * sysfs "online" file may do it first, and add_cpu() then says 1
	 * (device_online(): already online).
	 */
	err = add_cpu(cpu);
	if (err < 0)
		pr_err("CPU %u did not come back online: %d\n", cpu, err);
}

bool lhv_pcpu_owned(unsigned int cpu)
{
	return atomic_read(&per_cpu_ptr(&lhv_pcpus, cpu)->state) != LHV_PCPU_FREE;
}

int lhv_pcpu_init(void)
{
	cpus_read_lock();
	lhv_orig_play_dead = smp_ops.play_dead;
	lhv_orig_cpu_die = smp_ops.cpu_die;
	WRITE_ONCE(smp_ops.play_dead, lhv_play_dead);
	WRITE_ONCE(smp_ops.cpu_die, lhv_cpu_die);
	cpus_read_unlock();
	return 0;
}

void lhv_pcpu_exit(void)
{
	cpus_read_lock();
	WRITE_ONCE(smp_ops.play_dead, lhv_orig_play_dead);
	WRITE_ONCE(smp_ops.cpu_die, lhv_orig_cpu_die);
	cpus_read_unlock();
}
