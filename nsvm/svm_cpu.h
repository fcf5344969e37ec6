/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LHV_SVM_CPU_H
#define _LHV_SVM_CPU_H

struct lhv_cpu_hw;

int svm_cpu_enable(struct lhv_cpu_hw *hw);
void svm_cpu_disable(struct lhv_cpu_hw *hw);

#endif /* _LHV_SVM_CPU_H */
