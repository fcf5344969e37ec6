// SPDX-License-Identifier: GPL-2.0
/*
 * The one handler behind every vector: it records what the CPU delivered
 * and where, and resumes where the case asked.  An exception no case
 * expected ends the run with a "Bail out!" line: the state it leaves is
 * unknown, so going on would only produce noise.
 */
#include "conform.h"

#define DR6_RESET	0xffff0ff0ul

volatile struct trap_rec trap_last;
volatile uint32_t trap_count;
volatile uint32_t vec_count[256];
volatile uint64_t trap_fixup_rip, trap_fixup_rsp;

static const struct {
	const char *base;
	enum stack_id id;
} stacks[] = {
	{ boot_stack, STK_BOOT },
	{ stack_rsp0, STK_RSP0 },
	{ stack_ist1, STK_IST1 },
	{ stack_df, STK_DF },
	{ stack_rsp0_b, STK_RSP0_B },
	{ stack_ist1_b, STK_IST1_B },
	{ stack_user, STK_USER },
};

const char *stack_name(enum stack_id s)
{
	static const char *const names[] = {
		[STK_OTHER] = "an unknown stack", [STK_BOOT] = "the boot stack",
		[STK_RSP0] = "TSS RSP0", [STK_IST1] = "TSS IST1",
		[STK_DF] = "TSS IST2", [STK_RSP0_B] = "TSS2 RSP0",
		[STK_IST1_B] = "TSS2 IST1", [STK_USER] = "the user stack",
	};

	return names[s];
}

static enum stack_id stack_of(uintptr_t sp)
{
	unsigned int i;
	size_t size;

	for (i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++) {
		size = stacks[i].id == STK_BOOT ? BOOT_STACK : EXC_STACK;
		if (sp >= (uintptr_t)stacks[i].base &&
		    sp < (uintptr_t)stacks[i].base + size)
			return stacks[i].id;
	}
	return STK_OTHER;
}

void trap_reset(void)
{
	trap_last.vector = ~0ul;
	trap_last.error = ~0ul;
	trap_last.rip = 0;
	trap_last.stack = STK_OTHER;
	trap_count = 0;
	trap_fixup_rip = 0;
	trap_fixup_rsp = 0;
}

static bool has_error_code(uint64_t v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
	       v == 29 || v == 30;
}

void trap_entry(struct trap_frame *f);
void trap_entry(struct trap_frame *f)
{
	volatile struct trap_rec *t = &trap_last;

	t->vector = f->vector;
	t->error = has_error_code(f->vector) ? f->error : (uint64_t)ERR_NONE;
	t->rip = f->rip;
	t->cs = f->cs;
	t->rflags = f->rflags;
	t->rsp = f->rsp;
	t->ss = f->ss;
	t->stack = stack_of((uintptr_t)f);
	if (f->vector == 14)
		t->cr2 = read_cr2();
	if (f->vector == 1) {
		t->dr6 = read_dr6();
		write_dr6(DR6_RESET);
		/* Done stepping; RF lets a faulting breakpoint's insn run. */
		f->rflags = (f->rflags & ~RFLAGS_TF) | RFLAGS_RF;
	}
	if (f->vector == 17)
		f->rflags &= ~RFLAGS_AC;
	trap_count++;
	vec_count[f->vector]++;

	if (f->vector == 8)
		bail_out("#DF at RIP %lx CS %lx RSP %lx", f->rip, f->cs, f->rsp);
	if (trap_fixup_rip) {
		f->rip = trap_fixup_rip;
		trap_fixup_rip = 0;
		if (trap_fixup_rsp) {
			f->rsp = trap_fixup_rsp;
			trap_fixup_rsp = 0;
		}
		return;
	}
	if (f->vector < 32 && f->vector != 2)
		bail_out("unexpected exception %lu, error code %lx, at RIP %lx CS %lx RSP %lx on %s",
			 f->vector, f->error, f->rip, f->cs, f->rsp,
			 stack_name(t->stack));
}
