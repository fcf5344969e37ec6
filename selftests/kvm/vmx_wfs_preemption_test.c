// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX-preemption timer and the wait-for-SIPI activity state.  SDM
 * Vol. 3C, 26.5.1 "VMX-Preemption Timer": the timer counts in the
 * wait-for-SIPI state, but "the timer does not cause a VM exit if it
 * counts down to zero in the wait-for-SIPI state".  So an L2 entered in
 * wait-for-SIPI with the timer armed keeps waiting, and a SIPI ends the
 * wait.  In the HLT state the same timer does cause its exit (52), which
 * shows that the timer is armed and counting at all.  (HLT rather than
 * active: on vmx-bochs an L2 that spins stalls its host CPU, and KVM's
 * emulated timer never fires; the kernel's own vmx_preemption_timer_test
 * hangs there the same way.)
 *
 * lhv's passthrough mode parks a vCPU in wait-for-SIPI and counts on the
 * timer to bring it back to its root loop now and then
 * (Documentation/initsipi.rst): under an L0 that follows the SDM it
 * would not come back before a SIPI.  KVM 6.1 does take the timer exit
 * from wait-for-SIPI; the second check reports that as a known deviation.
 */
#include <unistd.h>

#include "kselftest.h"
#include "nested_ipi.h"
#include "nested_vmx.h"

#define SIPI_VECTOR	0x66
/* In timer ticks (TSC >> IA32_VMX_MISC[4:0]): 7 ms at most (10 MHz TSC). */
#define TIMER_TICKS	0x800

#define KNOWN_TIMER_EXIT \
	"KVM takes a preemption-timer VM exit out of wait-for-SIPI (vmx_check_nested_events() does not look at the activity state)"

static const char *const checks[] = {
	"in the HLT activity state the VMX-preemption timer causes its VM exit (52)",
	"the VMX-preemption timer causes no VM exit in wait-for-SIPI (a SIPI ends the wait)",
};

enum { STAGE_HLT = 1, STAGE_WFS, STAGE_DONE };

static struct {
	uint32_t exit1, exit2;
	uint64_t qual2;
} res;

/* Never runs: L2 is only ever entered inactive. */
static void l2_code(void)
{
	vmcall();
}

static void l1_code(struct vmx_pages *vmx)
{
	unsigned long l2_stack[256];
	uint64_t pin;

	l1_vmx_setup(vmx, l2_code, &l2_stack[256]);
	pin = vmreadz(PIN_BASED_VM_EXEC_CONTROL);
	GUEST_ASSERT(!vmwrite(PIN_BASED_VM_EXEC_CONTROL,
			      pin | PIN_BASED_VMX_PREEMPTION_TIMER));

	GUEST_ASSERT(!vmwrite(VMX_PREEMPTION_TIMER_VALUE, TIMER_TICKS));
	nipi_guest_stage(STAGE_HLT);
	res.exit1 = l1_enter(true, ACT_HLT);

	GUEST_ASSERT(!vmwrite(VMX_PREEMPTION_TIMER_VALUE, TIMER_TICKS));
	nipi_guest_stage(STAGE_WFS);
	res.exit2 = l1_enter(false, ACT_WAIT_SIPI);
	res.qual2 = vmreadz(EXIT_QUALIFICATION);
	nipi_guest_stage(STAGE_DONE);
	GUEST_DONE();
}

/* Up to @secs for the target to leave @stage; whether it did. */
static bool left_stage(volatile uint64_t *stage, uint64_t from, int secs)
{
	int i;

	for (i = 0; i < secs * 100 && *stage == from; i++)
		usleep(10000);
	return *stage != from;
}

int main(void)
{
	volatile uint64_t *stage;
	struct kvm_vcpu *target;
	vm_vaddr_t vmx_gva;
	typeof(res) r;
	const char *why;

	nipi_begin(checks, ARRAY_SIZE(checks));
	why = nipi_vmx_unavailable();
	if (why)
		nipi_skip_all("%s", why);

	nipi_create(l1_code, &target);
	if (!((vcpu_get_msr(target, MSR_IA32_VMX_TRUE_PINBASED_CTLS) >> 32) &
	      PIN_BASED_VMX_PREEMPTION_TIMER))
		nipi_skip_all("KVM does not offer L1 the VMX-preemption timer");
	vcpu_alloc_vmx(target->vm, &vmx_gva);
	vcpu_args_set(target, 1, vmx_gva);
	stage = &((struct nipi_mbox *)nipi_guest_hva(&nipi_mbox))->stage;
	nipi_start();

	/* The timer runs out within a millisecond; give it 10 s. */
	nipi_wait_stage(STAGE_HLT);
	if (!left_stage(stage, STAGE_HLT, 10))
		nipi_host_send(NIPI_CMD_INIT, 0);	/* wakes HLT with exit 3 */
	nipi_wait_stage(STAGE_WFS);
	if (!left_stage(stage, STAGE_WFS, 1) && nipi_wait_blocked(STAGE_WFS))
		nipi_host_send(NIPI_CMD_SIPI, SIPI_VECTOR);
	nipi_finish();
	r = *(typeof(res) *)nipi_guest_hva(&res);

	nipi_result(r.exit1 == EXIT_REASON_PREEMPTION_TIMER, "exit reason %#x", r.exit1);
	ksft_print_msg("%s: exit reason %#x, qualification %#lx\n", checks[1],
		       r.exit2, r.qual2);
	nipi_result_known(r.exit2 == EXIT_REASON_SIPI_SIGNAL && r.qual2 == SIPI_VECTOR,
			  r.exit2 == EXIT_REASON_PREEMPTION_TIMER,
			  KNOWN_TIMER_EXIT);
	return nipi_end();
}
