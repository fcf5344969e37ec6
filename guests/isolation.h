/* SPDX-License-Identifier: GPL-2.0 */
/* What the isolation guest writes where: shared with selftests/lhv/test_run.c. */
#ifndef _LHV_GUEST_ISOLATION_H
#define _LHV_GUEST_ISOLATION_H

#define ISOLATION_NR_TARGETS	4
#define ISOLATION_VALUE(i)	(0x15014710ca7e0000ULL + (i))
#define ISOLATION_READ_VALUE	0x0123456789abcdefULL

/*
 * Just past the end of RAM, the last qword of the page after it (where
 * the launcher keeps its canary), and two addresses far away.  Below
 * 4 GiB (the guest's identity map) and away from the local APIC page,
 * which a filtered-mode VM may reach.
 */
static inline unsigned long isolation_target(unsigned long ram_size,
					     unsigned int i)
{
	switch (i) {
	case 0:
		return ram_size;
	case 1:
		return ram_size + 0x1000 - 8;
	case 2:
		return 0x40000000;
	default:
		return 0xbffffff8;
	}
}

#endif /* _LHV_GUEST_ISOLATION_H */
