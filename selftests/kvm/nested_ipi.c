// SPDX-License-Identifier: GPL-2.0
/*
 * The two-vCPU harness of the nested INIT/SIPI tests (nested_ipi.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "nested_ipi.h"

struct nipi_mbox nipi_mbox;

/* ---- guest side ---- */

static void sender_icr(uint64_t low)
{
	x2apic_write_reg(APIC_ICR, ((uint64_t)NIPI_TARGET_ID << 32) | low);
}

/* vCPU 1: wait for a command, send it, say so; forever until QUIT. */
void nipi_sender_code(void)
{
	uint64_t seen = 0;

	x2apic_enable();
	for (;;) {
		while (nipi_mbox.seq == seen)
			cpu_relax();
		seen = nipi_mbox.seq;
		switch (nipi_mbox.cmd) {
		case NIPI_CMD_INIT:
			sender_icr(APIC_DEST_PHYSICAL | APIC_INT_ASSERT | APIC_DM_INIT);
			break;
		case NIPI_CMD_SIPI:
			sender_icr(APIC_DEST_PHYSICAL | APIC_INT_ASSERT | APIC_DM_STARTUP |
				   (nipi_mbox.vector & APIC_VECTOR_MASK));
			break;
		case NIPI_CMD_QUIT:
			nipi_mbox.done = seen;
			GUEST_DONE();
			break;
		default:
			GUEST_ASSERT_1(0, nipi_mbox.cmd);
		}
		nipi_mbox.done = seen;
	}
}

void nipi_guest_post(uint32_t cmd, uint32_t vector)
{
	nipi_mbox.cmd = cmd;
	nipi_mbox.vector = vector;
	__atomic_add_fetch(&nipi_mbox.seq, 1, __ATOMIC_SEQ_CST);
}

/* Post and wait until the sender's ICR write has completed. */
void nipi_guest_send(uint32_t cmd, uint32_t vector)
{
	uint64_t seq;

	nipi_guest_post(cmd, vector);
	seq = nipi_mbox.seq;
	while (nipi_mbox.done != seq)
		cpu_relax();
}

/* ---- host side: TAP ---- */

static const char *const *plan_names;
static unsigned int plan_n, plan_next;

void nipi_begin(const char *const *names, unsigned int n)
{
	plan_names = names;
	plan_n = n;
	plan_next = 0;
	/* Interleave with the library's messages on stderr in order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(n);
}

static const char *next_name(void)
{
	if (plan_next >= plan_n) {
		ksft_print_msg("more results than the plan of %u\n", plan_n);
		exit(KSFT_FAIL);
	}
	return plan_names[plan_next++];
}

/* One check; the detail (what was observed) goes out as a diagnostic. */
void nipi_result(bool ok, const char *fmt, ...)
{
	const char *name = next_name();
	va_list ap;

	if (fmt && *fmt) {
		printf("# %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	if (ok)
		ksft_test_result_pass("%s\n", name);
	else
		ksft_test_result_fail("%s\n", name);
}

/*
 * A check where KVM 6.1 is known to deviate from the architecture: the
 * known deviation is reported as a skip that says so, never as a pass;
 * anything else that is not the architectural result fails.
 */
void nipi_result_known(bool ok, bool known, const char *reason)
{
	const char *name = next_name();

	if (ok)
		ksft_test_result_pass("%s\n", name);
	else if (known)
		ksft_test_result_skip("%s: known KVM 6.1 deviation: %s\n", name, reason);
	else
		ksft_test_result_fail("%s\n", name);
}

void nipi_skip_all(const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	while (plan_next < plan_n)
		ksft_test_result_skip("%s: %s\n", plan_names[plan_next++], why);
	ksft_print_cnts();
	exit(KSFT_SKIP);
}

/* Give up: every check not yet reported fails with the reason. */
void nipi_bail(const char *fmt, ...)
{
	char why[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ksft_print_msg("giving up: %s\n", why);
	while (plan_next < plan_n)
		ksft_test_result_fail("%s (not reached)\n", plan_names[plan_next++]);
	ksft_print_cnts();
	fflush(stdout);
	/* The vCPU threads may be stuck in KVM_RUN: end them with the process. */
	_exit(KSFT_FAIL);
}

int nipi_end(void)
{
	if (plan_next != plan_n)
		nipi_bail("%u of %u checks reported", plan_next, plan_n);
	ksft_print_cnts();
	return ksft_get_fail_cnt() ? KSFT_FAIL : KSFT_PASS;
}

/* ---- host side: can this host run the tests? ---- */

static char unavailable[256];

/* Y, N, 1 or 0 from a module's parameter file; -1 if there is none. */
static int module_param_bool(const char *path)
{
	char buf[8] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
}

static const char *nested_unavailable(const char *vendor, bool vendor_ok,
				      const char *module, const char *param)
{
	int nested;

	if (!vendor_ok) {
		snprintf(unavailable, sizeof(unavailable),
			 "the CPU is not %s, so %s does not run here", vendor, module);
		return unavailable;
	}
	nested = module_param_bool(param);
	if (nested < 0) {
		snprintf(unavailable, sizeof(unavailable),
			 "%s is not loaded (no %s)", module, param);
		return unavailable;
	}
	if (!nested) {
		snprintf(unavailable, sizeof(unavailable),
			 "%s is loaded with nested=0: load it with nested=1", module);
		return unavailable;
	}
	return NULL;
}

const char *nipi_vmx_unavailable(void)
{
	const char *why = nested_unavailable("Intel", is_intel_cpu(), "kvm_intel",
					     "/sys/module/kvm_intel/parameters/nested");

	if (!why && !kvm_cpu_has(X86_FEATURE_VMX))
		why = "KVM does not offer VMX to its guests";
	if (!why && !kvm_cpu_has(X86_FEATURE_X2APIC))
		why = "KVM does not offer x2APIC, which the IPI sender uses";
	return why;
}

const char *nipi_svm_unavailable(void)
{
	const char *why = nested_unavailable("AMD", is_amd_cpu(), "kvm_amd",
					     "/sys/module/kvm_amd/parameters/nested");

	if (!why && !kvm_cpu_has(X86_FEATURE_SVM))
		why = "KVM does not offer SVM to its guests";
	if (!why && !kvm_cpu_has(X86_FEATURE_X2APIC))
		why = "KVM does not offer x2APIC, which the IPI sender uses";
	return why;
}

/* ---- host side: the VM and its vCPU threads ---- */

struct vcpu_thread {
	struct kvm_vcpu *vcpu;
	pthread_t tid;
	volatile bool ended;
	volatile bool failed;
	char msg[512];
};

static struct kvm_vm *vm;
static struct vcpu_thread threads[2];	/* [0] target, [1] sender */
static struct nipi_mbox *mbox;		/* nipi_mbox in guest memory */
static void (*sync_hook)(struct kvm_vcpu *vcpu, uint64_t stage, uint64_t arg);
static double timeout_s;

static int stats_fd = -1;
static struct kvm_stats_header stats_header;
static struct kvm_stats_desc *blocking_desc;
static bool blocking_warned;

void *nipi_guest_hva(const void *guest_sym)
{
	return addr_gva2hva(vm, (vm_vaddr_t)guest_sym);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void thread_fail(struct vcpu_thread *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->failed = true;
}

static void *vcpu_thread_fn(void *arg)
{
	struct vcpu_thread *t = arg;
	struct kvm_run *run = t->vcpu->run;
	struct ucall uc;
	int r;

	for (;;) {
		r = __vcpu_run(t->vcpu);
		if (r) {
			thread_fail(t, "KVM_RUN failed: %s", strerror(errno));
			break;
		}
		if (run->exit_reason != KVM_EXIT_IO) {
			thread_fail(t, "unexpected exit to userspace: %u (%s)",
				    run->exit_reason, exit_reason_str(run->exit_reason));
			break;
		}
		switch (get_ucall(t->vcpu, &uc)) {
		case UCALL_SYNC:
			if (sync_hook && t == &threads[0])
				sync_hook(t->vcpu, uc.args[1], uc.args[2]);
			continue;
		case UCALL_DONE:
			break;
		case UCALL_ABORT:
			thread_fail(t, "%s at %s:%lu (values %#lx %#lx)",
				    (const char *)uc.args[GUEST_ERROR_STRING],
				    (const char *)uc.args[GUEST_FILE],
				    uc.args[GUEST_LINE], GUEST_ASSERT_ARG(uc, 0),
				    GUEST_ASSERT_ARG(uc, 1));
			break;
		case UCALL_UNHANDLED:
			thread_fail(t, "unexpected exception, vector %#lx", uc.args[0]);
			break;
		default:
			thread_fail(t, "unexpected port I/O %#x", run->io.port);
			break;
		}
		break;
	}
	t->ended = true;
	return NULL;
}

/* The "blocking" statistic of vCPU 0, if this KVM has it. */
static void stats_init(struct kvm_vcpu *vcpu)
{
	struct kvm_stats_desc *descs, *d;
	unsigned int i;

	stats_fd = __vcpu_ioctl(vcpu, KVM_GET_STATS_FD, NULL);
	if (stats_fd < 0)
		return;
	read_stats_header(stats_fd, &stats_header);
	descs = read_stats_descriptors(stats_fd, &stats_header);
	for (i = 0; i < stats_header.num_desc; i++) {
		d = get_stats_descriptor(descs, i, &stats_header);
		if (!strcmp(d->name, "blocking"))
			blocking_desc = d;
	}
}

struct kvm_vm *nipi_create(void *target_code, struct kvm_vcpu **target)
{
	const char *env = getenv("NIPI_TIMEOUT");

	timeout_s = env ? atof(env) : 300;
	if (timeout_s <= 0)
		timeout_s = 300;

	vm = vm_create(2);
	threads[0].vcpu = vm_vcpu_add(vm, NIPI_TARGET_ID, target_code);
	threads[1].vcpu = vm_vcpu_add(vm, NIPI_SENDER_ID, nipi_sender_code);
	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(threads[0].vcpu);
	vcpu_init_descriptor_tables(threads[1].vcpu);
	mbox = nipi_guest_hva(&nipi_mbox);
	memset(mbox, 0, sizeof(*mbox));
	stats_init(threads[0].vcpu);
	*target = threads[0].vcpu;
	return vm;
}

void nipi_set_sync_hook(void (*hook)(struct kvm_vcpu *vcpu, uint64_t stage, uint64_t arg))
{
	sync_hook = hook;
}

void nipi_start(void)
{
	int i, r;

	for (i = 0; i < 2; i++) {
		r = pthread_create(&threads[i].tid, NULL, vcpu_thread_fn, &threads[i]);
		TEST_ASSERT(!r, "pthread_create: %s", strerror(r));
	}
}

static void check_alive(double start, const char *what)
{
	if (threads[0].failed)
		nipi_bail("target vCPU (L1): %s (while waiting for %s)", threads[0].msg, what);
	if (threads[1].failed)
		nipi_bail("sender vCPU: %s (while waiting for %s)", threads[1].msg, what);
	if (now() - start > timeout_s)
		nipi_bail("timeout after %.0f s waiting for %s (target at stage %lu)",
			  timeout_s, what, (unsigned long)mbox->stage);
}

void nipi_wait_stage(uint64_t stage)
{
	double start = now();
	char what[64];

	snprintf(what, sizeof(what), "target stage %lu", (unsigned long)stage);
	while (mbox->stage < stage) {
		check_alive(start, what);
		if (threads[0].ended)
			nipi_bail("target vCPU ended before stage %lu", (unsigned long)stage);
		usleep(1000);
	}
}

bool nipi_target_blocked(void)
{
	uint64_t v = 0;

	if (!blocking_desc)
		return false;
	read_stat_data(stats_fd, &stats_header, blocking_desc, &v, 1);
	return v != 0;
}

/*
 * Wait until KVM has vCPU 0 asleep while the target is at @stage (L2 in
 * wait-for-SIPI); false if the target moved on instead, i.e. the VM entry
 * exited at once.  Without the statistic (KVM before 5.16), wait a
 * generous fixed time instead.
 */
bool nipi_wait_blocked(uint64_t stage)
{
	double start = now();

	if (!blocking_desc) {
		if (!blocking_warned)
			ksft_print_msg("no vCPU statistic \"blocking\": waiting 2 s instead\n");
		blocking_warned = true;
		sleep(2);
		return mbox->stage == stage && !threads[0].ended;
	}
	for (;;) {
		if (nipi_target_blocked() && mbox->stage == stage)
			return true;
		if (mbox->stage != stage || threads[0].ended)
			return false;
		check_alive(start, "vCPU 0 to sleep in wait-for-SIPI");
		usleep(1000);
	}
}

void nipi_host_send(uint32_t cmd, uint32_t vector)
{
	double start = now();
	uint64_t seq;

	mbox->cmd = cmd;
	mbox->vector = vector;
	seq = __atomic_add_fetch(&mbox->seq, 1, __ATOMIC_SEQ_CST);
	while (mbox->done != seq) {
		check_alive(start, "the sender vCPU");
		if (threads[1].ended)
			nipi_bail("sender vCPU ended");
		usleep(1000);
	}
}

/* Let the target finish, stop the sender, and collect both threads. */
void nipi_finish(void)
{
	double start = now();
	int i;

	while (!threads[0].ended)  {
		check_alive(start, "the target vCPU to finish");
		usleep(1000);
	}
	check_alive(start, "the target vCPU to finish");
	nipi_host_send(NIPI_CMD_QUIT, 0);
	while (!threads[1].ended) {
		check_alive(start, "the sender vCPU to finish");
		usleep(1000);
	}
	check_alive(start, "the sender vCPU to finish");
	for (i = 0; i < 2; i++)
		pthread_join(threads[i].tid, NULL);
}
