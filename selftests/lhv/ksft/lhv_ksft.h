/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of lhv's kselftests (selftests/lhv/ksft): opening /dev/lhv or
 * skipping, the host CPUs the tests may give to vCPUs, argument pointers
 * the kernel cannot use, LHV_RUN with a bounded life and a tiny real-mode
 * test guest.  Include after kselftest_harness.h.
 *
 * The tests give host CPUs 1-3 at most to vCPUs: CPU 0 is never lhv's,
 * and the 4-CPU test VMs have no others.  On a bigger host the other CPUs
 * stay untouched.
 */
#ifndef _LHV_KSFT_H
#define _LHV_KSFT_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/lhv.h>

#define LHV_DEV_PATH	"/dev/lhv"
#define LHV_FIRST_CPU	1
#define LHV_LAST_CPU	3
#define LHV_PAGE	4096ULL
#define LHV_CPU_ONLINE	"/sys/devices/system/cpu/online"

/*
 * The 6.1 harness runs a TEST_F() body even when its FIXTURE_SETUP()
 * called SKIP() (only a failed setup stops it), so every body that
 * depends on its setup starts with this.
 */
#define LHV_RETURN_IF_SKIPPED() do {			\
	if (_metadata->skip)				\
		return;					\
} while (0)

/* /dev/lhv, or -1 with the reason the tests cannot run in @why. */
static inline int lhv_open_dev(char *why, size_t len)
{
	int fd = open(LHV_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		snprintf(why, len, "%s does not exist: lhv.ko is not loaded",
			 LHV_DEV_PATH);
	else if (errno == EACCES || errno == EPERM)
		snprintf(why, len, "cannot open %s: %s (the tests need root)",
			 LHV_DEV_PATH, strerror(errno));
	else
		snprintf(why, len, "cannot open %s: %s", LHV_DEV_PATH,
			 strerror(errno));
	return -1;
}

/* In a test or setup: /dev/lhv into @fd, or SKIP() with the reason. */
/* The test VM's platform must offer passthrough (scripts/run-vm). */
static inline bool lhv_expect_passthrough(void)
{
	const char *e = getenv("LHV_EXPECT_PASSTHROUGH");

	return e && !strcmp(e, "1");
}

#define LHV_OPEN_OR_SKIP(fd) do {				\
	char __why[160];					\
								\
	(fd) = lhv_open_dev(__why, sizeof(__why));		\
	if ((fd) < 0)						\
		SKIP(return, "%s", __why);			\
} while (0)

/* An errno's name ("EINVAL"), also for values glibc does not name. */
static inline const char *lhv_errname(int err)
{
	static char buf[4][24];
	static unsigned int next;
	const char *name = strerrorname_np(err);
	char *b;

	if (name)
		return name;
	b = buf[next++ % 4];
	snprintf(b, sizeof(buf[0]), "errno %d", err);
	return b;
}

/*
 * @call fails with errno @err.  errno is compared by name, so a failure
 * reads "Expected 'EINVAL' == 'ENOTTY'".
 */
#define EXPECT_ERRNO(err, call) do {					\
	long __ret;							\
	int __err;							\
									\
	errno = 0;							\
	__ret = (call);							\
	__err = errno;							\
	EXPECT_EQ(-1, __ret) TH_LOG("%s succeeded (returned %ld)",	\
				    #call, __ret);			\
	if (__ret == -1)						\
		EXPECT_STREQ(lhv_errname(err), lhv_errname(__err)) \
			TH_LOG("%s", #call);				\
} while (0)

/* The same in a loop: @fmt says which of the inputs failed. */
#define EXPECT_ERRNO_MSG(err, call, fmt, ...) do {			\
	long __ret;							\
	int __err;							\
									\
	errno = 0;							\
	__ret = (call);							\
	__err = errno;							\
	EXPECT_EQ(-1, __ret) TH_LOG("%s succeeded (returned %ld): " fmt, \
				    #call, __ret, ##__VA_ARGS__);	\
	if (__ret == -1)						\
		EXPECT_STREQ(lhv_errname(err), lhv_errname(__err)) \
			TH_LOG("%s: " fmt, #call, ##__VA_ARGS__);	\
} while (0)

/* The first line of a sysfs or procfs file, newline stripped ("" if none). */
static inline void lhv_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, len, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

static inline long long lhv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* 1 online, 0 offline, -1 no such CPU (or no hotplug control). */
static inline int lhv_cpu_online(unsigned int cpu)
{
	char path[80], v[8];

	if (cpu == 0)
		return 1;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	lhv_read_line(path, v, sizeof(v));
	return v[0] == '1' ? 1 : v[0] == '0' ? 0 : -1;
}

static inline int lhv_set_cpu_online(unsigned int cpu, bool on)
{
	char path[80];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/* A CPU given back comes online through add_cpu(): poll for it. */
static inline bool lhv_wait_online(unsigned int cpu, int limit_ms)
{
	long long end = lhv_now_ms() + limit_ms;

	while (lhv_cpu_online(cpu) != 1) {
		if (lhv_now_ms() > end)
			return false;
		usleep(10000);
	}
	return true;
}

/* Whether host CPUs @first..@last are online (free for a vCPU); else why. */
static inline bool lhv_cpus_usable(unsigned int first, unsigned int last,
				   char *why, size_t len)
{
	unsigned int cpu;

	for (cpu = first; cpu <= last; cpu++) {
		if (lhv_cpu_online(cpu) != 1) {
			snprintf(why, len,
				 "host CPU %u is not online (the test needs CPUs %u-%u)",
				 cpu, first, last);
			return false;
		}
	}
	return true;
}

/* In a test or setup: SKIP() unless host CPUs @first..@last are usable. */
#define LHV_CPUS_OR_SKIP(first, last) do {				\
	char __why[160];						\
									\
	if (!lhv_cpus_usable(first, last, __why, sizeof(__why)))	\
		SKIP(return, "%s", __why);				\
} while (0)

/* How many CPUs may exist: the end of /sys/devices/system/cpu/possible. */
static inline unsigned int lhv_possible_cpus(void)
{
	char line[128], *last;

	lhv_read_line("/sys/devices/system/cpu/possible", line, sizeof(line));
	last = strrchr(line, '-');
	if (!last)
		last = strrchr(line, ',');
	return (last ? strtoul(last + 1, NULL, 10) : strtoul(line, NULL, 10)) + 1;
}

static inline int lhv_vm_create(int dev, __u32 lapic_mode)
{
	struct lhv_vm_config cfg = { .lapic_mode = lapic_mode };

	return ioctl(dev, LHV_CREATE_VM, &cfg);
}

static inline int lhv_vcpu_create(int vm, __u32 id, __u32 host_cpu)
{
	struct lhv_vcpu_config cfg = { .vcpu_id = id, .host_cpu = host_cpu };

	return ioctl(vm, LHV_CREATE_VCPU, &cfg);
}

static inline int lhv_set_region(int vm, __u32 slot, __u32 flags, __u64 gpa,
				 __u64 size, const void *mem)
{
	struct lhv_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)mem,
	};

	return ioctl(vm, LHV_SET_MEMORY_REGION, &r);
}

static inline struct lhv_run *lhv_map_run(int vcpu)
{
	void *p = mmap(NULL, LHV_RUN_PAGE_SIZE, PROT_READ, MAP_SHARED, vcpu, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Argument pointers no ioctl can use: NULL, a kernel address, and one
 * whose structure runs from a readable page into an inaccessible one (a
 * copy that faults half way).
 */
#define LHV_NR_BAD_PTRS	3

static inline void *lhv_bad_ptr(unsigned int i)
{
	static char *pages;

	if (!pages) {
		pages = mmap(NULL, 2 * LHV_PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pages == MAP_FAILED ||
		    mprotect(pages + LHV_PAGE, LHV_PAGE, PROT_NONE))
			return NULL;
	}
	switch (i % LHV_NR_BAD_PTRS) {
	case 0:
		return NULL;
	case 1:
		return (void *)0xffffffff81000000ULL;
	default:
		return pages + LHV_PAGE - 8;
	}
}

static inline void lhv_ignore_signal(int sig)
{
	(void)sig;
}

/*
 * LHV_RUN with a bounded life: SIGALRM every @ms milliseconds until it
 * returns, from a handler without SA_RESTART, so a guest that never exits
 * to userspace ends in EINTR.  One signal is not enough: one that arrives
 * just before the thread enters LHV_RUN is not seen by it.
 */
static inline int lhv_run_bounded(int vcpu, const struct lhv_completion *c,
				  int ms)
{
	struct sigaction sa = { .sa_handler = lhv_ignore_signal };
	struct itimerval on = {
		.it_interval = { ms / 1000, (ms % 1000) * 1000 },
		.it_value = { ms / 1000, (ms % 1000) * 1000 },
	};
	struct itimerval off = { 0 };
	int ret, err;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &on, NULL);
	ret = ioctl(vcpu, LHV_RUN, c);
	err = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	errno = err;
	return ret;
}

/* The completion that repeats the exit in @run, with @data for a read. */
static inline struct lhv_completion lhv_completion_for(const struct lhv_run *run,
							__u64 data)
{
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };

	if (run->exit_reason == LHV_EXIT_PIO) {
		c.exit_reason = LHV_EXIT_PIO;
		c.port = run->pio.port;
		c.size = run->pio.size;
		c.direction = run->pio.direction;
		c.data = data;
	} else if (run->exit_reason == LHV_EXIT_MMIO) {
		c.exit_reason = LHV_EXIT_MMIO;
		c.gpa = run->mmio.gpa;
		c.size = run->mmio.size;
		c.direction = run->mmio.direction;
		c.data = data;
	}
	return c;
}

/*
 * The test guest: 16-bit real-mode code at LHV_GUEST_CODE in
 * LHV_GUEST_RAM bytes of RAM at GPA 0, started at CS:IP 0000:1000.  It
 * loops over one exit of each kind, so a test can walk the completion
 * protocol:
 *
 *   1000: mov al, 0x2a; out 0xf4, al	PIO write 0x2a to port 0xf4
 *   1004: in al, 0xf5			PIO read of port 0xf5
 *   1006: mov bx, 0x2000; mov ds, bx
 *   100b: mov [0x0000], al		MMIO write of that value to 0x20000
 *   100e: mov al, [0x0010]		MMIO read of 0x20010
 *   1011: out 0xf4, al			PIO write of the value read
 *   1013: jmp 1000
 *
 * Every access outside its 64 KiB of RAM is MMIO, and no instruction
 * needs more than real mode: it runs on every backend.
 */
#define LHV_GUEST_RAM		0x10000ULL
#define LHV_GUEST_CODE		0x1000ULL
#define LHV_GUEST_PORT_OUT	0xf4
#define LHV_GUEST_PORT_IN	0xf5
#define LHV_GUEST_MMIO_OUT	0x20000ULL
#define LHV_GUEST_MMIO_IN	0x20010ULL
#define LHV_GUEST_HELLO		0x2a

static const unsigned char lhv_guest_code[] = {
	0xb0, LHV_GUEST_HELLO,		/* mov al, 0x2a */
	0xe6, LHV_GUEST_PORT_OUT,	/* out 0xf4, al */
	0xe4, LHV_GUEST_PORT_IN,	/* in al, 0xf5 */
	0xbb, 0x00, 0x20,		/* mov bx, 0x2000 */
	0x8e, 0xdb,			/* mov ds, bx */
	0xa2, 0x00, 0x00,		/* mov [0x0000], al */
	0xa0, 0x10, 0x00,		/* mov al, [0x0010] */
	0xe6, LHV_GUEST_PORT_OUT,	/* out 0xf4, al */
	0xeb, 0xeb,			/* jmp 0x1000 */
};

/* The guest's RAM, or NULL. */
static inline void *lhv_guest_ram(void)
{
	void *p = mmap(NULL, LHV_GUEST_RAM, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memcpy((char *)p + LHV_GUEST_CODE, lhv_guest_code, sizeof(lhv_guest_code));
	return p;
}

/*
 * Give VM @vm the guest's RAM (slot 0) and put vCPU @vcpu at its first
 * instruction, running (a new vCPU waits for SIPI).  0, or -1 with errno
 * of the call that failed.
 */
static inline int lhv_guest_setup(int vm, int vcpu, void *ram)
{
	struct lhv_run_state rs = { .state = LHV_RUN_STATE_RUNNING };
	struct lhv_sregs sregs;
	struct lhv_regs regs;

	if (lhv_set_region(vm, 0, 0, 0, LHV_GUEST_RAM, ram) ||
	    ioctl(vcpu, LHV_GET_SREGS, &sregs) || ioctl(vcpu, LHV_GET_REGS, &regs))
		return -1;
	sregs.cs.selector = 0;
	sregs.cs.base = 0;
	regs.rip = LHV_GUEST_CODE;
	if (ioctl(vcpu, LHV_SET_SREGS, &sregs) || ioctl(vcpu, LHV_SET_REGS, &regs) ||
	    ioctl(vcpu, LHV_SET_RUN_STATE, &rs))
		return -1;
	return 0;
}

/*
 * The kernel log from now on: /dev/kmsg opened at its end, read without
 * blocking.  -1 if it cannot be read (the checks of log lines then skip).
 */
static inline int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Whether a record logged since kmsg_open_at_end() contains @text. */
static inline bool kmsg_has(int fd, const char *text)
{
	char rec[2048];
	bool found = false;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten: read on */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, text))
			found = true;
	}
	return found;
}

/* /sys/devices/system/cpu/online when the program started. */
static char lhv_online_at_start[256];

static void __attribute__((constructor)) lhv_ksft_start(void)
{
	/* Lines whole and in order when the runner pipes the output. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	lhv_read_line(LHV_CPU_ONLINE, lhv_online_at_start,
		      sizeof(lhv_online_at_start));
}

/* Whether every CPU online at the start is online again (within @ms). */
static inline bool lhv_online_as_at_start(char *now, size_t len, int ms)
{
	long long end = lhv_now_ms() + ms;

	for (;;) {
		lhv_read_line(LHV_CPU_ONLINE, now, len);
		if (!strcmp(now, lhv_online_at_start))
			return true;
		if (lhv_now_ms() > end)
			return false;
		usleep(50000);
	}
}

#endif /* _LHV_KSFT_H */
