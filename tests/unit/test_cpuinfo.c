// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the /proc/cpuinfo APIC ID parser (launcher/cpuinfo.c),
 * on text shaped like Linux 6.1's x86 /proc/cpuinfo.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../launcher/cpuinfo.h"
#include "unit.h"

static char text[8192];

/* /proc/cpuinfo with CPUs 0, 1, 3 (2 offline) and APIC IDs 0, 2, 6. */
static void build(void)
{
	static const unsigned int cpus[] = { 0, 1, 3 }, ids[] = { 0, 2, 6 };
	size_t n = 0, i;

	for (i = 0; i < 3; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "processor\t: %u\nvendor_id\t: AuthenticAMD\n"
			      "model name\t: AMD EPYC Processor\n"
			      "physical id\t: 0\nsiblings\t: 4\ncore id\t\t: %u\n"
			      "apicid\t\t: %u\ninitial apicid\t: %u\n"
			      "flags\t\t: fpu apic svm\n\n",
			      cpus[i], cpus[i], ids[i], ids[i]);
}

static void expect(const char *t, unsigned int cpu, int ret, uint32_t want,
		   const char *name)
{
	uint32_t id = 0xdead;
	int r = lhv_cpuinfo_apic_id(t, cpu, &id);

	CHECK(r == ret && (ret || id == want), name);
	if (r != ret || (!ret && id != want))
		printf("#   returned %d, APIC ID %u\n", r, id);
}

int main(void)
{
	build();
	expect(text, 0, 0, 0, "CPU 0: APIC ID 0");
	expect(text, 1, 0, 2, "CPU 1: APIC ID 2");
	expect(text, 3, 0, 6, "CPU 3 after an offline CPU 2: APIC ID 6, not \"initial apicid\"");
	expect(text, 2, -ENOENT, 0, "offline CPU 2 (not listed): -ENOENT");
	expect(text, 13, -ENOENT, 0, "CPU 13 (not a prefix match of 1 or 3): -ENOENT");
	expect("", 0, -ENOENT, 0, "empty text: -ENOENT");
	expect("processor\t: 0\nflags\t\t: fpu\n", 0, -ENOENT, 0,
	       "no apicid line: -ENOENT");
	expect("processor\t: 0\napicid\t\t: x1\n", 0, -EINVAL, 0,
	       "apicid not a number: -EINVAL");
	expect("processor\t: 0\napicid\t\t: 4294967296\n", 0, -EINVAL, 0,
	       "apicid of 2^32: -EINVAL");
	expect("processor\t: 0\napicid\t\t: 4294967295", 0, 0, 4294967295u,
	       "apicid 2^32 - 1 at the end of the text without a newline");
	expect("processor\t: 0\napicidx\t: 5\napicid\t: 7\n", 0, 0, 7,
	       "a longer key that starts with apicid is not it");
	expect("processor\t: 1\napicid\t: 9\nprocessor\t: 0\n", 0, -ENOENT, 0,
	       "another CPU's apicid is never taken");
	return unit_done();
}
