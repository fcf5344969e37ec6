// SPDX-License-Identifier: GPL-2.0
/*
 * VM and vCPU objects and their file descriptors.
 *
 * Lifetimes: a VM lives while its fd or any of its vCPU fds is open (each
 * vCPU fd holds a reference on the VM).  Destroying the VM destroys its
 * vCPUs and gives their host CPUs back to Linux, so closing the fds and
 * the launcher's death (even by SIGKILL) end the same way.  The module
 * cannot be unloaded while any of these fds is open: each holds a
 * reference on the module through its file operations.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/apicdef.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include <lhv/abi.h>

#include "lhv.h"
#include "memslot.h"
#include "pcpu.h"
#include "vcpu_state.h"

struct lhv_vcpu {
	struct lhv_vm *vm;
	u32 id;
	u32 host_cpu;
	struct mutex lock;		/* protects the register state */
	u64 apic_base;			/* the host CPU's, BSP flag clear */
	struct lhv_regs regs;
	struct lhv_sregs sregs;
};

struct lhv_vm {
	struct kref ref;
	u32 lapic_mode;
	struct mutex lock;		/* protects vcpus[] and mem */
	struct lhv_vcpu *vcpus[LHV_MAX_VCPUS];
	struct lhv_memslots mem;
};

static void lhv_vm_destroy(struct kref *ref)
{
	struct lhv_vm *vm = container_of(ref, struct lhv_vm, ref);
	unsigned int i;

	for (i = 0; i < LHV_MAX_VCPUS; i++) {
		if (!vm->vcpus[i])
			continue;
		lhv_pcpu_release(vm->vcpus[i]->host_cpu);
		kfree(vm->vcpus[i]);
	}
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
	default:
		return -ENOTTY;
	}
}

static const struct file_operations lhv_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = lhv_vcpu_release,
	.unlocked_ioctl = lhv_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
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
	vcpu->vm = vm;
	vcpu->id = cfg.vcpu_id;
	vcpu->host_cpu = cfg.host_cpu;
	mutex_init(&vcpu->lock);
	/*
	 * Every CPU's APIC has the same base and mode; only CPU 0, which lhv
	 * never owns, has the BSP flag.
	 */
	rdmsrl(MSR_IA32_APICBASE, vcpu->apic_base);
	vcpu->apic_base &= ~(u64)MSR_IA32_APICBASE_BSP;
	lhv_vcpu_init_state(&vcpu->regs, &vcpu->sregs, cpuid_eax(1),
			    vcpu->apic_base);

	mutex_lock(&vm->lock);
	err = -EEXIST;
	if (vm->vcpus[cfg.vcpu_id])
		goto out_unlock;
	/* A second vCPU of this VM on the same CPU is refused like any other. */
	for (i = 0; i < LHV_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->host_cpu == cfg.host_cpu) {
			err = -EBUSY;
			goto out_unlock;
		}
	err = lhv_pcpu_claim(cfg.host_cpu);
	if (err)
		goto out_unlock;

	kref_get(&vm->ref);
	fd = anon_inode_getfd("lhv-vcpu", &lhv_vcpu_fops, vcpu,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		lhv_pcpu_release(cfg.host_cpu);
		kref_put(&vm->ref, lhv_vm_destroy);	/* never the last one */
		err = fd;
		goto out_unlock;
	}
	vm->vcpus[cfg.vcpu_id] = vcpu;
	mutex_unlock(&vm->lock);
	return fd;

out_unlock:
	mutex_unlock(&vm->lock);
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
	err = lhv_memslot_set(&vm->mem, &region);
	mutex_unlock(&vm->lock);
	return err;
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

int lhv_vm_create(void __user *argp)
{
	struct lhv_vm_config cfg;
	struct lhv_vm *vm;
	u32 mode;
	int fd;

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

	fd = anon_inode_getfd("lhv-vm", &lhv_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		kfree(vm);
	return fd;
}
