// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptor tables: a GDT with ring-0 and ring-3 code for 64-bit and
 * compatibility mode, two 64-bit TSSs (each with its own RSP0 and IST1
 * stack, so a handler's stack shows which TSS the CPU used, and an IST2
 * stack for #DF, so a double fault is reported rather than becoming a
 * triple fault) and an IDT with a gate for every vector.
 */
#include "conform.h"
#include "desc.h"

#define SEG_CODE64(dpl)	(0x00af9b000000ffffull | (uint64_t)(dpl) << 45)
#define SEG_CODE32(dpl)	(0x00cf9b000000ffffull | (uint64_t)(dpl) << 45)
#define SEG_DATA(dpl)	(0x00cf93000000ffffull | (uint64_t)(dpl) << 45)
#define SEG_PRESENT	(1ull << 47)

#define GATE_INTR	0x0e
#define GATE_P		0x80

uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16))) = {
	[KERNEL_CS >> 3] = SEG_CODE64(0),
	[KERNEL_DS >> 3] = SEG_DATA(0),
	[KERNEL_CS32 >> 3] = SEG_CODE32(0),
	[USER_CS32 >> 3] = SEG_CODE32(3),
	[USER_DS >> 3] = SEG_DATA(3),
	[USER_CS >> 3] = SEG_CODE64(3),
	[NP3_SEL >> 3] = SEG_DATA(3) & ~SEG_PRESENT,
	[NP0_SEL >> 3] = SEG_DATA(0) & ~SEG_PRESENT,
};

struct gate64 idt[256] __attribute__((aligned(16)));
struct gate64 *cur_idt = idt;
struct tss64 tss __attribute__((aligned(16)));
struct tss64 tss2 __attribute__((aligned(16)));

char stack_rsp0[EXC_STACK] __attribute__((aligned(16)));
char stack_ist1[EXC_STACK] __attribute__((aligned(16)));
char stack_df[EXC_STACK] __attribute__((aligned(16)));
char stack_rsp0_b[EXC_STACK] __attribute__((aligned(16)));
char stack_ist1_b[EXC_STACK] __attribute__((aligned(16)));
char stack_user[EXC_STACK] __attribute__((aligned(16)));

static struct gate64 make_gate(uintptr_t entry, unsigned int dpl,
			       unsigned int ist, bool present)
{
	return (struct gate64){
		.off0 = entry, .sel = KERNEL_CS, .ist = ist,
		.type = GATE_INTR | dpl << 5 | (present ? GATE_P : 0),
		.off1 = entry >> 16, .off2 = (uint64_t)entry >> 32,
	};
}

/* A 16-byte available 64-bit TSS descriptor (SDM 3A 8.2.3). */
static void set_tss_desc(unsigned int sel, const struct tss64 *t)
{
	uint64_t base = (uintptr_t)t, limit = sizeof(*t) - 1;

	gdt[sel >> 3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			0x89ull << 40 | ((limit >> 16) & 0xf) << 48 |
			((base >> 24) & 0xff) << 56;
	gdt[(sel >> 3) + 1] = base >> 32;
}

static void init_tss(struct tss64 *t, char *rsp0, char *ist1)
{
	t->rsp[0] = (uintptr_t)rsp0 + EXC_STACK;
	t->ist[0] = (uintptr_t)ist1 + EXC_STACK;
	t->ist[1] = (uintptr_t)stack_df + EXC_STACK;
	t->iomap_base = sizeof(*t);	/* no I/O bitmap: IOPL decides */
}

void load_gdt(const void *base, uint16_t limit)
{
	struct dtr d = { .limit = limit, .base = (uintptr_t)base };

	asm volatile("lgdt %0" : : "m"(d) : "memory");
}

void load_idt(const void *base, uint16_t limit)
{
	struct dtr d = { .limit = limit, .base = (uintptr_t)base };

	asm volatile("lidt %0" : : "m"(d) : "memory");
}

/* Reload CS (far return), SS and the data segments from the current GDT. */
void reload_segments(void)
{
	asm volatile("pushq %[cs]\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "push %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "mov %[ds], %%eax\n\t"
		     "mov %%eax, %%ss\n\t"
		     "mov %%eax, %%ds\n\t"
		     "mov %%eax, %%es\n\t"
		     : : [cs] "i"(KERNEL_CS), [ds] "i"(KERNEL_DS)
		     : "rax", "memory");
}

void idt_set_ist(unsigned int vector, unsigned int ist)
{
	cur_idt[vector].ist = ist;
}

void idt_set_dpl(unsigned int vector, unsigned int dpl)
{
	cur_idt[vector].type = (cur_idt[vector].type & ~0x60) | dpl << 5;
}

void desc_init(void)
{
	unsigned int v;

	init_tss(&tss, stack_rsp0, stack_ist1);
	init_tss(&tss2, stack_rsp0_b, stack_ist1_b);
	set_tss_desc(TSS_SEL, &tss);
	set_tss_desc(TSS2_SEL, &tss2);
	load_gdt(gdt, sizeof(gdt) - 1);
	reload_segments();
	asm volatile("ltr %w0" : : "r"(TSS_SEL));

	for (v = 0; v < 256; v++)
		idt[v] = make_gate((uintptr_t)isr_stubs + v * STUB_SIZE, 0, 0, true);
	/* Ring 3 may raise these itself. */
	idt_set_dpl(3, 3);
	idt_set_dpl(4, 3);
	idt[VEC_USER_EXIT] = make_gate((uintptr_t)user_exit, 3, 0, true);
	idt[VEC_NP_GATE] = make_gate((uintptr_t)isr_stubs + VEC_NP_GATE * STUB_SIZE,
				     3, 0, false);
	idt_set_ist(8, 2);
	load_idt(idt, sizeof(idt) - 1);
}
