// SPDX-License-Identifier: GPL-2.0
/*
 * One-line failure reasons of the launcher's pure modules (reason.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "reason.h"

int lhv_reason(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}
