// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/cpuinfo: one block per online CPU, "key<tabs>: value" lines,
 * blocks separated by an empty line (arch/x86/kernel/cpu/proc.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpuinfo.h"

/* If @line is "@key<spaces or tabs>: value", the value; else NULL. */
static const char *value_of(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n))
		return NULL;
	line += n;
	line += strspn(line, " \t");
	return *line == ':' ? line + 1 + strspn(line + 1, " \t") : NULL;
}

/* A decimal number up to the end of its line. */
static int parse_u32(const char *s, uint32_t *v)
{
	unsigned long long n = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (*s - '0');
		if (n > UINT32_MAX)
			return -EINVAL;
	}
	if (*s && *s != '\n')
		return -EINVAL;
	*v = n;
	return 0;
}

int lhv_cpuinfo_apic_id(const char *text, unsigned int cpu, uint32_t *apic_id)
{
	const char *line, *v;
	bool in_cpu = false;
	uint32_t n;

	for (line = text; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		v = value_of(line, "processor");
		if (v) {
			in_cpu = !parse_u32(v, &n) && n == cpu;
			continue;
		}
		v = in_cpu ? value_of(line, "apicid") : NULL;
		if (v)
			return parse_u32(v, apic_id);
	}
	return -ENOENT;
}
