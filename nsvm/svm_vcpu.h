/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LHV_SVM_VCPU_H
#define _LHV_SVM_VCPU_H

#include "../module/lhv.h"

extern const struct lhv_npt_format svm_npt_format;

int svm_vcpu_create(struct lhv_vcpu *vcpu);
void svm_vcpu_destroy(struct lhv_vcpu *vcpu);
int svm_vcpu_load(struct lhv_vcpu *vcpu);
void svm_vcpu_put(struct lhv_vcpu *vcpu);
void svm_load_state(struct lhv_vcpu *vcpu);
void svm_load_regs(struct lhv_vcpu *vcpu);
void svm_save_state(struct lhv_vcpu *vcpu);
u64 svm_get_rip(struct lhv_vcpu *vcpu);
void svm_skip_insn(struct lhv_vcpu *vcpu, unsigned int len);
void svm_inject_exception(struct lhv_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error_code);
void svm_inject_nmi(struct lhv_vcpu *vcpu);
bool svm_nmi_ready(struct lhv_vcpu *vcpu);
void svm_run(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit);
void svm_print_entry_state(struct lhv_vcpu *vcpu);

/* svm_enter.S: VMRUN with the GPRs in @regs; GIF must be clear. */
void svm_vmrun(struct lhv_regs *regs, u64 vmcb_pa, u64 host_save_pa);

#endif /* _LHV_SVM_VCPU_H */
