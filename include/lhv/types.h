/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types for lhv's pure logic: code that is built into lhv.ko and also into
 * the host unit tests (tests/unit), which run it under sanitizers.  Pure
 * files include this header and nothing else from the kernel.
 */
#ifndef _LHV_TYPES_H
#define _LHV_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bits.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#endif

#endif /* _LHV_TYPES_H */
