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
#include <string.h>
#include <linux/types.h>
/* The same types as the kernel's, so ABI structs and u64 mix freely. */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif /* _LHV_TYPES_H */
