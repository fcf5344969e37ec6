/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host CPUs that lhv owns.  See module/pcpu.c for how a CPU is taken from
 * Linux and given back.
 */
#ifndef _LHV_PCPU_H
#define _LHV_PCPU_H

#include <linux/types.h>

struct lhv_vcpu;

int lhv_pcpu_init(void);
void lhv_pcpu_exit(void);

/*
 * Take @cpu from Linux: it goes offline and runs lhv's root loop, which
 * runs @vcpu when asked (vcpu->req, then lhv_pcpu_ring()).
 * Returns 0, or -EINVAL (no such CPU), -EPERM (CPU 0, or a CPU outside
 * the pool: module parameter cpu_pool), -ENODEV (offline),
 * -EBUSY (owned already, or Linux refused to offline it), -ETIMEDOUT (it
 * never reached lhv; it is back online), -EIO (VMX/SVM could not be turned
 * on there; it is back online), -ENOMEM.  Sleeps.
 */
int lhv_pcpu_claim(unsigned int cpu, struct lhv_vcpu *vcpu);

/* Make owned @cpu look at its requests again. */
void lhv_pcpu_ring(unsigned int cpu);

/*
 * On owned @cpu itself: read its doorbell, and wait (interrupts off, no
 * burning where MWAIT works) until it differs from @seen.
 */
int lhv_pcpu_doorbell(unsigned int cpu);
void lhv_pcpu_wait(unsigned int cpu, int seen);

/* Give @cpu back to Linux, online again.  Sleeps. */
void lhv_pcpu_release(unsigned int cpu);

/* Whether a VM owns @cpu (or is taking it). */
bool lhv_pcpu_owned(unsigned int cpu);

/*
 * The CPU pool (pool.c): lhv_pool_init() sets the default when module
 * parameter cpu_pool was not given; lhv_pool_allows() says whether a VM
 * may own @cpu, and logs a refusal.  Both sleep.
 */
void lhv_pool_init(void);
bool lhv_pool_allows(unsigned int cpu);

#endif /* _LHV_PCPU_H */
