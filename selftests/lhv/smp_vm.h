/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the smp guest (guests/smp.c) in a fresh VM for the in-VM tests:
 * BSP on host CPU 1, APs on CPUs 2, 3, ..., the boot-info block asking for
 * a variant, and afterwards the guest's report, each vCPU's stats and how
 * each vCPU's run ended.
 */
#ifndef _LHV_SELFTEST_SMP_VM_H
#define _LHV_SELFTEST_SMP_VM_H

#include <string.h>
#include <sys/ioctl.h>

#include "guest_vm.h"
#include "smp.h"

/*
 * How long the guest may wait for its APs (guest TSC time).  Nested under
 * KVM on Bochs an AP's restart after INIT takes some 80 ms of it
 * (Documentation/nested.rst); on bare Bochs a few ms.
 */
#define SMP_GUEST_TIMEOUT_MS		5000

struct smp_run {
	/* what to run */
	__u32 lapic_mode;			/* LHV_LAPIC_* */
	unsigned int naps;
	uint32_t variant;			/* SMP_* */
	unsigned int nr_params;
	uint32_t params[BOOT_INFO_MAX_PARAMS];
	const char *prefix;			/* for COM1 lines; NULL: quiet */
	/* what happened */
	bool ran;				/* set up and run */
	struct lhv_outcome out;			/* the BSP's */
	struct lhv_outcome ap_out[LHV_SMP_MAX];
	uint32_t apic_id[LHV_SMP_MAX];		/* the host CPUs' */
	struct smp_report rep;
	struct lhv_stats stats[LHV_SMP_MAX];
	struct lhv_regs regs[LHV_SMP_MAX];	/* where each vCPU stopped */
	struct lhv_sregs sregs[LHV_SMP_MAX];
	struct lhv_run_state rstate[LHV_SMP_MAX];
	bool pass_printed;			/* "smp: PASS" on the BSP's COM1 */
	/* SMP_PLATFORM: what the marker hook sent and got back */
	bool platform_asked;			/* the guest wrote the marker */
	bool guest_x2apic;			/* ... saying its APIC is x2APIC */
	long msi_sent[LHV_SMP_MAX + 2];		/* per vCPU, broadcast, logical */
	long nmi_sent;				/* LHV_INJECT_NMI, all vCPUs */
	unsigned int bad_input_failures;	/* wrong errno for a bad argument */
	char bsp_console[4096];			/* its last bytes */
};

/* The guest's result is 0, its report valid, and @want AP starts counted. */
static inline bool smp_guest_ok(const struct smp_run *r, uint32_t want)
{
	return r->ran && r->out.kind == LHV_OUT_RESULT && r->out.result == 0 &&
	       r->rep.magic == SMP_REPORT_MAGIC && r->rep.aps_up == want &&
	       !r->rep.failures && r->pass_printed;
}

static inline void smp_collect(struct smp_run *r, struct lhv_vm *vm,
			       struct lhv_smp *smp)
{
	const struct smp_report *rep = lhv_vm_gpa_ptr(vm, SMP_REPORT_GPA,
						      sizeof(*rep));
	const char *con = smp->vcpu[0]->console;
	size_t len = smp->vcpu[0]->console_len;
	unsigned int i;

	if (rep)
		r->rep = *rep;
	for (i = 0; i < smp->nr; i++) {
		lhv_vcpu_get_stats(smp->vcpu[i], &r->stats[i]);
		ioctl(smp->vcpu[i]->fd, LHV_GET_REGS, &r->regs[i]);
		ioctl(smp->vcpu[i]->fd, LHV_GET_SREGS, &r->sregs[i]);
		ioctl(smp->vcpu[i]->fd, LHV_GET_RUN_STATE, &r->rstate[i]);
		r->ap_out[i] = smp->out[i];
		r->apic_id[i] = smp->apic_id[i];
	}
	r->pass_printed = strstr(con, "smp: PASS\n") != NULL;
	if (len >= sizeof(r->bsp_console)) {
		con += len - sizeof(r->bsp_console) + 1;
		len = sizeof(r->bsp_console) - 1;
	}
	memcpy(r->bsp_console, con, len);
	r->bsp_console[len] = '\0';
}

struct smp_hook_ctx {
	struct smp_run *r;
	struct lhv_smp *smp;
};

static inline long smp_msi(int vm_fd, uint32_t dest, bool logical, uint32_t data)
{
	struct lhv_msi msi = {
		.address = 0xfee00000ULL | dest << 12 | (logical ? 1u << 2 : 0),
		.data = data,
	};

	return ioctl(vm_fd, LHV_SIGNAL_MSI, &msi);
}

/* Bad arguments to both ioctls: each must fail with its errno, send nothing. */
static inline unsigned int smp_bad_inputs(int vm_fd)
{
	struct lhv_msi msi = { .address = 0xfee00000ULL, .data = SMP_MSI_VECTOR };
	struct lhv_nmi nmi = { 0 };
	unsigned int bad = 0;

	msi.reserved[5] = 1;
	bad += !(ioctl(vm_fd, LHV_SIGNAL_MSI, &msi) == -1 && errno == EINVAL);
	msi.reserved[5] = 0;
	msi.flags = 1;
	bad += !(ioctl(vm_fd, LHV_SIGNAL_MSI, &msi) == -1 && errno == EINVAL);
	bad += !(smp_msi(vm_fd, 0, false, 0x8000 | SMP_MSI_VECTOR) == -1 && errno == EINVAL);
	bad += !(smp_msi(vm_fd, 0, false, 0x500) == -1 && errno == EINVAL);
	bad += !(smp_msi(vm_fd, 0, false, 0x0f) == -1 && errno == EINVAL);
	nmi.vcpu_id = LHV_SMP_MAX;		/* no such vCPU in this VM */
	bad += !(ioctl(vm_fd, LHV_INJECT_NMI, &nmi) == -1 && errno == ENOENT);
	nmi.vcpu_id = 1000;			/* beyond any VM */
	bad += !(ioctl(vm_fd, LHV_INJECT_NMI, &nmi) == -1 && errno == EINVAL);
	nmi.vcpu_id = 1;
	nmi.flags = LHV_NMI_ALL;
	bad += !(ioctl(vm_fd, LHV_INJECT_NMI, &nmi) == -1 && errno == EINVAL);
	nmi.vcpu_id = 0;
	nmi.flags = 2;
	bad += !(ioctl(vm_fd, LHV_INJECT_NMI, &nmi) == -1 && errno == EINVAL);
	nmi.flags = 0;
	nmi.reserved[0] = 1;
	bad += !(ioctl(vm_fd, LHV_INJECT_NMI, &nmi) == -1 && errno == EINVAL);
	return bad;
}

/*
 * SMP_PLATFORM: the BSP is ready for interrupts from the launcher.  All
 * are sent before its OUT completes; each vCPU takes them in the guest.
 */
static inline enum lhv_hook_verdict smp_platform_hook(struct lhv_vcpu *vcpu,
						      const struct lhv_exit_pio *pio,
						      __u64 *data)
{
	struct smp_hook_ctx *c = vcpu->hooks.ctx;
	struct smp_run *r = c->r;
	int fd = vcpu->vm->fd;
	struct lhv_nmi nmi = { .flags = LHV_NMI_ALL };
	unsigned int i, n = c->smp->nr;

	(void)data;
	if (pio->port != LHV_MARKER_PORT || pio->direction != LHV_DIR_WRITE ||
	    (pio->data & ~1ULL) != SMP_MARKER_PLATFORM || r->platform_asked)
		return LHV_HOOK_UNHANDLED;
	r->platform_asked = true;
	r->guest_x2apic = pio->data & 1;
	r->bad_input_failures = smp_bad_inputs(fd);
	for (i = 0; i < n; i++)
		r->msi_sent[i] = smp_msi(fd, c->smp->apic_id[i], false, SMP_MSI_VECTOR);
	r->msi_sent[n] = smp_msi(fd, 0xff, false, SMP_MSI_VECTOR + 1);
	/* In passthrough mode only x2APIC logical IDs are known to lhv. */
	if (!r->guest_x2apic) {
		r->msi_sent[n + 1] = smp_msi(fd, (1u << n) - 1, true,
					     SMP_MSI_VECTOR + 2);
		if (r->msi_sent[n + 1] < 0)
			r->msi_sent[n + 1] = -errno;
	}
	r->nmi_sent = ioctl(fd, LHV_INJECT_NMI, &nmi);
	return LHV_HOOK_DONE;
}

/* Run the smp guest as @r says; false if the VM could not be set up. */
static inline bool smp_run_guest(struct smp_run *r)
{
	unsigned int cpus[LHV_SMP_MAX], i, n = r->naps + 1;
	struct lhv_smp smp;
	struct smp_hook_ctx hook = { r, &smp };
	struct lhv_vm vm;
	uint64_t entry;
	bool ok;

	r->ran = false;
	for (i = 0; i < n && i < LHV_SMP_MAX; i++)
		cpus[i] = TEST_CPU + i;
	if (lhv_vm_create_mode(&vm, 0, r->lapic_mode))
		return false;
	ok = lhv_vm_add_ram(&vm, 0, GUEST_RAM, 0) >= 0 &&
	     !lhv_vm_load_elf(&vm, guest_path("smp.elf"), &entry) &&
	     !lhv_smp_create(&smp, &vm, n, cpus, r->prefix);
	if (ok) {
		if (r->variant == SMP_PLATFORM)
			smp.vcpu[0]->hooks = (struct lhv_hooks){
				.pio = smp_platform_hook, .ctx = &hook,
			};
		ok = !lhv_vcpu_long_mode(smp.vcpu[0], entry, GUEST_RSP) &&
		     !lhv_smp_boot_info(&smp, r->variant, SMP_GUEST_TIMEOUT_MS,
					r->params, r->nr_params);
		if (ok) {
			lhv_smp_run(&smp, &r->out);
			smp_collect(r, &vm, &smp);
			r->ran = true;
		}
		lhv_smp_destroy(&smp);
	}
	lhv_vm_destroy(&vm);
	return ok;
}

#endif /* _LHV_SELFTEST_SMP_VM_H */
