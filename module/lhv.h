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

struct lhv_backend_ops {
	const char *name;
	/*
	 * Find out, on the calling CPU and without enabling VMX/SVM, whether
	 * this backend can run guests.  Fills @caps and returns 0, or returns
	 * -ENODEV with *@why naming what is missing.
	 */
	int (*probe)(struct lhv_caps *caps, const char **why);
	/*
	 * Run on a CPU lhv owns, interrupts off: turn VMX/SVM operation on
	 * (0, or a negative errno and nothing changed) and off again.  These
	 * are the only places lhv does either.
	 */
	int (*cpu_enable)(struct lhv_cpu_hw *hw);
	void (*cpu_disable)(struct lhv_cpu_hw *hw);
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
int lhv_dev_register(void);
void lhv_dev_unregister(void);

#endif /* _LHV_H */
