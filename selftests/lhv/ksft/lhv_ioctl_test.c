// SPDX-License-Identifier: GPL-2.0
/*
 * Every ioctl of /dev/lhv (Documentation/ioctl.rst) with valid input and
 * with each kind of invalid input, asserting the documented errno: the
 * wrong kind of file, unknown commands and changed sizes or directions,
 * reserved fields and flags, bad memory regions, vCPU ids and host CPUs,
 * completions that do not match the pending exit, the run page's mmap
 * rules, MSI and NMI arguments and run states.
 *
 * Needs root and /dev/lhv (every test skips without them) and host CPUs
 * 1-3 online for the tests that create vCPUs.
 */
#include <cpuid.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <linux/sched.h>
#include <linux/sched/types.h>

#include "kselftest_harness.h"
#include "lhv_ksft.h"

#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

/* The CPU the vCPU fixture owns, and two more for tests that need them. */
#define CPU_A	1
#define CPU_B	2
#define CPU_C	3

struct lhv_cmd {
	unsigned int nr;
	const char *name;
};

#define CMD(c)	{ c, #c }

static const struct lhv_cmd sys_cmds[] = {
	CMD(LHV_GET_API_VERSION), CMD(LHV_GET_CAPS), CMD(LHV_CREATE_VM),
};

static const struct lhv_cmd vm_cmds[] = {
	CMD(LHV_CREATE_VCPU), CMD(LHV_SET_MEMORY_REGION), CMD(LHV_SIGNAL_MSI),
	CMD(LHV_INJECT_NMI),
};

static const struct lhv_cmd vcpu_cmds[] = {
	CMD(LHV_GET_REGS), CMD(LHV_SET_REGS), CMD(LHV_GET_SREGS),
	CMD(LHV_SET_SREGS), CMD(LHV_RUN), CMD(LHV_GET_STATS),
	CMD(LHV_GET_RUN_STATE), CMD(LHV_SET_RUN_STATE),
};

/* Numbers no lhv file knows: free numbers, other types, changed types. */
static const unsigned int unknown_cmds[] = {
	_IO(LHV_IOCTL_TYPE, 0x03), _IO(LHV_IOCTL_TYPE, 0x3f),
	_IO(LHV_IOCTL_TYPE, 0x44), _IO(LHV_IOCTL_TYPE, 0x7f),
	_IO(LHV_IOCTL_TYPE, 0x88), _IO(LHV_IOCTL_TYPE, 0xff),
	_IOWR(LHV_IOCTL_TYPE, 0x20, __u64),
	_IOR(LHV_IOCTL_TYPE, 0x90, struct lhv_regs),
	_IO(0xAE, 0x00),		/* KVM_GET_API_VERSION */
	_IO(LHV_IOCTL_TYPE + 1, 0x00),
	(LHV_GET_CAPS & ~(_IOC_TYPEMASK << _IOC_TYPESHIFT)) |
		((LHV_IOCTL_TYPE - 1) << _IOC_TYPESHIFT),
	(LHV_RUN & ~(_IOC_TYPEMASK << _IOC_TYPESHIFT)) |
		(0x42 << _IOC_TYPESHIFT),
	0,
};

/* Valid, zeroed memory for any command's argument, whatever its size. */
static char zero_arg[_IOC_SIZEMASK + 1];

static unsigned int with_size(unsigned int nr, unsigned int size)
{
	return (nr & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) | (size << _IOC_SIZESHIFT);
}

static unsigned int with_dir(unsigned int nr, unsigned int dir)
{
	return (nr & ~(_IOC_DIRMASK << _IOC_DIRSHIFT)) | (dir << _IOC_DIRSHIFT);
}

/* Every command of @cmds on @fd fails with ENOTTY. */
static void expect_cmds_enotty(struct __test_metadata *_metadata, int fd,
			       const struct lhv_cmd *cmds, size_t n,
			       const char *file)
{
	size_t i;

	for (i = 0; i < n; i++)
		EXPECT_ERRNO_MSG(ENOTTY, ioctl(fd, cmds[i].nr, zero_arg),
				 "%s on %s", cmds[i].name, file);
}

/* Each of @cmds with its _IOC size field changed fails with ENOTTY. */
static void expect_wrong_sizes_enotty(struct __test_metadata *_metadata, int fd,
				      const struct lhv_cmd *cmds, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		unsigned int size = _IOC_SIZE(cmds[i].nr);
		unsigned int sizes[] = {
			size ? size - 8 : 8, size + 8, size ? 0 : 4, _IOC_SIZEMASK,
		};

		for (j = 0; j < ARRAY_SIZE(sizes); j++)
			EXPECT_ERRNO_MSG(ENOTTY,
					 ioctl(fd, with_size(cmds[i].nr, sizes[j]), zero_arg),
					 "%s with size %u instead of %u", cmds[i].name,
					 sizes[j], size);
	}
}

/* Each of @cmds with another _IOC direction fails with ENOTTY. */
static void expect_wrong_dirs_enotty(struct __test_metadata *_metadata, int fd,
				     const struct lhv_cmd *cmds, size_t n)
{
	unsigned int dir;
	size_t i;

	for (i = 0; i < n; i++)
		for (dir = 0; dir <= (_IOC_READ | _IOC_WRITE); dir++)
			if (dir != _IOC_DIR(cmds[i].nr))
				EXPECT_ERRNO_MSG(ENOTTY,
						 ioctl(fd, with_dir(cmds[i].nr, dir), zero_arg),
						 "%s with direction %u instead of %u",
						 cmds[i].name, dir, _IOC_DIR(cmds[i].nr));
}

static void expect_unknown_enotty(struct __test_metadata *_metadata, int fd,
				  const char *file)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unknown_cmds); i++)
		EXPECT_ERRNO_MSG(ENOTTY, ioctl(fd, unknown_cmds[i], zero_arg),
				 "command %#x on %s", unknown_cmds[i], file);
}

/* "address sizes : 40 bits physical" from /proc/cpuinfo, or 0. */
static unsigned int phys_bits(void)
{
	unsigned int bits = 0;
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "address sizes : %u bits physical", &bits) == 1)
			break;
	if (f)
		fclose(f);
	return bits;
}

/*
 * The local APIC's guest-physical page: the host's APIC base, which
 * /proc/iomem names; normally 0xfee00000.
 */
static __u64 apic_page(void)
{
	unsigned long long start = 0xfee00000ULL, s;
	char line[256];
	FILE *f = fopen("/proc/iomem", "re");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "Local APIC") && sscanf(line, " %llx-", &s) == 1 && s)
			start = s;
	if (f)
		fclose(f);
	return start & ~(LHV_PAGE - 1);
}

/* The APIC ID of online host CPU @cpu from /proc/cpuinfo, or -1. */
static int apic_id_of(unsigned int cpu)
{
	int id = -1, apic;
	unsigned int proc = ~0u, p;
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "processor : %u", &p) == 1)
			proc = p;
		else if (proc == cpu && sscanf(line, "apicid : %d", &apic) == 1)
			id = apic;
	}
	if (f)
		fclose(f);
	return id;
}

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

/* System ioctls on /dev/lhv */

TEST(get_api_version_returns_lhv_api_version)
{
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	EXPECT_EQ(LHV_API_VERSION, ioctl(dev, LHV_GET_API_VERSION));
	/* _IO: whatever the argument register holds means nothing. */
	EXPECT_EQ(LHV_API_VERSION, ioctl(dev, LHV_GET_API_VERSION, 0xdeadbeefUL));
	close(dev);
}

TEST(get_caps_reports_a_usable_backend)
{
	struct lhv_caps caps;
	unsigned int i;
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	memset(&caps, 0xa5, sizeof(caps));
	ASSERT_EQ(0, ioctl(dev, LHV_GET_CAPS, &caps));
	EXPECT_EQ(0, caps.features & ~(LHV_CAP_VMX_MASK | LHV_CAP_SVM_MASK |
				       LHV_CAP_COMMON_MASK));
	if (caps.vendor == LHV_VENDOR_AMD_SVM) {
		/* The module loads only where SVM can run guests. */
		EXPECT_TRUE(caps.features & LHV_CAP_SVM_NPT);
		EXPECT_LE(1, caps.asid_count);
		EXPECT_EQ(0, caps.features & LHV_CAP_VMX_MASK);
	} else {
		ASSERT_EQ(LHV_VENDOR_INTEL_VMX, caps.vendor);
		EXPECT_TRUE(caps.features & LHV_CAP_VMX_EPT);
		EXPECT_TRUE(caps.features & LHV_CAP_VMX_UNRESTRICTED);
		EXPECT_NE(0, caps.vmcs_revision);
		EXPECT_EQ(0, caps.features & LHV_CAP_SVM_MASK);
	}
	EXPECT_TRUE(caps.lapic_modes & (1u << LHV_LAPIC_FILTERED));
	EXPECT_EQ(0, caps.lapic_modes & ~((1u << LHV_LAPIC_PASSTHROUGH) |
					  (1u << LHV_LAPIC_FILTERED)));
	EXPECT_TRUE(caps.default_lapic_mode == LHV_LAPIC_PASSTHROUGH ||
		    caps.default_lapic_mode == LHV_LAPIC_FILTERED);
	EXPECT_TRUE(caps.lapic_modes & (1u << caps.default_lapic_mode));
	/* Passthrough where it is supported, filtered otherwise. */
	if (caps.lapic_modes & (1u << LHV_LAPIC_PASSTHROUGH))
		EXPECT_EQ(LHV_LAPIC_PASSTHROUGH, caps.default_lapic_mode);
	EXPECT_LE(1, caps.max_vcpus);
	EXPECT_EQ(0, caps.reserved32);
	for (i = 0; i < ARRAY_SIZE(caps.reserved); i++)
		EXPECT_EQ(0, caps.reserved[i]) TH_LOG("reserved[%u]", i);
	close(dev);
}

TEST(get_caps_to_bad_pointer_efault)
{
	unsigned int i;
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(dev, LHV_GET_CAPS, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
	close(dev);
}

TEST(create_vm_default_mode_returns_cloexec_fd)
{
	int dev, vm;

	LHV_OPEN_OR_SKIP(dev);
	vm = lhv_vm_create(dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm) TH_LOG("LHV_CREATE_VM: %s", strerror(errno));
	EXPECT_TRUE(fcntl(vm, F_GETFD) & FD_CLOEXEC);
	/* Each VM is a file of its own. */
	EXPECT_NE(dev, vm);
	close(vm);
	close(dev);
}

TEST(create_vm_filtered_mode_accepted)
{
	int dev, vm;

	LHV_OPEN_OR_SKIP(dev);
	vm = lhv_vm_create(dev, LHV_LAPIC_FILTERED);
	EXPECT_LE(0, vm) TH_LOG("LHV_CREATE_VM: %s", strerror(errno));
	close(vm);
	close(dev);
}

TEST(create_vm_passthrough_mode_only_where_caps_offer_it)
{
	struct lhv_caps caps;
	int dev, vm;

	LHV_OPEN_OR_SKIP(dev);
	ASSERT_EQ(0, ioctl(dev, LHV_GET_CAPS, &caps));
	if (caps.lapic_modes & (1u << LHV_LAPIC_PASSTHROUGH)) {
		vm = lhv_vm_create(dev, LHV_LAPIC_PASSTHROUGH);
		EXPECT_LE(0, vm) TH_LOG("LHV_CREATE_VM: %s", strerror(errno));
		close(vm);
	} else {
		EXPECT_ERRNO(EOPNOTSUPP, lhv_vm_create(dev, LHV_LAPIC_PASSTHROUGH));
	}
	close(dev);
}

TEST(create_vm_flags_set_einval)
{
	struct lhv_vm_config cfg = { 0 };
	__u32 flags[] = { 1, 0x80000000u, 0xffffffffu };
	unsigned int i;
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		cfg.flags = flags[i];
		EXPECT_ERRNO_MSG(EINVAL, ioctl(dev, LHV_CREATE_VM, &cfg),
				 "flags %#x", flags[i]);
	}
	close(dev);
}

TEST(create_vm_reserved_field_set_einval)
{
	struct lhv_vm_config cfg;
	unsigned int i;
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	for (i = 0; i < ARRAY_SIZE(cfg.reserved); i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.reserved[i] = 1ULL << (i * 9);
		EXPECT_ERRNO_MSG(EINVAL, ioctl(dev, LHV_CREATE_VM, &cfg),
				 "reserved[%u] set", i);
	}
	close(dev);
}

TEST(create_vm_unknown_lapic_mode_einval)
{
	__u32 modes[] = { 3, 7, 0x80000000u, 0xffffffffu };
	unsigned int i;
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_vm_create(dev, modes[i]),
				 "LAPIC mode %u", modes[i]);
	close(dev);
}

TEST(create_vm_bad_pointer_efault)
{
	unsigned int i;
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(dev, LHV_CREATE_VM, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
	close(dev);
}

/*
 * ioctl.rst: "While any VM exists the module cannot be unloaded ...
 * delete_module() fails with EAGAIN/EWOULDBLOCK" (the kernel's answer for
 * a module in use, asked with O_NONBLOCK).
 */
TEST(create_vm_pins_module_rmmod_fails_eagain)
{
	int dev, vm;

	LHV_OPEN_OR_SKIP(dev);
	vm = lhv_vm_create(dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm);
	/* Only the VM holds the module: /dev/lhv's own reference goes. */
	close(dev);
	EXPECT_ERRNO(EAGAIN, delete_module("lhv"));
	EXPECT_EQ(0, access("/sys/module/lhv", F_OK));
	close(vm);
}

TEST(system_ioctls_with_wrong_size_enotty)
{
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	expect_wrong_sizes_enotty(_metadata, dev, sys_cmds, ARRAY_SIZE(sys_cmds));
	close(dev);
}

TEST(system_ioctls_with_wrong_direction_enotty)
{
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	expect_wrong_dirs_enotty(_metadata, dev, sys_cmds, ARRAY_SIZE(sys_cmds));
	close(dev);
}

TEST(unknown_ioctls_on_dev_enotty)
{
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	expect_unknown_enotty(_metadata, dev, "/dev/lhv");
	close(dev);
}

TEST(vm_ioctls_on_dev_enotty)
{
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	expect_cmds_enotty(_metadata, dev, vm_cmds, ARRAY_SIZE(vm_cmds), "/dev/lhv");
	close(dev);
}

TEST(vcpu_ioctls_on_dev_enotty)
{
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	expect_cmds_enotty(_metadata, dev, vcpu_cmds, ARRAY_SIZE(vcpu_cmds),
			   "/dev/lhv");
	close(dev);
}

/* Not lhv's file at all: no lhv ioctl means anything to /dev/null. */
TEST(lhv_ioctls_on_dev_null_enotty)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, null);
	expect_cmds_enotty(_metadata, null, sys_cmds, ARRAY_SIZE(sys_cmds), "/dev/null");
	expect_cmds_enotty(_metadata, null, vm_cmds, ARRAY_SIZE(vm_cmds), "/dev/null");
	expect_cmds_enotty(_metadata, null, vcpu_cmds, ARRAY_SIZE(vcpu_cmds),
			   "/dev/null");
	close(null);
}

/* VM ioctls: a VM without vCPUs, and memory to back regions with */

FIXTURE(vm) {
	int dev, vm;
	bool online[LHV_LAST_CPU + 1];	/* at setup */
	struct lhv_caps caps;
	char *mem;		/* 8 MiB, read-write */
	char *rom;		/* 2 MiB, read-only */
	__u64 apic;		/* the local APIC's page */
};

#define VM_MEM	(8 * MiB)
#define VM_ROM	(2 * MiB)

FIXTURE_SETUP(vm)
{
	unsigned int cpu;

	self->dev = self->vm = -1;
	self->mem = self->rom = MAP_FAILED;
	for (cpu = LHV_FIRST_CPU; cpu <= LHV_LAST_CPU; cpu++)
		self->online[cpu] = lhv_cpu_online(cpu) == 1;
	LHV_OPEN_OR_SKIP(self->dev);
	ASSERT_EQ(0, ioctl(self->dev, LHV_GET_CAPS, &self->caps));
	self->vm = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, self->vm) TH_LOG("LHV_CREATE_VM: %s", strerror(errno));
	self->mem = mmap(NULL, VM_MEM, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	self->rom = mmap(NULL, VM_ROM, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	ASSERT_NE(MAP_FAILED, self->rom);
	self->apic = apic_page();
}

/* Every CPU a test gave to a vCPU or took offline is Linux's again. */
FIXTURE_TEARDOWN(vm)
{
	unsigned int cpu;

	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, VM_MEM);
	if (self->rom != MAP_FAILED)
		munmap(self->rom, VM_ROM);
	for (cpu = LHV_FIRST_CPU; cpu <= LHV_LAST_CPU; cpu++) {
		if (!self->online[cpu] || lhv_wait_online(cpu, 5000))
			continue;
		lhv_set_cpu_online(cpu, true);
		EXPECT_TRUE(lhv_wait_online(cpu, 5000))
			TH_LOG("host CPU %u not back online", cpu);
	}
}

/* LHV_SET_MEMORY_REGION */

TEST_F(vm, set_memory_region_valid_regions_accepted)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_EQ(0, lhv_set_region(self->vm, 0, 0, 0, 2 * MiB, self->mem));
	/* A hole, the last slot, an address above 4 GiB. */
	EXPECT_EQ(0, lhv_set_region(self->vm, LHV_MAX_MEMSLOTS - 1, 0, 4 * GiB,
				    2 * MiB, self->mem + 2 * MiB));
	/* Read-only guest memory needs only a readable mapping. */
	EXPECT_EQ(0, lhv_set_region(self->vm, 5, LHV_MEM_READONLY, 0xfff00000ULL,
				    MiB, self->rom));
	/* The same host memory twice, at two guest addresses. */
	EXPECT_EQ(0, lhv_set_region(self->vm, 6, 0, 16 * MiB, 2 * MiB, self->mem));
}

TEST_F(vm, set_memory_region_slot_out_of_range_einval)
{
	__u32 slots[] = { LHV_MAX_MEMSLOTS, LHV_MAX_MEMSLOTS + 1, 0xffffffffu };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(slots); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, slots[i], 0, 0,
							MiB, self->mem),
				 "slot %u", slots[i]);
}

TEST_F(vm, set_memory_region_unknown_flag_einval)
{
	__u32 flags[] = { 1u << 1, LHV_MEM_READONLY | 1u << 7, 1u << 31 };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(flags); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, 0, flags[i], 0,
							MiB, self->mem),
				 "flags %#x", flags[i]);
}

TEST_F(vm, set_memory_region_reserved_field_set_einval)
{
	struct lhv_memory_region r;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(r.reserved); i++) {
		memset(&r, 0, sizeof(r));
		r.memory_size = MiB;
		r.userspace_addr = (uintptr_t)self->mem;
		r.reserved[i] = 1ULL << 63;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vm, LHV_SET_MEMORY_REGION, &r),
				 "reserved[%u] set", i);
	}
}

TEST_F(vm, set_memory_region_zero_size_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 0, 0, 0, 0, self->mem));
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 1, 0, 16 * MiB, 0, self->mem));
}

TEST_F(vm, set_memory_region_unaligned_guest_address_einval)
{
	__u64 off[] = { 1, 512, 0x800, 0xfff };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(off); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, 0, 0, MiB + off[i],
							MiB, self->mem),
				 "guest address 1 MiB + %#llx", (unsigned long long)off[i]);
}

TEST_F(vm, set_memory_region_unaligned_size_einval)
{
	__u64 sizes[] = { 1, 100, LHV_PAGE + 1, MiB - 512 };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, 0, 0, 0, sizes[i],
							self->mem),
				 "size %#llx", (unsigned long long)sizes[i]);
}

TEST_F(vm, set_memory_region_unaligned_userspace_address_einval)
{
	unsigned int off[] = { 1, 8, 0x800 };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(off); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, 0, 0, 0, MiB,
							self->mem + off[i]),
				 "userspace address + %#x", off[i]);
}

TEST_F(vm, set_memory_region_wrapping_range_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 0, 0, ~0ULL - LHV_PAGE + 1,
					    2 * LHV_PAGE, self->mem));
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 0, 0, 8 * GiB,
					    ~0ULL - LHV_PAGE + 1, self->mem));
}

TEST_F(vm, set_memory_region_beyond_physical_address_width_einval)
{
	unsigned int bits = phys_bits();
	__u64 limit;

	LHV_RETURN_IF_SKIPPED();
	if (!bits || bits > 62)
		SKIP(return, "no physical address width in /proc/cpuinfo");
	limit = 1ULL << bits;
	/* Ends one page beyond the width; starts at it; far beyond it. */
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 0, 0, limit - LHV_PAGE,
					    2 * LHV_PAGE, self->mem));
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 0, 0, limit, LHV_PAGE,
					    self->mem));
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 0, 0, 1ULL << 62, MiB,
					    self->mem));
	/* A huge size from 4 GiB on: beyond the width before beyond RAM. */
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 0, 0, 4 * GiB, 1ULL << 62,
					    self->mem));
	/* The last page below the width is fine. */
	EXPECT_EQ(0, lhv_set_region(self->vm, 1, 0, limit - LHV_PAGE, LHV_PAGE,
				    self->mem));
}

TEST_F(vm, set_memory_region_more_than_host_ram_enomem)
{
	unsigned int bits = phys_bits();
	struct sysinfo si;
	__u64 ram, size = GiB;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sysinfo(&si));
	ram = (__u64)si.totalram * si.mem_unit;
	while (size <= 2 * ram)
		size <<= 1;
	if (!bits || bits > 62 || 4 * GiB + size > 1ULL << bits)
		SKIP(return, "%llu bytes of RAM do not fit below the %u-bit physical address width",
		     (unsigned long long)size, bits);
	EXPECT_ERRNO(ENOMEM, lhv_set_region(self->vm, 0, 0, 4 * GiB, size, self->mem));
	/* The failed call left the slot free. */
	EXPECT_EQ(0, lhv_set_region(self->vm, 0, 0, 4 * GiB, MiB, self->mem));
}

TEST_F(vm, set_memory_region_overlapping_another_slot_einval)
{
	struct { __u64 gpa, size; const char *what; } o[] = {
		{ 2 * MiB, 2 * MiB, "the same range" },
		{ MiB, 2 * MiB, "its first half" },
		{ 3 * MiB, 2 * MiB, "its second half" },
		{ 3 * MiB, LHV_PAGE, "one page inside it" },
		{ 0, 8 * MiB, "a range around it" },
		{ 4 * MiB - LHV_PAGE, LHV_PAGE, "its last page" },
	};
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, lhv_set_region(self->vm, 0, 0, 2 * MiB, 2 * MiB, self->mem));
	for (i = 0; i < ARRAY_SIZE(o); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, 1, 0, o[i].gpa,
							o[i].size, self->mem + 2 * MiB),
				 "%s", o[i].what);
	/* A read-only region overlaps the same way. */
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 1, LHV_MEM_READONLY,
					    2 * MiB, MiB, self->rom));
}

TEST_F(vm, set_memory_region_adjacent_to_another_slot_accepted)
{
	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, lhv_set_region(self->vm, 0, 0, 2 * MiB, 2 * MiB, self->mem));
	EXPECT_EQ(0, lhv_set_region(self->vm, 1, 0, 2 * MiB - LHV_PAGE, LHV_PAGE,
				    self->mem + 4 * MiB));
	EXPECT_EQ(0, lhv_set_region(self->vm, 2, 0, 4 * MiB, LHV_PAGE,
				    self->mem + 5 * MiB));
}

TEST_F(vm, set_memory_region_over_apic_page_einval)
{
	__u64 a;
	struct { __u64 gpa, size; const char *what; } o[5];
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	a = self->apic;
	o[0] = (typeof(o[0])){ a, LHV_PAGE, "the APIC page itself" };
	o[1] = (typeof(o[0])){ a - MiB, 2 * MiB, "a range around it" };
	o[2] = (typeof(o[0])){ a - LHV_PAGE, 2 * LHV_PAGE, "a range ending in it" };
	o[3] = (typeof(o[0])){ a, 2 * MiB, "a range starting at it" };
	o[4] = (typeof(o[0])){ a & ~(2 * MiB - 1), 2 * MiB, "its 2 MiB page" };
	for (i = 0; i < ARRAY_SIZE(o); i++) {
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, 0, 0, o[i].gpa,
							o[i].size, self->mem),
				 "%s (APIC at %#llx)", o[i].what,
				 (unsigned long long)a);
		EXPECT_ERRNO_MSG(EINVAL, lhv_set_region(self->vm, 0, LHV_MEM_READONLY,
							o[i].gpa, o[i].size, self->rom),
				 "read-only: %s", o[i].what);
	}
}

TEST_F(vm, set_memory_region_next_to_apic_page_accepted)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_EQ(0, lhv_set_region(self->vm, 0, 0, self->apic - MiB, MiB, self->mem));
	EXPECT_EQ(0, lhv_set_region(self->vm, 1, 0, self->apic + LHV_PAGE, LHV_PAGE,
				    self->mem + MiB));
}

TEST_F(vm, set_memory_region_slot_set_twice_eexist)
{
	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, lhv_set_region(self->vm, 3, 0, 0, MiB, self->mem));
	EXPECT_ERRNO(EEXIST, lhv_set_region(self->vm, 3, 0, 16 * MiB, MiB,
					    self->mem + MiB));
	/* Nor with the same host memory somewhere else. */
	EXPECT_ERRNO(EEXIST, lhv_set_region(self->vm, 3, 0, 32 * MiB, MiB, self->mem));
}

/*
 * The same region again: its range overlaps no *other* slot (the EINVAL
 * case), so what is left is "the slot is set already".
 */
TEST_F(vm, set_memory_region_same_region_again_eexist)
{
	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, lhv_set_region(self->vm, 3, 0, 0, MiB, self->mem));
	EXPECT_ERRNO(EEXIST, lhv_set_region(self->vm, 3, 0, 0, MiB, self->mem));
}

TEST_F(vm, set_memory_region_unmapped_memory_efault)
{
	char *gone = mmap(NULL, MiB, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	LHV_RETURN_IF_SKIPPED();
	ASSERT_NE(MAP_FAILED, gone);
	ASSERT_EQ(0, munmap(gone, MiB));
	EXPECT_ERRNO(EFAULT, lhv_set_region(self->vm, 0, 0, 0, MiB, gone));
	/* Mapped at first, then a hole: pinning stops half way. */
	EXPECT_ERRNO(EFAULT, lhv_set_region(self->vm, 0, 0, 0, 2 * MiB,
					    self->mem + VM_MEM - MiB));
	/* A kernel address. */
	EXPECT_ERRNO(EFAULT, lhv_set_region(self->vm, 0, 0, 0, MiB,
					    (void *)0xffffffff81000000ULL));
}

TEST_F(vm, set_memory_region_writable_from_read_only_mapping_efault)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EFAULT, lhv_set_region(self->vm, 0, 0, 0, VM_ROM, self->rom));
}

TEST_F(vm, set_memory_region_failed_calls_leave_slot_free)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EFAULT, lhv_set_region(self->vm, 4, 0, 0, VM_ROM, self->rom));
	EXPECT_ERRNO(EINVAL, lhv_set_region(self->vm, 4, 0, 1, MiB, self->mem));
	EXPECT_EQ(0, lhv_set_region(self->vm, 4, 0, 0, MiB, self->mem));
	/* ... and the failed calls' ranges overlap nothing. */
	EXPECT_EQ(0, lhv_set_region(self->vm, 5, 0, MiB, MiB, self->mem + MiB));
}

TEST_F(vm, set_memory_region_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vm, LHV_SET_MEMORY_REGION,
					       lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

/* LHV_SIGNAL_MSI: refusals need no vCPU */

static int signal_msi(int vm, __u64 address, __u32 data)
{
	struct lhv_msi msi = { .address = address, .data = data };

	return ioctl(vm, LHV_SIGNAL_MSI, &msi);
}

#define MSI_BROADCAST	(0xfee00000ULL | 0xffULL << 12)
#define MSI_FIXED(v)	((__u32)(v))
#define MSI_MODE(m)	((__u32)(m) << 8)

TEST_F(vm, signal_msi_without_vcpus_returns_0)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_EQ(0, signal_msi(self->vm, MSI_BROADCAST, MSI_FIXED(0x40)));
	EXPECT_EQ(0, signal_msi(self->vm, 0xfee00000ULL, MSI_MODE(4)));
}

TEST_F(vm, signal_msi_flags_set_einval)
{
	struct lhv_msi msi = { .address = MSI_BROADCAST, .data = 0x40 };
	__u32 flags[] = { 1, 0x80000000u };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		msi.flags = flags[i];
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vm, LHV_SIGNAL_MSI, &msi),
				 "flags %#x", flags[i]);
	}
}

TEST_F(vm, signal_msi_reserved_field_set_einval)
{
	struct lhv_msi msi;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(msi.reserved); i++) {
		memset(&msi, 0, sizeof(msi));
		msi.address = MSI_BROADCAST;
		msi.data = 0x40;
		msi.reserved[i] = 1;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vm, LHV_SIGNAL_MSI, &msi),
				 "reserved[%u] set", i);
	}
}

TEST_F(vm, signal_msi_address_outside_msi_range_einval)
{
	__u64 addr[] = {
		0, 0xfed00000ULL, 0xfedff000ULL, 0xfef00000ULL, 0xffe00000ULL,
		0x1fee00000ULL, 0xfee00000ULL | 1ULL << 63,
	};
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(addr); i++)
		EXPECT_ERRNO_MSG(EINVAL, signal_msi(self->vm, addr[i], 0x40),
				 "address %#llx", (unsigned long long)addr[i]);
}

TEST_F(vm, signal_msi_address_bits_1_0_set_einval)
{
	unsigned int low;

	LHV_RETURN_IF_SKIPPED();
	for (low = 1; low <= 3; low++)
		EXPECT_ERRNO_MSG(EINVAL, signal_msi(self->vm, MSI_BROADCAST | low, 0x40),
				 "address bits 1:0 = %u", low);
}

TEST_F(vm, signal_msi_level_triggered_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, signal_msi(self->vm, MSI_BROADCAST, 0x40 | 1u << 15));
	EXPECT_ERRNO(EINVAL, signal_msi(self->vm, MSI_BROADCAST,
					0x40 | 1u << 15 | 1u << 14));
}

TEST_F(vm, signal_msi_reserved_data_bits_einval)
{
	unsigned int bits[] = { 11, 12, 13, 16, 24, 31 };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		EXPECT_ERRNO_MSG(EINVAL, signal_msi(self->vm, MSI_BROADCAST,
						    0x40 | 1u << bits[i]),
				 "data bit %u", bits[i]);
}

TEST_F(vm, signal_msi_unsupported_delivery_mode_einval)
{
	/* SMI, reserved, INIT, start-up, ExtINT. */
	unsigned int modes[] = { 2, 3, 5, 6, 7 };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		EXPECT_ERRNO_MSG(EINVAL, signal_msi(self->vm, MSI_BROADCAST,
						    0x40 | MSI_MODE(modes[i])),
				 "delivery mode %u", modes[i]);
}

TEST_F(vm, signal_msi_vector_below_16_einval)
{
	unsigned int v;

	LHV_RETURN_IF_SKIPPED();
	for (v = 0; v < 16; v += 5) {
		EXPECT_ERRNO_MSG(EINVAL, signal_msi(self->vm, MSI_BROADCAST,
						    MSI_FIXED(v)),
				 "fixed vector %u", v);
		EXPECT_ERRNO_MSG(EINVAL, signal_msi(self->vm, MSI_BROADCAST,
						    MSI_MODE(1) | v),
				 "lowest-priority vector %u", v);
	}
	/* 15 is the last refused one; an NMI has no vector. */
	EXPECT_ERRNO(EINVAL, signal_msi(self->vm, MSI_BROADCAST, MSI_FIXED(15)));
	EXPECT_EQ(0, signal_msi(self->vm, MSI_BROADCAST, MSI_FIXED(16)));
	EXPECT_EQ(0, signal_msi(self->vm, MSI_BROADCAST, MSI_MODE(4) | 2));
}

TEST_F(vm, signal_msi_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vm, LHV_SIGNAL_MSI, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

/* LHV_INJECT_NMI: refusals need no vCPU */

static int inject_nmi(int vm, __u32 vcpu_id, __u32 flags)
{
	struct lhv_nmi nmi = { .vcpu_id = vcpu_id, .flags = flags };

	return ioctl(vm, LHV_INJECT_NMI, &nmi);
}

TEST_F(vm, inject_nmi_unknown_flag_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, inject_nmi(self->vm, 0, 1u << 1));
	EXPECT_ERRNO(EINVAL, inject_nmi(self->vm, 0, LHV_NMI_ALL | 1u << 31));
}

TEST_F(vm, inject_nmi_reserved_field_set_einval)
{
	struct lhv_nmi nmi;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(nmi.reserved); i++) {
		memset(&nmi, 0, sizeof(nmi));
		nmi.reserved[i] = 1;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vm, LHV_INJECT_NMI, &nmi),
				 "reserved[%u] set", i);
	}
}

TEST_F(vm, inject_nmi_vcpu_id_beyond_max_vcpus_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, inject_nmi(self->vm, self->caps.max_vcpus, 0));
	EXPECT_ERRNO(EINVAL, inject_nmi(self->vm, 0xffffffffu, 0));
}

TEST_F(vm, inject_nmi_all_with_vcpu_id_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, inject_nmi(self->vm, 1, LHV_NMI_ALL));
	EXPECT_ERRNO(EINVAL, inject_nmi(self->vm, self->caps.max_vcpus - 1,
					LHV_NMI_ALL));
}

TEST_F(vm, inject_nmi_to_absent_vcpu_enoent)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(ENOENT, inject_nmi(self->vm, 0, 0));
	EXPECT_ERRNO(ENOENT, inject_nmi(self->vm, self->caps.max_vcpus - 1, 0));
}

TEST_F(vm, inject_nmi_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vm, LHV_INJECT_NMI, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

/* LHV_CREATE_VCPU refusals that take no CPU */

TEST_F(vm, create_vcpu_reserved_field_set_einval)
{
	struct lhv_vcpu_config cfg;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(cfg.reserved); i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.host_cpu = CPU_A;
		cfg.reserved[i] = 1ULL << 32;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vm, LHV_CREATE_VCPU, &cfg),
				 "reserved[%u] set", i);
	}
	EXPECT_NE(0, lhv_cpu_online(CPU_A));
}

TEST_F(vm, create_vcpu_id_beyond_max_vcpus_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, lhv_vcpu_create(self->vm, self->caps.max_vcpus, CPU_A));
	EXPECT_ERRNO(EINVAL, lhv_vcpu_create(self->vm, 0xffffffffu, CPU_A));
	EXPECT_NE(0, lhv_cpu_online(CPU_A));
}

TEST_F(vm, create_vcpu_on_host_cpu_0_eperm)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EPERM, lhv_vcpu_create(self->vm, 0, 0));
	EXPECT_ERRNO(EPERM, lhv_vcpu_create(self->vm, 1, 0));
}

TEST_F(vm, create_vcpu_on_nonexistent_host_cpu_einval)
{
	__u32 cpus[] = { lhv_possible_cpus(), 4096, 0x7fffffffu, 0xffffffffu };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(cpus); i++)
		EXPECT_ERRNO_MSG(EINVAL, lhv_vcpu_create(self->vm, 0, cpus[i]),
				 "host CPU %u", cpus[i]);
}

TEST_F(vm, create_vcpu_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vm, LHV_CREATE_VCPU, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

TEST_F(vm, create_vcpu_on_offline_host_cpu_enodev)
{
	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_C, CPU_C);
	ASSERT_EQ(0, lhv_set_cpu_online(CPU_C, false))
		TH_LOG("cannot offline CPU %d: %s", CPU_C, strerror(errno));
	EXPECT_ERRNO(ENODEV, lhv_vcpu_create(self->vm, 0, CPU_C));
	EXPECT_EQ(0, lhv_set_cpu_online(CPU_C, true));
	EXPECT_TRUE(lhv_wait_online(CPU_C, 5000));
}

/*
 * SCHED_DEADLINE tasks reserve bandwidth on the CPUs of their root domain,
 * and Linux refuses to take a CPU down when what is left could not carry
 * it.  One sleeping task of 90% per online CPU fits (the default limit is
 * 95%) but not on one CPU fewer, so remove_cpu() fails with EBUSY.  Starts
 * the tasks and returns their number, with their pids in @pids; -1 and
 * the reason in @why when Linux does not admit them.
 */
static int hold_deadline_bandwidth(pid_t *pids, int max, char *why, size_t len)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = SCHED_DEADLINE,
		.sched_runtime = 9 * 1000 * 1000,
		.sched_deadline = 10 * 1000 * 1000,
		.sched_period = 10 * 1000 * 1000,
	};
	int n = get_nprocs(), i, fds[2];
	char status;

	FILE *f = fopen("/proc/sys/kernel/sched_rt_runtime_us", "r");
	long runtime = 0;

	/* -1: no bandwidth limit, so Linux admits anything and refuses nothing. */
	if (!f || fscanf(f, "%ld", &runtime) != 1 || runtime < 0) {
		snprintf(why, len, "sched_rt_runtime_us is %ld: no deadline admission control",
			 runtime);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	if (n > max || pipe(fds)) {
		snprintf(why, len, "%d online CPUs or no pipe", n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			status = syscall(SYS_sched_setattr, 0, &attr, 0) ? errno : 0;
			if (write(fds[1], &status, 1) != 1 || status)
				_exit(1);
			pause();
			_exit(0);
		}
		if (pids[i] < 0 || read(fds[0], &status, 1) != 1 || status) {
			snprintf(why, len, "SCHED_DEADLINE task %d not admitted: %s", i,
				 pids[i] < 0 ? strerror(errno) : strerror(status));
			break;
		}
	}
	close(fds[0]);
	close(fds[1]);
	if (i == n)
		return n;
	while (i >= 0) {
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
		i--;
	}
	return -1;
}

static void release_deadline_bandwidth(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

TEST_F(vm, create_vcpu_when_linux_keeps_the_cpu_ebusy)
{
	pid_t pids[64];
	char why[128];
	int n, vcpu;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_A);
	n = hold_deadline_bandwidth(pids, 64, why, sizeof(why));
	if (n < 0)
		SKIP(return, "cannot make Linux refuse an offline: %s", why);
	EXPECT_ERRNO(EBUSY, lhv_vcpu_create(self->vm, 0, CPU_A));
	/* Linux kept it; lhv neither holds nor broke it. */
	EXPECT_EQ(1, lhv_cpu_online(CPU_A));
	release_deadline_bandwidth(pids, n);
	vcpu = lhv_vcpu_create(self->vm, 0, CPU_A);
	ASSERT_LE(0, vcpu) TH_LOG("LHV_CREATE_VCPU once the bandwidth is free: %s",
				  strerror(errno));
	EXPECT_EQ(0, lhv_cpu_online(CPU_A));
	close(vcpu);
	close(self->vm);
	self->vm = -1;
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
}

/* LHV_CREATE_VCPU and its host CPU */

TEST_F(vm, create_vcpu_owns_host_cpu_until_every_fd_closes)
{
	int vcpu;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_A);
	vcpu = lhv_vcpu_create(self->vm, 0, CPU_A);
	ASSERT_LE(0, vcpu) TH_LOG("LHV_CREATE_VCPU: %s", strerror(errno));
	EXPECT_TRUE(fcntl(vcpu, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, lhv_cpu_online(CPU_A));
	/* Linux cannot have it back while lhv owns it. */
	EXPECT_NE(0, lhv_set_cpu_online(CPU_A, true));
	EXPECT_EQ(0, lhv_cpu_online(CPU_A));
	/* The vCPU fd holds the VM. */
	close(self->vm);
	self->vm = -1;
	usleep(100000);
	EXPECT_EQ(0, lhv_cpu_online(CPU_A));
	close(vcpu);
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
}

TEST_F(vm, create_vcpu_ids_up_to_max_vcpus_accepted)
{
	int a, b;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_B);
	a = lhv_vcpu_create(self->vm, 0, CPU_A);
	EXPECT_LE(0, a) TH_LOG("vCPU 0: %s", strerror(errno));
	b = lhv_vcpu_create(self->vm, self->caps.max_vcpus - 1, CPU_B);
	EXPECT_LE(0, b) TH_LOG("vCPU %u: %s", self->caps.max_vcpus - 1, strerror(errno));
	close(a);
	close(b);
	close(self->vm);
	self->vm = -1;
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
	EXPECT_TRUE(lhv_wait_online(CPU_B, 5000));
}

TEST_F(vm, create_vcpu_host_cpu_twice_in_one_vm_ebusy)
{
	int vcpu;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_A);
	vcpu = lhv_vcpu_create(self->vm, 0, CPU_A);
	ASSERT_LE(0, vcpu);
	EXPECT_ERRNO(EBUSY, lhv_vcpu_create(self->vm, 1, CPU_A));
	close(vcpu);
}

TEST_F(vm, create_vcpu_host_cpu_of_another_vm_ebusy)
{
	int other, vcpu;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_B, CPU_B);
	other = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, other);
	vcpu = lhv_vcpu_create(other, 0, CPU_B);
	ASSERT_LE(0, vcpu);
	EXPECT_ERRNO(EBUSY, lhv_vcpu_create(self->vm, 0, CPU_B));
	close(vcpu);
	close(other);
	EXPECT_TRUE(lhv_wait_online(CPU_B, 5000));
}

TEST_F(vm, create_vcpu_same_id_twice_eexist)
{
	int vcpu;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_B);
	vcpu = lhv_vcpu_create(self->vm, 0, CPU_A);
	ASSERT_LE(0, vcpu);
	EXPECT_ERRNO(EEXIST, lhv_vcpu_create(self->vm, 0, CPU_B));
	/* The refused vCPU did not take its CPU. */
	EXPECT_EQ(1, lhv_cpu_online(CPU_B));
	close(vcpu);
}

/* MSIs and NMIs that reach vCPUs */

TEST_F(vm, signal_msi_counts_vcpus_it_reaches)
{
	int id_a = apic_id_of(CPU_A), id_b = apic_id_of(CPU_B), id_0 = apic_id_of(0);
	int a, b;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_B);
	if (id_a < 0 || id_b < 0 || id_0 < 0 || id_a > 0xfe || id_b > 0xfe)
		SKIP(return, "no 8-bit APIC IDs for CPUs 0, %d, %d in /proc/cpuinfo",
		     CPU_A, CPU_B);
	a = lhv_vcpu_create(self->vm, 0, CPU_A);
	b = lhv_vcpu_create(self->vm, 1, CPU_B);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	EXPECT_EQ(1, signal_msi(self->vm, 0xfee00000ULL | (__u64)id_a << 12, 0x40));
	EXPECT_EQ(1, signal_msi(self->vm, 0xfee00000ULL | (__u64)id_b << 12,
				MSI_MODE(4)));
	EXPECT_EQ(2, signal_msi(self->vm, MSI_BROADCAST, 0x41));
	/* Lowest priority and the redirection hint pick one vCPU. */
	EXPECT_EQ(1, signal_msi(self->vm, MSI_BROADCAST, MSI_MODE(1) | 0x42));
	EXPECT_EQ(1, signal_msi(self->vm, MSI_BROADCAST | 1 << 3, 0x43));
	/* CPU 0 is the host's: the MSI names none of the VM's vCPUs. */
	if (id_0 != id_a && id_0 != id_b)
		EXPECT_EQ(0, signal_msi(self->vm, 0xfee00000ULL | (__u64)id_0 << 12,
					0x44));
	close(a);
	close(b);
}

TEST(signal_msi_logical_in_passthrough_xapic_eopnotsupp)
{
	struct lhv_caps caps;
	struct lhv_sregs sregs;
	int dev, vm, vcpu;

	LHV_OPEN_OR_SKIP(dev);
	ASSERT_EQ(0, ioctl(dev, LHV_GET_CAPS, &caps));
	if (!(caps.lapic_modes & (1u << LHV_LAPIC_PASSTHROUGH))) {
		/* scripts/run-vm: where the platform must offer it, fail. */
		ASSERT_FALSE(lhv_expect_passthrough());
		SKIP(return, "lhv does not offer the passthrough LAPIC mode here");
	}
	LHV_CPUS_OR_SKIP(CPU_A, CPU_A);
	vm = lhv_vm_create(dev, LHV_LAPIC_PASSTHROUGH);
	ASSERT_LE(0, vm);
	vcpu = lhv_vcpu_create(vm, 0, CPU_A);
	ASSERT_LE(0, vcpu);
	ASSERT_EQ(0, ioctl(vcpu, LHV_GET_SREGS, &sregs));
	if (sregs.apic_base & (1ULL << 10))
		SKIP(goto out, "the host's APICs are in x2APIC mode");
	EXPECT_ERRNO(EOPNOTSUPP, signal_msi(vm, MSI_BROADCAST | 1 << 2, 0x40));
out:
	close(vcpu);
	close(vm);
	close(dev);
}

TEST_F(vm, inject_nmi_counts_vcpus_it_reaches)
{
	int a, b;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_B);
	a = lhv_vcpu_create(self->vm, 0, CPU_A);
	b = lhv_vcpu_create(self->vm, 5, CPU_B);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	EXPECT_EQ(1, inject_nmi(self->vm, 0, 0));
	EXPECT_EQ(1, inject_nmi(self->vm, 5, 0));
	EXPECT_EQ(2, inject_nmi(self->vm, 0, LHV_NMI_ALL));
	EXPECT_ERRNO(ENOENT, inject_nmi(self->vm, 1, 0));
	close(a);
	close(b);
}

TEST_F(vm, vm_ioctls_with_wrong_size_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_wrong_sizes_enotty(_metadata, self->vm, vm_cmds, ARRAY_SIZE(vm_cmds));
}

TEST_F(vm, vm_ioctls_with_wrong_direction_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_wrong_dirs_enotty(_metadata, self->vm, vm_cmds, ARRAY_SIZE(vm_cmds));
}

TEST_F(vm, unknown_ioctls_on_vm_fd_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_unknown_enotty(_metadata, self->vm, "a VM fd");
}

TEST_F(vm, system_ioctls_on_vm_fd_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_cmds_enotty(_metadata, self->vm, sys_cmds, ARRAY_SIZE(sys_cmds),
			   "a VM fd");
}

TEST_F(vm, vcpu_ioctls_on_vm_fd_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_cmds_enotty(_metadata, self->vm, vcpu_cmds, ARRAY_SIZE(vcpu_cmds),
			   "a VM fd");
}

TEST_F(vm, mmap_of_vm_fd_and_dev_refused)
{
	void *p;

	LHV_RETURN_IF_SKIPPED();
	/* Only a vCPU fd has a run page. */
	p = mmap(NULL, LHV_RUN_PAGE_SIZE, PROT_READ, MAP_SHARED, self->vm, 0);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, LHV_RUN_PAGE_SIZE, PROT_READ, MAP_SHARED, self->dev, 0);
	EXPECT_EQ(MAP_FAILED, p);
}

/* vCPU ioctls: vCPU 0 on host CPU 1 with its run page mapped */

FIXTURE(vcpu) {
	int dev, vm, vcpu;
	struct lhv_caps caps;
	struct lhv_run *run;
	void *ram;		/* the test guest's, once loaded */
};

FIXTURE_SETUP(vcpu)
{
	self->dev = self->vm = self->vcpu = -1;
	LHV_OPEN_OR_SKIP(self->dev);
	LHV_CPUS_OR_SKIP(CPU_A, CPU_A);
	ASSERT_EQ(0, ioctl(self->dev, LHV_GET_CAPS, &self->caps));
	self->vm = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, self->vm) TH_LOG("LHV_CREATE_VM: %s", strerror(errno));
	self->vcpu = lhv_vcpu_create(self->vm, 0, CPU_A);
	ASSERT_LE(0, self->vcpu) TH_LOG("LHV_CREATE_VCPU: %s", strerror(errno));
	self->run = lhv_map_run(self->vcpu);
	ASSERT_NE(NULL, self->run) TH_LOG("run page: %s", strerror(errno));
}

FIXTURE_TEARDOWN(vcpu)
{
	bool owned = self->vcpu >= 0;

	/* The mapping holds the vCPU's file, and with it the VM. */
	if (self->run)
		munmap(self->run, LHV_RUN_PAGE_SIZE);
	if (self->vcpu >= 0)
		close(self->vcpu);
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
	if (self->ram)
		munmap(self->ram, LHV_GUEST_RAM);
	if (owned)
		EXPECT_TRUE(lhv_wait_online(CPU_A, 5000))
			TH_LOG("host CPU %d not back online", CPU_A);
}

/* Load the test guest into the fixture's VM; it starts at 0000:1000. */
static void load_guest(struct __test_metadata *_metadata,
		       FIXTURE_DATA(vcpu) *self)
{
	self->ram = lhv_guest_ram();
	ASSERT_NE(NULL, self->ram);
	ASSERT_EQ(0, lhv_guest_setup(self->vm, self->vcpu, self->ram))
		TH_LOG("guest setup: %s", strerror(errno));
}

/* LHV_RUN with @c returns 0 with an exit in the run page. */
static void run_ok(struct __test_metadata *_metadata, FIXTURE_DATA(vcpu) *self,
		   const struct lhv_completion *c)
{
	ASSERT_EQ(0, lhv_run_bounded(self->vcpu, c, 2000))
		TH_LOG("LHV_RUN: %s, exit_reason %u at rip %#llx", strerror(errno),
		       self->run->exit_reason, (unsigned long long)self->run->rip);
}

/* The exit in the run page is PIO @dir of @size bytes at @port. */
static void expect_pio(struct __test_metadata *_metadata, FIXTURE_DATA(vcpu) *self,
		       __u16 port, __u8 dir, __u64 rip)
{
	EXPECT_EQ(LHV_EXIT_PIO, self->run->exit_reason);
	EXPECT_EQ(port, self->run->pio.port);
	EXPECT_EQ(1, self->run->pio.size);
	EXPECT_EQ(dir, self->run->pio.direction);
	EXPECT_EQ(rip, self->run->rip);
}

static void expect_mmio(struct __test_metadata *_metadata, FIXTURE_DATA(vcpu) *self,
			__u64 gpa, __u8 dir, __u64 rip)
{
	EXPECT_EQ(LHV_EXIT_MMIO, self->run->exit_reason);
	EXPECT_EQ(gpa, self->run->mmio.gpa);
	EXPECT_EQ(1, self->run->mmio.size);
	EXPECT_EQ(dir, self->run->mmio.direction);
	EXPECT_EQ(rip, self->run->rip);
}

/* Run the guest to its PIO read of port 0xf5 (its second exit). */
static void guest_to_pio_read(struct __test_metadata *_metadata,
			      FIXTURE_DATA(vcpu) *self)
{
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };

	load_guest(_metadata, self);
	run_ok(_metadata, self, &c);
	c = lhv_completion_for(self->run, 0);
	run_ok(_metadata, self, &c);
	expect_pio(_metadata, self, LHV_GUEST_PORT_IN, LHV_DIR_READ, 0x1004);
}

/* ... and on to its MMIO read of 0x20010 (its fourth), reading @in. */
static void guest_to_mmio_read(struct __test_metadata *_metadata,
			       FIXTURE_DATA(vcpu) *self, __u8 in)
{
	struct lhv_completion c;

	guest_to_pio_read(_metadata, self);
	c = lhv_completion_for(self->run, in);
	run_ok(_metadata, self, &c);
	expect_mmio(_metadata, self, LHV_GUEST_MMIO_OUT, LHV_DIR_WRITE, 0x100b);
	EXPECT_EQ(in, self->run->mmio.data);
	c = lhv_completion_for(self->run, 0);
	run_ok(_metadata, self, &c);
	expect_mmio(_metadata, self, LHV_GUEST_MMIO_IN, LHV_DIR_READ, 0x100e);
}

/* LHV_GET_REGS, LHV_SET_REGS */

TEST_F(vcpu, get_regs_new_vcpu_holds_init_state)
{
	unsigned int eax, ebx, ecx, edx, i;
	struct lhv_regs r;

	LHV_RETURN_IF_SKIPPED();
	memset(&r, 0xa5, sizeof(r));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &r));
	ASSERT_TRUE(__get_cpuid(1, &eax, &ebx, &ecx, &edx));
	EXPECT_EQ(0xfff0, r.rip);
	EXPECT_EQ(0x2, r.rflags);
	EXPECT_EQ(eax, r.rdx);
	EXPECT_EQ(0, r.rax | r.rbx | r.rcx | r.rsi | r.rdi | r.rsp | r.rbp);
	EXPECT_EQ(0, r.r8 | r.r9 | r.r10 | r.r11 | r.r12 | r.r13 | r.r14 | r.r15);
	for (i = 0; i < ARRAY_SIZE(r.reserved); i++)
		EXPECT_EQ(0, r.reserved[i]) TH_LOG("reserved[%u]", i);
}

TEST_F(vcpu, get_regs_to_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vcpu, LHV_GET_REGS, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

TEST_F(vcpu, set_regs_values_read_back)
{
	struct lhv_regs r, back;
	__u64 *gpr = &r.rax;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &r));
	for (i = 0; i < 16; i++)
		gpr[i] = 0x0123456789abcdefULL * (i + 1);
	r.rip = 0x7000;
	r.rflags = 0x2 | 0x1 | 0x40 | 0x200 | 0x3f0000;	/* CF ZF IF, 16-21 */
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_REGS, &r));
	memset(&back, 0xa5, sizeof(back));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &back));
	EXPECT_EQ(0, memcmp(&r, &back, sizeof(r)));
}

TEST_F(vcpu, set_regs_reserved_field_set_einval)
{
	struct lhv_regs r;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(r.reserved); i++) {
		ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &r));
		r.reserved[i] = 1;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_REGS, &r),
				 "reserved[%u] set", i);
	}
}

TEST_F(vcpu, set_regs_rflags_bit_1_clear_einval)
{
	struct lhv_regs r;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &r));
	r.rflags = 0;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_REGS, &r));
	r.rflags = 0x200;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_REGS, &r));
}

TEST_F(vcpu, set_regs_reserved_rflags_bit_einval)
{
	unsigned int bits[] = { 3, 5, 15, 22, 31, 32, 63 };
	struct lhv_regs r;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &r));
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		r.rflags = 0x2 | 1ULL << bits[i];
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_REGS, &r),
				 "RFLAGS bit %u", bits[i]);
	}
}

TEST_F(vcpu, set_regs_refused_set_changes_nothing)
{
	struct lhv_regs before, r, after;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &before));
	r = before;
	r.rax = 0x1234;
	r.rip = 0x5678;
	r.reserved[3] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_REGS, &r));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

TEST_F(vcpu, set_regs_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vcpu, LHV_SET_REGS, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

/* LHV_GET_SREGS, LHV_SET_SREGS */

#define CR0_PE	(1ULL << 0)
#define CR0_ET	(1ULL << 4)
#define CR0_NE	(1ULL << 5)
#define CR0_NW	(1ULL << 29)
#define CR0_CD	(1ULL << 30)
#define CR0_PG	(1ULL << 31)
#define CR4_PAE	(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define APIC_BASE_BSP	(1ULL << 8)
#define APIC_BASE_EXTD	(1ULL << 10)
#define APIC_BASE_EN	(1ULL << 11)

static struct lhv_segment *segment(struct lhv_sregs *s, unsigned int i)
{
	struct lhv_segment *segs[] = {
		&s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldt,
	};

	return segs[i];
}

#define NR_SEGMENTS	8

/* The new vCPU's system registers, fresh for each refused SET. */
static struct lhv_sregs get_sregs(struct __test_metadata *_metadata,
				  FIXTURE_DATA(vcpu) *self)
{
	struct lhv_sregs s;

	memset(&s, 0, sizeof(s));
	EXPECT_EQ(0, ioctl(self->vcpu, LHV_GET_SREGS, &s));
	return s;
}

/* 64-bit long mode: protection, paging, PAE, LME and LMA, a 64-bit CS. */
static void make_long_mode(struct lhv_sregs *s)
{
	s->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
	s->cr4 = CR4_PAE;
	s->cr3 = 0x2000;
	s->efer = EFER_LME | EFER_LMA;
	s->cs.l = 1;
	s->cs.db = 0;
	s->cs.selector = 8;
	s->cs.base = 0;
}

TEST_F(vcpu, get_sregs_new_vcpu_is_at_reset_vector)
{
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	memset(&s, 0xa5, sizeof(s));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_SREGS, &s));
	EXPECT_EQ(0xf000, s.cs.selector);
	EXPECT_EQ(0xffff0000ULL, s.cs.base);
	EXPECT_EQ(0xffff, s.cs.limit);
	EXPECT_EQ(1, s.cs.present);
	EXPECT_EQ(0x60000010ULL, s.cr0);
	EXPECT_EQ(0, s.cr2 | s.cr3 | s.cr4 | s.cr8 | s.efer);
	EXPECT_EQ(0xffff, s.gdt.limit);
	EXPECT_EQ(0xffff, s.idt.limit);
	/* The host CPU's APIC base, enabled, without the BSP flag. */
	EXPECT_NE(0, s.apic_base & ~0xfffULL);
	EXPECT_EQ(0, s.apic_base & APIC_BASE_BSP);
	EXPECT_NE(0, s.apic_base & APIC_BASE_EN);
	for (i = 0; i < NR_SEGMENTS; i++)
		EXPECT_EQ(0, segment(&s, i)->padding) TH_LOG("segment %u", i);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, s.gdt.padding[i]);
		EXPECT_EQ(0, s.idt.padding[i]);
	}
	for (i = 0; i < ARRAY_SIZE(s.reserved); i++)
		EXPECT_EQ(0, s.reserved[i]) TH_LOG("reserved[%u]", i);
}

TEST_F(vcpu, get_sregs_to_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vcpu, LHV_GET_SREGS, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

TEST_F(vcpu, set_sregs_what_get_returned_accepted)
{
	struct lhv_sregs s, back;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	s.cs.selector = 0x1000;
	s.cs.base = 0x10000;
	s.gdt.base = 0x500;
	s.cr8 = 15;
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_SREGS, &back));
	EXPECT_EQ(0, memcmp(&s, &back, sizeof(s)));
}

TEST_F(vcpu, set_sregs_long_mode_accepted)
{
	struct lhv_sregs s, back;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	make_long_mode(&s);
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_SREGS, &back));
	EXPECT_EQ(0, memcmp(&s, &back, sizeof(s)));
}

TEST_F(vcpu, set_sregs_reserved_field_set_einval)
{
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(s.reserved); i++) {
		s = get_sregs(_metadata, self);
		s.reserved[i] = 1;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "reserved[%u] set", i);
	}
}

TEST_F(vcpu, set_sregs_segment_padding_set_einval)
{
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < NR_SEGMENTS; i++) {
		s = get_sregs(_metadata, self);
		segment(&s, i)->padding = 1;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "segment %u", i);
	}
}

TEST_F(vcpu, set_sregs_descriptor_table_padding_set_einval)
{
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < 3; i++) {
		s = get_sregs(_metadata, self);
		s.gdt.padding[i] = 1;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "gdt.padding[%u]", i);
		s = get_sregs(_metadata, self);
		s.idt.padding[i] = 0x8000;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "idt.padding[%u]", i);
	}
}

TEST_F(vcpu, set_sregs_segment_type_above_15_einval)
{
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < NR_SEGMENTS; i++) {
		s = get_sregs(_metadata, self);
		segment(&s, i)->type = 16;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "segment %u", i);
	}
	s = get_sregs(_metadata, self);
	s.cs.type = 0xff;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_segment_dpl_above_3_einval)
{
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < NR_SEGMENTS; i++) {
		s = get_sregs(_metadata, self);
		segment(&s, i)->dpl = 4;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "segment %u", i);
	}
}

TEST_F(vcpu, set_sregs_segment_flag_not_0_or_1_einval)
{
#define FLAG(f)	{ offsetof(struct lhv_segment, f), #f }
	static const struct { size_t off; const char *name; } flags[] = {
		FLAG(present), FLAG(db), FLAG(s), FLAG(l), FLAG(g), FLAG(avl),
		FLAG(unusable),
	};
#undef FLAG
	struct lhv_sregs s;
	unsigned int i, f;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < NR_SEGMENTS; i++) {
		for (f = 0; f < ARRAY_SIZE(flags); f++) {
			__u8 *flag;

			s = get_sregs(_metadata, self);
			flag = (__u8 *)segment(&s, i) + flags[f].off;
			*flag = f % 2 ? 2 : 0xff;
			EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
					 "segment %u %s = %u", i, flags[f].name, *flag);
		}
	}
}

TEST_F(vcpu, set_sregs_nonexistent_cr0_bit_einval)
{
	unsigned int bits[] = { 6, 15, 17, 19, 28, 32, 63 };
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		s = get_sregs(_metadata, self);
		s.cr0 |= 1ULL << bits[i];
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "CR0 bit %u", bits[i]);
	}
}

TEST_F(vcpu, set_sregs_cr4_vmxe_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	s.cr4 |= 1ULL << 13;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_cr4_smxe_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	s.cr4 |= 1ULL << 14;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_nonexistent_cr4_bit_einval)
{
	unsigned int bits[] = { 15, 31, 32, 63 };
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		s = get_sregs(_metadata, self);
		s.cr4 |= 1ULL << bits[i];
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "CR4 bit %u", bits[i]);
	}
}

TEST_F(vcpu, set_sregs_efer_svme_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	s.efer |= 1ULL << 12;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_nonexistent_efer_bit_einval)
{
	unsigned int bits[] = { 1, 7, 9, 32, 63 };
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		s = get_sregs(_metadata, self);
		s.efer |= 1ULL << bits[i];
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "EFER bit %u", bits[i]);
	}
}

TEST_F(vcpu, set_sregs_cr8_above_15_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	s.cr8 = 16;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
	s.cr8 = ~0ULL;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_paging_without_protection_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	s.cr0 = CR0_ET | CR0_PG;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_not_write_through_without_cache_disable_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	s.cr0 = CR0_ET | CR0_NW;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_lma_without_long_mode_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	/* LMA alone, and LMA with LME but paging off. */
	s = get_sregs(_metadata, self);
	s.efer = EFER_LMA;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
	s.efer = EFER_LMA | EFER_LME;
	s.cr4 = CR4_PAE;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_long_mode_without_lma_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	make_long_mode(&s);
	s.efer &= ~EFER_LMA;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_long_mode_without_pae_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	make_long_mode(&s);
	s.cr4 &= ~CR4_PAE;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_64bit_cs_with_d_einval)
{
	struct lhv_sregs s;

	LHV_RETURN_IF_SKIPPED();
	s = get_sregs(_metadata, self);
	make_long_mode(&s);
	s.cs.db = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
}

TEST_F(vcpu, set_sregs_other_apic_base_einval)
{
	__u64 changes[] = {
		0x1000, 0x100000, APIC_BASE_BSP, APIC_BASE_EXTD, APIC_BASE_EN,
	};
	struct lhv_sregs s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(changes); i++) {
		s = get_sregs(_metadata, self);
		s.apic_base ^= changes[i];
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s),
				 "apic_base %#llx", (unsigned long long)s.apic_base);
	}
}

TEST_F(vcpu, set_sregs_refused_set_changes_nothing)
{
	struct lhv_sregs before, s, after;

	LHV_RETURN_IF_SKIPPED();
	before = get_sregs(_metadata, self);
	s = before;
	make_long_mode(&s);
	s.cr8 = 16;
	EXPECT_ERRNO(EINVAL, ioctl(self->vcpu, LHV_SET_SREGS, &s));
	after = get_sregs(_metadata, self);
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

TEST_F(vcpu, set_sregs_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vcpu, LHV_SET_SREGS, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

/* LHV_RUN */

TEST_F(vcpu, run_reserved_field_set_einval)
{
	struct lhv_completion c;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(c.reserved); i++) {
		memset(&c, 0, sizeof(c));
		c.reserved[i] = 1;
		EXPECT_ERRNO_MSG(EINVAL, lhv_run_bounded(self->vcpu, &c, 1000),
				 "reserved[%u] set", i);
	}
}

TEST_F(vcpu, run_unknown_exit_reason_einval)
{
	__u32 reasons[] = {
		LHV_EXIT_SHUTDOWN, LHV_EXIT_FAIL_ENTRY, LHV_EXIT_INTERNAL_ERROR,
		LHV_EXIT_UNHANDLED, LHV_EXIT_INTR, 8, 0xffffffffu,
	};
	struct lhv_completion c = { 0 };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(reasons); i++) {
		c.exit_reason = reasons[i];
		EXPECT_ERRNO_MSG(EINVAL, lhv_run_bounded(self->vcpu, &c, 1000),
				 "exit_reason %u", reasons[i]);
	}
}

TEST_F(vcpu, run_completion_with_nothing_pending_einval)
{
	struct lhv_completion pio = {
		.exit_reason = LHV_EXIT_PIO, .port = LHV_GUEST_PORT_OUT, .size = 1,
		.direction = LHV_DIR_WRITE,
	};
	struct lhv_completion mmio = {
		.exit_reason = LHV_EXIT_MMIO, .gpa = LHV_GUEST_MMIO_IN, .size = 1,
		.direction = LHV_DIR_READ,
	};

	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, lhv_run_bounded(self->vcpu, &pio, 1000));
	EXPECT_ERRNO(EINVAL, lhv_run_bounded(self->vcpu, &mmio, 1000));
	/* The refusals did not run the vCPU. */
	EXPECT_EQ(LHV_EXIT_NONE, self->run->exit_reason);
}

TEST_F(vcpu, run_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, lhv_run_bounded(self->vcpu, lhv_bad_ptr(i), 1000),
				 "bad pointer %u", i);
}

/*
 * No memory at all: the reset vector at 0xfffffff0 cannot be fetched.
 * Not an error of LHV_RUN: an exit that says so.
 */
TEST_F(vcpu, run_before_memory_exists_exits_with_fetch_failure)
{
	struct lhv_run_state rs = { .state = LHV_RUN_STATE_RUNNING };
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_RUN_STATE, &rs));
	run_ok(_metadata, self, &c);
	EXPECT_EQ(LHV_EXIT_INTERNAL_ERROR, self->run->exit_reason);
	EXPECT_EQ(LHV_INTERNAL_FETCH, self->run->internal.suberror);
	EXPECT_EQ(0xfffffff0ULL, self->run->internal.gpa);
	EXPECT_EQ(0xfff0, self->run->rip);
}

TEST_F(vcpu, set_memory_region_after_first_run_ebusy)
{
	struct lhv_run_state rs = { .state = LHV_RUN_STATE_RUNNING };
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_RUN_STATE, &rs));
	run_ok(_metadata, self, &c);
	self->ram = lhv_guest_ram();
	ASSERT_NE(NULL, self->ram);
	EXPECT_ERRNO(EBUSY, lhv_set_region(self->vm, 0, 0, 0, LHV_GUEST_RAM,
					   self->ram));
}

/*
 * ioctl.rst names no errno for a vCPU created after the VM ran (the
 * module refuses it: IPIs resolve against a fixed set of vCPUs); the
 * refusal must at least leave the host CPU to Linux.
 */
TEST_F(vcpu, create_vcpu_after_first_run_refused)
{
	struct lhv_run_state rs = { .state = LHV_RUN_STATE_RUNNING };
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };
	int late;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_B, CPU_B);
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_RUN_STATE, &rs));
	run_ok(_metadata, self, &c);
	late = lhv_vcpu_create(self->vm, 1, CPU_B);
	EXPECT_EQ(-1, late);
	TH_LOG("LHV_CREATE_VCPU after LHV_RUN: %s",
	       late < 0 ? lhv_errname(errno) : "succeeded");
	if (late >= 0)
		close(late);
	EXPECT_EQ(1, lhv_cpu_online(CPU_B));
}

/* A new vCPU waits for SIPI: LHV_RUN sleeps until a signal stops it. */
TEST_F(vcpu, run_waiting_for_sipi_ends_in_eintr_on_signal)
{
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };
	struct lhv_run_state rs;
	struct lhv_stats st;
	long long start = lhv_now_ms();

	LHV_RETURN_IF_SKIPPED();
	load_guest(_metadata, self);
	memset(&rs, 0, sizeof(rs));
	rs.state = LHV_RUN_STATE_INIT;
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_RUN_STATE, &rs));
	EXPECT_ERRNO(EINTR, lhv_run_bounded(self->vcpu, &c, 300));
	EXPECT_LE(250, lhv_now_ms() - start);
	EXPECT_EQ(LHV_EXIT_INTR, self->run->exit_reason);
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_STATS, &st));
	EXPECT_EQ(0, st.user_exits);
	/*
	 * Filtered mode parks the vCPU in lhv's root loop: no entry.
	 * Passthrough parks it in the guest, in wait-for-SIPI, which only
	 * exits (lhv's kick SIPI, the preemption timer) to be entered again
	 * or stopped: every entry has had its exit.
	 */
	if (self->caps.default_lapic_mode == LHV_LAPIC_PASSTHROUGH) {
		EXPECT_EQ(st.entries, st.exits);
	} else {
		EXPECT_EQ(0, st.entries);
	}
	/* The vCPU stays usable: started, it runs to the guest's first exit. */
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_RUN_STATE, &rs));
	EXPECT_EQ(LHV_RUN_STATE_INIT, rs.state);
	rs.state = LHV_RUN_STATE_RUNNING;
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_SET_RUN_STATE, &rs));
	run_ok(_metadata, self, &c);
	expect_pio(_metadata, self, LHV_GUEST_PORT_OUT, LHV_DIR_WRITE, 0x1002);
}

TEST_F(vcpu, run_guest_exits_once_per_access)
{
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };

	LHV_RETURN_IF_SKIPPED();
	load_guest(_metadata, self);
	run_ok(_metadata, self, &c);
	expect_pio(_metadata, self, LHV_GUEST_PORT_OUT, LHV_DIR_WRITE, 0x1002);
	EXPECT_EQ(LHV_GUEST_HELLO, self->run->pio.data);
	c = lhv_completion_for(self->run, 0);
	run_ok(_metadata, self, &c);
	expect_pio(_metadata, self, LHV_GUEST_PORT_IN, LHV_DIR_READ, 0x1004);
}

TEST_F(vcpu, run_exit_none_redelivers_pending_exit)
{
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };
	struct lhv_stats before, after;

	LHV_RETURN_IF_SKIPPED();
	guest_to_pio_read(_metadata, self);
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_STATS, &before));
	run_ok(_metadata, self, &c);
	expect_pio(_metadata, self, LHV_GUEST_PORT_IN, LHV_DIR_READ, 0x1004);
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_STATS, &after));
	/* Without running the guest. */
	EXPECT_EQ(before.entries, after.entries);
}

/* A completion of the pending PIO read (0xf5, 1 byte) changed by @change. */
static void expect_pio_completion_refused(struct __test_metadata *_metadata,
					  FIXTURE_DATA(vcpu) *self,
					  void (*change)(struct lhv_completion *))
{
	struct lhv_completion c;

	guest_to_pio_read(_metadata, self);
	c = lhv_completion_for(self->run, 0x11);
	change(&c);
	EXPECT_ERRNO(EINVAL, lhv_run_bounded(self->vcpu, &c, 1000));
	/* The request is still pending, unchanged. */
	c = (struct lhv_completion){ .exit_reason = LHV_EXIT_NONE };
	run_ok(_metadata, self, &c);
	expect_pio(_metadata, self, LHV_GUEST_PORT_IN, LHV_DIR_READ, 0x1004);
}

static void other_port(struct lhv_completion *c)
{
	c->port++;
}

static void other_size(struct lhv_completion *c)
{
	c->size = 2;
}

static void other_direction(struct lhv_completion *c)
{
	c->direction ^= 1;
}

static void as_mmio(struct lhv_completion *c)
{
	c->exit_reason = LHV_EXIT_MMIO;
	c->gpa = c->port;
	c->port = 0;
}

static void as_pio(struct lhv_completion *c)
{
	c->exit_reason = LHV_EXIT_PIO;
	c->port = (__u16)c->gpa;
	c->gpa = 0;
}

static void other_gpa(struct lhv_completion *c)
{
	c->gpa += 1;
}

TEST_F(vcpu, run_pio_completion_other_port_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_pio_completion_refused(_metadata, self, other_port);
}

TEST_F(vcpu, run_pio_completion_other_size_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_pio_completion_refused(_metadata, self, other_size);
}

TEST_F(vcpu, run_pio_completion_other_direction_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_pio_completion_refused(_metadata, self, other_direction);
}

TEST_F(vcpu, run_pio_exit_completed_as_mmio_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_pio_completion_refused(_metadata, self, as_mmio);
}

TEST_F(vcpu, run_pio_read_value_reaches_guest)
{
	struct lhv_completion c;

	LHV_RETURN_IF_SKIPPED();
	guest_to_pio_read(_metadata, self);
	c = lhv_completion_for(self->run, 0x5a);
	run_ok(_metadata, self, &c);
	/* The guest stores what it read. */
	expect_mmio(_metadata, self, LHV_GUEST_MMIO_OUT, LHV_DIR_WRITE, 0x100b);
	EXPECT_EQ(0x5a, self->run->mmio.data);
}

/* The same for the pending MMIO read of 0x20010. */
static void expect_mmio_completion_refused(struct __test_metadata *_metadata,
					   FIXTURE_DATA(vcpu) *self,
					   void (*change)(struct lhv_completion *))
{
	struct lhv_completion c;

	guest_to_mmio_read(_metadata, self, 0x33);
	c = lhv_completion_for(self->run, 0x44);
	change(&c);
	EXPECT_ERRNO(EINVAL, lhv_run_bounded(self->vcpu, &c, 1000));
	c = (struct lhv_completion){ .exit_reason = LHV_EXIT_NONE };
	run_ok(_metadata, self, &c);
	expect_mmio(_metadata, self, LHV_GUEST_MMIO_IN, LHV_DIR_READ, 0x100e);
}

TEST_F(vcpu, run_mmio_completion_other_gpa_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_mmio_completion_refused(_metadata, self, other_gpa);
}

TEST_F(vcpu, run_mmio_completion_other_size_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_mmio_completion_refused(_metadata, self, other_size);
}

TEST_F(vcpu, run_mmio_completion_other_direction_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_mmio_completion_refused(_metadata, self, other_direction);
}

TEST_F(vcpu, run_mmio_exit_completed_as_pio_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_mmio_completion_refused(_metadata, self, as_pio);
}

TEST_F(vcpu, run_mmio_read_value_reaches_guest)
{
	struct lhv_completion c;

	LHV_RETURN_IF_SKIPPED();
	guest_to_mmio_read(_metadata, self, 0x33);
	c = lhv_completion_for(self->run, 0xa5);
	run_ok(_metadata, self, &c);
	/* The guest writes what it read to port 0xf4. */
	expect_pio(_metadata, self, LHV_GUEST_PORT_OUT, LHV_DIR_WRITE, 0x1011);
	EXPECT_EQ(0xa5, self->run->pio.data);
}

/* LHV_GET_STATS */

TEST_F(vcpu, get_stats_new_vcpu_counts_nothing)
{
	struct lhv_stats s;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	memset(&s, 0xa5, sizeof(s));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_STATS, &s));
	EXPECT_EQ(0, s.exits | s.user_exits | s.entries | s.kicks);
	for (i = 0; i < LHV_STAT_NR; i++)
		EXPECT_EQ(0, s.by_reason[i]) TH_LOG("by_reason[%u]", i);
	EXPECT_EQ(0, s.reserved[0] | s.reserved[1]);
}

TEST_F(vcpu, get_stats_counts_guest_exits)
{
	struct lhv_stats s;

	LHV_RETURN_IF_SKIPPED();
	guest_to_mmio_read(_metadata, self, 1);
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_STATS, &s));
	EXPECT_EQ(4, s.user_exits);
	EXPECT_LE(s.user_exits, s.exits);
	EXPECT_LE(s.exits, s.entries);
	EXPECT_LE(2, s.by_reason[LHV_STAT_IO]);
	EXPECT_LE(2, s.by_reason[LHV_STAT_NPF]);
	/* 64 KiB of guest RAM, mapped 4 KiB at a time. */
	EXPECT_LE(LHV_GUEST_RAM / LHV_PAGE, s.nested_pages_4k + 512 * s.nested_pages_2m);
	EXPECT_EQ(0, s.reserved[0] | s.reserved[1]);
}

TEST_F(vcpu, get_stats_to_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vcpu, LHV_GET_STATS, lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

/* LHV_GET_RUN_STATE, LHV_SET_RUN_STATE */

static int set_run_state(int vcpu, __u32 state, __u32 pending, __u8 vector)
{
	struct lhv_run_state rs = {
		.state = state, .pending = pending, .sipi_vector = vector,
	};

	return ioctl(vcpu, LHV_SET_RUN_STATE, &rs);
}

TEST_F(vcpu, get_run_state_new_vcpu_waits_for_sipi)
{
	struct lhv_run_state rs;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	memset(&rs, 0xa5, sizeof(rs));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_RUN_STATE, &rs));
	EXPECT_EQ(LHV_RUN_STATE_INIT, rs.state);
	EXPECT_EQ(0, rs.pending);
	for (i = 0; i < ARRAY_SIZE(rs.padding); i++)
		EXPECT_EQ(0, rs.padding[i]) TH_LOG("padding[%u]", i);
	for (i = 0; i < ARRAY_SIZE(rs.reserved); i++)
		EXPECT_EQ(0, rs.reserved[i]) TH_LOG("reserved[%u]", i);
}

TEST_F(vcpu, get_run_state_to_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vcpu, LHV_GET_RUN_STATE,
					       lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

TEST_F(vcpu, set_run_state_each_state_accepted)
{
	__u32 states[] = {
		LHV_RUN_STATE_RUNNING, LHV_RUN_STATE_HALTED, LHV_RUN_STATE_INIT,
		LHV_RUN_STATE_HALTED, LHV_RUN_STATE_RUNNING,
	};
	struct lhv_regs before, after;
	struct lhv_run_state rs;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &before));
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		EXPECT_EQ(0, set_run_state(self->vcpu, states[i], 0, 0));
		ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_RUN_STATE, &rs));
		EXPECT_EQ(states[i], rs.state);
		EXPECT_EQ(0, rs.pending);
	}
	/* sipi_vector means nothing without a pending SIPI. */
	EXPECT_EQ(0, set_run_state(self->vcpu, LHV_RUN_STATE_RUNNING, 0, 0x9a));
	/* Setting a state changes no register. */
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_REGS, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

TEST_F(vcpu, set_run_state_unknown_state_einval)
{
	__u32 states[] = { 3, 4, 0x80000000u, 0xffffffffu };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(states); i++)
		EXPECT_ERRNO_MSG(EINVAL, set_run_state(self->vcpu, states[i], 0, 0),
				 "state %u", states[i]);
}

TEST_F(vcpu, set_run_state_invented_init_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, set_run_state(self->vcpu, LHV_RUN_STATE_RUNNING,
					   LHV_RUN_PEND_INIT, 0));
	EXPECT_ERRNO(EINVAL, set_run_state(self->vcpu, LHV_RUN_STATE_INIT,
					   LHV_RUN_PEND_INIT, 0));
}

TEST_F(vcpu, set_run_state_invented_sipi_einval)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, set_run_state(self->vcpu, LHV_RUN_STATE_INIT,
					   LHV_RUN_PEND_SIPI, 0x10));
	EXPECT_ERRNO(EINVAL, set_run_state(self->vcpu, LHV_RUN_STATE_INIT,
					   LHV_RUN_PEND_VALID, 0));
}

TEST_F(vcpu, set_run_state_unknown_pending_bit_einval)
{
	__u32 bits[] = { 1u << 2, 1u << 8, 1u << 31 };
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		EXPECT_ERRNO_MSG(EINVAL, set_run_state(self->vcpu, LHV_RUN_STATE_RUNNING,
						       bits[i], 0),
				 "pending %#x", bits[i]);
}

TEST_F(vcpu, set_run_state_padding_set_einval)
{
	struct lhv_run_state rs;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(rs.padding); i++) {
		memset(&rs, 0, sizeof(rs));
		rs.state = LHV_RUN_STATE_RUNNING;
		rs.padding[i] = 0x80;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_RUN_STATE, &rs),
				 "padding[%u] set", i);
	}
}

TEST_F(vcpu, set_run_state_reserved_field_set_einval)
{
	struct lhv_run_state rs;
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < ARRAY_SIZE(rs.reserved); i++) {
		memset(&rs, 0, sizeof(rs));
		rs.state = LHV_RUN_STATE_RUNNING;
		rs.reserved[i] = 1;
		EXPECT_ERRNO_MSG(EINVAL, ioctl(self->vcpu, LHV_SET_RUN_STATE, &rs),
				 "reserved[%u] set", i);
	}
}

TEST_F(vcpu, set_run_state_refused_set_changes_nothing)
{
	struct lhv_run_state rs;

	LHV_RETURN_IF_SKIPPED();
	EXPECT_ERRNO(EINVAL, set_run_state(self->vcpu, LHV_RUN_STATE_RUNNING,
					   LHV_RUN_PEND_INIT, 0));
	EXPECT_ERRNO(EINVAL, set_run_state(self->vcpu, 7, 0, 0));
	ASSERT_EQ(0, ioctl(self->vcpu, LHV_GET_RUN_STATE, &rs));
	EXPECT_EQ(LHV_RUN_STATE_INIT, rs.state);
	EXPECT_EQ(0, rs.pending);
}

TEST_F(vcpu, set_run_state_bad_pointer_efault)
{
	unsigned int i;

	LHV_RETURN_IF_SKIPPED();
	for (i = 0; i < LHV_NR_BAD_PTRS; i++)
		EXPECT_ERRNO_MSG(EFAULT, ioctl(self->vcpu, LHV_SET_RUN_STATE,
					       lhv_bad_ptr(i)),
				 "bad pointer %u", i);
}

/* The run page */

TEST_F(vcpu, mmap_run_page_read_only_shows_no_exit)
{
	struct lhv_run *again;

	LHV_RETURN_IF_SKIPPED();
	EXPECT_EQ(LHV_EXIT_NONE, self->run->exit_reason);
	EXPECT_EQ(0, self->run->rip);
	/* A second mapping of the same page. */
	again = lhv_map_run(self->vcpu);
	ASSERT_NE(NULL, again);
	EXPECT_EQ(0, memcmp(again, self->run, sizeof(*again)));
	munmap(again, LHV_RUN_PAGE_SIZE);
}

static void expect_mmap_refused(struct __test_metadata *_metadata, int fd,
				int err, size_t len, int prot, int flags, off_t off)
{
	void *p;

	errno = 0;
	p = mmap(NULL, len, prot, flags, fd, off);
	EXPECT_EQ(MAP_FAILED, p)
		TH_LOG("mmap of %zu bytes at offset %lld, prot %#x flags %#x succeeded",
		       len, (long long)off, prot, flags);
	if (p != MAP_FAILED)
		munmap(p, len);
	else
		EXPECT_STREQ(lhv_errname(err), lhv_errname(errno))
			TH_LOG("mmap of %zu bytes at offset %lld, prot %#x flags %#x",
			       len, (long long)off, prot, flags);
}

TEST_F(vcpu, mmap_run_page_nonzero_offset_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_mmap_refused(_metadata, self->vcpu, EINVAL, LHV_RUN_PAGE_SIZE,
			    PROT_READ, MAP_SHARED, LHV_RUN_PAGE_SIZE);
	expect_mmap_refused(_metadata, self->vcpu, EINVAL, LHV_RUN_PAGE_SIZE,
			    PROT_READ, MAP_SHARED, 16 * LHV_RUN_PAGE_SIZE);
}

TEST_F(vcpu, mmap_run_page_wrong_length_einval)
{
	LHV_RETURN_IF_SKIPPED();
	expect_mmap_refused(_metadata, self->vcpu, EINVAL, 2 * LHV_RUN_PAGE_SIZE,
			    PROT_READ, MAP_SHARED, 0);
	expect_mmap_refused(_metadata, self->vcpu, EINVAL, 64 * LHV_RUN_PAGE_SIZE,
			    PROT_READ, MAP_SHARED, 0);
}

TEST_F(vcpu, mmap_run_page_prot_write_eacces)
{
	LHV_RETURN_IF_SKIPPED();
	expect_mmap_refused(_metadata, self->vcpu, EACCES, LHV_RUN_PAGE_SIZE,
			    PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	expect_mmap_refused(_metadata, self->vcpu, EACCES, LHV_RUN_PAGE_SIZE,
			    PROT_WRITE, MAP_SHARED, 0);
	expect_mmap_refused(_metadata, self->vcpu, EACCES, LHV_RUN_PAGE_SIZE,
			    PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
}

TEST_F(vcpu, mprotect_run_page_writable_refused)
{
	LHV_RETURN_IF_SKIPPED();
	EXPECT_NE(0, mprotect(self->run, LHV_RUN_PAGE_SIZE, PROT_READ | PROT_WRITE));
}

/* The wrong files and numbers for vCPU ioctls, and the others on a vCPU */

TEST_F(vcpu, vcpu_ioctls_with_wrong_size_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_wrong_sizes_enotty(_metadata, self->vcpu, vcpu_cmds,
				  ARRAY_SIZE(vcpu_cmds));
}

TEST_F(vcpu, vcpu_ioctls_with_wrong_direction_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_wrong_dirs_enotty(_metadata, self->vcpu, vcpu_cmds,
				 ARRAY_SIZE(vcpu_cmds));
}

TEST_F(vcpu, unknown_ioctls_on_vcpu_fd_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_unknown_enotty(_metadata, self->vcpu, "a vCPU fd");
}

TEST_F(vcpu, system_ioctls_on_vcpu_fd_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_cmds_enotty(_metadata, self->vcpu, sys_cmds, ARRAY_SIZE(sys_cmds),
			   "a vCPU fd");
}

TEST_F(vcpu, vm_ioctls_on_vcpu_fd_enotty)
{
	LHV_RETURN_IF_SKIPPED();
	expect_cmds_enotty(_metadata, self->vcpu, vm_cmds, ARRAY_SIZE(vm_cmds),
			   "a vCPU fd");
}

/* Last: what every test left behind */

FIXTURE(end) {
	int unused;
};

FIXTURE_SETUP(end)
{
}

FIXTURE_TEARDOWN(end)
{
}

TEST_F(end, every_cpu_online_as_at_start)
{
	char now[256];

	EXPECT_TRUE(lhv_online_as_at_start(now, sizeof(now), 5000))
		TH_LOG("online CPUs: %s, at the start: %s", now, lhv_online_at_start);
}

TEST_HARNESS_MAIN
