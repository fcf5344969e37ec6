/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The APIC ID of a host CPU from the text of /proc/cpuinfo: pure logic,
 * unit-tested on the host.  Read it while the CPU is online: an offline
 * CPU (one a vCPU owns) has no entry there.
 */
#ifndef _LHV_LAUNCHER_CPUINFO_H
#define _LHV_LAUNCHER_CPUINFO_H

#include <stdint.h>

/*
 * Finds the "processor : @cpu" entry of @text and its "apicid" line.
 * Returns 0 with *@apic_id set, -ENOENT if the CPU or its apicid line is
 * not there, -EINVAL if the value is not a decimal number below 2^32.
 */
int lhv_cpuinfo_apic_id(const char *text, unsigned int cpu, uint32_t *apic_id);

#endif /* _LHV_LAUNCHER_CPUINFO_H */
