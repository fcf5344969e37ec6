/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmio guest's contract with selftests/lhv/test_run.c.
 *
 * The test emulates a 4 KiB memory-like register file at MMIO_BASE, a GPA
 * with no RAM behind it: reads return what was last written there (zero
 * at first).  Before every instruction that writes there, the guest
 * announces the value and count of the writes it is about to make
 * (EXPECT_LO, EXPECT_HI, then EXPECT_COUNT arms them); the test checks
 * each write against that and reports any other write.  FS and GS bases
 * are set by the test, so segment-prefixed accesses land in the window.
 */
#ifndef _LHV_GUEST_MMIO_H
#define _LHV_GUEST_MMIO_H

#define MMIO_BASE		0xc0000000UL
#define MMIO_SIZE		0x1000
#define MMIO_FS_BASE		(MMIO_BASE + 0x800)
#define MMIO_GS_BASE		(MMIO_BASE + 0xc00)

#define MMIO_PORT_EXPECT_LO	0xe0	/* 4-byte OUT: value bits 31:0 */
#define MMIO_PORT_EXPECT_HI	0xe4	/* 4-byte OUT: value bits 63:32 */
#define MMIO_PORT_EXPECT_COUNT	0xe8	/* 4-byte OUT: that many writes follow */
/* IN of 1, 2 or 4 bytes: the low bytes of MMIO_IN_PATTERN. */
#define MMIO_PORT_PATTERN	0xec
#define MMIO_IN_PATTERN		0x89abcdefU

#endif /* _LHV_GUEST_MMIO_H */
