// SPDX-License-Identifier: GPL-2.0
/*
 * lhv: a lightweight partitioning hypervisor.  Module entry and exit.
 *
 * Loading probes the CPU for a usable backend and registers /dev/lhv; it
 * does not turn VMX or SVM on anywhere (Documentation/design.rst).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/printk.h>

#include "lhv.h"
#include "pcpu.h"

static void lhv_log_caps(void)
{
	const struct lhv_caps *c = &lhv_caps;

	if (c->vendor == LHV_VENDOR_INTEL_VMX)
		pr_info("vmx: VMCS revision %#x, EPT yes, EPT 2M pages %s, unrestricted guest yes, VPID %s, wait-for-SIPI %s, preemption timer %s, x2APIC %s\n",
			c->vmcs_revision,
			c->features & LHV_CAP_VMX_EPT_2M ? "yes" : "no",
			c->features & LHV_CAP_VMX_VPID ? "yes" : "no",
			c->features & LHV_CAP_VMX_WAIT_FOR_SIPI ? "yes" : "no",
			c->features & LHV_CAP_VMX_PREEMPTION_TIMER ? "yes" : "no",
			c->features & LHV_CAP_X2APIC ? "yes" : "no");
	else
		pr_info("svm: revision %u, %u ASIDs, NPT %s, next-RIP save %s, decode assists %s, vGIF %s, x2APIC %s\n",
			c->svm_revision, c->asid_count,
			c->features & LHV_CAP_SVM_NPT ? "yes" : "no",
			c->features & LHV_CAP_SVM_NRIPS ? "yes" : "no",
			c->features & LHV_CAP_SVM_DECODE_ASSISTS ? "yes" : "no",
			c->features & LHV_CAP_SVM_VGIF ? "yes" : "no",
			c->features & LHV_CAP_X2APIC ? "yes" : "no");
}

static int __init lhv_init(void)
{
	int err;

	err = lhv_backend_select();
	if (err)
		return err;
	lhv_caps.max_vcpus = LHV_MAX_VCPUS;

	lhv_pool_init();
	err = lhv_pcpu_init();
	if (err)
		return err;
	err = lhv_vm_init();
	if (err)
		goto out_pcpu;
	err = lhv_dev_register();
	if (err) {
		pr_err("cannot register /dev/lhv: %d\n", err);
		goto out_vm;
	}
	lhv_log_caps();
	return 0;

out_vm:
	lhv_vm_exit();
out_pcpu:
	lhv_pcpu_exit();
	return err;
}

static void __exit lhv_exit(void)
{
	lhv_dev_unregister();
	lhv_vm_exit();
	lhv_pcpu_exit();
}

module_init(lhv_init);
module_exit(lhv_exit);

MODULE_DESCRIPTION("lhv: lightweight partitioning hypervisor");
MODULE_AUTHOR("The lhv developers");
MODULE_LICENSE("GPL");
