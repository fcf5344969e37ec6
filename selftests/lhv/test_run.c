// SPDX-License-Identifier: GPL-2.0
/*
 * LHV_RUN with the test guests (guests/): what each guest prints and
 * reports, the exit records, isolation of guest memory, LHV_GET_STATS,
 * the completion protocol, -EINTR, and the run page's mmap rules.
 * Prints TAP; the guests' COM1 lines appear as "# <guest>: ..." comments.
 *
 * usage: test_run [TEST...]   (hello realmode cpuid triple mmio isolation
 *                             protocol signal runpage; default all)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>

#include "child.h"
#include "guest_vm.h"
#include "isolation.h"
#include "mmio.h"
#include "tap.h"

static struct lhv_vm vm;
static struct lhv_vcpu vcpu;
static struct lhv_outcome out;

/* One line about an outcome, for failure reports. */
static const char *outcome_str(const struct lhv_outcome *o)
{
	static char buf[256];
	char exit[200];

	lhv_format_exit(&o->exit, exit, sizeof(exit));
	snprintf(buf, sizeof(buf), "outcome %d result %u error %s; last %s",
		 o->kind, o->result, o->error ? strerrorname_np(o->error) : "none",
		 exit);
	return buf;
}

static bool console_has(const char *s)
{
	return strstr(vcpu.console, s) != NULL;
}

/* The guest ran to its debug exit with result 0. */
static bool ran_ok(void)
{
	bool ok = !lhv_vcpu_run(&vcpu, &out) && out.kind == LHV_OUT_RESULT &&
		  out.result == 0;

	if (!ok)
		printf("#   %s\n", outcome_str(&out));
	return ok;
}

/* hello: stats at each 0xf5 marker, to prove the compute loop never exits. */
static struct lhv_stats marks[2];
static int nmarks;

static enum lhv_hook_verdict hello_pio(struct lhv_vcpu *v,
				       const struct lhv_exit_pio *pio, __u64 *data)
{
	(void)data;
	if (pio->port != GUEST_MARKER_PORT || pio->direction != LHV_DIR_WRITE ||
	    nmarks >= 2)
		return LHV_HOOK_UNHANDLED;
	return lhv_vcpu_get_stats(v, &marks[nmarks++]) ? LHV_HOOK_UNHANDLED :
							  LHV_HOOK_DONE;
}

static void test_hello(void)
{
	struct lhv_stats s;
	bool ok;

	if (start_guest64(&vm, &vcpu, "hello", 0)) {
		result(false, "hello: set up");
		return;
	}
	vcpu.hooks.pio = hello_pio;
	nmarks = 0;
	result(ran_ok(), "hello: runs to its debug exit with result 0");
	result(console_has("Hello from lhv guest, 4096 KiB of RAM\n") &&
	       console_has("Goodbye\n"),
	       "hello: both prints arrived through COM1");
	ok = nmarks == 2 && marks[1].exits - marks[0].exits == 1 &&
	     marks[1].user_exits - marks[0].user_exits == 1;
	result(ok, "hello: LHV_GET_STATS: exactly one exit (the second marker) across 10^7 compute iterations");
	if (!ok)
		printf("#   markers seen %d; exits %llu -> %llu, user_exits %llu -> %llu\n",
		       nmarks, (unsigned long long)marks[0].exits,
		       (unsigned long long)marks[1].exits,
		       (unsigned long long)marks[0].user_exits,
		       (unsigned long long)marks[1].user_exits);
	ok = !lhv_vcpu_get_stats(&vcpu, &s) && s.user_exits > 2 * 40 &&
	     s.exits >= s.user_exits && s.entries >= s.exits &&
	     s.by_reason[LHV_STAT_IO] >= s.user_exits;
	result(ok, "hello: LHV_GET_STATS sane: entries >= exits >= user_exits, port I/O counted");
	printf("#   exits %llu user_exits %llu entries %llu kicks %llu io %llu npf %llu\n",
	       (unsigned long long)s.exits, (unsigned long long)s.user_exits,
	       (unsigned long long)s.entries, (unsigned long long)s.kicks,
	       (unsigned long long)s.by_reason[LHV_STAT_IO],
	       (unsigned long long)s.by_reason[LHV_STAT_NPF]);
	stop_guest(&vm, &vcpu);
}

static void test_realmode(void)
{
	bool ok;

	ok = !lhv_vm_create(&vm, 0) &&
	     lhv_vm_add_ram(&vm, 0xffff0000, 0x10000, 0) >= 0 &&
	     !lhv_vm_load_flat(&vm, guest_path("hello-realmode.bin"), 0xffff0000) &&
	     !lhv_vcpu_create(&vm, 0, TEST_CPU, &vcpu);
	if (!ok) {
		result(false, "hello-realmode: set up");
		lhv_vm_destroy(&vm);
		return;
	}
	vcpu.prefix = "# hello-realmode: ";
	result(ran_ok(), "hello-realmode: runs from F000:FFF0 to its debug exit with result 0");
	result(console_has("Hello from real mode\n"),
	       "hello-realmode: its print arrived through COM1");
	stop_guest(&vm, &vcpu);
}

/*
 * Leave a pattern in @cpu's XMM registers, as any task that ran there
 * last would, then move off it: Linux does not clear registers it has
 * saved, so they are still there when lhv takes the CPU.
 */
static void leave_xmm_pattern(int cpu)
{
	static const uint8_t pattern[16] = { 0x6c, 0x68, 0x76, 0x21, 0x5a, 0xa5,
					     0x3c, 0xc3, 0x0f, 0xf0, 0x55, 0xaa,
					     0x12, 0x34, 0x56, 0x78 };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return;
	asm volatile("movdqu %0, %%xmm0; movdqa %%xmm0, %%xmm1;"
		     "movdqa %%xmm0, %%xmm2; movdqa %%xmm0, %%xmm3;"
		     "movdqa %%xmm0, %%xmm4; movdqa %%xmm0, %%xmm5;"
		     "movdqa %%xmm0, %%xmm6; movdqa %%xmm0, %%xmm7;"
		     "movdqa %%xmm0, %%xmm8; movdqa %%xmm0, %%xmm9;"
		     "movdqa %%xmm0, %%xmm10; movdqa %%xmm0, %%xmm11;"
		     "movdqa %%xmm0, %%xmm12; movdqa %%xmm0, %%xmm13;"
		     "movdqa %%xmm0, %%xmm14; movdqa %%xmm0, %%xmm15"
		     : : "m"(pattern)
		     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
		       "xmm13", "xmm14", "xmm15");
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void test_cpuid(void)
{
	cpu_set_t all;

	sched_getaffinity(0, sizeof(all), &all);
	leave_xmm_pattern(TEST_CPU);
	if (start_guest64(&vm, &vcpu, "cpuid", 0)) {
		sched_setaffinity(0, sizeof(all), &all);
		result(false, "cpuid: set up");
		return;
	}
	result(ran_ok() && console_has("cpuid: PASS"),
	       "cpuid: VMX and SVM hidden, hypervisor bit and \"lhvlhvlhv\" leaf shown, OSXSAVE follows the guest CR4, XSETBV loads XCR0 (host without XSAVE: XSAVE hidden, XSETBV #UD); x87/SSE registers and XCR0 start at reset, not with the host's");
	stop_guest(&vm, &vcpu);
	sched_setaffinity(0, sizeof(all), &all);
}

static void test_triple_fault(void)
{
	bool ok;

	if (start_guest64(&vm, &vcpu, "triple-fault", 0)) {
		result(false, "triple-fault: set up");
		return;
	}
	ok = lhv_vcpu_run(&vcpu, &out) && out.kind == LHV_OUT_EXIT &&
	     out.exit.exit_reason == LHV_EXIT_SHUTDOWN;
	result(ok && console_has("triple fault ahead"),
	       "triple-fault: an empty IDT and ud2 give LHV_EXIT_SHUTDOWN");
	if (!ok)
		printf("#   %s\n", outcome_str(&out));
	stop_guest(&vm, &vcpu);
}

/* The mmio guest's register file and what it announced (guests/mmio.h). */
static struct {
	unsigned char regs[MMIO_SIZE];
	__u64 expect_value;
	__u32 expect_lo, expect_count;
	unsigned int reads, writes, errors;
} mm;

static void mmio_error(const struct lhv_exit_mmio *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void mmio_error(const struct lhv_exit_mmio *m, const char *fmt, ...)
{
	va_list ap;

	mm.errors++;
	printf("#   MMIO %s gpa %#llx size %u data %#llx at rip %#llx: ",
	       m->direction == LHV_DIR_WRITE ? "write" : "read",
	       (unsigned long long)m->gpa, m->size, (unsigned long long)m->data,
	       (unsigned long long)vcpu.run->rip);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static enum lhv_hook_verdict mmio_pio(struct lhv_vcpu *v,
				      const struct lhv_exit_pio *pio, __u64 *data)
{
	(void)v;
	if (pio->port == MMIO_PORT_PATTERN && pio->direction == LHV_DIR_READ) {
		*data = MMIO_IN_PATTERN & (0xffffffffu >> (32 - 8 * pio->size));
		return LHV_HOOK_DONE;
	}
	if (pio->direction != LHV_DIR_WRITE || pio->size != 4)
		return LHV_HOOK_UNHANDLED;
	switch (pio->port) {
	case MMIO_PORT_EXPECT_LO:
		mm.expect_lo = pio->data;
		return LHV_HOOK_DONE;
	case MMIO_PORT_EXPECT_HI:
		mm.expect_value = (__u64)(__u32)pio->data << 32 | mm.expect_lo;
		return LHV_HOOK_DONE;
	case MMIO_PORT_EXPECT_COUNT:
		if (mm.expect_count)
			printf("#   %u announced writes never came (before rip %#llx)\n",
			       mm.expect_count, (unsigned long long)vcpu.run->rip);
		mm.errors += mm.expect_count != 0;
		mm.expect_count = pio->data;
		return LHV_HOOK_DONE;
	}
	return LHV_HOOK_UNHANDLED;
}

static enum lhv_hook_verdict mmio_access(struct lhv_vcpu *v,
					 const struct lhv_exit_mmio *m, __u64 *data)
{
	__u64 off = m->gpa - MMIO_BASE, mask;

	(void)v;
	if (m->gpa < MMIO_BASE || off >= MMIO_SIZE || m->size > MMIO_SIZE - off ||
	    (m->size != 1 && m->size != 2 && m->size != 4 && m->size != 8)) {
		mmio_error(m, "outside the window or a bad size");
		return LHV_HOOK_UNHANDLED;
	}
	mask = m->size == 8 ? ~0ULL : (1ULL << (8 * m->size)) - 1;
	if (m->direction == LHV_DIR_READ) {
		*data = 0;
		memcpy(data, mm.regs + off, m->size);	/* little endian */
		mm.reads++;
		return LHV_HOOK_DONE;
	}
	mm.writes++;
	if (!mm.expect_count)
		mmio_error(m, "a write the guest did not announce");
	else if ((m->data & mask) != (mm.expect_value & mask))
		mmio_error(m, "the guest meant to write %#llx",
			   (unsigned long long)(mm.expect_value & mask));
	else if (m->data & ~mask)
		mmio_error(m, "data has bits above its size");
	if (mm.expect_count)
		mm.expect_count--;
	memcpy(mm.regs + off, &m->data, m->size);
	return LHV_HOOK_DONE;
}

static void test_mmio(void)
{
	struct lhv_sregs sregs;
	const char *summary;
	bool ok;

	memset(&mm, 0, sizeof(mm));
	if (start_guest64(&vm, &vcpu, "mmio", 0) ||
	    ioctl(vcpu.fd, LHV_GET_SREGS, &sregs)) {
		result(false, "mmio: set up");
		return;
	}
	sregs.fs.base = MMIO_FS_BASE;
	sregs.gs.base = MMIO_GS_BASE;
	if (ioctl(vcpu.fd, LHV_SET_SREGS, &sregs)) {
		result(false, "mmio: FS/GS bases set: %s", strerror(errno));
		stop_guest(&vm, &vcpu);
		return;
	}
	vcpu.hooks.pio = mmio_pio;
	vcpu.hooks.mmio = mmio_access;
	vcpu.prefix = NULL;	/* one line per case: only failures are shown */
	ok = !lhv_vcpu_run(&vcpu, &out) && out.kind == LHV_OUT_RESULT;
	if (!ok || out.result) {
		printf("#   %s\n", outcome_str(&out));
		/* The guest's own report of what failed. */
		for (char *l = strstr(vcpu.console, "FAIL"); l; l = strstr(l + 1, "FAIL"))
			printf("#   guest: %.*s\n", (int)strcspn(l, "\n"), l);
	}
	result(ok && out.result == 0 && console_has("failed checks: PASS"),
	       "mmio: every value the guest read back and every flag matched its RAM run");
	result(ok && mm.errors == 0 && mm.expect_count == 0 && mm.writes > 50 &&
	       mm.reads > 50,
	       "mmio: every write the test saw was the one announced (%u reads, %u writes, %u errors)",
	       mm.reads, mm.writes, mm.errors);
	summary = strstr(vcpu.console, "mmio: ") ? strrchr(vcpu.console, '\n') : NULL;
	/* The guest's last line is its summary: find where it starts. */
	while (summary && summary > vcpu.console && summary[-1] != '\n')
		summary--;
	printf("#   guest: %s", summary && *summary ? summary : "no summary\n");
	stop_guest(&vm, &vcpu);
}

/* isolation: each MMIO write in order, and the canary after guest RAM. */
static struct {
	unsigned int writes, bad;
} iso;

static enum lhv_hook_verdict isolation_mmio(struct lhv_vcpu *v,
					    const struct lhv_exit_mmio *m,
					    __u64 *data)
{
	unsigned int i = iso.writes;

	(void)v;
	if (m->direction == LHV_DIR_READ) {
		if (m->gpa != GUEST_RAM || m->size != 8)
			iso.bad++;
		*data = ISOLATION_READ_VALUE;
		return LHV_HOOK_DONE;
	}
	if (i >= ISOLATION_NR_TARGETS || m->gpa != isolation_target(GUEST_RAM, i) ||
	    m->size != 8 || m->data != ISOLATION_VALUE(i)) {
		printf("#   write %u: gpa %#llx size %u data %#llx\n", i,
		       (unsigned long long)m->gpa, m->size,
		       (unsigned long long)m->data);
		iso.bad++;
	}
	iso.writes++;
	return LHV_HOOK_DONE;
}

static void test_isolation(void)
{
	unsigned char *canary;
	bool intact = true;
	int i;

	if (start_guest64(&vm, &vcpu, "isolation", 4096)) {
		result(false, "isolation: set up");
		return;
	}
	canary = (unsigned char *)vm.ram[0].host + GUEST_RAM;
	memset(canary, 0xa5, 4096);
	memset(&iso, 0, sizeof(iso));
	vcpu.hooks.mmio = isolation_mmio;
	result(ran_ok(), "isolation: guest ran to its debug exit and read back what the test supplied");
	result(iso.writes == ISOLATION_NR_TARGETS && !iso.bad,
	       "isolation: writes past the end of RAM and far outside it are MMIO exits with the right address and value");
	for (i = 0; i < 4096; i++)
		intact = intact && canary[i] == 0xa5;
	result(intact, "isolation: the canary page after guest RAM in the launcher's mapping is untouched");
	stop_guest(&vm, &vcpu);
}

/* Raw LHV_RUN with a hand-made completion. */
static int run_with(__u32 reason, __u16 port, __u8 size, __u8 dir, __u64 data)
{
	struct lhv_completion c = {
		.exit_reason = reason, .port = port, .size = size,
		.direction = dir, .data = data,
	};

	return ioctl(vcpu.fd, LHV_RUN, &c);
}

static bool is_pio(__u16 port, __u8 dir)
{
	const struct lhv_run *r = vcpu.run;

	return r->exit_reason == LHV_EXIT_PIO && r->pio.port == port &&
	       r->pio.direction == dir && r->pio.size == 1;
}

static void test_protocol(void)
{
	struct lhv_completion c = { 0 };
	__u64 rip;

	if (start_guest64(&vm, &vcpu, "hello", 0)) {
		result(false, "protocol: set up");
		return;
	}
	/* hello's first exit is the LSR poll before its first character. */
	result(run_with(LHV_EXIT_NONE, 0, 0, 0, 0) == 0 &&
	       is_pio(LHV_COM1_LSR, LHV_DIR_READ),
	       "protocol: first exit is hello's 1-byte read of COM1 LSR");
	rip = vcpu.run->rip;
	result(run_with(LHV_EXIT_NONE, 0, 0, 0, 0) == 0 &&
	       is_pio(LHV_COM1_LSR, LHV_DIR_READ) && vcpu.run->rip == rip,
	       "protocol: LHV_EXIT_NONE completes nothing: the same request is re-delivered");
	expect_errno(run_with(LHV_EXIT_PIO, LHV_COM1_LSR + 1, 1, LHV_DIR_READ, 0x60),
		     EINVAL, "protocol: completion with another port");
	expect_errno(run_with(LHV_EXIT_PIO, LHV_COM1_LSR, 2, LHV_DIR_READ, 0x60),
		     EINVAL, "protocol: completion with another size");
	expect_errno(run_with(LHV_EXIT_PIO, LHV_COM1_LSR, 1, LHV_DIR_WRITE, 0x60),
		     EINVAL, "protocol: completion with another direction");
	expect_errno(run_with(LHV_EXIT_MMIO, LHV_COM1_LSR, 1, LHV_DIR_READ, 0x60),
		     EINVAL, "protocol: MMIO completion of a PIO exit");
	c.exit_reason = LHV_EXIT_PIO;
	c.port = LHV_COM1_LSR;
	c.size = 1;
	c.reserved[0] = 1;
	expect_errno(ioctl(vcpu.fd, LHV_RUN, &c), EINVAL,
		     "protocol: completion with a reserved field set");
	/* LSR 0: THR busy, so the guest must poll again: the value arrived. */
	result(run_with(LHV_EXIT_PIO, LHV_COM1_LSR, 1, LHV_DIR_READ, 0) == 0 &&
	       is_pio(LHV_COM1_LSR, LHV_DIR_READ) && vcpu.run->rip == rip,
	       "protocol: after the refusals the request is still pending; LSR=0 makes the guest poll again");
	result(run_with(LHV_EXIT_PIO, LHV_COM1_LSR, 1, LHV_DIR_READ, 0x20) == 0 &&
	       is_pio(LHV_COM1_BASE, LHV_DIR_WRITE) && vcpu.run->pio.data == 'H',
	       "protocol: LSR=0x20 (THR empty) reaches the guest: it writes 'H' to THR");
	expect_errno(run_with(LHV_EXIT_PIO, LHV_COM1_BASE, 1, LHV_DIR_READ, 0),
		     EINVAL, "protocol: a write completed as a read");
	result(run_with(LHV_EXIT_PIO, LHV_COM1_BASE, 1, LHV_DIR_WRITE, 'H') == 0 &&
	       is_pio(LHV_COM1_LSR, LHV_DIR_READ),
	       "protocol: completing the write lets the guest go on to its next character");
	stop_guest(&vm, &vcpu);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void arm_alarm(int ms)
{
	struct itimerval t = { .it_value = { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &t, NULL);
}

static void test_signal(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct lhv_stats s1, s2;
	bool ok;

	if (start_guest64(&vm, &vcpu, "spin", 0)) {
		result(false, "signal: set up");
		return;
	}
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	arm_alarm(1500);
	ok = lhv_vcpu_run(&vcpu, &out) && out.kind == LHV_OUT_EINTR &&
	     alarms == 1 && vcpu.run->exit_reason == LHV_EXIT_INTR;
	result(ok && console_has("spinning\n"),
	       "signal: SIGALRM interrupts LHV_RUN on the spinning guest with EINTR, exit_reason LHV_EXIT_INTR");
	if (!ok)
		printf("#   %s, %d alarms\n", outcome_str(&out), (int)alarms);
	lhv_vcpu_get_stats(&vcpu, &s1);
	arm_alarm(500);
	ok = lhv_vcpu_run(&vcpu, &out) && out.kind == LHV_OUT_EINTR && alarms == 2;
	lhv_vcpu_get_stats(&vcpu, &s2);
	result(ok && s2.entries > s1.entries,
	       "signal: a later LHV_RUN enters the guest again (entries %llu -> %llu) until the next signal",
	       (unsigned long long)s1.entries, (unsigned long long)s2.entries);
	if (!ok)
		printf("#   %s, %d alarms\n", outcome_str(&out), (int)alarms);
	signal(SIGALRM, SIG_DFL);
	stop_guest(&vm, &vcpu);
}

/* mmap of the run page must fail; say with what. */
static void mmap_refused(int prot, int flags, size_t len, off_t off, const char *what)
{
	void *p = mmap(NULL, len, prot, flags, vcpu.fd, off);

	result(p == MAP_FAILED, "run page: %s refused%s%s", what,
	       p == MAP_FAILED ? " with " : " (it succeeded)",
	       p == MAP_FAILED ? strerrorname_np(errno) : "");
	if (p != MAP_FAILED)
		munmap(p, len);
}

static void test_runpage(void)
{
	struct lhv_stats s;
	unsigned int i;
	bool zero = true;

	if (start_guest64(&vm, &vcpu, "hello", 0)) {
		result(false, "runpage: set up");
		return;
	}
	result(vcpu.run->exit_reason == LHV_EXIT_NONE,
	       "run page: reads LHV_EXIT_NONE before the first LHV_RUN");
	mmap_refused(PROT_READ | PROT_WRITE, MAP_SHARED, LHV_RUN_PAGE_SIZE, 0,
		     "PROT_WRITE");
	mmap_refused(PROT_READ, MAP_SHARED, 2 * LHV_RUN_PAGE_SIZE, 0, "two pages");
	mmap_refused(PROT_READ, MAP_SHARED, LHV_RUN_PAGE_SIZE, LHV_RUN_PAGE_SIZE,
		     "offset one page");
	result(mprotect((void *)vcpu.run, LHV_RUN_PAGE_SIZE,
			PROT_READ | PROT_WRITE) != 0,
	       "run page: mprotect to PROT_WRITE refused");
	result(!lhv_vcpu_get_stats(&vcpu, &s), "LHV_GET_STATS on a new vCPU");
	zero = !s.exits && !s.user_exits && !s.entries && !s.kicks;
	for (i = 0; i < LHV_STAT_NR; i++)
		zero = zero && !s.by_reason[i];
	result(zero, "LHV_GET_STATS: a vCPU that never ran has every counter 0");
	expect_errno(ioctl(vcpu.fd, LHV_GET_STATS, (void *)8), EFAULT,
		     "LHV_GET_STATS to a bad pointer");
	expect_errno(ioctl(vm.fd, LHV_RUN, &vcpu.comp), ENOTTY, "LHV_RUN on a VM fd");
	stop_guest(&vm, &vcpu);
}

/* Whether the kernel hands out transparent huge pages to madvise()d memory. */
static bool thp_available(void)
{
	char line[128];

	read_line("/sys/kernel/mm/transparent_hugepage/enabled", line, sizeof(line));
	return strstr(line, "[always]") || strstr(line, "[madvise]");
}

/*
 * liblhv backs guest RAM with 2 MiB aligned, MADV_HUGEPAGE memory: where
 * that is a transparent huge page, the nested page table maps it with a
 * 2 MiB leaf.  The local APIC page (xAPIC) is a 4 KiB leaf.
 */
static void test_nested(void)
{
	struct lhv_stats s;

	if (start_guest64(&vm, &vcpu, "hello", 0)) {
		result(false, "nested: set up");
		result(false, "nested: set up");
		return;
	}
	if (lhv_vcpu_get_stats(&vcpu, &s))
		memset(&s, 0, sizeof(s));
	if (thp_available())
		result(s.nested_pages_2m >= 1,
		       "nested: 4 MiB of THP-backed guest RAM uses 2 MiB leaves (%llu 2M, %llu 4K)",
		       (unsigned long long)s.nested_pages_2m,
		       (unsigned long long)s.nested_pages_4k);
	else
		tap_skip("nested: 2 MiB leaves", "no transparent huge pages in this kernel");
	result(s.nested_pages_4k + s.nested_pages_2m * 512 >= GUEST_RAM / 4096,
	       "nested: every guest page is mapped (%llu 2M + %llu 4K leaves)",
	       (unsigned long long)s.nested_pages_2m,
	       (unsigned long long)s.nested_pages_4k);
	stop_guest(&vm, &vcpu);
}

static const struct test {
	const char *name;
	void (*fn)(void);
	int tests;
} tests[] = {
	{ "hello", test_hello, 4 },
	{ "realmode", test_realmode, 2 },
	{ "cpuid", test_cpuid, 1 },
	{ "triple", test_triple_fault, 1 },
	{ "mmio", test_mmio, 2 },
	{ "isolation", test_isolation, 3 },
	{ "protocol", test_protocol, 11 },
	{ "signal", test_signal, 2 },
	{ "runpage", test_runpage, 9 },
	{ "nested", test_nested, 2 },
};

#define NTESTS	(sizeof(tests) / sizeof(tests[0]))
/*
 * Per group, only for a group that hangs.  Nested under KVM on Bochs each
 * exit to userspace costs some 80 ms, and mmio makes about 1,500 of them.
 */
#define GROUP_TIMEOUT_S	600

static void call_group(const void *test)
{
	((const struct test *)test)->fn();
}

static void run_group(unsigned int g)
{
	run_in_child(tests[g].name, tests[g].tests, GROUP_TIMEOUT_S, call_group,
		     &tests[g]);
}

static bool selected(int argc, char **argv, const char *name)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return argc < 2;
}

int main(int argc, char **argv)
{
	char online[64], online_after[64];
	unsigned int i;
	int plan = 1;

	for (i = 0; i < NTESTS; i++)
		if (selected(argc, argv, tests[i].name))
			plan += tests[i].tests;
	printf("1..%d\n", plan);
	read_line("/sys/devices/system/cpu/online", online, sizeof(online));
	tap_share();
	for (i = 0; i < NTESTS; i++) {
		if (!selected(argc, argv, tests[i].name))
			continue;
		run_group(i);
		if (wait_online_ms(TEST_CPU, 5000) < 0)
			printf("#   host CPU %d not back online after %s\n",
			       TEST_CPU, tests[i].name);
	}
	read_line("/sys/devices/system/cpu/online", online_after, sizeof(online_after));
	result(!strcmp(online, online_after),
	       "/sys/devices/system/cpu/online after the tests (%s) as before (%s)",
	       online_after, online);
	return tap_exit_status();
}
