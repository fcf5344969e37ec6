// SPDX-License-Identifier: GPL-2.0
/*
 * liblhv: /dev/lhv, VMs, guest RAM, image files and vCPUs.  The exit loop
 * is in run.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm.h"
#include "liblhv.h"
#include "loader.h"
#include "longmode.h"

#define SZ_2M	(2ULL << 20)

/* Print "liblhv: <what>: <strerror>" and return -1 with errno kept. */
static int fail(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	fprintf(stderr, "liblhv: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(saved));
	errno = saved;
	return -1;
}

int lhv_open_dev(void)
{
	int fd, api;

	fd = open("/dev/lhv", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail("open /dev/lhv%s",
			    errno == ENOENT ? " (is lhv.ko loaded?)" : "");
	api = ioctl(fd, LHV_GET_API_VERSION);
	if (api != LHV_API_VERSION) {
		if (api >= 0)
			errno = EPROTO;
		fail("LHV_GET_API_VERSION returned %d, want %d", api,
		     LHV_API_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

int lhv_get_caps(struct lhv_caps *caps)
{
	int fd = lhv_open_dev(), ret = 0;

	if (fd < 0)
		return -1;
	if (ioctl(fd, LHV_GET_CAPS, caps))
		ret = fail("LHV_GET_CAPS");
	close(fd);
	return ret;
}

int lhv_read_cpu_pool(char *buf, size_t len)
{
	FILE *f = fopen(LHV_CPU_POOL_PATH, "re");
	int ret = 0;

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		if (!ferror(f))
			buf[0] = '\0';
		else
			ret = -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

int lhv_vm_create(struct lhv_vm *vm, uint64_t ram_size)
{
	return lhv_vm_create_mode(vm, ram_size, LHV_LAPIC_DEFAULT);
}

int lhv_vm_create_mode(struct lhv_vm *vm, uint64_t ram_size, __u32 lapic_mode)
{
	struct lhv_vm_config cfg = { .lapic_mode = lapic_mode };
	struct lhv_caps caps;

	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->dev = lhv_open_dev();
	if (vm->dev < 0)
		return -1;
	vm->lapic_mode = lapic_mode;
	if (lapic_mode == LHV_LAPIC_DEFAULT) {
		if (ioctl(vm->dev, LHV_GET_CAPS, &caps)) {
			fail("LHV_GET_CAPS");
			lhv_vm_destroy(vm);
			return -1;
		}
		vm->lapic_mode = caps.default_lapic_mode;
	}
	vm->fd = ioctl(vm->dev, LHV_CREATE_VM, &cfg);
	if (vm->fd < 0) {
		fail("LHV_CREATE_VM (LAPIC mode %u)", lapic_mode);
		lhv_vm_destroy(vm);
		return -1;
	}
	if (ram_size && lhv_vm_add_ram(vm, 0, ram_size, 0) < 0) {
		lhv_vm_destroy(vm);
		return -1;
	}
	return 0;
}

int lhv_vm_create_kvm(struct lhv_vm *vm, uint64_t ram_size)
{
	if (lhv_kvm_vm_create(vm))
		return -1;
	if (ram_size && lhv_vm_add_ram(vm, 0, ram_size, 0) < 0) {
		lhv_vm_destroy(vm);
		return -1;
	}
	return 0;
}

long lhv_vm_signal_msi(struct lhv_vm *vm, const struct lhv_msi *msi)
{
	if (vm->kvm)
		return lhv_kvm_signal_msi(vm, msi) ? -1 : 1;
	return ioctl(vm->fd, LHV_SIGNAL_MSI, msi);
}

/*
 * 2 MiB alignment lets the kernel back (and the VM's nested page tables
 * map) guest RAM with huge pages; without THP the advice is ignored.
 */
static void *alloc_aligned(size_t size)
{
	size_t len = size + SZ_2M;
	char *p, *aligned;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	aligned = (char *)(((uintptr_t)p + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1));
	if (aligned > p)
		munmap(p, aligned - p);
	if (p + len > aligned + size)
		munmap(aligned + size, p + len - (aligned + size));
	madvise(aligned, size, MADV_HUGEPAGE);
	return aligned;
}

static size_t page_round(uint64_t n)
{
	return (n + 4095) & ~4095ULL;
}

int lhv_vm_add_ram(struct lhv_vm *vm, uint64_t gpa, uint64_t size,
		   uint64_t extra)
{
	struct lhv_memory_region r = { 0 };
	unsigned int i = vm->nram;
	size_t map = page_round(size + extra);
	void *host;

	if (i == LHV_MAX_RAM) {
		errno = ENOSPC;
		return fail("guest RAM at %#llx: already %u regions",
			    (unsigned long long)gpa, i);
	}
	host = alloc_aligned(map);
	if (!host)
		return fail("mmap %zu bytes of guest RAM", map);
	r.slot = i;
	r.guest_phys_addr = gpa;
	r.memory_size = size;
	r.userspace_addr = (uintptr_t)host;
	if (vm->kvm) {
		if (lhv_kvm_set_memory(vm, i, gpa, size, host)) {
			munmap(host, map);
			return -1;
		}
	} else if (ioctl(vm->fd, LHV_SET_MEMORY_REGION, &r)) {
		fail("LHV_SET_MEMORY_REGION slot %u [%#llx + %#llx]", i,
		     (unsigned long long)gpa, (unsigned long long)size);
		munmap(host, map);
		return -1;
	}
	vm->ram[i] = (struct lhv_guest_ram){ host, gpa, size };
	vm->map_size[i] = map;
	vm->nram++;
	return i;
}

void *lhv_vm_gpa_ptr(struct lhv_vm *vm, uint64_t gpa, uint64_t len)
{
	unsigned int i;
	void *p;

	for (i = 0; i < vm->nram; i++) {
		p = lhv_ram_ptr(&vm->ram[i], gpa, len);
		if (p)
			return p;
	}
	return NULL;
}

/* The whole file in a malloc()ed buffer. */
void *lhv_read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf = NULL;
	ssize_t n = -1;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail("open %s", path);
		return NULL;
	}
	if (!fstat(fd, &st) && st.st_size >= 0) {
		buf = malloc(st.st_size ? st.st_size : 1);
		if (buf)
			n = read(fd, buf, st.st_size);
	}
	if (n != st.st_size) {
		if (n >= 0)
			errno = EIO;
		fail("read %s", path);
		free(buf);
		buf = NULL;
	}
	*len = st.st_size;
	close(fd);
	return buf;
}

/* The RAM region holding @gpa, for the loaders' bounds. */
static const struct lhv_guest_ram *ram_at(struct lhv_vm *vm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < vm->nram; i++)
		if (lhv_ram_ptr(&vm->ram[i], gpa, 1))
			return &vm->ram[i];
	return &vm->ram[0];
}

/*
 * Read @path and hand it to the ELF loader (@entry set) or the flat
 * loader (at @gpa); their reason for a refusal is printed as is.
 */
static int load_file(struct lhv_vm *vm, const char *path, uint64_t gpa,
		     uint64_t *entry)
{
	char err[LHV_LOAD_ERR_LEN];
	size_t len;
	void *img;
	int ret;

	if (!vm->nram) {
		errno = EINVAL;
		return fail("loading %s: the VM has no RAM", path);
	}
	img = lhv_read_file(path, &len);
	if (!img)
		return -1;
	if (entry)
		ret = lhv_load_elf(&vm->ram[0], img, len, entry, err, sizeof(err));
	else
		ret = lhv_load_flat(ram_at(vm, gpa), gpa, img, len, err,
				    sizeof(err));
	free(img);
	if (!ret)
		return 0;
	fprintf(stderr, "liblhv: loading %s: %s\n", path, err);
	errno = -ret;
	return -1;
}

int lhv_vm_load_elf(struct lhv_vm *vm, const char *path, uint64_t *entry)
{
	return load_file(vm, path, 0, entry);
}

int lhv_vm_load_flat(struct lhv_vm *vm, const char *path, uint64_t gpa)
{
	return load_file(vm, path, gpa, NULL);
}

void lhv_vm_destroy(struct lhv_vm *vm)
{
	unsigned int i;

	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->dev >= 0)
		close(vm->dev);
	for (i = 0; i < vm->nram; i++)
		munmap(vm->ram[i].host, vm->map_size[i]);
	lhv_kvm_vm_destroy(vm);
	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->dev = -1;
}

int lhv_vcpu_create(struct lhv_vm *vm, unsigned int id, unsigned int host_cpu,
		    struct lhv_vcpu *vcpu)
{
	struct lhv_vcpu_config cfg = { .vcpu_id = id, .host_cpu = host_cpu };
	void *run;

	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->vm = vm;
	vcpu->host_cpu = host_cpu;
	vcpu->fd = -1;
	if (vm->kvm) {
		/* KVM starts vCPU 0 and parks the others for INIT/SIPI itself. */
		if (lhv_kvm_vcpu_create(vcpu, id)) {
			lhv_vcpu_destroy(vcpu);
			return -1;
		}
		return 0;
	}
	vcpu->fd = ioctl(vm->fd, LHV_CREATE_VCPU, &cfg);
	if (vcpu->fd < 0)
		return fail("LHV_CREATE_VCPU vCPU %u on host CPU %u", id, host_cpu);
	run = mmap(NULL, LHV_RUN_PAGE_SIZE, PROT_READ, MAP_SHARED, vcpu->fd, 0);
	if (run == MAP_FAILED) {
		fail("mmap of vCPU %u's run page", id);
		close(vcpu->fd);
		vcpu->fd = -1;
		return -1;
	}
	vcpu->run = run;
	/* vCPU 0 is the BSP: it runs; the others wait for the guest's SIPI. */
	if (id == 0 && lhv_vcpu_set_run_state(vcpu, LHV_RUN_STATE_RUNNING)) {
		lhv_vcpu_destroy(vcpu);
		return -1;
	}
	return 0;
}

/* The run state is lhv's; KVM's mp_state is not the same machine. */
static int kvm_no_run_state(void)
{
	errno = ENOTSUP;
	return fail("run state of a KVM vCPU");
}

int lhv_vcpu_get_run_state(struct lhv_vcpu *vcpu, struct lhv_run_state *rs)
{
	if (vcpu->kvm)
		return kvm_no_run_state();
	if (ioctl(vcpu->fd, LHV_GET_RUN_STATE, rs))
		return fail("LHV_GET_RUN_STATE");
	return 0;
}

int lhv_vcpu_set_run_state(struct lhv_vcpu *vcpu, __u32 state)
{
	struct lhv_run_state rs = { .state = state };

	if (vcpu->kvm)
		return kvm_no_run_state();
	if (ioctl(vcpu->fd, LHV_SET_RUN_STATE, &rs))
		return fail("LHV_SET_RUN_STATE %u", state);
	return 0;
}

static int get_sregs(struct lhv_vcpu *vcpu, struct lhv_sregs *sregs)
{
	if (vcpu->kvm)
		return lhv_kvm_get_sregs(vcpu, sregs);
	return ioctl(vcpu->fd, LHV_GET_SREGS, sregs) ? fail("LHV_GET_SREGS") : 0;
}

static int set_sregs(struct lhv_vcpu *vcpu, const struct lhv_sregs *sregs,
		     const char *what)
{
	if (vcpu->kvm)
		return lhv_kvm_set_sregs(vcpu, sregs);
	return ioctl(vcpu->fd, LHV_SET_SREGS, sregs) ?
	       fail("LHV_SET_SREGS (%s)", what) : 0;
}

static int set_regs(struct lhv_vcpu *vcpu, const struct lhv_regs *regs)
{
	if (vcpu->kvm)
		return lhv_kvm_set_regs(vcpu, regs);
	return ioctl(vcpu->fd, LHV_SET_REGS, regs) ?
	       fail("LHV_SET_REGS (RIP %#llx)", (unsigned long long)regs->rip) : 0;
}

int lhv_vcpu_long_mode(struct lhv_vcpu *vcpu, uint64_t rip, uint64_t rsp)
{
	struct lhv_vm *vm = vcpu->vm;
	struct lhv_sregs sregs;
	struct lhv_regs regs;
	int ret;

	if (get_sregs(vcpu, &sregs))
		return -1;
	ret = vm->nram ? lhv_build_long_mode(&vm->ram[0], LHV_LM_TABLES_GPA,
					     &sregs) : -ERANGE;
	if (ret) {
		errno = -ret;
		return fail("long-mode tables at GPA %#x", LHV_LM_TABLES_GPA);
	}
	if (set_sregs(vcpu, &sregs, "long mode"))
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rsp = rsp;
	regs.rdi = vm->ram[0].size;
	regs.rflags = 2;	/* bit 1 is always set; interrupts off */
	return set_regs(vcpu, &regs);
}

/* Entry state from the vCPU's INIT sregs and @build's tables, then @regs. */
static int set_entry(struct lhv_vcpu *vcpu, uint64_t tables_gpa,
		     int (*build)(const struct lhv_guest_ram *, uint64_t,
				  struct lhv_sregs *),
		     const char *what, const struct lhv_regs *regs)
{
	struct lhv_vm *vm = vcpu->vm;
	struct lhv_sregs sregs;
	int ret;

	if (get_sregs(vcpu, &sregs))
		return -1;
	ret = vm->nram ? build(&vm->ram[0], tables_gpa, &sregs) : -ERANGE;
	if (ret) {
		errno = -ret;
		return fail("%s tables at GPA %#llx", what,
			    (unsigned long long)tables_gpa);
	}
	if (set_sregs(vcpu, &sregs, what))
		return -1;
	return set_regs(vcpu, regs);
}

int lhv_vcpu_prot32(struct lhv_vcpu *vcpu, uint64_t gdt_gpa, uint32_t eip,
		    uint32_t eax, uint32_t ebx)
{
	struct lhv_regs regs = { .rip = eip, .rax = eax, .rbx = ebx, .rflags = 2 };

	return set_entry(vcpu, gdt_gpa, lhv_build_prot32, "32-bit", &regs);
}

int lhv_vcpu_linux64(struct lhv_vcpu *vcpu, uint64_t tables_gpa, uint64_t rip,
		     uint64_t rsi)
{
	struct lhv_regs regs = { .rip = rip, .rsi = rsi, .rflags = 2 };

	return set_entry(vcpu, tables_gpa, lhv_build_linux64, "Linux 64-bit", &regs);
}

int lhv_vcpu_get_stats(struct lhv_vcpu *vcpu, struct lhv_stats *stats)
{
	if (vcpu->kvm)
		return lhv_kvm_get_stats(vcpu, stats);
	if (ioctl(vcpu->fd, LHV_GET_STATS, stats))
		return fail("LHV_GET_STATS");
	return 0;
}

int lhv_vcpu_format_kvm_stats(struct lhv_vcpu *vcpu, char *buf, size_t len)
{
	return vcpu->kvm ? lhv_kvm_format_stats(vcpu, buf, len) : 0;
}

uint32_t lhv_vcpu_exit_count(struct lhv_vcpu *vcpu)
{
	struct lhv_stats s;
	int saved = errno;

	if (vcpu->kvm ? lhv_kvm_get_stats(vcpu, &s) :
			ioctl(vcpu->fd, LHV_GET_STATS, &s))
		s.exits = 0;
	errno = saved;
	return (uint32_t)s.exits;
}

void lhv_vcpu_destroy(struct lhv_vcpu *vcpu)
{
	if (vcpu->kvm) {
		lhv_kvm_vcpu_destroy(vcpu);
		if (vcpu->fd >= 0)
			close(vcpu->fd);
		vcpu->fd = -1;
		return;
	}
	if (vcpu->run)
		munmap((void *)vcpu->run, LHV_RUN_PAGE_SIZE);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}
