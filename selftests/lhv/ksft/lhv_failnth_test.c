// SPDX-License-Identifier: GPL-2.0
/*
 * Every allocation failure survived: systematic fault injection on each
 * call of the ABI that allocates, pins or copies (Documentation/
 * testing.rst, "The debug kernel").
 *
 * /proc/thread-self/fail-nth makes the Nth fault site the calling thread
 * passes in the kernel fail: a slab or page allocation (failslab,
 * fail_page_alloc) or a user copy (fail_usercopy).  For each path the
 * test walks N from 1 upward until the call succeeds with no fault
 * injected.  After each call that failed:
 *   - the errno is one the ABI documents for that call;
 *   - every host CPU is online, or owned by a vCPU that is still alive;
 *   - no page is left pinned (/proc/vmstat's FOLL_PIN counters);
 *   - the same call, made again without a fault, succeeds;
 * and once everything is closed, the CPUs are as they were and no pin is
 * left.  A fault the kernel absorbed (the call succeeded anyway) counts
 * as a failure point too.  Each path prints how many it had; a path with
 * none fails, as the walk would then prove nothing.  At the end kmemleak,
 * where the kernel has it, must find nothing.
 *
 * It needs a kernel with CONFIG_FAULT_INJECTION, FAILSLAB,
 * FAIL_PAGE_ALLOC and FAULT_INJECTION_USERCOPY (scripts/
 * kernel-debug.config); elsewhere every test skips and says why.
 */
#include <sys/mount.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "lhv_ksft.h"

#define FAILNTH_PATH	"/proc/thread-self/fail-nth"
#define DEBUGFS		"/sys/kernel/debug"
#define KMEMLEAK	DEBUGFS "/kmemleak"
#define FAILNTH_CPU	LHV_FIRST_CPU
/* No path has nearly this many fault sites: a walk this long is a hang. */
#define FAILNTH_LIMIT	2000
/*
 * Guest RAM (16 pages), left unfaulted so that pinning it allocates page
 * after page; the size of the test guest's RAM, so walk_close() unmaps
 * either.
 */
#define FAILNTH_RAM	LHV_GUEST_RAM
#define FAILNTH_MAX_ERRNOS	4

/*
 * The debugfs knobs that let fail-nth reach what lhv allocates: by
 * default failslab and fail_page_alloc leave allocations that may sleep
 * alone, and fail_page_alloc single pages too.  Verbose dumps would cost
 * a stack trace per walked point.
 */
static const struct knob {
	const char *path;
	const char *value;
} failnth_knobs[] = {
	{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
	{ DEBUGFS "/failslab/verbose", "0" },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-highmem", "N" },
	{ DEBUGFS "/fail_page_alloc/min-order", "0" },
	{ DEBUGFS "/fail_page_alloc/verbose", "0" },
	{ DEBUGFS "/fail_usercopy/verbose", "0" },
};

#define NR_KNOBS	ARRAY_SIZE(failnth_knobs)

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		ret = -1;
	close(fd);
	return ret;
}

/* What one walk works on; the path's hooks fill in what they need. */
struct walk {
	int dev, vm, vcpu;
	void *ram;
	struct lhv_run *run;
	unsigned long owned;	/* host CPUs live vCPUs own after prepare() */
};

struct path {
	const char *name;
	/* The state the call needs: 0, or -1 with errno. */
	int (*prepare)(struct walk *w);
	/* The call under test: >= 0, or -1 with errno. */
	long (*call)(struct walk *w);
	/* Undo a successful call (close what it opened, check its result). */
	int (*undo)(struct walk *w, long ret);
	int errnos[FAILNTH_MAX_ERRNOS];
};

static void walk_close(struct walk *w)
{
	if (w->run)
		munmap(w->run, LHV_RUN_PAGE_SIZE);
	if (w->vcpu >= 0)
		close(w->vcpu);
	if (w->vm >= 0)
		close(w->vm);
	if (w->dev >= 0)
		close(w->dev);
	if (w->ram)
		munmap(w->ram, FAILNTH_RAM);
	*w = (struct walk){ .dev = -1, .vm = -1, .vcpu = -1 };
}

static int prep_none(struct walk *w)
{
	return 0;
}

static int prep_dev(struct walk *w)
{
	w->dev = open(LHV_DEV_PATH, O_RDWR | O_CLOEXEC);
	return w->dev < 0 ? -1 : 0;
}

static int prep_vm(struct walk *w)
{
	if (prep_dev(w))
		return -1;
	w->vm = lhv_vm_create(w->dev, LHV_LAPIC_DEFAULT);
	return w->vm < 0 ? -1 : 0;
}

/* Fresh, never touched memory: the pin has to fault every page in. */
static int prep_vm_ram(struct walk *w)
{
	void *p;

	if (prep_vm(w))
		return -1;
	p = mmap(NULL, FAILNTH_RAM, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	w->ram = p;
	return 0;
}

static int prep_vcpu(struct walk *w)
{
	if (prep_vm(w))
		return -1;
	w->vcpu = lhv_vcpu_create(w->vm, 0, FAILNTH_CPU);
	if (w->vcpu < 0)
		return -1;
	w->owned = 1UL << FAILNTH_CPU;
	return 0;
}

/* A vCPU that has never run, its guest ready, its run page mapped. */
static int prep_guest(struct walk *w)
{
	if (prep_vcpu(w))
		return -1;
	w->ram = lhv_guest_ram();
	if (!w->ram || lhv_guest_setup(w->vm, w->vcpu, w->ram))
		return -1;
	w->run = lhv_map_run(w->vcpu);
	return w->run ? 0 : -1;
}

static long call_open(struct walk *w)
{
	return open(LHV_DEV_PATH, O_RDWR | O_CLOEXEC);
}

static long call_create_vm(struct walk *w)
{
	return lhv_vm_create(w->dev, LHV_LAPIC_DEFAULT);
}

static long call_create_vcpu(struct walk *w)
{
	return lhv_vcpu_create(w->vm, 0, FAILNTH_CPU);
}

static long call_set_region(struct walk *w)
{
	return lhv_set_region(w->vm, 0, 0, 0, FAILNTH_RAM, w->ram);
}

/* walk_close() unmaps it: munmap() has fault sites of its own. */
static long call_mmap(struct walk *w)
{
	void *p = mmap(NULL, LHV_RUN_PAGE_SIZE, PROT_READ, MAP_SHARED, w->vcpu, 0);

	if (p == MAP_FAILED)
		return -1;
	w->run = p;
	return 0;
}

/*
 * The guest's first instruction is an OUT: the first entry ends in that
 * PIO exit at once.  No timer: setting one up would pass fault sites of
 * its own before the ioctl, and a guest that never exits fails the walk
 * by run_tests' timeout anyway.
 */
static long call_run(struct walk *w)
{
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };

	return ioctl(w->vcpu, LHV_RUN, &c);
}

static int undo_close(struct walk *w, long fd)
{
	return close(fd);
}

static int undo_none(struct walk *w, long ret)
{
	return 0;
}

static int undo_run(struct walk *w, long ret)
{
	if (w->run->exit_reason != LHV_EXIT_PIO ||
	    w->run->pio.port != LHV_GUEST_PORT_OUT) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

static const struct path paths[] = {
	/* getname() copies the path in; the file and its fd are allocated. */
	{ "open /dev/lhv", prep_none, call_open, undo_close,
	  { ENOMEM, EFAULT } },
	{ "LHV_CREATE_VM", prep_dev, call_create_vm, undo_close,
	  { ENOMEM, EFAULT } },
	/* EBUSY: Linux refused to offline the CPU (ioctl.rst). */
	{ "LHV_CREATE_VCPU (host CPU take-over)", prep_vm, call_create_vcpu,
	  undo_close, { ENOMEM, EFAULT, EBUSY } },
	{ "LHV_SET_MEMORY_REGION (pinning)", prep_vm_ram, call_set_region,
	  undo_none, { ENOMEM, EFAULT } },
	/* mmap(2)'s own errors for a mapping it could not set up. */
	{ "mmap of the run page", prep_vcpu, call_mmap, undo_none,
	  { ENOMEM, EAGAIN } },
	{ "LHV_RUN, first entry", prep_guest, call_run, undo_run,
	  { EFAULT, ENOMEM } },
};

/* Pages pinned now, system-wide: acquired minus released. */
static long long pins_now(void)
{
	long long acq = -1, rel = -1, v;
	char name[64];
	FILE *f;

	/* Fold the per-CPU deltas into the counters first. */
	write_file("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", name, &v) == 2) {
		if (!strcmp(name, "nr_foll_pin_acquired"))
			acq = v;
		else if (!strcmp(name, "nr_foll_pin_released"))
			rel = v;
	}
	fclose(f);
	return acq < 0 || rel < 0 ? -1 : acq - rel;
}

/*
 * Every CPU online at the start is online now unless a live vCPU owns it
 * (then it is offline); "" or the first CPU that is not, in @why.
 */
static bool cpus_as_expected(unsigned long owned, const char *online_start,
			     char *why, size_t len)
{
	unsigned int cpu, ncpus = lhv_possible_cpus();
	long long end = lhv_now_ms() + 2000;
	char path[64];

	for (cpu = 1; cpu < ncpus && online_start[cpu]; cpu++) {
		bool own = owned & (1UL << cpu);
		int want = online_start[cpu] == '1' && !own;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u", cpu);
		if (access(path, F_OK))
			continue;
		/* Given back means online when the call returns; allow a moment. */
		while (lhv_cpu_online(cpu) != want && lhv_now_ms() < end)
			usleep(20000);
		if (lhv_cpu_online(cpu) != want) {
			snprintf(why, len, "host CPU %u is %s, expected %s%s", cpu,
				 lhv_cpu_online(cpu) == 1 ? "online" : "offline",
				 want ? "online" : "offline",
				 own ? " (owned by a live vCPU)" : "");
			return false;
		}
	}
	return true;
}

static bool errno_allowed(const struct path *p, int err)
{
	unsigned int i;

	for (i = 0; i < FAILNTH_MAX_ERRNOS; i++)
		if (p->errnos[i] == err)
			return true;
	return false;
}

FIXTURE(failnth) {
	int nth;		/* /proc/thread-self/fail-nth */
	char saved[NR_KNOBS][16];
	bool set[NR_KNOBS];
	char online_start[64];	/* '1' or '0' per CPU */
	long long pins_start;
};

FIXTURE_SETUP(failnth)
{
	unsigned int i, cpu;
	char why[160];
	int dev;

	self->nth = -1;
	memset(self->set, 0, sizeof(self->set));
	if (access(FAILNTH_PATH, F_OK))
		SKIP(return, "no %s: %s", FAILNTH_PATH,
		     "the kernel has no CONFIG_FAULT_INJECTION (run-vm --kernel debug)");
	if (access(DEBUGFS "/failslab", F_OK))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	for (i = 0; i < NR_KNOBS; i++)
		if (access(failnth_knobs[i].path, F_OK))
			SKIP(return, "no %s: %s", failnth_knobs[i].path,
			     "the kernel lacks a FAIL* option or their debugfs");
	LHV_OPEN_OR_SKIP(dev);
	close(dev);
	if (!lhv_cpus_usable(FAILNTH_CPU, FAILNTH_CPU, why, sizeof(why)))
		SKIP(return, "%s", why);

	for (i = 0; i < NR_KNOBS; i++) {
		lhv_read_line(failnth_knobs[i].path, self->saved[i],
			      sizeof(self->saved[i]));
		ASSERT_EQ(0, write_file(failnth_knobs[i].path, failnth_knobs[i].value))
			TH_LOG("cannot set %s", failnth_knobs[i].path);
		self->set[i] = true;
	}
	self->nth = open(FAILNTH_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nth);
	for (cpu = 0; cpu < sizeof(self->online_start) - 1; cpu++)
		self->online_start[cpu] = lhv_cpu_online(cpu) == 1 ? '1' : '0';
	self->online_start[cpu] = '\0';
	self->pins_start = pins_now();
	ASSERT_LE(0, self->pins_start) TH_LOG("no FOLL_PIN counters in /proc/vmstat");
}

FIXTURE_TEARDOWN(failnth)
{
	unsigned int i;

	if (self->nth >= 0)
		close(self->nth);
	for (i = 0; i < NR_KNOBS; i++)
		if (self->set[i])
			write_file(failnth_knobs[i].path, self->saved[i]);
}

/* The Nth fault site this thread passes from now on fails. */
static void nth_arm(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fd, buf, len, 0) != len)
		abort();
}

/*
 * Whether the armed fault was injected; disarms it either way.  Reading
 * and writing the file copy to and from user memory, which are fault
 * sites too: a count the call left at 1 makes the read fail with EFAULT
 * (so it was not injected in the call), and one it left at 2 the write
 * of "0" (which then has nothing left to disarm).
 */
static bool nth_disarm(int fd)
{
	char buf[16] = "";
	int err = errno;
	bool injected;
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0 && errno != EFAULT)
		abort();
	injected = n > 0 && atoi(buf) == 0;
	if (pwrite(fd, "0", 1, 0) != 1 && errno != EFAULT)
		abort();
	/* Nothing is armed now: this write must go through. */
	if (pwrite(fd, "0", 1, 0) != 1)
		abort();
	errno = err;
	return injected;
}

static void walk_path(struct __test_metadata *_metadata,
		      FIXTURE_DATA(failnth) *self, const struct path *p)
{
	unsigned int n, i, failed = 0, absorbed = 0;
	unsigned int by_errno[FAILNTH_MAX_ERRNOS] = { 0 };
	struct walk w = { .dev = -1, .vm = -1, .vcpu = -1 };
	char errnos[128] = "";
	size_t len = 0;
	long long pins_prepared;
	char why[160];
	bool injected;
	long ret;
	int err;

	for (n = 1; n <= FAILNTH_LIMIT; n++) {
		ASSERT_EQ(0, p->prepare(&w))
			TH_LOG("%s: preparing for fault %u: %s", p->name, n,
			       strerror(errno));
		pins_prepared = pins_now();

		nth_arm(self->nth, n);
		ret = p->call(&w);
		err = errno;
		injected = nth_disarm(self->nth);

		if (ret >= 0) {
			ASSERT_EQ(0, p->undo(&w, ret))
				TH_LOG("%s: fault %u%s: the call's result is wrong: %s",
				       p->name, n, injected ? " (absorbed)" : "",
				       strerror(errno));
			walk_close(&w);
			ASSERT_TRUE(cpus_as_expected(0, self->online_start, why,
						     sizeof(why)))
				TH_LOG("%s: fault %u, all closed: %s", p->name, n, why);
			ASSERT_EQ(self->pins_start, pins_now())
				TH_LOG("%s: fault %u, all closed: pages left pinned",
				       p->name, n);
			if (!injected)
				break;
			absorbed++;
			continue;
		}
		ASSERT_TRUE(injected)
			TH_LOG("%s failed with %s and no fault injected (N=%u)",
			       p->name, lhv_errname(err), n);
		failed++;
		ASSERT_TRUE(errno_allowed(p, err))
			TH_LOG("%s: fault %u: errno %s is not one the ABI documents for it",
			       p->name, n, lhv_errname(err));
		for (i = 0; i < FAILNTH_MAX_ERRNOS; i++)
			by_errno[i] += p->errnos[i] == err;
		ASSERT_TRUE(cpus_as_expected(w.owned, self->online_start, why,
					     sizeof(why)))
			TH_LOG("%s: fault %u (%s): %s", p->name, n,
			       lhv_errname(err), why);
		ASSERT_EQ(pins_prepared, pins_now())
			TH_LOG("%s: fault %u (%s): pages left pinned", p->name, n,
			       lhv_errname(err));
		/* The failure left nothing behind that stops the next call. */
		ret = p->call(&w);
		ASSERT_LE(0, ret)
			TH_LOG("%s: after fault %u (%s) the call fails again: %s",
			       p->name, n, lhv_errname(err), lhv_errname(errno));
		ASSERT_EQ(0, p->undo(&w, ret))
			TH_LOG("%s: after fault %u: the call's result is wrong: %s",
			       p->name, n, strerror(errno));
		walk_close(&w);
		ASSERT_TRUE(cpus_as_expected(0, self->online_start, why, sizeof(why)))
			TH_LOG("%s: fault %u, all closed: %s", p->name, n, why);
		ASSERT_EQ(self->pins_start, pins_now())
			TH_LOG("%s: fault %u, all closed: pages left pinned", p->name, n);
	}
	ASSERT_GE(FAILNTH_LIMIT, n) TH_LOG("%s: still faulting after %u points",
					   p->name, FAILNTH_LIMIT);
	for (i = 0; i < FAILNTH_MAX_ERRNOS; i++)
		if (by_errno[i])
			len += snprintf(errnos + len, sizeof(errnos) - len, " %s %u",
					lhv_errname(p->errnos[i]), by_errno[i]);
	printf("# failnth: %s: %u failure points walked (%u failed the call:%s; %u absorbed)\n",
	       p->name, n - 1, failed, failed ? errnos : " none", absorbed);
	EXPECT_LT(0, n - 1) TH_LOG("%s: no fault site at all: the walk proves nothing",
				   p->name);
}

/* Long walks: each CPU take-over is most of a second under KASAN and TCG. */
TEST_F_TIMEOUT(failnth, open_dev, 300)
{
	LHV_RETURN_IF_SKIPPED();
	walk_path(_metadata, self, &paths[0]);
}

TEST_F_TIMEOUT(failnth, create_vm, 300)
{
	LHV_RETURN_IF_SKIPPED();
	walk_path(_metadata, self, &paths[1]);
}

TEST_F_TIMEOUT(failnth, create_vcpu, 900)
{
	LHV_RETURN_IF_SKIPPED();
	walk_path(_metadata, self, &paths[2]);
}

TEST_F_TIMEOUT(failnth, set_memory_region, 300)
{
	LHV_RETURN_IF_SKIPPED();
	walk_path(_metadata, self, &paths[3]);
}

TEST_F_TIMEOUT(failnth, mmap_run_page, 900)
{
	LHV_RETURN_IF_SKIPPED();
	walk_path(_metadata, self, &paths[4]);
}

TEST_F_TIMEOUT(failnth, run_first_entry, 900)
{
	LHV_RETURN_IF_SKIPPED();
	walk_path(_metadata, self, &paths[5]);
}

/*
 * After the walks: no object lhv allocated is unreachable.  kmemleak
 * ignores objects younger than 5 s and finds some only on a second scan.
 */
TEST_F_TIMEOUT(failnth, no_leak, 120)
{
	char line[256];
	FILE *f;
	int n = 0;

	LHV_RETURN_IF_SKIPPED();
	if (access(KMEMLEAK, F_OK))
		SKIP(return, "no %s: the kernel has no kmemleak", KMEMLEAK);
	sleep(6);
	ASSERT_EQ(0, write_file(KMEMLEAK, "scan"));
	ASSERT_EQ(0, write_file(KMEMLEAK, "scan"));
	f = fopen(KMEMLEAK, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (n++ < 60)
			printf("# kmemleak: %s", line);
	}
	fclose(f);
	EXPECT_EQ(0, n) TH_LOG("kmemleak suspects leaks (above)");
}

TEST_HARNESS_MAIN
