// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU pool: the host CPUs that VMs may own.
 *
 * Module parameter cpu_pool is a CPU list ("1-3,6"), set at load time
 * (/etc/modprobe.d/) or at run time through
 * /sys/module/lhv/parameters/cpu_pool.  Without it the pool is every
 * possible CPU but CPU 0, which lhv never takes.  A value that is not a
 * CPU list, names CPU 0 or a CPU that cannot exist is refused with
 * -EINVAL and one log line that says why; the pool stays as it was.
 *
 * The pool only decides which CPUs LHV_CREATE_VCPU may take: a CPU a VM
 * owns stays with it until the VM ends, whatever the pool says meanwhile.
 *
 * The kernel's parameter lock of this module (kernel_param_lock()) guards
 * the mask: the parameter code holds it around set and get, and
 * lhv_pool_allows() takes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "pcpu.h"

static struct cpumask lhv_pool;
/* Whether cpu_pool was given; otherwise lhv_pool_init() sets the default. */
static bool lhv_pool_given;

static void lhv_pool_note_owned(const struct cpumask *pool)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (!cpumask_test_cpu(cpu, pool) && lhv_pcpu_owned(cpu))
			pr_info("cpu_pool: CPU %u stays with its VM until the VM ends\n",
				cpu);
}

static int lhv_pool_set(const char *val, const struct kernel_param *kp)
{
	cpumask_var_t new, bad;
	int err = -ENOMEM;

	if (!zalloc_cpumask_var(&new, GFP_KERNEL))
		return err;
	if (!zalloc_cpumask_var(&bad, GFP_KERNEL))
		goto out_new;
	err = cpulist_parse(val, new);
	if (err) {
		/* Numbers past the mask, or past any integer. */
		bool range = err == -ERANGE || err == -EOVERFLOW;

		pr_warn("cpu_pool: '%.*s' %s (possible CPUs: %*pbl)\n",
			(int)min_t(size_t, strcspn(val, "\n"), 64), val,
			range ? "names CPUs that cannot exist here" :
				"is not a CPU list such as 1-3,6",
			cpumask_pr_args(cpu_possible_mask));
		err = -EINVAL;
		goto out;
	}
	err = -EINVAL;
	if (cpumask_test_cpu(0, new)) {
		pr_warn("cpu_pool: CPU 0 cannot be in the pool: it always stays with Linux\n");
		goto out;
	}
	if (cpumask_andnot(bad, new, cpu_possible_mask)) {
		pr_warn("cpu_pool: CPUs %*pbl do not exist (possible CPUs: %*pbl)\n",
			cpumask_pr_args(bad), cpumask_pr_args(cpu_possible_mask));
		goto out;
	}
	err = 0;
	if (lhv_pool_given && cpumask_equal(new, &lhv_pool))
		goto out;
	cpumask_copy(&lhv_pool, new);
	lhv_pool_given = true;
	if (cpumask_empty(&lhv_pool))
		pr_info("cpu_pool: empty, no VM may own a CPU\n");
	else
		pr_info("cpu_pool: VMs may own CPUs %*pbl\n",
			cpumask_pr_args(&lhv_pool));
	lhv_pool_note_owned(&lhv_pool);
out:
	free_cpumask_var(bad);
out_new:
	free_cpumask_var(new);
	return err;
}

static int lhv_pool_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%*pbl\n", cpumask_pr_args(&lhv_pool));
}

static const struct kernel_param_ops lhv_pool_ops = {
	.set = lhv_pool_set,
	.get = lhv_pool_get,
};

module_param_cb(cpu_pool, &lhv_pool_ops, NULL, 0644);
MODULE_PARM_DESC(cpu_pool,
		 "Host CPUs that VMs may own, a CPU list such as 1-3,6 (default: every CPU but CPU 0); changeable at run time");

void lhv_pool_init(void)
{
	kernel_param_lock(THIS_MODULE);
	if (!lhv_pool_given) {
		cpumask_copy(&lhv_pool, cpu_possible_mask);
		cpumask_clear_cpu(0, &lhv_pool);
	}
	kernel_param_unlock(THIS_MODULE);
}

bool lhv_pool_allows(unsigned int cpu)
{
	bool in;

	kernel_param_lock(THIS_MODULE);
	in = cpumask_test_cpu(cpu, &lhv_pool);
	if (!in)
		pr_notice_ratelimited("CPU %u is not in cpu_pool (%*pbl): vCPU refused\n",
				      cpu, cpumask_pr_args(&lhv_pool));
	kernel_param_unlock(THIS_MODULE);
	return in;
}
