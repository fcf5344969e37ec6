// SPDX-License-Identifier: GPL-2.0
/*
 * A SIPI to an L2 in the wait-for-SIPI activity state causes a SIPI VM
 * exit (exit reason 4) whose exit qualification holds the SIPI's vector
 * (SDM Vol. 3C, 26.2 "Other Causes of VM Exits"; 28.2.1 "Basic VM-Exit
 * Information", exit qualification for SIPIs), and it leaves L2's
 * registers alone ("they do not modify register state as they would
 * outside of VMX operation").  L1 can then run L2 as active.
 *
 * lhv starts a parked vCPU from this exit, with the vector it reports.
 */
#include "kselftest.h"
#include "nested_ipi.h"
#include "nested_vmx.h"

#define SIPI_VECTOR	0x9b

static const char *const checks[] = {
	"a SIPI to L2 in wait-for-SIPI gives a SIPI VM exit (reason 4)",
	"the exit qualification is the SIPI vector",
	"the SIPI exit leaves L2's registers alone (guest RIP unchanged)",
	"L1 can run L2 as active after the SIPI exit (L2 reaches its VMCALL)",
};

enum { STAGE_WFS = 1, STAGE_DONE };

static struct {
	uint32_t exit1, exit2;
	uint64_t qual1, act1, rip1, l2_entry;
	uint64_t l2_ran;
} res;

static void l2_code(void)
{
	res.l2_ran = 1;
	vmcall();
}

static void l1_code(struct vmx_pages *vmx)
{
	unsigned long l2_stack[256];

	l1_vmx_setup(vmx, l2_code, &l2_stack[256]);
	res.l2_entry = (uint64_t)l2_code;
	nipi_guest_stage(STAGE_WFS);
	res.exit1 = l1_enter(true, ACT_WAIT_SIPI);
	res.qual1 = vmreadz(EXIT_QUALIFICATION);
	res.act1 = vmreadz(GUEST_ACTIVITY_STATE);
	res.rip1 = vmreadz(GUEST_RIP);
	res.exit2 = l1_enter(false, ACT_ACTIVE);
	nipi_guest_stage(STAGE_DONE);
	GUEST_DONE();
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
	nipi_start();
	nipi_wait_stage(STAGE_WFS);
	if (nipi_wait_blocked(STAGE_WFS))
		nipi_host_send(NIPI_CMD_SIPI, SIPI_VECTOR);
	nipi_finish();
	r = *(typeof(res) *)nipi_guest_hva(&res);

	ksft_print_msg("activity state saved by the SIPI exit: %lu\n", r.act1);
	nipi_result(r.exit1 == EXIT_REASON_SIPI_SIGNAL, "exit reason %#x", r.exit1);
	nipi_result(r.exit1 == EXIT_REASON_SIPI_SIGNAL && r.qual1 == SIPI_VECTOR,
		    "exit qualification %#lx, vector sent %#x", r.qual1, SIPI_VECTOR);
	nipi_result(r.exit1 == EXIT_REASON_SIPI_SIGNAL && r.rip1 == r.l2_entry,
		    "guest RIP %#lx, L2 entry %#lx", r.rip1, r.l2_entry);
	nipi_result(r.exit2 == EXIT_REASON_VMCALL && r.l2_ran,
		    "exit reason %#x, L2 ran: %s", r.exit2, r.l2_ran ? "yes" : "no");
	return nipi_end();
}
