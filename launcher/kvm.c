// SPDX-License-Identifier: GPL-2.0
/*
 * liblhv on /dev/kvm (kvm.h).  KVM's exits become lhv's exit records one
 * access at a time, so run.c's loop, the hooks and the devices cannot
 * tell the two apart; a string I/O exit with several elements is handed
 * out element by element before KVM_RUN is called again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kvm.h"

/* Where KVM puts its real-mode TSS on Intel; above the BIOS, below 4G. */
#define KVM_TSS_GPA		0xfffbd000
#define KVM_IOAPIC_PINS		24	/* split irqchip: userspace's routes */
#define KVM_CPUID_MAX		256

struct lhv_kvm_vm {
	int mmap_size;			/* of each vCPU's struct kvm_run */
	struct kvm_cpuid2 *cpuid;	/* what KVM supports, for each vCPU */
};

/*
 * KVM's per-vCPU counters (Documentation/virt/kvm/api.rst, binary stats)
 * beside "exits" that say what its exits were: a halt, an interrupt of
 * the host, an interrupt or NMI window, an instruction KVM emulated
 * (xAPIC MMIO among them), a hypercall, a guest page fault it had to see.
 */
static const char *const more_stats[] = {
	"halt_exits", "irq_exits", "irq_window_exits", "nmi_window_exits",
	"request_irq_exits", "insn_emulation", "hypercalls", "pf_taken",
	"irq_injections", "signal_exits",
};
#define LHV_KVM_MORE_STATS	(sizeof(more_stats) / sizeof(more_stats[0]))

struct lhv_kvm_vcpu {
	struct kvm_run *run;
	struct lhv_run rec;		/* vcpu->run points here */
	bool pending;			/* rec is a PIO/MMIO not completed yet */
	unsigned int io_index;		/* element of a string I/O exit in rec */
	unsigned int id;
	int stats_fd;
	long exits_off, io_off, mmio_off, nmi_off, signal_off;
	long more_off[LHV_KVM_MORE_STATS];
	bool pinned;
};

static __thread struct kvm_run *kick_target;

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "liblhv: %s: %s\n", what, strerror(err));
	errno = err;
	return -1;
}

static struct kvm_cpuid2 *supported_cpuid(int kvm)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + KVM_CPUID_MAX * sizeof(c->entries[0]));
	if (!c)
		return NULL;
	c->nent = KVM_CPUID_MAX;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c)) {
		fail("KVM_GET_SUPPORTED_CPUID");
		free(c);
		return NULL;
	}
	return c;
}

int lhv_kvm_vm_create(struct lhv_vm *vm)
{
	struct kvm_enable_cap split = {
		.cap = KVM_CAP_SPLIT_IRQCHIP, .args = { KVM_IOAPIC_PINS },
	};
	struct lhv_kvm_vm *k;

	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->dev = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->dev < 0)
		return fail("/dev/kvm (is kvm_intel or kvm_amd loaded?)");
	k = calloc(1, sizeof(*k));
	if (!k) {
		lhv_vm_destroy(vm);
		return -1;
	}
	vm->kvm = k;
	if (ioctl(vm->dev, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		errno = EPROTO;
		fail("/dev/kvm: KVM API version");
		goto err;
	}
	k->mmap_size = ioctl(vm->dev, KVM_GET_VCPU_MMAP_SIZE, 0);
	k->cpuid = supported_cpuid(vm->dev);
	if (k->mmap_size <= 0 || !k->cpuid)
		goto err;
	vm->fd = ioctl(vm->dev, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		fail("KVM_CREATE_VM");
		goto err;
	}
	if (ioctl(vm->fd, KVM_SET_TSS_ADDR, KVM_TSS_GPA)) {
		fail("KVM_SET_TSS_ADDR");
		goto err;
	}
	if (ioctl(vm->fd, KVM_ENABLE_CAP, &split)) {
		fail("KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP)");
		goto err;
	}
	return 0;
err:
	lhv_vm_destroy(vm);
	return -1;
}

void lhv_kvm_vm_destroy(struct lhv_vm *vm)
{
	if (vm->kvm)
		free(vm->kvm->cpuid);
	free(vm->kvm);
	vm->kvm = NULL;
}

int lhv_kvm_set_memory(struct lhv_vm *vm, unsigned int slot, uint64_t gpa,
		       uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)host,
	};

	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r))
		return fail("KVM_SET_USER_MEMORY_REGION");
	return 0;
}

/* KVM's CPUID with this vCPU's APIC ID where the CPU reports its own. */
static int set_cpuid(struct lhv_vcpu *vcpu, unsigned int id)
{
	const struct kvm_cpuid2 *sup = vcpu->vm->kvm->cpuid;
	size_t len = sizeof(*sup) + sup->nent * sizeof(sup->entries[0]);
	struct kvm_cpuid2 *c = malloc(len);
	unsigned int i;
	int ret = 0;

	if (!c)
		return -1;
	memcpy(c, sup, len);
	for (i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffff) | id << 24;
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = id;
	}
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, c))
		ret = fail("KVM_SET_CPUID2");
	free(c);
	return ret;
}

/* The offset in the stats data of the counter called @name, or -1. */
static long stat_offset(int fd, const struct kvm_stats_header *h,
			const char *name)
{
	size_t dsize = sizeof(struct kvm_stats_desc) + h->name_size;
	char buf[512];
	unsigned int i;

	if (dsize > sizeof(buf))
		return -1;
	for (i = 0; i < h->num_desc; i++) {
		const struct kvm_stats_desc *d = (const void *)buf;

		if (pread(fd, buf, dsize, h->desc_offset + i * dsize) != (ssize_t)dsize)
			return -1;
		if (!strncmp(d->name, name, h->name_size) && d->size == 1)
			return h->data_offset + d->offset;
	}
	return -1;
}

static void open_stats(struct lhv_kvm_vcpu *k, int vcpu_fd)
{
	struct kvm_stats_header h;
	unsigned int i;

	k->stats_fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, NULL);
	for (i = 0; i < LHV_KVM_MORE_STATS; i++)
		k->more_off[i] = -1;
	if (k->stats_fd < 0 ||
	    pread(k->stats_fd, &h, sizeof(h), 0) != sizeof(h)) {
		k->exits_off = -1;
		return;
	}
	k->exits_off = stat_offset(k->stats_fd, &h, "exits");
	k->io_off = stat_offset(k->stats_fd, &h, "io_exits");
	k->mmio_off = stat_offset(k->stats_fd, &h, "mmio_exits");
	k->nmi_off = stat_offset(k->stats_fd, &h, "nmi_injections");
	k->signal_off = stat_offset(k->stats_fd, &h, "signal_exits");
	for (i = 0; i < LHV_KVM_MORE_STATS; i++)
		k->more_off[i] = stat_offset(k->stats_fd, &h, more_stats[i]);
}

int lhv_kvm_vcpu_create(struct lhv_vcpu *vcpu, unsigned int id)
{
	struct lhv_vm *vm = vcpu->vm;
	struct lhv_kvm_vcpu *k = calloc(1, sizeof(*k));
	void *run;

	if (!k)
		return -1;
	k->stats_fd = -1;
	k->id = id;
	vcpu->kvm = k;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0)
		return fail("KVM_CREATE_VCPU");
	run = mmap(NULL, vm->kvm->mmap_size, PROT_READ | PROT_WRITE,
		   MAP_SHARED, vcpu->fd, 0);
	if (run == MAP_FAILED)
		return fail("mmap of a KVM vCPU");
	k->run = run;
	vcpu->run = &k->rec;
	open_stats(k, vcpu->fd);
	return set_cpuid(vcpu, id);
}

void lhv_kvm_vcpu_destroy(struct lhv_vcpu *vcpu)
{
	struct lhv_kvm_vcpu *k = vcpu->kvm;

	if (!k)
		return;
	if (k->run)
		munmap(k->run, vcpu->vm->kvm->mmap_size);
	if (k->stats_fd >= 0)
		close(k->stats_fd);
	free(k);
	vcpu->kvm = NULL;
	vcpu->run = NULL;
}

static void seg_from_kvm(struct lhv_segment *d, const struct kvm_segment *s)
{
	*d = (struct lhv_segment){
		.base = s->base, .limit = s->limit, .selector = s->selector,
		.type = s->type, .present = s->present, .dpl = s->dpl,
		.db = s->db, .s = s->s, .l = s->l, .g = s->g, .avl = s->avl,
		.unusable = s->unusable,
	};
}

static void seg_to_kvm(struct kvm_segment *d, const struct lhv_segment *s)
{
	*d = (struct kvm_segment){
		.base = s->base, .limit = s->limit, .selector = s->selector,
		.type = s->type, .present = s->present, .dpl = s->dpl,
		.db = s->db, .s = s->s, .l = s->l, .g = s->g, .avl = s->avl,
		.unusable = s->unusable,
	};
}

int lhv_kvm_get_sregs(struct lhv_vcpu *vcpu, struct lhv_sregs *s)
{
	struct kvm_sregs k;

	if (ioctl(vcpu->fd, KVM_GET_SREGS, &k))
		return fail("KVM_GET_SREGS");
	memset(s, 0, sizeof(*s));
	seg_from_kvm(&s->cs, &k.cs);
	seg_from_kvm(&s->ds, &k.ds);
	seg_from_kvm(&s->es, &k.es);
	seg_from_kvm(&s->fs, &k.fs);
	seg_from_kvm(&s->gs, &k.gs);
	seg_from_kvm(&s->ss, &k.ss);
	seg_from_kvm(&s->tr, &k.tr);
	seg_from_kvm(&s->ldt, &k.ldt);
	s->gdt.base = k.gdt.base;
	s->gdt.limit = k.gdt.limit;
	s->idt.base = k.idt.base;
	s->idt.limit = k.idt.limit;
	s->cr0 = k.cr0;
	s->cr2 = k.cr2;
	s->cr3 = k.cr3;
	s->cr4 = k.cr4;
	s->cr8 = k.cr8;
	s->efer = k.efer;
	s->apic_base = k.apic_base;
	return 0;
}

int lhv_kvm_set_sregs(struct lhv_vcpu *vcpu, const struct lhv_sregs *s)
{
	struct kvm_sregs k;

	/* The APIC base and pending interrupts stay KVM's. */
	if (ioctl(vcpu->fd, KVM_GET_SREGS, &k))
		return fail("KVM_GET_SREGS");
	seg_to_kvm(&k.cs, &s->cs);
	seg_to_kvm(&k.ds, &s->ds);
	seg_to_kvm(&k.es, &s->es);
	seg_to_kvm(&k.fs, &s->fs);
	seg_to_kvm(&k.gs, &s->gs);
	seg_to_kvm(&k.ss, &s->ss);
	seg_to_kvm(&k.tr, &s->tr);
	seg_to_kvm(&k.ldt, &s->ldt);
	k.gdt.base = s->gdt.base;
	k.gdt.limit = s->gdt.limit;
	k.idt.base = s->idt.base;
	k.idt.limit = s->idt.limit;
	k.cr0 = s->cr0;
	k.cr2 = s->cr2;
	k.cr3 = s->cr3;
	k.cr4 = s->cr4;
	k.cr8 = s->cr8;
	k.efer = s->efer;
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &k))
		return fail("KVM_SET_SREGS");
	return 0;
}

int lhv_kvm_set_regs(struct lhv_vcpu *vcpu, const struct lhv_regs *r)
{
	struct kvm_regs k = {
		.rax = r->rax, .rbx = r->rbx, .rcx = r->rcx, .rdx = r->rdx,
		.rsi = r->rsi, .rdi = r->rdi, .rsp = r->rsp, .rbp = r->rbp,
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
		.r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
		.rip = r->rip, .rflags = r->rflags,
	};

	if (ioctl(vcpu->fd, KVM_SET_REGS, &k))
		return fail("KVM_SET_REGS");
	return 0;
}

static uint8_t *io_element(struct lhv_kvm_vcpu *k)
{
	return (uint8_t *)k->run + k->run->io.data_offset +
	       (size_t)k->io_index * k->run->io.size;
}

/* Element k->io_index of KVM's I/O exit as lhv's PIO record. */
static void present_io(struct lhv_kvm_vcpu *k)
{
	const struct kvm_run *run = k->run;
	uint64_t data = 0;

	if (run->io.direction == KVM_EXIT_IO_OUT)
		memcpy(&data, io_element(k), run->io.size);
	memset(&k->rec, 0, sizeof(k->rec));
	k->rec.exit_reason = LHV_EXIT_PIO;
	k->rec.pio.port = run->io.port;
	k->rec.pio.size = run->io.size;
	k->rec.pio.direction = run->io.direction == KVM_EXIT_IO_OUT ?
			       LHV_DIR_WRITE : LHV_DIR_READ;
	k->rec.pio.data = data;
	k->pending = true;
}

static void present_mmio(struct lhv_kvm_vcpu *k)
{
	const struct kvm_run *run = k->run;
	uint64_t data = 0;

	if (run->mmio.is_write)
		memcpy(&data, run->mmio.data, run->mmio.len);
	memset(&k->rec, 0, sizeof(k->rec));
	k->rec.exit_reason = LHV_EXIT_MMIO;
	k->rec.mmio.gpa = run->mmio.phys_addr;
	k->rec.mmio.size = run->mmio.len;
	k->rec.mmio.direction = run->mmio.is_write ? LHV_DIR_WRITE : LHV_DIR_READ;
	k->rec.mmio.data = data;
	k->pending = true;
}

/* An exit liblhv has no record for: KVM's reason, as lhv's raw reason. */
static void present_other(struct lhv_vcpu *vcpu, __u32 reason)
{
	struct lhv_kvm_vcpu *k = vcpu->kvm;
	const struct kvm_run *run = k->run;
	struct kvm_regs regs;

	memset(&k->rec, 0, sizeof(k->rec));
	k->rec.exit_reason = reason;
	if (!ioctl(vcpu->fd, KVM_GET_REGS, &regs))
		k->rec.rip = regs.rip;
	switch (reason) {
	case LHV_EXIT_FAIL_ENTRY:
		k->rec.fail.hardware_reason =
			run->fail_entry.hardware_entry_failure_reason;
		break;
	case LHV_EXIT_INTERNAL_ERROR:
		k->rec.internal.suberror = run->internal.suberror;
		break;
	case LHV_EXIT_UNHANDLED:
		k->rec.hw.hardware_reason = run->exit_reason;
		break;
	default:
		break;
	}
}

/* Hands the completion in vcpu->comp to KVM; 1 if a string I/O goes on. */
static int complete(struct lhv_vcpu *vcpu)
{
	struct lhv_kvm_vcpu *k = vcpu->kvm;
	const struct lhv_completion *c = &vcpu->comp;
	struct kvm_run *run = k->run;

	if (!k->pending || c->exit_reason == LHV_EXIT_NONE)
		return 0;
	k->pending = false;
	if (c->exit_reason == LHV_EXIT_PIO && run->exit_reason == KVM_EXIT_IO) {
		if (run->io.direction == KVM_EXIT_IO_IN)
			memcpy(io_element(k), &c->data, run->io.size);
		if (++k->io_index < run->io.count) {
			present_io(k);
			return 1;
		}
	} else if (c->exit_reason == LHV_EXIT_MMIO &&
		   run->exit_reason == KVM_EXIT_MMIO && !run->mmio.is_write) {
		memcpy(run->mmio.data, &c->data, run->mmio.len);
	}
	return 0;
}

static void pin(struct lhv_vcpu *vcpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(vcpu->host_cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "liblhv: vCPU %u: cannot pin to host CPU %u: %s\n",
			vcpu->kvm->id, vcpu->host_cpu, strerror(errno));
	vcpu->kvm->pinned = true;
}

int lhv_kvm_run(struct lhv_vcpu *vcpu)
{
	struct lhv_kvm_vcpu *k = vcpu->kvm;
	struct kvm_run *run = k->run;

	if (!k->pinned)
		pin(vcpu);
	kick_target = run;
	/* Without a completion a pending exit is handed out again, as lhv does. */
	if (k->pending && vcpu->comp.exit_reason == LHV_EXIT_NONE)
		return 0;
	if (complete(vcpu))
		return 0;
	for (;;) {
		if (ioctl(vcpu->fd, KVM_RUN, 0)) {
			int err = errno;

			/* An AP that waited for INIT/SIPI got one: run it. */
			if (err == EAGAIN)
				continue;

			run->immediate_exit = 0;
			errno = err;
			return -1;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			k->io_index = 0;
			present_io(k);
			return 0;
		case KVM_EXIT_MMIO:
			present_mmio(k);
			return 0;
		case KVM_EXIT_INTR:
			run->immediate_exit = 0;
			errno = EINTR;
			return -1;
		case KVM_EXIT_IOAPIC_EOI:	/* no level-triggered sources */
			continue;
		case KVM_EXIT_SHUTDOWN:
			present_other(vcpu, LHV_EXIT_SHUTDOWN);
			return 0;
		case KVM_EXIT_FAIL_ENTRY:
			present_other(vcpu, LHV_EXIT_FAIL_ENTRY);
			return 0;
		case KVM_EXIT_INTERNAL_ERROR:
			present_other(vcpu, LHV_EXIT_INTERNAL_ERROR);
			return 0;
		default:
			present_other(vcpu, LHV_EXIT_UNHANDLED);
			return 0;
		}
	}
}

static uint64_t read_stat(const struct lhv_kvm_vcpu *k, long off)
{
	uint64_t v = 0;

	if (off < 0 || pread(k->stats_fd, &v, sizeof(v), off) != sizeof(v))
		return 0;
	return v;
}

int lhv_kvm_get_stats(struct lhv_vcpu *vcpu, struct lhv_stats *s)
{
	const struct lhv_kvm_vcpu *k = vcpu->kvm;

	if (k->exits_off < 0) {
		errno = ENOTSUP;
		return fail("KVM_GET_STATS_FD (no 'exits' counter)");
	}
	memset(s, 0, sizeof(*s));
	s->exits = read_stat(k, k->exits_off);
	s->entries = s->exits;
	s->by_reason[LHV_STAT_IO] = read_stat(k, k->io_off);
	s->by_reason[LHV_STAT_NPF] = read_stat(k, k->mmio_off);
	s->user_exits = s->by_reason[LHV_STAT_IO] + s->by_reason[LHV_STAT_NPF];
	s->by_reason[LHV_STAT_NMI_INJECTED] = read_stat(k, k->nmi_off);
	s->kicks = read_stat(k, k->signal_off);
	return 0;
}

int lhv_kvm_format_stats(struct lhv_vcpu *vcpu, char *buf, size_t len)
{
	const struct lhv_kvm_vcpu *k = vcpu->kvm;
	size_t n = 0;
	unsigned int i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < LHV_KVM_MORE_STATS && n < len; i++) {
		if (k->more_off[i] < 0)
			continue;
		n += snprintf(buf + n, len - n, "%skvm_%s=%" PRIu64,
			      n ? " " : "", more_stats[i],
			      read_stat(k, k->more_off[i]));
	}
	return n < len ? (int)n : (int)len - 1;
}

int lhv_kvm_signal_msi(struct lhv_vm *vm, const struct lhv_msi *msi)
{
	struct kvm_msi m = {
		.address_lo = (uint32_t)msi->address,
		.address_hi = msi->address >> 32,
		.data = msi->data,
	};

	return ioctl(vm->fd, KVM_SIGNAL_MSI, &m) < 0 ? -1 : 0;
}

int lhv_kvm_nmi(struct lhv_vcpu *vcpu)
{
	return ioctl(vcpu->fd, KVM_NMI) ? -1 : 0;
}

void lhv_kvm_kick_self(void)
{
	if (kick_target)
		kick_target->immediate_exit = 1;
}
