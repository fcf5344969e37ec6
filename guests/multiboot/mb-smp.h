/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mb-smp: a multiboot (v1) kernel that brings up every CPU of the VM by
 * broadcast INIT-SIPI-SIPI and sends each AP a fixed-vector IPI.  Shared
 * by the C files and the assembly, so the selectors, limits and vectors
 * agree.
 *
 * The result goes to the isa-debug-exit port (PLAT_PORT_DEBUG_EXIT), one
 * code per kind of failure; QEMU exits with status (code << 1) | 1:
 *   0  MB_OK           every CPU up and every IPI handled
 *   1  MB_E_MAGIC      EAX is not the multiboot loader magic
 *   2  MB_E_INFO       the info lacks memory sizes or a memory map, or the
 *                      trampoline page is not available RAM
 *   3  MB_E_BSS        .bss was not zero on entry (the loader's job)
 *   4  MB_E_CMDLINE    mb-smp.expect= without a valid number
 *   5  MB_E_FW_CFG     fw_cfg signature is not "QEMU"
 *   6  MB_E_NR_CPUS    fw_cfg CPU count is 0 or above MB_MAX_CPUS
 *   7  MB_E_EXPECT     fw_cfg CPU count differs from mb-smp.expect
 *   8  MB_E_ICR        the ICR's delivery status never went idle
 *   9  MB_E_AP_TIMEOUT not all APs came online in time
 *  10  MB_E_AP_ID      an AP's APIC ID is the BSP's or another AP's
 *  11  MB_E_AP_EXTRA   more CPUs started than fw_cfg reports
 *  12  MB_E_IPI        an AP did not run the IPI function in time
 *  13  MB_E_TOKEN      an AP's token is wrong, or an IPI ran twice
 *  14  MB_E_EXCEPTION  a CPU took an exception
 *  15  MB_E_VECTOR     a CPU got an interrupt nobody sends
 */
#ifndef _MB_SMP_H
#define _MB_SMP_H

#define MB_OK			0
#define MB_E_MAGIC		1
#define MB_E_INFO		2
#define MB_E_BSS		3
#define MB_E_CMDLINE		4
#define MB_E_FW_CFG		5
#define MB_E_NR_CPUS		6
#define MB_E_EXPECT		7
#define MB_E_ICR		8
#define MB_E_AP_TIMEOUT		9
#define MB_E_AP_ID		10
#define MB_E_AP_EXTRA		11
#define MB_E_IPI		12
#define MB_E_TOKEN		13
#define MB_E_EXCEPTION		14
#define MB_E_VECTOR		15

/* Our GDT (entry.S): flat 32-bit code and data. */
#define CODE_SEL		0x08
#define DATA_SEL		0x10
#define GDT_BYTES		24

#define MB_MAX_CPUS		32
#define MB_MAX_APS		(MB_MAX_CPUS - 1)
#define BSP_STACK_SIZE		16384
#define AP_STACK_SIZE		4096

/* Every vector has a stub of this size in entry.S, in vector order. */
#define ISR_STUB_SIZE		16
#define IPI_VECTOR		0x40
#define SPURIOUS_VECTOR		0xff

/* The AP trampoline's page; the SIPI vector is its page number. */
#define TRAMPOLINE_ADDR		0x8000
#define SIPI_VECTOR		(TRAMPOLINE_ADDR >> 12)

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* console.c: polled COM1. */
void console_init(void);
void mb_vprintf(const char *fmt, va_list ap);
void mb_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* pit.c: PIT channel 2 as a one-shot timer (BSP only: one user at a time). */
struct pit_deadline {
	uint32_t chunks;
};
void udelay(uint32_t us);
void pit_deadline_start(struct pit_deadline *d, uint32_t ms);
bool pit_deadline_passed(struct pit_deadline *d);

/* fw_cfg.c */
void fw_cfg_read(uint16_t key, void *buf, uint32_t len);

/* lapic.c: the xAPIC at its reset address. */
#define ICR_FIXED		(0u << 8)
#define ICR_INIT		(5u << 8)
#define ICR_STARTUP		(6u << 8)
#define ICR_ASSERT		(1u << 14)
#define ICR_ALL_BUT_SELF	(3u << 18)
void lapic_enable(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
int lapic_send(uint32_t dest, uint32_t icr_low);

/* lib.c: what GCC may call even in freestanding code. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* mb-smp.c */
void __attribute__((noreturn)) mb_exit(uint32_t code);
void __attribute__((noreturn, format(printf, 2, 3)))
mb_fail(uint32_t code, const char *fmt, ...);

#endif /* __ASSEMBLER__ */
#endif /* _MB_SMP_H */
