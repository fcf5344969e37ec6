// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC changing hands: a guest gets its CPU's APIC in the state
 * INIT leaves, in the mode the host put it in (guests/apic.c checks the
 * registers), and Linux gets a working APIC back: the CPU's local timer
 * interrupts count up again once it is online.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>

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

int main(void)
{
	struct lhv_outcome out;
	struct lhv_sregs sregs;
	long long before, after;
	bool x2apic, ran;

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
	usleep(500000);
	after = local_timer_irqs(TEST_CPU);
	result(before >= 0 && after > before,
	       "apic: Linux's local timer ticks on CPU %d again (%lld -> %lld)",
	       TEST_CPU, before, after);
	return tap_exit_status();
}
