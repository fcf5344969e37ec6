// SPDX-License-Identifier: GPL-2.0
/*
 * A SIPI to an active L2 causes no VM exit and is discarded (SDM Vol. 3C,
 * 26.2 "Other Causes of VM Exits": "If a logical processor is not in the
 * wait-for-SIPI activity state when a SIPI arrives, no VM exit occurs and
 * the SIPI is discarded"; 27.6.2 "Activity State": the active state
 * blocks SIPIs).  So it must neither stop L2 nor wake a later
 * wait-for-SIPI: lhv relies on that when a guest sends the usual second
 * SIPI of INIT-SIPI-SIPI to an AP that is already running.
 */
#include "kselftest.h"
#include "nested_ipi.h"
#include "nested_vmx.h"

#define OLD_VECTOR	0x31
#define NEW_VECTOR	0x52

static const char *const checks[] = {
	"a SIPI to an active L2 causes no VM exit (L2 runs on to its VMCALL)",
	"that SIPI is discarded: a later wait-for-SIPI waits for a new SIPI",
};

enum { STAGE_ACTIVE = 1, STAGE_WFS, STAGE_DONE };

static struct {
	uint32_t exit1, exit2;
	uint64_t qual2;
	uint64_t l2_sent, l2_after;
} res;

static void l2_code(void)
{
	nipi_guest_send(NIPI_CMD_SIPI, OLD_VECTOR);
	res.l2_sent = 1;
	/* Time for KVM to see the SIPI and, wrongly, exit. */
	nipi_guest_spin(100000);
	res.l2_after = 1;
	vmcall();
}

static void l1_code(struct vmx_pages *vmx)
{
	unsigned long l2_stack[256];

	l1_vmx_setup(vmx, l2_code, &l2_stack[256]);
	nipi_guest_stage(STAGE_ACTIVE);
	res.exit1 = l1_enter(true, ACT_ACTIVE);
	l1_skip_insn();
	nipi_guest_stage(STAGE_WFS);
	res.exit2 = l1_enter(false, ACT_WAIT_SIPI);
	res.qual2 = vmreadz(EXIT_QUALIFICATION);
	nipi_guest_stage(STAGE_DONE);
	GUEST_DONE();
}

int main(void)
{
	struct kvm_vcpu *target;
	vm_vaddr_t vmx_gva;
	typeof(res) r;
	const char *why;
	bool waited;

	nipi_begin(checks, ARRAY_SIZE(checks));
	why = nipi_vmx_unavailable();
	if (why)
		nipi_skip_all("%s", why);

	nipi_create(l1_code, &target);
	vcpu_alloc_vmx(target->vm, &vmx_gva);
	vcpu_args_set(target, 1, vmx_gva);
	nipi_start();
	nipi_wait_stage(STAGE_WFS);
	waited = nipi_wait_blocked(STAGE_WFS);
	if (waited)
		nipi_host_send(NIPI_CMD_SIPI, NEW_VECTOR);
	nipi_finish();
	r = *(typeof(res) *)nipi_guest_hva(&res);

	nipi_result(r.exit1 == EXIT_REASON_VMCALL && r.l2_sent && r.l2_after,
		    "exit reason %#x, L2 after the SIPI: %s", r.exit1,
		    r.l2_after ? "ran on" : "stopped");
	nipi_result(waited && r.exit2 == EXIT_REASON_SIPI_SIGNAL && r.qual2 == NEW_VECTOR,
		    "waited: %s, exit reason %#x, vector %#lx (old %#x, new %#x)",
		    waited ? "yes" : "no", r.exit2, r.qual2, OLD_VECTOR, NEW_VECTOR);
	return nipi_end();
}
