/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction emulator for exits that need the faulting instruction:
 * MMIO (an EPT violation / nested page fault outside guest RAM), port I/O
 * (string and rep forms included) and, where the CPU does not report it,
 * an instruction's length.
 *
 * Pure logic, shared by lhv.ko and the host unit tests: it sees the guest
 * only through struct lhv_regs/lhv_sregs and the guest-physical memory
 * callbacks below, so it runs on a CPU lhv owns with interrupts off (no
 * allocation, no sleeping, no printk).
 *
 * Protocol.  The core calls lhv_emulate_mmio() or lhv_emulate_io() for an
 * exit.  The emulator walks the guest's page tables, fetches and decodes
 * the instruction at RIP and carries it out against guest RAM through
 * @mem.  Each access that is not to RAM (MMIO) or is a port access becomes
 * one request to userspace: the call returns LHV_EMUL_USER with the
 * request in *@exit.  The core delivers it, and after userspace completes
 * it calls lhv_emul_complete() and then the same emulate function again;
 * the emulator replays the instruction from the start (the bytes fetched
 * at the exit, decoded again), taking completed accesses from @em instead
 * of asking again, until it returns
 * LHV_EMUL_DONE with the registers (RIP included) updated, or
 * LHV_EMUL_ERROR with an LHV_EXIT_INTERNAL_ERROR record in *@exit.
 * lhv_emul_reset() starts a new instruction.  A rep string instruction
 * completes one element per call sequence: DONE then means one element
 * was done, RCX/RSI/RDI were updated and RIP only advanced if RCX reached
 * 0, so the guest re-executes the instruction for the next element.
 */
#ifndef _LHV_EMULATE_H
#define _LHV_EMULATE_H

#include <lhv/types.h>
#include <linux/lhv.h>

/* How the emulator reads and writes guest-physical memory. */
struct lhv_guest_mem {
	/*
	 * Copy @len bytes (1..16, may cross a page) at @gpa.  Return 0, or
	 * -ENOENT if any byte is not guest RAM (for write: not writable
	 * RAM), in which case nothing was copied.
	 */
	int (*read)(void *ctx, u64 gpa, void *buf, unsigned int len);
	int (*write)(void *ctx, u64 gpa, const void *buf, unsigned int len);
	void *ctx;
};

/* Accesses one instruction may need from userspace (movs MMIO to MMIO: 2). */
#define LHV_EMUL_MAX_ACCESSES	4

/*
 * One instruction's emulation across its round trips to userspace.  The
 * instruction bytes are fetched once, at the exit: a replay runs the
 * instruction that exited even if userspace wrote guest memory meanwhile,
 * and needs no second walk of the guest's page tables.
 */
struct lhv_emul {
	unsigned int ndone;		/* accesses completed by userspace */
	unsigned int nasked;		/* accesses asked for in this replay */
	u64 data[LHV_EMUL_MAX_ACCESSES];	/* their data (reads: value) */
	u64 fetched_rip;		/* where bytes[] came from */
	unsigned int nfetched;		/* 0: nothing fetched yet */
	u8 bytes[16];
};

enum lhv_emul_result {
	LHV_EMUL_DONE,		/* instruction (or one rep element) finished */
	LHV_EMUL_USER,		/* *exit holds a PIO or MMIO request */
	LHV_EMUL_ERROR,		/* *exit holds an LHV_EXIT_INTERNAL_ERROR */
};

/* The low @size bytes of a register or an access. */
static inline u64 lhv_size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static inline void lhv_emul_reset(struct lhv_emul *em)
{
	em->ndone = 0;
	em->nasked = 0;
	em->nfetched = 0;
}

/* Userspace completed the request last returned; @data is a read's value. */
static inline void lhv_emul_complete(struct lhv_emul *em, u64 data)
{
	if (em->ndone < LHV_EMUL_MAX_ACCESSES)
		em->data[em->ndone++] = data;
}

/*
 * An access to @gpa, which is not writable guest RAM, faulted (@write: a
 * write access).  Emulate the instruction at RIP.
 */
enum lhv_emul_result lhv_emulate_mmio(struct lhv_emul *em,
				      struct lhv_regs *regs,
				      const struct lhv_sregs *sregs,
				      const struct lhv_guest_mem *mem,
				      u64 gpa, bool write,
				      struct lhv_run *exit);

/*
 * A port I/O instruction at RIP exited.  @port, @size, @in, @string and
 * @rep are what the CPU reported; they are checked against the decoded
 * instruction (LHV_INTERNAL_EMULATE on a mismatch).
 */
enum lhv_emul_result lhv_emulate_io(struct lhv_emul *em,
				    struct lhv_regs *regs,
				    const struct lhv_sregs *sregs,
				    const struct lhv_guest_mem *mem,
				    u16 port, unsigned int size, bool in,
				    bool string, bool rep,
				    struct lhv_run *exit);

/*
 * Length of the instruction at RIP (prefixes included), for CPUs that do
 * not report it (SVM without next-RIP save).  0 and *@exit filled with an
 * internal error if it cannot be fetched or decoded.  Knows at least
 * CPUID, RDMSR, WRMSR, XSETBV, HLT, IN/OUT/INS/OUTS, VMCALL/VMMCALL and
 * every form lhv_emulate_mmio() decodes.
 */
unsigned int lhv_insn_length(const struct lhv_regs *regs,
			     const struct lhv_sregs *sregs,
			     const struct lhv_guest_mem *mem,
			     struct lhv_run *exit);

#endif /* _LHV_EMULATE_H */
