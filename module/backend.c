// SPDX-License-Identifier: GPL-2.0
/*
 * Backend selection: ask each backend whether it can run guests on this
 * machine and keep the first that can.  The probe never turns VMX or SVM
 * on, so lhv loads next to KVM; hardware virtualization is enabled only
 * on the CPUs lhv owns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/smp.h>

#include "../lapic/lapic.h"
#include "lhv.h"

const struct lhv_backend_ops *lhv_backend;
struct lhv_caps lhv_caps;

static const struct lhv_backend_ops *const lhv_backends[] = {
	&vmx_backend_ops,
	&svm_backend_ops,
};

int lhv_backend_select(void)
{
	const char *why[ARRAY_SIZE(lhv_backends)];
	struct lhv_caps caps;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lhv_backends); i++) {
		int err;

		/* CPUID and MSRs must come from one CPU. */
		preempt_disable();
		err = lhv_backends[i]->probe(&caps, &why[i]);
		preempt_enable();
		if (!err) {
			lhv_backend = lhv_backends[i];
			lhv_lapic_check_host(&caps);
			lhv_caps = caps;
			return 0;
		}
	}

	/* One line a user can paste into a bug report. */
	pr_err("no usable hardware virtualization: %s: %s; %s: %s\n",
	       lhv_backends[0]->name, why[0], lhv_backends[1]->name, why[1]);
	return -ENODEV;
}
