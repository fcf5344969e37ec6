// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/lhv: the system-wide device.  Its ioctls are the entry points of
 * the ABI in include/uapi/linux/lhv.h; Documentation/ioctl.rst describes
 * each one with its errors.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "lhv.h"

static long lhv_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case LHV_GET_API_VERSION:
		return LHV_API_VERSION;
	case LHV_GET_CAPS:
		if (copy_to_user(argp, &lhv_caps, sizeof(lhv_caps)))
			return -EFAULT;
		return 0;
	case LHV_CREATE_VM:
		return lhv_vm_create(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations lhv_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = lhv_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * A fixed minor, as /dev/kvm has, so the node can exist before the module
 * is loaded: depmod lists the two aliases below in modules.devname, udev
 * (kmod static-nodes) creates /dev/lhv from it at boot, and the first
 * open loads lhv.ko through the char-major-10-250 alias.  Minors 243-254
 * are for local use (the kernel's Documentation/admin-guide/devices.txt);
 * lhv has no assigned one.
 */
#define LHV_MINOR	250

MODULE_ALIAS_MISCDEV(LHV_MINOR);
MODULE_ALIAS("devname:lhv");

static struct miscdevice lhv_miscdev = {
	.minor = LHV_MINOR,
	.name = "lhv",
	.fops = &lhv_dev_fops,
	/* Owning host CPUs is a root-only business. */
	.mode = 0600,
};

int lhv_dev_register(void)
{
	return misc_register(&lhv_miscdev);
}

void lhv_dev_unregister(void)
{
	misc_deregister(&lhv_miscdev);
}
