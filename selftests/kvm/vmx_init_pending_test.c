// SPDX-License-Identifier: GPL-2.0
/*
 * An INIT that reaches L1 while it is in VMX root operation is blocked
 * (SDM Vol. 3C, 24.8 "Restrictions on VMX Operation": INIT signals are
 * blocked whenever a logical processor is in VMX root operation), so L1
 * runs on, and the INIT stays pending until the next VM entry, right
 * after which it causes an INIT VM exit (exit reason 3, SDM Vol. 3C,
 * 26.2 "Other Causes of VM Exits"; Appendix C) before L2 executes an
 * instruction.  That exit retires the INIT: the entry after it runs L2.
 *
 * lhv meets exactly this when a guest's INIT arrives while lhv is in its
 * root loop between two entries.
 */
#include "kselftest.h"
#include "nested_ipi.h"
#include "nested_vmx.h"

static const char *const checks[] = {
	"L1 runs on in VMX root after an INIT (blocked, no reset, VMCS still current)",
	"the pending INIT causes an INIT VM exit (reason 3) at the next VM entry",
	"the INIT exit comes before L2's first instruction (guest RIP = L2 entry)",
	"the INIT exit retires the INIT: the next VM entry runs L2 to its VMCALL",
};

enum { STAGE_ROOT = 1, STAGE_INIT_SENT, STAGE_DONE };

static struct {
	uint64_t vmcs_gpa;
	uint64_t vmptr_after;
	uint64_t canary;
	uint32_t exit1, exit2;
	uint64_t rip1, l2_entry;
	uint64_t l2_ran_at_exit1;
	uint64_t l2_ran;
} res;

/* The INIT state as KVM_GET_VCPU_EVENTS shows it while L1 waits in root. */
static uint8_t latched_init = 0xff;

static void l2_code(void)
{
	res.l2_ran = 1;
	vmcall();
}

static void l1_code(struct vmx_pages *vmx)
{
	unsigned long l2_stack[256];
	volatile uint64_t canary = 0x1badb002c0ffee;

	l1_vmx_setup(vmx, l2_code, &l2_stack[256]);
	res.vmcs_gpa = vmx->vmcs_gpa;
	res.l2_entry = (uint64_t)l2_code;

	nipi_guest_stage(STAGE_ROOT);
	nipi_guest_send(NIPI_CMD_INIT, 0);
	/* Give KVM time to act on the INIT, which it must not. */
	nipi_guest_spin(100000);
	nipi_guest_stage(STAGE_INIT_SENT);
	GUEST_SYNC(STAGE_INIT_SENT);

	res.canary = canary;
	GUEST_ASSERT(!vmptrst(&res.vmptr_after));

	res.exit1 = l1_enter(true, ACT_ACTIVE);
	res.rip1 = vmreadz(GUEST_RIP);
	res.l2_ran_at_exit1 = res.l2_ran;
	res.exit2 = l1_enter(false, ACT_ACTIVE);
	nipi_guest_stage(STAGE_DONE);
	GUEST_DONE();
}

static void sync_hook(struct kvm_vcpu *vcpu, uint64_t stage, uint64_t arg)
{
	struct kvm_vcpu_events ev;

	if (stage != STAGE_INIT_SENT)
		return;
	vcpu_events_get(vcpu, &ev);
	latched_init = ev.smi.latched_init;
}

int main(void)
{
	struct kvm_vcpu *target;
	vm_vaddr_t vmx_gva;
	typeof(res) r;
	const char *why;

	nipi_begin(checks, ARRAY_SIZE(checks));
	why = nipi_vmx_unavailable();
	if (why)
		nipi_skip_all("%s", why);

	nipi_create(l1_code, &target);
	vcpu_alloc_vmx(target->vm, &vmx_gva);
	vcpu_args_set(target, 1, vmx_gva);
	nipi_set_sync_hook(sync_hook);
	nipi_start();
	nipi_finish();
	r = *(typeof(res) *)nipi_guest_hva(&res);

	ksft_print_msg("KVM_GET_VCPU_EVENTS in VMX root after the INIT: smi.latched_init = %u\n",
		       latched_init);
	nipi_result(r.canary == 0x1badb002c0ffee && r.vmptr_after == r.vmcs_gpa,
		    "current VMCS %#lx (expected %#lx)", r.vmptr_after, r.vmcs_gpa);
	nipi_result(r.exit1 == EXIT_REASON_INIT_SIGNAL, "exit reason %#x", r.exit1);
	nipi_result(r.exit1 == EXIT_REASON_INIT_SIGNAL && !r.l2_ran_at_exit1 &&
		    r.rip1 == r.l2_entry, "L2 ran: %s, guest RIP %#lx, L2 entry %#lx",
		    r.l2_ran_at_exit1 ? "yes" : "no", r.rip1, r.l2_entry);
	nipi_result(r.exit2 == EXIT_REASON_VMCALL && r.l2_ran,
		    "exit reason of the second entry %#x, L2 ran: %s",
		    r.exit2, r.l2_ran ? "yes" : "no");
	return nipi_end();
}
