// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls on /dev/lhv, seeded and reproducible: LHV_FUZZ_CALLS
 * (default 10000) ioctl and mmap calls with valid and invalid arguments
 * (the real commands with contents biased towards near-valid values, and
 * random command numbers) on /dev/lhv, /dev/null and the VM and vCPU fds
 * of VMs it creates and destroys as it goes, giving host CPUs 1-3 at most
 * to vCPUs.  Every failure must carry an errno ioctl.rst documents for
 * that command (ENOTTY on the wrong file), every LHV_RUN ends within its
 * timer and leaves a sane run state, and every destroyed VM gives its
 * CPUs back at once.  Then: no kernel warning and no lhv error in the
 * kernel log since the program started, every CPU online again, and
 * lhv.ko unloads and loads again.
 *
 *   LHV_FUZZ_SEED=N    the seed (printed; default from the clock)
 *   LHV_FUZZ_CALLS=N   how many calls (default 10000)
 *   LHV_KO=PATH        lhv.ko to reload (default: modules.dep's)
 */
#include <dirent.h>
#include <regex.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "lhv_ksft.h"

#define FZ_CALLS	10000
#define FZ_VMS		4
/* One vCPU per host CPU, and the fuzzer has three at most. */
#define FZ_VCPUS	(LHV_LAST_CPU - LHV_FIRST_CPU + 1)
/* How long a guest may run in one LHV_RUN. */
#define FZ_RUN_MS	20
#define FZ_RAM		(2ULL << 20)
#define FZ_ROM		0x10000ULL

/* splitmix64: the whole run follows from the seed. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* Values at the edges of every field's range. */
static const uint64_t edges[] = {
	0, 1, 2, 3, 0xf, 0x10, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0xffff,
	0x10000, 0x7fffffff, 0x80000000, 0xfee00000, 0xfffff000, 0xffffffff,
	0x100000000ULL, 1ULL << 40, 1ULL << 52, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 0xfffffffffffff000ULL, ~0ULL,
};

static uint64_t edge(void)
{
	return edges[below(ARRAY_SIZE(edges))];
}

enum fz_kind { FZ_DEV, FZ_VM, FZ_VCPU, FZ_NULL };

static const char * const kind_names[] = { "/dev/lhv", "VM", "vCPU", "/dev/null" };

struct fz_cmd {
	unsigned int nr;
	const char *name;
	enum fz_kind kind;	/* the file it belongs to */
	unsigned int weight;	/* on its own file */
	int errs[9];		/* documented errnos, 0-terminated */
};

#define CMD(c)	.nr = c, .name = #c

static const struct fz_cmd cmds[] = {
	{ CMD(LHV_GET_API_VERSION), FZ_DEV, 2, { 0 } },
	{ CMD(LHV_GET_CAPS), FZ_DEV, 2, { EFAULT } },
	{ CMD(LHV_CREATE_VM), FZ_DEV, 6, { EINVAL, EOPNOTSUPP, ENOMEM, EFAULT } },
	{ CMD(LHV_CREATE_VCPU), FZ_VM, 6, { EINVAL, EPERM, ENODEV, EBUSY, EEXIST,
					    ETIMEDOUT, ENOMEM, EFAULT } },
	{ CMD(LHV_SET_MEMORY_REGION), FZ_VM, 8, { EINVAL, EEXIST, ENOMEM, EFAULT,
						  EINTR, EBUSY } },
	{ CMD(LHV_SIGNAL_MSI), FZ_VM, 5, { EINVAL, EOPNOTSUPP, EFAULT } },
	{ CMD(LHV_INJECT_NMI), FZ_VM, 4, { EINVAL, ENOENT, EFAULT } },
	{ CMD(LHV_GET_REGS), FZ_VCPU, 3, { EFAULT } },
	{ CMD(LHV_SET_REGS), FZ_VCPU, 6, { EINVAL, EFAULT } },
	{ CMD(LHV_GET_SREGS), FZ_VCPU, 3, { EFAULT } },
	{ CMD(LHV_SET_SREGS), FZ_VCPU, 8, { EINVAL, EFAULT } },
	/* Guest runs are the slow calls: rare. */
	{ CMD(LHV_RUN), FZ_VCPU, 1, { EINVAL, EINTR, EIO, EFAULT } },
	{ CMD(LHV_GET_STATS), FZ_VCPU, 2, { EFAULT } },
	{ CMD(LHV_GET_RUN_STATE), FZ_VCPU, 2, { EFAULT } },
	{ CMD(LHV_SET_RUN_STATE), FZ_VCPU, 5, { EINVAL, EFAULT } },
};

static const struct fz_cmd enotty_cmd = { .name = "a random number", .errs = { ENOTTY } };

struct fz_vcpu {
	int fd;			/* -1: none, or its fd was closed */
	struct lhv_run *run;
};

struct fz_vm {
	int fd;			/* -1: the slot is free */
	bool runnable;		/* filtered LAPIC mode: guests may run */
	unsigned int cpus;	/* host CPUs its vCPUs own until it ends */
	unsigned int nr_vcpus;	/* vCPUs made, fds open or not */
	struct fz_vcpu vcpu[FZ_VCPUS];
};

struct fz {
	int dev, null;
	struct lhv_caps caps;
	unsigned int cpus;	/* bit n: host CPU n may go to a vCPU */
	unsigned int possible;	/* host CPUs that may exist */
	__u64 apic, phys_limit, ram_bytes;
	struct fz_vm vm[FZ_VMS];
	char *ram;		/* the test guest's RAM, read-write */
	char *rom;		/* read-only */
	char *arg;		/* argument buffer, one page */
	unsigned long calls, runs, intr, vms_made, vcpus_made, ok, refused;
	unsigned long exits[LHV_EXIT_INTR + 2];	/* by exit_reason, of runs */
	unsigned long errs[256];
	unsigned long unexpected, insane, not_back;
};

/* Report an anomaly; the first few in full. */
#define FZ_BAD(counter, fmt, ...) do {					\
	if (f->unexpected + f->insane + f->not_back < 20)		\
		TH_LOG("call %lu: " fmt, f->calls, ##__VA_ARGS__);	\
	f->counter += 1;						\
} while (0)

static bool documented(const struct fz_cmd *c, int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->errs) && c->errs[i]; i++)
		if (c->errs[i] == err)
			return true;
	return false;
}

static const struct fz_cmd *real_cmd(unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (cmds[i].nr == nr)
			return &cmds[i];
	return NULL;
}

/*
 * A command number lhv does not know.  The VFS itself answers a few
 * generic numbers on any file before a driver sees them (FIOCLEX and the
 * other 'T' ones, FIFREEZE/FITHAW and the 'X' and 'f' file-system ones,
 * FICLONE's 0x94, FIBMAP and FIGETBSZ of type 0): those types are left
 * out, they would test the VFS.
 */
static unsigned int random_cmd(void)
{
	for (;;) {
		const struct fz_cmd *real = &cmds[below(ARRAY_SIZE(cmds))];
		unsigned int nr, t;

		switch (below(4)) {
		case 0:
			nr = _IOC(below(4), LHV_IOCTL_TYPE, below(256), below(1024));
			break;
		case 1:	/* a real command with another size */
			nr = (real->nr & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
			     (unsigned int)below(_IOC_SIZEMASK + 1) << _IOC_SIZESHIFT;
			break;
		case 2:	/* ... or another direction */
			nr = (real->nr & ~(_IOC_DIRMASK << _IOC_DIRSHIFT)) |
			     (unsigned int)below(4) << _IOC_DIRSHIFT;
			break;
		default:
			nr = (unsigned int)rnd();
			break;
		}
		t = _IOC_TYPE(nr);
		if (t == 'T' || t == 'X' || t == 'f' || t == 0x94 || t == 0)
			continue;
		if (!real_cmd(nr))
			return nr;
	}
}

/* A host CPU: mostly one the fuzzer may own, else one lhv must refuse. */
static __u32 fz_cpu(struct fz *f)
{
	unsigned int n = __builtin_popcount(f->cpus), pick, cpu;

	switch (below(10)) {
	case 0:
		return 0;
	case 1:
		return f->possible + below(4);
	case 2:
		return chance(50) ? 0xffffffffu : 4096 + below(1 << 20);
	}
	if (!n)
		return 0;
	pick = below(n);
	for (cpu = 0; cpu < 32; cpu++)
		if ((f->cpus & (1u << cpu)) && !pick--)
			break;
	return cpu;
}

/* Never a CPU outside the fuzzer's: those exist and would be taken. */
static __u32 fz_sanitize_cpu(struct fz *f, __u32 cpu)
{
	if (cpu == 0 || cpu >= f->possible || (cpu < 32 && (f->cpus & (1u << cpu))))
		return cpu;
	return f->possible;
}

/* One random change to @len bytes at @p: a bit, a byte or an edge value. */
static void mutate(void *p, size_t len)
{
	unsigned char *b = p;
	uint64_t v;

	switch (below(3)) {
	case 0:
		b[below(len)] ^= 1u << below(8);
		break;
	case 1:
		b[below(len)] = rnd();
		break;
	default:
		v = edge();
		len &= ~7UL;
		memcpy(b + 8 * below(len / 8), &v, 8);
		break;
	}
}

static void fill_region(struct fz *f, struct lhv_memory_region *r)
{
	static const __u64 sizes[] = {
		0x1000, 0x2000, 0x10000, 0x100000, FZ_RAM, 0, 0x1800,
	};

	r->slot = chance(90) ? below(LHV_MAX_MEMSLOTS) : edge();
	r->flags = chance(90) ? (chance(70) ? 0 : LHV_MEM_READONLY) : edge();
	switch (below(8)) {
	case 0:
		r->guest_phys_addr = 0;
		break;
	case 1:
		r->guest_phys_addr = (f->apic - 0x1000 + 0x1000 * below(3));
		break;
	case 2:
		r->guest_phys_addr = f->phys_limit - 0x1000 * (1 + below(4));
		break;
	case 3:
		r->guest_phys_addr = edge();
		break;
	default:
		r->guest_phys_addr = below(f->phys_limit) & ~0xfffULL;
		break;
	}
	switch (below(6)) {
	case 0:
		r->memory_size = edge();
		break;
	case 1:
		r->memory_size = (f->ram_bytes + 0x1000 * below(1 << 20)) & ~0xfffULL;
		break;
	default:
		r->memory_size = sizes[below(ARRAY_SIZE(sizes))];
		break;
	}
	switch (below(8)) {
	case 0:
		r->userspace_addr = (uintptr_t)f->rom + 0x1000 * below(FZ_ROM / 0x1000);
		break;
	case 1:
		r->userspace_addr = chance(50) ? edge() : rnd();
		break;
	default:
		r->userspace_addr = (uintptr_t)f->ram + 0x1000 * below(FZ_RAM / 0x1000);
		break;
	}
}

/* An MSI: mostly a valid one to a vCPU, broadcast or nobody. */
static void fill_msi(struct lhv_msi *m)
{
	static const __u32 modes[] = { 0, 0, 1, 4, 2, 5, 7 };

	m->address = 0xfee00000ULL | below(256) << 12 | below(4) << 2;
	m->data = (16 + below(240)) | modes[below(ARRAY_SIZE(modes))] << 8;
}

/*
 * Fill the argument of real command @c for a call on @fd: near-valid
 * values, built from what the vCPU has where there is one, then maybe
 * one random change.
 */
static void fill_arg(struct fz *f, const struct fz_cmd *c, int fd,
		     struct fz_vcpu *v)
{
	size_t size = _IOC_SIZE(c->nr);
	void *a = f->arg;
	union {
		struct lhv_vm_config vm;
		struct lhv_vcpu_config vcpu;
		struct lhv_memory_region mem;
		struct lhv_msi msi;
		struct lhv_nmi nmi;
		struct lhv_regs regs;
		struct lhv_sregs sregs;
		struct lhv_completion comp;
		struct lhv_run_state rs;
	} *u = a;

	memset(a, 0, LHV_PAGE);
	switch (c->nr) {
	case LHV_CREATE_VM:
		u->vm.lapic_mode = chance(90) ? below(3) : edge();
		break;
	case LHV_CREATE_VCPU:
		u->vcpu.vcpu_id = chance(85) ? below(FZ_VCPUS + 1) :
			(chance(50) ? f->caps.max_vcpus - below(2) : edge());
		u->vcpu.host_cpu = fz_cpu(f);
		break;
	case LHV_SET_MEMORY_REGION:
		fill_region(f, &u->mem);
		break;
	case LHV_SIGNAL_MSI:
		fill_msi(&u->msi);
		break;
	case LHV_INJECT_NMI:
		u->nmi.vcpu_id = below(FZ_VCPUS + 1);
		u->nmi.flags = chance(30) ? LHV_NMI_ALL : 0;
		if (u->nmi.flags)
			u->nmi.vcpu_id = 0;
		break;
	case LHV_SET_REGS:
		if (ioctl(fd, LHV_GET_REGS, &u->regs))
			u->regs.rflags = 2;
		break;
	case LHV_SET_SREGS:
		ioctl(fd, LHV_GET_SREGS, &u->sregs);
		break;
	case LHV_RUN:
		if (v && v->run && chance(60))
			u->comp = lhv_completion_for(v->run, rnd());
		break;
	case LHV_SET_RUN_STATE:
		u->rs.state = chance(60) ? LHV_RUN_STATE_RUNNING : below(4);
		u->rs.pending = chance(85) ? 0 : below(8);
		u->rs.sipi_vector = rnd();
		break;
	default:
		/* An output structure: the kernel must overwrite it all. */
		for (size_t i = 0; i < size; i++)
			((unsigned char *)a)[i] = rnd();
		break;
	}
	/* Setters get more changes: their checks are what is fuzzed. */
	if (size && chance(_IOC_DIR(c->nr) & _IOC_WRITE ? 35 : 5))
		mutate(a, size);
	if (size && chance(10))
		mutate(a, size);
	if (c->nr == LHV_CREATE_VCPU)
		u->vcpu.host_cpu = fz_sanitize_cpu(f, u->vcpu.host_cpu);
}

/* An argument pointer: mostly the buffer, sometimes one no copy can use. */
static void *fz_ptr(struct fz *f, const struct fz_cmd *c)
{
	if (!chance(6))
		return f->arg;
	if (chance(25) && (_IOC_DIR(c->nr) & _IOC_READ))
		return f->rom;	/* readable, not writable */
	return lhv_bad_ptr(below(LHV_NR_BAD_PTRS));
}

static void fz_close_vm(struct __test_metadata *_metadata, struct fz *f,
			struct fz_vm *vm)
{
	unsigned int i, cpu;
	bool vm_first = chance(50);

	if (vm_first)
		close(vm->fd);
	for (i = 0; i < FZ_VCPUS; i++) {
		struct fz_vcpu *v = &vm->vcpu[i];

		if (v->run)
			munmap(v->run, LHV_RUN_PAGE_SIZE);
		if (v->fd >= 0)
			close(v->fd);
		v->fd = -1;
		v->run = NULL;
	}
	if (!vm_first)
		close(vm->fd);
	vm->fd = -1;
	/* The last fd gone, the VM is destroyed: its CPUs are Linux's. */
	for (cpu = 0; cpu < 32; cpu++)
		if ((vm->cpus & (1u << cpu)) && !lhv_wait_online(cpu, 2000))
			FZ_BAD(not_back, "host CPU %u not online after its VM ended", cpu);
	vm->cpus = 0;
	vm->nr_vcpus = 0;
}

static struct fz_vm *fz_free_vm(struct fz *f)
{
	unsigned int i;

	for (i = 0; i < FZ_VMS; i++)
		if (f->vm[i].fd < 0)
			return &f->vm[i];
	return NULL;
}

static struct fz_vm *fz_some_vm(struct fz *f)
{
	unsigned int i, start = below(FZ_VMS);

	for (i = 0; i < FZ_VMS; i++)
		if (f->vm[(start + i) % FZ_VMS].fd >= 0)
			return &f->vm[(start + i) % FZ_VMS];
	return NULL;
}

static struct fz_vcpu *fz_some_vcpu(struct fz *f, struct fz_vm **vmp)
{
	unsigned int i, j, start = below(FZ_VMS), vstart = below(FZ_VCPUS);

	for (i = 0; i < FZ_VMS; i++) {
		struct fz_vm *vm = &f->vm[(start + i) % FZ_VMS];

		if (vm->fd < 0)
			continue;
		for (j = 0; j < FZ_VCPUS; j++) {
			struct fz_vcpu *v = &vm->vcpu[(vstart + j) % FZ_VCPUS];

			if (v->fd >= 0) {
				*vmp = vm;
				return v;
			}
		}
	}
	return NULL;
}

/*
 * A new vCPU, half the time put at the test guest's first instruction
 * (with the guest's RAM, where the VM has no slot 0 yet), so that runs
 * execute real code and not only fail to fetch.
 */
static void fz_adopt_vcpu(struct fz *f, struct fz_vm *vm, int fd, __u32 cpu)
{
	struct fz_vcpu *v = NULL;
	unsigned int i;

	for (i = 0; i < FZ_VCPUS && !v; i++)
		if (vm->vcpu[i].fd < 0 && !vm->vcpu[i].run)
			v = &vm->vcpu[i];
	vm->nr_vcpus++;
	vm->cpus |= 1u << cpu;
	f->vcpus_made++;
	if (!v) {
		close(fd);
		return;
	}
	v->fd = fd;
	v->run = lhv_map_run(fd);
	if (chance(50))
		lhv_guest_setup(vm->fd, fd, f->ram);
}

/* Check the result of a real command, and keep what it created. */
static void fz_result(struct __test_metadata *_metadata, struct fz *f,
		      const struct fz_cmd *c, enum fz_kind kind, struct fz_vm *vm,
		      long ret, int err)
{
	bool right_file = c->kind == kind;
	const struct lhv_vm_config *vcfg = (const void *)f->arg;
	const struct lhv_vcpu_config *ccfg = (const void *)f->arg;

	if (ret < 0) {
		f->refused++;
		f->errs[err & 0xff]++;
		if (!(right_file ? documented(c, err) : err == ENOTTY))
			FZ_BAD(unexpected, "%s on %s failed with %s, which ioctl.rst does not document",
			       c->name, kind_names[kind], lhv_errname(err));
		return;
	}
	f->ok++;
	if (!right_file) {
		FZ_BAD(unexpected, "%s on %s succeeded (returned %ld)", c->name,
		       kind_names[kind], ret);
		return;
	}
	switch (c->nr) {
	case LHV_GET_API_VERSION:
		if (ret != LHV_API_VERSION)
			FZ_BAD(unexpected, "LHV_GET_API_VERSION returned %ld", ret);
		break;
	case LHV_CREATE_VM: {
		struct fz_vm *slot = fz_free_vm(f);
		__u32 mode = vcfg->lapic_mode ? vcfg->lapic_mode :
						f->caps.default_lapic_mode;

		f->vms_made++;
		if (!slot) {
			close(ret);
			break;
		}
		slot->fd = ret;
		/*
		 * A passthrough guest owns real APICs and could send any IPI
		 * to any host CPU: random guests run only in filtered VMs.
		 */
		slot->runnable = mode == LHV_LAPIC_FILTERED;
		slot->cpus = 0;
		slot->nr_vcpus = 0;
		if (chance(50))
			lhv_set_region(ret, 0, 0, 0, LHV_GUEST_RAM, f->ram);
		break;
	}
	case LHV_CREATE_VCPU:
		fz_adopt_vcpu(f, vm, ret, ccfg->host_cpu);
		break;
	case LHV_SIGNAL_MSI:
		if (ret > vm->nr_vcpus)
			FZ_BAD(unexpected, "LHV_SIGNAL_MSI reached %ld of %u vCPUs",
			       ret, vm->nr_vcpus);
		break;
	case LHV_INJECT_NMI:
		if (ret < 1 || ret > vm->nr_vcpus)
			FZ_BAD(unexpected, "LHV_INJECT_NMI reached %ld of %u vCPUs",
			       ret, vm->nr_vcpus);
		break;
	default:
		if (ret)
			FZ_BAD(unexpected, "%s returned %ld", c->name, ret);
		break;
	}
}

/* After LHV_RUN: the exit record and the run state make sense. */
static void fz_check_run(struct __test_metadata *_metadata, struct fz *f,
			 struct fz_vcpu *v, long ret, int err)
{
	struct lhv_run_state rs;
	unsigned int i;
	bool padding = false;

	f->runs++;
	if (v->run && !ret)
		f->exits[v->run->exit_reason > LHV_EXIT_INTR ? LHV_EXIT_INTR + 1 :
			 v->run->exit_reason]++;
	if (ret < 0 && err == EINTR) {
		f->intr++;
		if (v->run && v->run->exit_reason != LHV_EXIT_INTR)
			FZ_BAD(insane, "LHV_RUN ended in EINTR with exit_reason %u",
			       v->run->exit_reason);
	}
	if (!ret && v->run && (v->run->exit_reason == LHV_EXIT_NONE ||
			       v->run->exit_reason > LHV_EXIT_UNHANDLED))
		FZ_BAD(insane, "LHV_RUN returned 0 with exit_reason %u",
		       v->run->exit_reason);
	memset(&rs, 0xa5, sizeof(rs));
	if (ioctl(v->fd, LHV_GET_RUN_STATE, &rs)) {
		FZ_BAD(insane, "LHV_GET_RUN_STATE after LHV_RUN: %s", strerror(errno));
		return;
	}
	for (i = 0; i < ARRAY_SIZE(rs.padding); i++)
		padding |= rs.padding[i];
	for (i = 0; i < ARRAY_SIZE(rs.reserved); i++)
		padding |= !!rs.reserved[i];
	if (rs.state > LHV_RUN_STATE_RUNNING || (rs.pending & ~LHV_RUN_PEND_VALID) ||
	    padding)
		FZ_BAD(insane, "run state %u pending %#x after LHV_RUN", rs.state,
		       rs.pending);
}

/* One ioctl on a random file with a random command. */
static void fz_ioctl(struct __test_metadata *_metadata, struct fz *f)
{
	struct fz_vcpu *v = NULL;
	struct fz_vm *vm = NULL;
	const struct fz_cmd *c = NULL;
	enum fz_kind kind;
	unsigned int nr, pick, total = 0, i;
	int fd, err;
	long ret;
	void *arg;

	pick = below(100);
	if (pick < 45)
		v = fz_some_vcpu(f, &vm);
	if (!v && pick < 85)
		vm = fz_some_vm(f);
	if (v) {
		kind = FZ_VCPU;
		fd = v->fd;
	} else if (vm) {
		kind = FZ_VM;
		fd = vm->fd;
	} else if (pick < 97) {
		kind = FZ_DEV;
		fd = f->dev;
	} else {
		kind = FZ_NULL;
		fd = f->null;
	}

	if (chance(8)) {
		nr = random_cmd();
		c = &enotty_cmd;
	} else {
		/* Mostly the file's own commands, by weight. */
		bool own = kind != FZ_NULL && chance(85);

		for (i = 0; i < ARRAY_SIZE(cmds); i++)
			if (!own || cmds[i].kind == kind)
				total += own ? cmds[i].weight : 1;
		pick = below(total);
		for (i = 0; i < ARRAY_SIZE(cmds); i++) {
			unsigned int w = own ? cmds[i].weight : 1;

			if (own && cmds[i].kind != kind)
				continue;
			if (pick < w) {
				c = &cmds[i];
				break;
			}
			pick -= w;
		}
		nr = c->nr;
		/* Only filtered VMs run guests; elsewhere ask for stats. */
		if (nr == LHV_RUN && kind == FZ_VCPU && !vm->runnable)
			c = real_cmd(nr = LHV_GET_STATS);
		fill_arg(f, c, fd, kind == FZ_VCPU ? v : NULL);
	}
	if (c == &enotty_cmd)
		for (i = 0; i < LHV_PAGE; i++)
			f->arg[i] = rnd();
	arg = c == &enotty_cmd ? f->arg : fz_ptr(f, c);

	f->calls++;
	errno = 0;
	if (nr == LHV_RUN && kind == FZ_VCPU)
		ret = lhv_run_bounded(fd, arg, FZ_RUN_MS);
	else
		ret = ioctl(fd, nr, arg);
	err = errno;
	if (c == &enotty_cmd) {
		f->refused += ret < 0;
		f->errs[err & 0xff] += ret < 0;
		if (ret >= 0 || err != ENOTTY)
			FZ_BAD(unexpected, "command %#x on %s: %ld, %s", nr,
			       kind_names[kind], ret, lhv_errname(err));
		return;
	}
	fz_result(_metadata, f, c, kind, vm, ret, err);
	if (nr == LHV_RUN && kind == FZ_VCPU)
		fz_check_run(_metadata, f, v, ret, err);
}

/* One mmap of a random file: only the vCPU's run page, read-only, maps. */
static void fz_mmap(struct __test_metadata *_metadata, struct fz *f)
{
	static const size_t lens[] = { 4096, 4096, 4096, 8192, 1, 4095, 4097, 0, 65536 };
	static const int prots[] = {
		PROT_READ, PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
	};
	size_t len = chance(90) ? lens[below(ARRAY_SIZE(lens))] : below(1 << 20);
	int prot = prots[below(ARRAY_SIZE(prots))];
	int flags = chance(80) ? MAP_SHARED : MAP_PRIVATE;
	off_t off = chance(70) ? 0 : (off_t)(LHV_PAGE * below(chance(50) ? 4 : 1 << 20));
	struct fz_vm *vm = NULL;
	struct fz_vcpu *v = fz_some_vcpu(f, &vm);
	bool valid;
	void *p;
	int fd;

	if (!vm)
		vm = fz_some_vm(f);
	fd = v && chance(80) ? v->fd : chance(50) ? f->dev : vm ? vm->fd : f->null;
	valid = v && fd == v->fd && off == 0 && len && len <= LHV_PAGE &&
		!(prot & PROT_WRITE);
	f->calls++;
	errno = 0;
	p = mmap(NULL, len, prot, flags, fd, off);
	if (p == MAP_FAILED) {
		f->refused++;
		if (valid)
			FZ_BAD(unexpected, "mmap of the run page (%zu bytes, prot %#x) failed: %s",
			       len, prot, lhv_errname(errno));
		else if (v && fd == v->fd && errno != EINVAL && errno != EACCES)
			FZ_BAD(unexpected, "mmap of a vCPU fd (%zu bytes at %lld, prot %#x) failed with %s",
			       len, (long long)off, prot, lhv_errname(errno));
		return;
	}
	f->ok++;
	if (!valid)
		FZ_BAD(unexpected, "mmap of %s (%zu bytes at %lld, prot %#x) succeeded",
		       v && fd == v->fd ? "a vCPU fd" : "a file without a run page",
		       len, (long long)off, prot);
	else if (prot & PROT_READ && ((struct lhv_run *)p)->exit_reason > LHV_EXIT_INTR)
		FZ_BAD(insane, "run page exit_reason %u",
		       ((struct lhv_run *)p)->exit_reason);
	munmap(p, len);
}

static void fz_step(struct __test_metadata *_metadata, struct fz *f)
{
	unsigned int op = below(1000);
	struct fz_vm *vm;
	struct fz_vcpu *v;

	if (op < 10) {
		/* The end of a VM: all its fds, in a random order. */
		vm = fz_some_vm(f);
		if (vm)
			fz_close_vm(_metadata, f, vm);
	} else if (op < 15) {
		/* A vCPU fd alone: the VM keeps the vCPU and its CPU. */
		v = fz_some_vcpu(f, &vm);
		if (v) {
			if (v->run)
				munmap(v->run, LHV_RUN_PAGE_SIZE);
			close(v->fd);
			v->fd = -1;
			v->run = NULL;
		}
	} else if (op < 45) {
		fz_mmap(_metadata, f);
	} else {
		/* A full table: make room, so creating goes on being tried. */
		if (!fz_free_vm(f) && op < 60)
			fz_close_vm(_metadata, f, fz_some_vm(f));
		fz_ioctl(_metadata, f);
	}
}

/* "address sizes : 40 bits physical" from /proc/cpuinfo, or 36. */
static unsigned int phys_bits(void)
{
	unsigned int bits = 0;
	char line[256];
	FILE *fp = fopen("/proc/cpuinfo", "re");

	while (fp && fgets(line, sizeof(line), fp))
		if (sscanf(line, "address sizes : %u bits physical", &bits) == 1)
			break;
	if (fp)
		fclose(fp);
	return bits ? bits : 36;
}

static uint64_t fz_seed(void)
{
	const char *s = getenv("LHV_FUZZ_SEED");
	struct timespec ts;

	if (s && *s)
		return strtoull(s, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000003ULL ^ ts.tv_nsec ^ getpid();
}

/* The kernel log's last record when the program started. */
static unsigned long long kmsg_start_seq;
static bool kmsg_start_known;

/* Each record of /dev/kmsg from the oldest on: @fn(seq, prio, text). */
static int kmsg_each(void (*fn)(unsigned long long seq, int prio,
				const char *text, void *ctx), void *ctx)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	unsigned long long seq;
	char rec[8192], *text;
	int prio;
	ssize_t n;

	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten while we read: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%d,%llu,", &prio, &seq) != 2)
			continue;
		text[strcspn(text, "\n")] = '\0';
		fn(seq, prio & 7, text + 1, ctx);
	}
	close(fd);
	return 0;
}

static void kmsg_last(unsigned long long seq, int prio, const char *text, void *ctx)
{
	*(unsigned long long *)ctx = seq;
}

static void __attribute__((constructor)) kmsg_mark_start(void)
{
	kmsg_start_known = !kmsg_each(kmsg_last, &kmsg_start_seq);
}

struct kmsg_scan {
	regex_t bad;
	unsigned long long first;	/* oldest record seen */
	unsigned int hits;
	char lines[8][200];
};

static void kmsg_check(unsigned long long seq, int prio, const char *text, void *ctx)
{
	struct kmsg_scan *s = ctx;

	if (!s->first)
		s->first = seq;
	if (seq <= kmsg_start_seq || regexec(&s->bad, text, 0, NULL, 0))
		return;
	if (s->hits < ARRAY_SIZE(s->lines))
		snprintf(s->lines[s->hits], sizeof(s->lines[0]), "%s", text);
	s->hits++;
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_ioctls_on_live_vms, 600)
{
	const char *calls_env = getenv("LHV_FUZZ_CALLS");
	unsigned long calls = calls_env ? strtoul(calls_env, NULL, 0) : FZ_CALLS;
	uint64_t seed = fz_seed();
	struct sysinfo si;
	long long start;
	struct fz *f;
	unsigned int i, j, cpu;
	char why[160], line[512];
	int len;

	f = calloc(1, sizeof(*f));
	ASSERT_NE(NULL, f);
	f->dev = lhv_open_dev(why, sizeof(why));
	if (f->dev < 0)
		SKIP(return, "%.900s", why);
	ASSERT_EQ(0, ioctl(f->dev, LHV_GET_CAPS, &f->caps));
	f->null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, f->null);
	for (cpu = LHV_FIRST_CPU; cpu <= LHV_LAST_CPU; cpu++)
		if (lhv_cpu_online(cpu) == 1)
			f->cpus |= 1u << cpu;
	f->possible = lhv_possible_cpus();
	f->apic = 0xfee00000ULL;
	f->phys_limit = 1ULL << phys_bits();
	ASSERT_EQ(0, sysinfo(&si));
	f->ram_bytes = (__u64)si.totalram * si.mem_unit;
	/*
	 * Guests write to whatever writable memory backs their regions:
	 * only this.  Regions that run past its end find a hole there, not
	 * the fuzzer's own data.
	 */
	f->ram = mmap(NULL, 2 * FZ_RAM, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f->ram);
	ASSERT_EQ(0, mprotect(f->ram + FZ_RAM, FZ_RAM, PROT_NONE));
	f->rom = mmap(NULL, FZ_ROM, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->arg = mmap(NULL, LHV_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f->ram);
	ASSERT_NE(MAP_FAILED, f->rom);
	ASSERT_NE(MAP_FAILED, f->arg);
	memcpy(f->ram + LHV_GUEST_CODE, lhv_guest_code, sizeof(lhv_guest_code));
	for (i = 0; i < FZ_VMS; i++) {
		f->vm[i].fd = -1;
		for (j = 0; j < FZ_VCPUS; j++)
			f->vm[i].vcpu[j].fd = -1;
	}

	TH_LOG("seed %llu (LHV_FUZZ_SEED=%llu repeats this run), %lu calls, host CPUs %#x",
	       (unsigned long long)seed, (unsigned long long)seed, calls, f->cpus);
	rng_state = seed;
	start = lhv_now_ms();
	while (f->calls < calls) {
		unsigned long before = f->calls;

		fz_step(_metadata, f);
		if (f->calls != before && f->calls % 1000 == 0)
			TH_LOG("%lu calls, %lld s: %lu VMs and %lu vCPUs made, %lu runs",
			       f->calls, (lhv_now_ms() - start) / 1000, f->vms_made,
			       f->vcpus_made, f->runs);
	}
	for (i = 0; i < FZ_VMS; i++)
		if (f->vm[i].fd >= 0)
			fz_close_vm(_metadata, f, &f->vm[i]);

	TH_LOG("%lu calls in %lld ms: %lu succeeded, %lu refused; %lu VMs and %lu vCPUs made; %lu guest runs, %lu ended by the timer",
	       f->calls, lhv_now_ms() - start, f->ok, f->refused, f->vms_made,
	       f->vcpus_made, f->runs, f->intr);
	len = 0;
	for (i = 1; i < ARRAY_SIZE(f->errs) && len < (int)sizeof(line) - 32; i++)
		if (f->errs[i])
			len += snprintf(line + len, sizeof(line) - len, " %s %lu",
					lhv_errname(i), f->errs[i]);
	TH_LOG("refusals by errno:%s", len ? line : " none");
	TH_LOG("exits of the runs that returned 0: PIO %lu MMIO %lu shutdown %lu failed entry %lu internal error %lu unhandled %lu",
	       f->exits[LHV_EXIT_PIO], f->exits[LHV_EXIT_MMIO],
	       f->exits[LHV_EXIT_SHUTDOWN], f->exits[LHV_EXIT_FAIL_ENTRY],
	       f->exits[LHV_EXIT_INTERNAL_ERROR], f->exits[LHV_EXIT_UNHANDLED]);
	EXPECT_EQ(0, f->unexpected) TH_LOG("seed %llu", (unsigned long long)seed);
	EXPECT_EQ(0, f->insane) TH_LOG("seed %llu", (unsigned long long)seed);
	EXPECT_EQ(0, f->not_back) TH_LOG("seed %llu", (unsigned long long)seed);
	/* The fuzzer must have reached the interesting states at all. */
	EXPECT_LT(0, f->vms_made);
	if (f->cpus)
		EXPECT_LT(0, f->vcpus_made);
	close(f->null);
	close(f->dev);
}

TEST_F(fuzz, no_kernel_warning_or_lhv_error_in_dmesg)
{
	struct kmsg_scan *s = calloc(1, sizeof(*s));
	unsigned int i;

	ASSERT_NE(NULL, s);
	if (!kmsg_start_known)
		SKIP(return, "cannot read /dev/kmsg: %s", strerror(errno));
	ASSERT_EQ(0, regcomp(&s->bad, "WARNING|BUG|Oops|general protection|Call Trace|"
			     "lhv:.*(error|stuck|does not stop|did not|could not)",
			     REG_EXTENDED | REG_NOSUB));
	ASSERT_EQ(0, kmsg_each(kmsg_check, s));
	if (s->first > kmsg_start_seq + 1)
		TH_LOG("the kernel log lost records %llu-%llu (overwritten)",
		       kmsg_start_seq + 1, s->first - 1);
	EXPECT_EQ(0, s->hits);
	for (i = 0; i < s->hits && i < ARRAY_SIZE(s->lines); i++)
		TH_LOG("dmesg: %s", s->lines[i]);
	regfree(&s->bad);
}

TEST_F(fuzz, every_cpu_online_as_at_start)
{
	char now[256];

	EXPECT_TRUE(lhv_online_as_at_start(now, sizeof(now), 5000))
		TH_LOG("online CPUs: %s, at the start: %s", now, lhv_online_at_start);
}

/*
 * lhv.ko's file: $LHV_KO, else the one modules.dep lists for the running
 * kernel (where the test VMs' modprobe found it).  0, or -1 and why not.
 */
static int module_file(char *path, size_t len, char *why, size_t wlen)
{
	const char *env = getenv("LHV_KO");
	bool compressed = false;
	char dep[320], line[1024], *colon, *base;
	struct utsname u;
	FILE *fp;

	if (env && *env) {
		snprintf(path, len, "%s", env);
		if (access(path, R_OK)) {
			snprintf(why, wlen, "LHV_KO=%s: %s", env, strerror(errno));
			return -1;
		}
		return 0;
	}
	uname(&u);
	snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep", u.release);
	fp = fopen(dep, "re");
	if (!fp) {
		snprintf(why, wlen, "cannot find lhv.ko: no %s (set LHV_KO)", dep);
		return -1;
	}
	path[0] = '\0';
	while (fgets(line, sizeof(line), fp)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		if (!strcmp(base, "lhv.ko")) {
			if (line[0] == '/')
				snprintf(path, len, "%s", line);
			else
				snprintf(path, len, "/lib/modules/%s/%s", u.release, line);
			break;
		}
		if (!strncmp(base, "lhv.ko.", 7))
			compressed = true;
	}
	fclose(fp);
	if (!path[0]) {
		snprintf(why, wlen, compressed ?
			 "lhv.ko in %s is compressed: set LHV_KO to an uncompressed one" :
			 "cannot find lhv.ko: not in %s (set LHV_KO)", dep);
		return -1;
	}
	if (access(path, R_OK)) {
		snprintf(why, wlen, "%s (from modules.dep): %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* "name=value ..." of the loaded module's parameters, to load it alike. */
static void module_params(char *buf, size_t len)
{
	DIR *d = opendir("/sys/module/lhv/parameters");
	struct dirent *e;
	char path[512], value[128];
	size_t used = 0;

	buf[0] = '\0';
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/module/lhv/parameters/%s", e->d_name);
		lhv_read_line(path, value, sizeof(value));
		used += snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "",
				 e->d_name, value);
		if (used >= len)
			break;
	}
	if (d)
		closedir(d);
}

static bool wait_path(const char *path, bool exists, int limit_ms)
{
	long long end = lhv_now_ms() + limit_ms;

	while ((access(path, F_OK) == 0) != exists) {
		if (lhv_now_ms() > end)
			return false;
		usleep(20000);
	}
	return true;
}

/* Last: the module still unloads after all that, and loads again. */
TEST_F_TIMEOUT(fuzz, module_unloads_and_reloads, 120)
{
	char path[2048], why[2200], params[1024], after[1024];
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };
	struct lhv_run *run;
	int fd, dev, vm, vcpu, ret, err;
	void *ram;

	if (access("/sys/module/lhv", F_OK))
		SKIP(return, "lhv.ko is not loaded");
	if (module_file(path, sizeof(path), why, sizeof(why)))
		SKIP(return, "%.900s", why);
	module_params(params, sizeof(params));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", path, strerror(errno));
	TH_LOG("reloading %s with \"%s\"", path, params);

	ASSERT_EQ(0, syscall(SYS_delete_module, "lhv", O_NONBLOCK))
		TH_LOG("rmmod lhv: %s", strerror(errno));
	EXPECT_TRUE(wait_path("/sys/module/lhv", false, 5000));
	/*
	 * The node goes with the module, unless it is the static one that
	 * udev makes from modules.devname at boot (Documentation/
	 * install.rst): that one stays, the misc device 10:250.
	 */
	if (!wait_path(LHV_DEV_PATH, false, 5000)) {
		struct stat st;

		EXPECT_EQ(0, stat(LHV_DEV_PATH, &st));
		EXPECT_TRUE(S_ISCHR(st.st_mode) && major(st.st_rdev) == 10 &&
			    minor(st.st_rdev) == 250)
			TH_LOG("%s outlived lhv.ko and is not its static node",
			       LHV_DEV_PATH);
	}

	ret = syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	if (ret) {
		/* Leave a loaded lhv for whatever runs next. */
		ret = system("modprobe lhv");
		ASSERT_EQ(0, -1) TH_LOG("insmod %s %s: %s (modprobe lhv: %d)", path,
					params, strerror(err), ret);
	}
	ASSERT_TRUE(wait_path(LHV_DEV_PATH, true, 5000));
	module_params(after, sizeof(after));
	EXPECT_STREQ(params, after);

	/* The reloaded module works: a guest runs to its first exit. */
	dev = lhv_open_dev(why, sizeof(why));
	ASSERT_LE(0, dev) TH_LOG("%s", why);
	EXPECT_EQ(LHV_API_VERSION, ioctl(dev, LHV_GET_API_VERSION));
	if (lhv_cpu_online(LHV_FIRST_CPU) != 1)
		SKIP(return, "host CPU %d is not online: no guest run", LHV_FIRST_CPU);
	vm = lhv_vm_create(dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm);
	vcpu = lhv_vcpu_create(vm, 0, LHV_FIRST_CPU);
	ASSERT_LE(0, vcpu) TH_LOG("LHV_CREATE_VCPU: %s", strerror(errno));
	ram = lhv_guest_ram();
	run = lhv_map_run(vcpu);
	ASSERT_NE(NULL, ram);
	ASSERT_NE(NULL, run);
	ASSERT_EQ(0, lhv_guest_setup(vm, vcpu, ram));
	EXPECT_EQ(0, lhv_run_bounded(vcpu, &c, 2000));
	EXPECT_EQ(LHV_EXIT_PIO, run->exit_reason);
	EXPECT_EQ(LHV_GUEST_HELLO, run->pio.data);
	munmap(run, LHV_RUN_PAGE_SIZE);
	close(vcpu);
	close(vm);
	close(dev);
	EXPECT_TRUE(lhv_wait_online(LHV_FIRST_CPU, 5000));
}

TEST_HARNESS_MAIN
