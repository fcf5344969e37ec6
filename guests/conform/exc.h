/* SPDX-License-Identifier: GPL-2.0 */
/* conf-exc: the exception cases (exc-cases.c) and their runner (exc.c). */
#ifndef _CONFORM_EXC_H
#define _CONFORM_EXC_H

#include "conform.h"

/* Which privilege levels and stacks a case runs with. */
#define M_CPL0		0x1
#define M_CPL3		0x2
#define M_BOTH		(M_CPL0 | M_CPL3)
#define M_CPL0_IST	0x4	/* at CPL 0 only on IST1: no stack otherwise */
#define M_NO_IST	0x8	/* never on IST1 */
/* After everything else: a CPU that gets it wrong may stop the guest. */
#define M_LAST		0x10

/*
 * What the case function expects besides vector and RIP; it may run at
 * CPL 3, and fills this in (the image's pages are all user pages).
 */
struct expect {
	int64_t error;		/* ERR_NONE, or the error code */
	uint64_t cr2;		/* #PF: the address */
	uint64_t dr6;		/* #DB: bits that must be set */
};
extern volatile struct expect expect;

struct exc_case {
	const char *name;
	unsigned int vector;
	unsigned int modes;
	/* Raises it; returns the RIP the frame must hold. */
	uint64_t (*fn)(void);
	/* At CPL 0 around fn: false from setup skips the case. */
	bool (*setup)(void);
	void (*teardown)(void);
};

#define CASE(n, v, m, f) \
	{ .name = (n), .vector = (v), .modes = (m), .fn = (f) }
#define CASE_S(n, v, m, f, s, t) \
	{ .name = (n), .vector = (v), .modes = (m), .fn = (f), .setup = (s), .teardown = (t) }

extern const struct exc_case exc_cases[];
extern const unsigned int nr_exc_cases;

/* The 4 KiB pages of the #PF cases at 2 MiB (exc-cases.c). */
void pf_pages_init(void);

/* exc-asm.S: compatibility-mode code and the SYSCALL entry. */
uint32_t c32_into(void);
uint32_t c32_bound(void);
uint32_t c32_ud2(void);
extern const char c32_into_next[], c32_bound_at[], c32_bound_next[];
extern const char c32_ud2_at[], c32_ud2_next[];
void syscall_entry(void);
struct syscall_seen {
	uint64_t rcx, r11, rflags, cs, ss, rsp;
};
extern volatile struct syscall_seen syscall_seen;

#endif /* _CONFORM_EXC_H */
