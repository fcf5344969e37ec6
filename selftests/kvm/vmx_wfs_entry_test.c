// SPDX-License-Identifier: GPL-2.0
/*
 * L1 can enter L2 in the wait-for-SIPI activity state: the VM entry
 * passes its checks (SDM Vol. 3C, 27.3.1.5 "Checks on Guest
 * Non-Register State" allows activity state 3 when IA32_VMX_MISC bit 8
 * is set) and leaves L2 inactive (27.6.2 "Activity State"): it executes
 * nothing and nothing but a SIPI ends the wait.  lhv parks a vCPU whose
 * guest waits for a SIPI exactly this way.
 */
#include <unistd.h>

#include "kselftest.h"
#include "nested_ipi.h"
#include "nested_vmx.h"

#define SIPI_VECTOR	0x42

static const char *const checks[] = {
	"VMLAUNCH with activity state wait-for-SIPI passes the VM-entry checks",
	"L2 in wait-for-SIPI executes nothing and its vCPU sleeps",
	"L2 keeps waiting for 1 s with no VM exit",
	"a SIPI ends the wait with a VM exit to L1",
};

enum { STAGE_WFS = 1, STAGE_EXITED };

static struct {
	uint32_t exit;
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
	nipi_guest_stage(STAGE_WFS);
	res.exit = l1_enter(true, ACT_WAIT_SIPI);
	nipi_guest_stage(STAGE_EXITED);
	GUEST_DONE();
}

int main(void)
{
	volatile uint64_t *stage, *l2_ran;
	bool blocked, ran, stayed;
	struct kvm_vcpu *target;
	vm_vaddr_t vmx_gva;
	const char *why;
	uint32_t exit;

	nipi_begin(checks, ARRAY_SIZE(checks));
	why = nipi_vmx_unavailable();
	if (why)
		nipi_skip_all("%s", why);

	nipi_create(l1_code, &target);
	vcpu_alloc_vmx(target->vm, &vmx_gva);
	vcpu_args_set(target, 1, vmx_gva);
	stage = &((struct nipi_mbox *)nipi_guest_hva(&nipi_mbox))->stage;
	l2_ran = nipi_guest_hva(&res.l2_ran);
	nipi_start();

	nipi_wait_stage(STAGE_WFS);
	blocked = nipi_wait_blocked(STAGE_WFS);
	ran = *l2_ran;
	sleep(1);
	stayed = blocked && *stage == STAGE_WFS && nipi_target_blocked();
	if (*stage == STAGE_WFS)
		nipi_host_send(NIPI_CMD_SIPI, SIPI_VECTOR);
	nipi_finish();
	exit = ((typeof(res) *)nipi_guest_hva(&res))->exit;

	nipi_result(exit != L1_VMFAIL && !(exit & EXIT_FAILED_ENTRY),
		    "exit reason %#x (%#x: VMfail)", exit, L1_VMFAIL);
	nipi_result(blocked && !ran, "vCPU asleep: %s, L2 ran: %s",
		    blocked ? "yes" : "no", ran ? "yes" : "no");
	nipi_result(stayed, "still waiting after 1 s: %s", stayed ? "yes" : "no");
	nipi_result(exit == EXIT_REASON_SIPI_SIGNAL, "exit reason after the SIPI %#x", exit);
	return nipi_end();
}
