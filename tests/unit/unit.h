/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for lhv's host unit tests.  Each CHECK is one TAP
 * line; a failing one names the expression and the source line.
 */
#ifndef _LHV_UNIT_H
#define _LHV_UNIT_H

#include <stdio.h>

static int unit_count, unit_failed;

#define CHECK(cond, name) do {						\
	unit_count++;							\
	if (cond) {							\
		printf("ok %d - %s\n", unit_count, name);		\
	} else {							\
		unit_failed++;						\
		printf("not ok %d - %s\n#   %s:%d: %s\n", unit_count,	\
		       name, __FILE__, __LINE__, #cond);		\
	}								\
} while (0)

static inline int unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif /* _LHV_UNIT_H */
