/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench guest's contract with the hypervisor and launcher that run it,
 * and the layout its C side (bench.c) shares with its AP trampoline
 * (bench-ap.S).  Plain #defines only: the assembler reads this too.
 */
#ifndef _LHV_GUEST_BENCH_H
#define _LHV_GUEST_BENCH_H

/* lhv's null hypercall: EAX = LHV_HC_NOP, then VMCALL/VMMCALL. */
#include <lhv/hypercall.h>

/* A GPA with neither RAM nor a device behind it: every access exits. */
#define BENCH_MMIO_GPA		0xd0000000
/* 4-byte IN: low 32 bits of this vCPU's VM-exit count, this IN included. */
#define BENCH_PORT_EXITS	0xf6

/* The trampoline's page: SIPI vector 8 starts APs at 0x8000, as smp does. */
#define BENCH_SIPI_VECTOR	0x08
/* One AP stack per boot_info.cpus[] entry (BOOT_INFO_MAX_CPUS of them). */
#define BENCH_MAX_CPUS		16
#define BENCH_AP_STACK_SHIFT	12	/* 4 KiB each */

#endif /* _LHV_GUEST_BENCH_H */
