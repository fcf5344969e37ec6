// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC changing hands: a guest gets its CPU's APIC in the state
 * INIT leaves, in the mode the host put it in (guests/apic.c checks the
 * registers), and Linux gets a working APIC back: once the CPU is online,
 * its local timer interrupts wake sleepers there again.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "guest_vm.h"
#include "tap.h"

#define APIC_BASE_EXTD	(1ULL << 10)

static struct lhv_vm vm;
static struct lhv_vcpu vcpu;

static bool console_has(const char *s)
{
	return strstr(vcpu.console, s) != NULL;
}

/* CPU @cpu's "LOC" (local timer) count from /proc/interrupts, or -1. */
static long long local_timer_irqs(unsigned int cpu)
{
	char line[4096], *p;
	long long n = -1;
	FILE *f = fopen("/proc/interrupts", "r");
	unsigned int i;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line + strspn(line, " ");
		if (strncmp(p, "LOC:", 4))
			continue;
		p += 4;
		for (i = 0; i <= cpu; i++)
			n = strtoll(p, &p, 10);
		break;
	}
	fclose(f);
	return n;
}

#define TIMER_SLEEPS	50

/*
 * A tickless kernel does not tick on an idle CPU, so an idle CPU's timer
 * count proves nothing: a child on @cpu sleeps 2 ms at a time, and each
 * wake-up is a local timer interrupt there.  Were the timer dead, the
 * child would never wake: it gets 10 s, then it is a failure.
 */
static bool sleep_on_cpu(unsigned int cpu)
{
	cpu_set_t set;
	pid_t child;
	int i, status;

	fflush(stdout);
	child = fork();
	if (child == 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			_exit(2);
		for (i = 0; i < TIMER_SLEEPS; i++)
			usleep(2000);
		_exit(0);
	}
	if (child < 0)
		return false;
	for (i = 0; i < 1000; i++) {
		if (waitpid(child, &status, WNOHANG) == child)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		usleep(10000);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return false;
}

int main(void)
{
	struct lhv_outcome out;
	struct lhv_sregs sregs;
	long long before, after;
	bool x2apic, ran, slept;

	printf("1..4\n");
	if (start_guest64(&vm, &vcpu, "apic", 0)) {
		result(false, "apic: guest set up");
		return 1;
	}
	if (ioctl(vcpu.fd, LHV_GET_SREGS, &sregs))
		sregs.apic_base = 0;
	x2apic = sregs.apic_base & APIC_BASE_EXTD;
	ran = !lhv_vcpu_run(&vcpu, &out) && out.kind == LHV_OUT_RESULT;
	result(ran && out.result == 0 && console_has("apic: PASS"),
	       "apic: the guest finds its APIC software-disabled, LVTs masked, TPR 0, nothing in service or requested");
	result(console_has(x2apic ? "apic: mode x2apic" : "apic: mode xapic"),
	       "apic: the guest's APIC is in the host's mode (%s)",
	       x2apic ? "x2APIC" : "xAPIC");
	stop_guest(&vm, &vcpu);

	result(cpu_online(TEST_CPU) == 1, "apic: CPU %d online again", TEST_CPU);
	before = local_timer_irqs(TEST_CPU);
	slept = sleep_on_cpu(TEST_CPU);
	after = local_timer_irqs(TEST_CPU);
	result(slept && before >= 0 && after > before,
	       "apic: Linux's local timer fires on CPU %d again: %d short sleeps there ended (LOC %lld -> %lld)",
	       TEST_CPU, TIMER_SLEEPS, before, after);
	return tap_exit_status();
}
