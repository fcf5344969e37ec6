/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One contiguous piece of guest RAM as the launcher sees it.  The loaders
 * and the long-mode builder write guests through this view only, so they
 * are pure logic that the host unit tests run under sanitizers.
 */
#ifndef _LHV_GUEST_RAM_H
#define _LHV_GUEST_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lhv_guest_ram {
	void *host;		/* the launcher's mapping of it */
	uint64_t gpa;		/* where the guest sees it */
	uint64_t size;		/* bytes */
};

/*
 * The host address of [@gpa, @gpa + @len) when all of it lies inside @ram,
 * else NULL.  Written so that no sum can wrap, whatever the inputs.
 */
static inline void *lhv_ram_ptr(const struct lhv_guest_ram *ram, uint64_t gpa,
				uint64_t len)
{
	if (gpa < ram->gpa || len > ram->size ||
	    gpa - ram->gpa > ram->size - len)
		return NULL;
	return (char *)ram->host + (gpa - ram->gpa);
}

#endif /* _LHV_GUEST_RAM_H */
