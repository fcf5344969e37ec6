/* SPDX-License-Identifier: GPL-2.0 */
/* Guest RDMSR/WRMSR that exited: what they do. */
#ifndef _LHV_MSR_H
#define _LHV_MSR_H

#include <linux/types.h>

struct lhv_vcpu;

/* 0, or -EFAULT: the guest gets #GP; -EOPNOTSUPP: not lhv's to decide. */
int lhv_msr_read(struct lhv_vcpu *vcpu, u32 msr, u64 *val);
int lhv_msr_write(struct lhv_vcpu *vcpu, u32 msr, u64 val);

#endif /* _LHV_MSR_H */
