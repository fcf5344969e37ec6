/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conformance guests' runtime (Documentation/guests.rst, "Conformance
 * guests"): a multiboot kernel that enters 64-bit long mode with its own
 * GDT, TSS and IDT, so each guest can take every exception a program can
 * raise, from ring 0 and ring 3, on IST stacks or not, and report one TAP
 * line per case on COM1.  Shared by the C files and the assembly.
 */
#ifndef _CONFORM_H
#define _CONFORM_H

/* GDT selectors (desc.c).  The user ones follow STAR's layout for SYSRET. */
#define KERNEL_CS	0x08		/* 64-bit code, DPL 0 */
#define KERNEL_DS	0x10
#define KERNEL_CS32	0x18		/* compatibility-mode code, DPL 0 */
#define USER_CS32	0x20		/* STAR[63:48]: SYSRET's base */
#define USER_DS		0x28
#define USER_CS		0x30
#define TSS_SEL		0x38		/* 16 bytes */
#define TSS2_SEL	0x48		/* the second TSS, for LTR */
#define NP3_SEL		0x58		/* data, not present, DPL 3 */
#define NP0_SEL		0x60		/* data, not present, DPL 0 */
#define GDT_ENTRIES	13

/* Vectors with a gate of their own. */
#define VEC_USER_EXIT	0x81		/* DPL 3: ring 3 hands back to ring 0 */
#define VEC_NP_GATE	0x90		/* DPL 3, not present: #NP */
#define STUB_SIZE	16		/* bytes per stub in vectors.S */

/* Stack sizes (entry.S, desc.c). */
#define BOOT_STACK	16384
#define EXC_STACK	8192

#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_TS		(1 << 3)
#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR0_AM		(1 << 18)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define CR4_UMIP	(1 << 11)
#define EFER_SCE	(1 << 0)
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)
#define MSR_EFER	0xc0000080

#define MB_LOADER_MAGIC	0x2badb002

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"
#include "x86.h"

#define RFLAGS_CF	(1ul << 0)
#define RFLAGS_PF	(1ul << 2)
#define RFLAGS_AF	(1ul << 4)
#define RFLAGS_ZF	(1ul << 6)
#define RFLAGS_SF	(1ul << 7)
#define RFLAGS_TF	(1ul << 8)
#define RFLAGS_IF	(1ul << 9)
#define RFLAGS_DF	(1ul << 10)
#define RFLAGS_OF	(1ul << 11)
#define RFLAGS_RF	(1ul << 16)
#define RFLAGS_AC	(1ul << 18)
#define RFLAGS_ARITH	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | \
			 RFLAGS_SF | RFLAGS_OF)

#define ERR_NONE	(-1L)		/* the exception pushes no error code */

/* What vectors.S leaves on the stack for trap_entry(). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Where a handler ran (trap.c classifies its frame's address). */
enum stack_id {
	STK_OTHER, STK_BOOT, STK_RSP0, STK_IST1, STK_DF,
	STK_RSP0_B, STK_IST1_B,	/* the second TSS's */
	STK_USER,
};

/* The last exception or interrupt any handler took. */
struct trap_rec {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
	uint64_t cr2, dr6;
	enum stack_id stack;
};

extern volatile struct trap_rec trap_last;
extern volatile uint32_t trap_count;
extern volatile uint32_t vec_count[256];
/* Where the next exception resumes (0: where the CPU says), and its RSP. */
extern volatile uint64_t trap_fixup_rip, trap_fixup_rsp;

void trap_reset(void);
const char *stack_name(enum stack_id s);

/*
 * asm fragments for one instruction that is expected to raise an
 * exception: %[at] gets the RIP the frame must hold, the handler resumes
 * at the label after the instruction, and r11 is clobbered.  @insn may
 * use the operands of the asm statement it is pasted into, but no local
 * labels 1 and 2.
 */
#define TRY_ARM(label) \
	"lea " label "(%%rip), %[at]\n\t" \
	"lea 2f(%%rip), %%r11\n\t" \
	"mov %%r11, trap_fixup_rip(%%rip)\n\t"
/* A fault: the frame's RIP is the instruction's. */
#define TRY(insn)		TRY_ARM("1f") "1: " insn "\n\t2:\n\t"
/* ... after @pre, which runs armed but must not trap. */
#define TRY_PRE(pre, insn)	TRY_ARM("1f") pre "\n\t1: " insn "\n\t2:\n\t"
/* A trap: the frame's RIP is the next instruction's. */
#define TRY_TRAP(insn)		TRY_ARM("2f") "1: " insn "\n\t2:\n\t"
#define TRY_TRAP_PRE(pre, insn)	TRY_ARM("2f") pre "\n\t1: " insn "\n\t2:\n\t"

/* desc.c: GDT, TSSs, IDT. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct gate64 {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
};

extern uint64_t gdt[GDT_ENTRIES];
extern struct gate64 idt[256];
extern struct gate64 *cur_idt;		/* what idt_set_*() change */
extern struct tss64 tss, tss2;
extern char stack_rsp0[], stack_ist1[], stack_df[];
extern char stack_rsp0_b[], stack_ist1_b[], stack_user[];
extern char boot_stack[];

void desc_init(void);
void idt_set_ist(unsigned int vector, unsigned int ist);
void idt_set_dpl(unsigned int vector, unsigned int dpl);
void load_gdt(const void *base, uint16_t limit);
void load_idt(const void *base, uint16_t limit);
void reload_segments(void);

/* entry.S: the page directories mapping the first 4 GiB, 2048 entries. */
extern uint64_t pd[];

/* vectors.S */
extern const char isr_stubs[];
void user_exit(void);		/* gate VEC_USER_EXIT's handler */
/* Run @fn at CPL 3 on its own stack with EFLAGS @rflags; its result. */
uint64_t user_call(uint64_t (*fn)(void), uint64_t rflags);
/* Run the 32-bit function @fn in compatibility mode at CPL 0; its EAX. */
uint32_t compat_call(uint32_t fn);
/* SS as the last return from ring 3 found it, before reloading it. */
extern volatile uint64_t user_exit_ss;
extern volatile uint32_t user_exit_keep_ss;

/* console.c: printf_com1() and friends are guest.h's; this one takes a va_list. */
void vprintf_com1(const char *fmt, va_list ap);

/* report.c: TAP lines on COM1, the result on the debug-exit port. */
void conform_init(uint32_t magic, uint32_t mbi);
/* Whether the multiboot command line has option @opt. */
bool cmdline_has(const char *opt);
/* Reports @name if the skip= or dead= list has it: do not run it then. */
bool skip_listed(const char *name);
void report(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void report_skip(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void trace(const char *name);
__attribute__((noreturn)) void conform_done(void);
__attribute__((noreturn)) void bail_out(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* A formatted case name (one at a time: a static buffer). */
const char *fmt_name(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cpu.c: what the guest runs on. */
enum hv { HV_UNKNOWN, HV_LHV, HV_KVM };
extern enum hv hypervisor;
extern bool cpu_intel;
void cpu_detect(void);
bool cpu_has(uint32_t leaf, uint32_t sub, int reg, int bit);
enum { EAX, EBX, ECX, EDX };
void vm_exit_now(void);

/* Each guest's cases. */
void conform_main(void);
extern const char conform_name[];

/* Control registers and friends. */
#define DEFINE_CR(n) \
static inline uint64_t read_cr##n(void) \
{ uint64_t v; asm volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
static inline void write_cr##n(uint64_t v) \
{ asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
DEFINE_CR(8)
#undef DEFINE_CR

#define DEFINE_DR(n) \
static inline uint64_t read_dr##n(void) \
{ uint64_t v; asm volatile("mov %%db" #n ", %0" : "=r"(v)); return v; } \
static inline void write_dr##n(uint64_t v) \
{ asm volatile("mov %0, %%db" #n : : "r"(v) : "memory"); }
DEFINE_DR(0)
DEFINE_DR(6)
DEFINE_DR(7)
#undef DEFINE_DR

static inline uint64_t read_rflags(void)
{
	uint64_t f;

	asm volatile("pushf; pop %0" : "=r"(f));
	return f;
}

static inline uint16_t read_ss(void)
{
	uint16_t s;

	asm volatile("mov %%ss, %0" : "=r"(s));
	return s;
}

/* WRMSR that may fault: the vector it raised, or -1. */
int wrmsr_safe(uint32_t msr, uint64_t v);
int rdmsr_safe(uint32_t msr, uint64_t *v);

#endif /* __ASSEMBLER__ */
#endif /* _CONFORM_H */
