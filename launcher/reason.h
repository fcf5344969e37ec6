/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The launcher's pure modules (loaders, table builders) return a negative
 * errno and put a one-line reason in a caller's buffer: one helper for it.
 */
#ifndef _LHV_REASON_H
#define _LHV_REASON_H

#include <stddef.h>

/*
 * Formats the reason into @err (when @err and @errlen allow) and returns
 * @ret, so that a failure is one statement: return lhv_reason(...).
 */
int lhv_reason(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* _LHV_REASON_H */
