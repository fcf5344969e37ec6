/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LHV_VMX_CPU_H
#define _LHV_VMX_CPU_H

struct lhv_cpu_hw;

int vmx_cpu_enable(struct lhv_cpu_hw *hw);
void vmx_cpu_disable(struct lhv_cpu_hw *hw);

#endif /* _LHV_VMX_CPU_H */
