// SPDX-License-Identifier: GPL-2.0
/*
 * VM and vCPU objects and their file descriptors.
 *
 * Lifetimes: a VM lives while its fd or any of its vCPU fds is open (each
 * vCPU fd holds a reference on the VM).  Destroying the VM destroys its
 * vCPUs and gives their host CPUs back to Linux, so closing the fds and
 * the launcher's death (even by SIGKILL) end the same way.  The module
 * cannot be unloaded while any of these fds is open: each holds a
 * reference on the module through its file operations.  A host reboot
 * stops every vCPU and gives every owned CPU back first (reboot notifier);
 * the VMs then refuse LHV_RUN with -EIO.
 *
 * Guest memory is fixed when a vCPU first runs: LHV_SET_MEMORY_REGION
 * fails with -EBUSY after that, so nested page tables only ever grow
 * while no guest can have cached them, and the owned CPUs read the slots
 * without locks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/apicdef.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include <lhv/abi.h>

#include "../lapic/lapic.h"
#include "lhv.h"
#include "memslot.h"
#include "pcpu.h"
#include "run.h"
#include "vcpu_state.h"
#include "vm.h"

/* Every VM, for the reboot notifier. */
static LIST_HEAD(lhv_vms);
static DEFINE_MUTEX(lhv_vms_lock);

/* Give the vCPU's host CPU back to Linux, once. */
static void lhv_vcpu_release_cpu(struct lhv_vcpu *vcpu)
{
	if (vcpu->cpu_released)
		return;
	lhv_pcpu_release(vcpu->host_cpu);
	vcpu->cpu_released = true;
}

static void lhv_vcpu_free(struct lhv_vcpu *vcpu)
{
	lhv_vcpu_release_cpu(vcpu);
	lhv_vcpu_run_quiesce(vcpu);
	lhv_backend->vcpu_destroy(vcpu);
	__free_page(vcpu->run_page);
	kfree(vcpu);
}

static void lhv_vm_destroy(struct kref *ref)
{
	struct lhv_vm *vm = container_of(ref, struct lhv_vm, ref);
	unsigned int i;

	mutex_lock(&lhv_vms_lock);
	list_del(&vm->node);
	mutex_unlock(&lhv_vms_lock);
	for (i = 0; i < LHV_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			lhv_vcpu_free(vm->vcpus[i]);
	/* No CPU runs the guest now: its tables and memory can go. */
	lhv_npt_free(&vm->npt, lhv_backend->npt_format);
	lhv_memslots_free(&vm->mem);
	kfree(vm);
}

static void lhv_vm_put(struct lhv_vm *vm)
{
	kref_put(&vm->ref, lhv_vm_destroy);
}

static int lhv_vcpu_release(struct inode *inode, struct file *file)
{
	struct lhv_vcpu *vcpu = file->private_data;

	lhv_vm_put(vcpu->vm);
	return 0;
}

/* Copy a register struct out, or check one in and keep it. */
static long lhv_vcpu_regs_ioctl(struct lhv_vcpu *vcpu, unsigned int cmd,
				void __user *argp)
{
	union {
		struct lhv_regs regs;
		struct lhv_sregs sregs;
	} u;
	int err = 0;

	switch (cmd) {
	case LHV_GET_REGS:
		mutex_lock(&vcpu->lock);
		u.regs = vcpu->regs;
		mutex_unlock(&vcpu->lock);
		return copy_to_user(argp, &u.regs, sizeof(u.regs)) ? -EFAULT : 0;
	case LHV_GET_SREGS:
		mutex_lock(&vcpu->lock);
		u.sregs = vcpu->sregs;
		mutex_unlock(&vcpu->lock);
		return copy_to_user(argp, &u.sregs, sizeof(u.sregs)) ? -EFAULT : 0;
	case LHV_SET_REGS:
		if (copy_from_user(&u.regs, argp, sizeof(u.regs)))
			return -EFAULT;
		err = lhv_regs_check(&u.regs);
		if (err)
			return err;
		mutex_lock(&vcpu->lock);
		vcpu->regs = u.regs;
		vcpu->state_dirty = true;
		mutex_unlock(&vcpu->lock);
		return 0;
	case LHV_SET_SREGS:
		if (copy_from_user(&u.sregs, argp, sizeof(u.sregs)))
			return -EFAULT;
		err = lhv_sregs_check(&u.sregs, vcpu->apic_base);
		if (err)
			return err;
		mutex_lock(&vcpu->lock);
		vcpu->sregs = u.sregs;
		vcpu->state_dirty = true;
		mutex_unlock(&vcpu->lock);
		return 0;
	}
	return -ENOTTY;
}

static long lhv_vcpu_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct lhv_vcpu *vcpu = file->private_data;

	switch (cmd) {
	case LHV_GET_REGS:
	case LHV_SET_REGS:
	case LHV_GET_SREGS:
	case LHV_SET_SREGS:
		return lhv_vcpu_regs_ioctl(vcpu, cmd, (void __user *)arg);
	case LHV_RUN:
		if (READ_ONCE(vcpu->vm->dead))
			return -EIO;
		if (!READ_ONCE(vcpu->vm->started)) {
			mutex_lock(&vcpu->vm->lock);
			WRITE_ONCE(vcpu->vm->started, true);
			mutex_unlock(&vcpu->vm->lock);
		}
		return lhv_vcpu_ioctl_run(vcpu, (void __user *)arg);
	case LHV_GET_STATS:
		return lhv_vcpu_ioctl_stats(vcpu, (void __user *)arg);
	case LHV_GET_RUN_STATE:
		return lhv_lapic_get_run_state(vcpu, (void __user *)arg);
	case LHV_SET_RUN_STATE:
		return lhv_lapic_set_run_state(vcpu, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/* The run page: one page, read-only, at offset 0. */
static int lhv_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct lhv_vcpu *vcpu = file->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != LHV_RUN_PAGE_SIZE)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EACCES;
	vma->vm_flags &= ~VM_MAYWRITE;
	return vm_insert_page(vma, vma->vm_start, vcpu->run_page);
}

static const struct file_operations lhv_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = lhv_vcpu_release,
	.unlocked_ioctl = lhv_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = lhv_vcpu_mmap,
	.llseek = noop_llseek,
};

static int lhv_vm_create_vcpu(struct lhv_vm *vm, void __user *argp)
{
	struct lhv_vcpu_config cfg;
	struct lhv_vcpu *vcpu;
	unsigned int i;
	int err, fd;

	if (copy_from_user(&cfg, argp, sizeof(cfg)))
		return -EFAULT;
	if (!lhv_all_zero(cfg.reserved, ARRAY_SIZE(cfg.reserved)) ||
	    cfg.vcpu_id >= LHV_MAX_VCPUS)
		return -EINVAL;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->run_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vcpu->run_page) {
		kfree(vcpu);
		return -ENOMEM;
	}
	vcpu->vm = vm;
	vcpu->id = cfg.vcpu_id;
	vcpu->host_cpu = cfg.host_cpu;
	mutex_init(&vcpu->lock);
	lhv_vcpu_run_init(vcpu);
	lhv_lapic_vcpu_init(vcpu);
	/*
	 * Every CPU's APIC has the same base and mode; only CPU 0, which lhv
	 * never owns, has the BSP flag.
	 */
	rdmsrl(MSR_IA32_APICBASE, vcpu->apic_base);
	vcpu->apic_base &= ~(u64)MSR_IA32_APICBASE_BSP;
	lhv_vcpu_init_state(&vcpu->regs, &vcpu->sregs, cpuid_eax(1),
			    vcpu->apic_base);
	vcpu->state_dirty = true;

	mutex_lock(&vm->lock);
	err = -EIO;
	if (vm->dead)
		goto out_unlock;
	/* The set of vCPUs is fixed once one runs: IPIs resolve against it. */
	err = -EBUSY;
	if (vm->started)
		goto out_unlock;
	err = -EEXIST;
	if (vm->vcpus[cfg.vcpu_id])
		goto out_unlock;
	/* A second vCPU of this VM on the same CPU is refused like any other. */
	for (i = 0; i < LHV_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->host_cpu == cfg.host_cpu) {
			err = -EBUSY;
			goto out_unlock;
		}
	err = lhv_backend->vcpu_create(vcpu);
	if (err)
		goto out_unlock;
	err = lhv_pcpu_claim(cfg.host_cpu, vcpu);
	if (err)
		goto out_destroy;
	/* The guest sees the real APIC ID (a checked, owned CPU by now). */
	vcpu->apic_id = per_cpu(x86_cpu_to_apicid, cfg.host_cpu);

	kref_get(&vm->ref);
	fd = anon_inode_getfd("lhv-vcpu", &lhv_vcpu_fops, vcpu,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		lhv_pcpu_release(cfg.host_cpu);
		kref_put(&vm->ref, lhv_vm_destroy);	/* never the last one */
		err = fd;
		goto out_destroy;
	}
	vm->vcpus[cfg.vcpu_id] = vcpu;
	mutex_unlock(&vm->lock);
	return fd;

out_destroy:
	lhv_backend->vcpu_destroy(vcpu);
out_unlock:
	mutex_unlock(&vm->lock);
	__free_page(vcpu->run_page);
	kfree(vcpu);
	return err;
}

static int lhv_vm_set_memory_region(struct lhv_vm *vm, void __user *argp)
{
	struct lhv_memory_region region;
	int err;

	if (copy_from_user(&region, argp, sizeof(region)))
		return -EFAULT;
	mutex_lock(&vm->lock);
	err = -EBUSY;
	if (vm->started)
		goto out;
	/* The local APIC page is not RAM: it is the real APIC's (or traps). */
	err = -EINVAL;
	if (region.guest_phys_addr < vm->apic_gpa + PAGE_SIZE &&
	    vm->apic_gpa < region.guest_phys_addr + region.memory_size)
		goto out;
	err = lhv_memslot_set(&vm->mem, &region);
	if (err)
		goto out;
	err = lhv_npt_map_slot(&vm->npt, lhv_backend->npt_format,
			       &vm->mem.slot[region.slot]);
	if (err) {
		lhv_npt_unmap_slot(&vm->npt, lhv_backend->npt_format,
				   &vm->mem.slot[region.slot]);
		lhv_memslot_clear(&vm->mem.slot[region.slot]);
	}
out:
	mutex_unlock(&vm->lock);
	return err;
}

/* LHV_INJECT_NMI: how many vCPUs the NMI was sent to. */
static long lhv_vm_inject_nmi(struct lhv_vm *vm, void __user *argp)
{
	struct lhv_nmi nmi;
	unsigned int i;
	long sent = 0;

	if (copy_from_user(&nmi, argp, sizeof(nmi)))
		return -EFAULT;
	if (!lhv_all_zero(nmi.reserved, ARRAY_SIZE(nmi.reserved)) ||
	    (nmi.flags & ~LHV_NMI_ALL) || nmi.vcpu_id >= LHV_MAX_VCPUS ||
	    ((nmi.flags & LHV_NMI_ALL) && nmi.vcpu_id))
		return -EINVAL;
	mutex_lock(&vm->lock);
	for (i = 0; i < LHV_MAX_VCPUS; i++) {
		struct lhv_vcpu *v = vm->vcpus[i];

		if (!v || (!(nmi.flags & LHV_NMI_ALL) && i != nmi.vcpu_id))
			continue;
		lhv_vcpu_request_nmi(v);
		sent++;
	}
	mutex_unlock(&vm->lock);
	return sent ? sent : -ENOENT;
}

static int lhv_vm_release(struct inode *inode, struct file *file)
{
	lhv_vm_put(file->private_data);
	return 0;
}

static long lhv_vm_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct lhv_vm *vm = file->private_data;

	switch (cmd) {
	case LHV_CREATE_VCPU:
		return lhv_vm_create_vcpu(vm, (void __user *)arg);
	case LHV_SET_MEMORY_REGION:
		return lhv_vm_set_memory_region(vm, (void __user *)arg);
	case LHV_SIGNAL_MSI:
		return lhv_lapic_signal_msi(vm, (void __user *)arg);
	case LHV_INJECT_NMI:
		return lhv_vm_inject_nmi(vm, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations lhv_vm_fops = {
	.owner = THIS_MODULE,
	.release = lhv_vm_release,
	.unlocked_ioctl = lhv_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * The local APIC page at its host address, uncached: writable in
 * passthrough mode, read-only in filtered mode (writes exit and are
 * checked).  In x2APIC mode the page is not the APIC's and stays unmapped.
 */
static int lhv_vm_map_apic(struct lhv_vm *vm)
{
	u64 base;
	int err;

	err = lhv_npt_init(&vm->npt);
	if (err)
		return err;
	rdmsrl(MSR_IA32_APICBASE, base);
	vm->apic_gpa = base & PAGE_MASK & ((1ULL << boot_cpu_data.x86_phys_bits) - 1);
	vm->x2apic = base & X2APIC_ENABLE;
	if (vm->x2apic)
		return 0;
	return lhv_npt_map_uc_page(&vm->npt, lhv_backend->npt_format,
				   vm->apic_gpa, vm->apic_gpa,
				   vm->lapic_mode == LHV_LAPIC_PASSTHROUGH);
}

int lhv_vm_create(void __user *argp)
{
	struct lhv_vm_config cfg;
	struct lhv_vm *vm;
	u32 mode;
	int err, fd;

	if (copy_from_user(&cfg, argp, sizeof(cfg)))
		return -EFAULT;
	if (cfg.flags || !lhv_all_zero(cfg.reserved, ARRAY_SIZE(cfg.reserved)))
		return -EINVAL;
	mode = cfg.lapic_mode == LHV_LAPIC_DEFAULT ? lhv_caps.default_lapic_mode :
						     cfg.lapic_mode;
	if (mode != LHV_LAPIC_PASSTHROUGH && mode != LHV_LAPIC_FILTERED)
		return -EINVAL;
	if (!(lhv_caps.lapic_modes & BIT(mode)))
		return -EOPNOTSUPP;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	vm->lapic_mode = mode;
	err = lhv_vm_map_apic(vm);
	if (err)
		goto out_free;

	mutex_lock(&lhv_vms_lock);
	list_add(&vm->node, &lhv_vms);
	mutex_unlock(&lhv_vms_lock);
	fd = anon_inode_getfd("lhv-vm", &lhv_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		lhv_vm_put(vm);
	return fd;

out_free:
	lhv_npt_free(&vm->npt, lhv_backend->npt_format);
	kfree(vm);
	return err;
}

/*
 * Host reboot: no CPU may stay in VMX root operation (it would ignore the
 * INIT that restarts it), so every vCPU is stopped and every owned CPU
 * given back.  The VMs live on until their fds close, but cannot run.
 */
static int lhv_vm_reboot(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct lhv_vcpu *vcpu;
	struct lhv_vm *vm;
	unsigned int i;

	mutex_lock(&lhv_vms_lock);
	list_for_each_entry(vm, &lhv_vms, node) {
		mutex_lock(&vm->lock);
		WRITE_ONCE(vm->dead, true);
		for (i = 0; i < LHV_MAX_VCPUS; i++) {
			vcpu = vm->vcpus[i];
			if (!vcpu)
				continue;
			/* A running LHV_RUN returns -EINTR, then drops the lock. */
			WRITE_ONCE(vcpu->stop, true);
			lhv_vcpu_kick(vcpu);
			mutex_lock(&vcpu->lock);
			lhv_vcpu_release_cpu(vcpu);
			mutex_unlock(&vcpu->lock);
			pr_info("reboot: CPU %u released from its VM\n",
				vcpu->host_cpu);
		}
		mutex_unlock(&vm->lock);
	}
	mutex_unlock(&lhv_vms_lock);
	return NOTIFY_DONE;
}

static struct notifier_block lhv_reboot_nb = {
	.notifier_call = lhv_vm_reboot,
};

int lhv_vm_init(void)
{
	return register_reboot_notifier(&lhv_reboot_nb);
}

void lhv_vm_exit(void)
{
	unregister_reboot_notifier(&lhv_reboot_nb);
}
