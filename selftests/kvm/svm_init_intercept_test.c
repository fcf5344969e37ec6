// SPDX-License-Identifier: GPL-2.0
/*
 * Nested SVM: with the INIT intercept set in the VMCB (control area
 * offset 0Ch, bit 3), an INIT that arrives while L2 runs causes a
 * #VMEXIT with exit code 0x63, VMEXIT_INIT (AMD APM Vol. 2, chapter 15,
 * the INIT intercept among the interrupt intercepts; exit codes in
 * Appendix C).  The INIT does not reset the processor: L1 gets control
 * back with its own state, and the #VMEXIT clears GIF, which holds the
 * INIT pending (the "Global Interrupt Flag" section) for as long as L1
 * keeps GIF clear.  The VMCB holds L2's state where it was stopped.
 *
 * lhv intercepts INIT this way on SVM, so that a guest's INIT never resets
 * the CPU lhv owns.
 */
#include <unistd.h>

#include "kselftest.h"
#include "nested_ipi.h"
#include "svm_util.h"

#define CANARY	0x5eed0f1c0ffee

static const char *const checks[] = {
	"an INIT to L2 with the INIT intercept gives #VMEXIT code 0x63 (VMEXIT_INIT)",
	"L1 keeps control after that #VMEXIT, with its state intact (no reset)",
	"the VMCB holds L2's interrupted state (RIP inside L2's loop)",
};

enum { STAGE_L2 = 1, STAGE_EXITED, STAGE_DONE };

static struct {
	uint64_t exit_code, rip;
	uint64_t canary;
	uint64_t l2_running;
} res;

static volatile bool l2_stop;

/* A loop that only the INIT, or the host giving up, ends. */
static void l2_code(void)
{
	res.l2_running = 1;
	while (!l2_stop)
		cpu_relax();
	vmmcall();
}

static void l1_code(struct svm_test_data *svm)
{
	unsigned long l2_stack[256];
	volatile uint64_t canary = CANARY;

	generic_svm_setup(svm, l2_code, &l2_stack[256]);
	svm->vmcb->control.intercept |= BIT_ULL(INTERCEPT_INIT);
	nipi_guest_stage(STAGE_L2);
	run_guest(svm->vmcb, svm->vmcb_gpa);
	nipi_guest_stage(STAGE_EXITED);
	res.exit_code = svm->vmcb->control.exit_code;
	res.rip = svm->vmcb->save.rip;
	res.canary = canary;
	nipi_guest_stage(STAGE_DONE);
	GUEST_DONE();
}

int main(void)
{
	volatile uint64_t *stage, *l2_running;
	struct kvm_vcpu *target;
	vm_vaddr_t svm_gva;
	typeof(res) r;
	const char *why;
	int i;

	nipi_begin(checks, ARRAY_SIZE(checks));
	why = nipi_svm_unavailable();
	if (why)
		nipi_skip_all("%s", why);

	nipi_create(l1_code, &target);
	vcpu_alloc_svm(target->vm, &svm_gva);
	vcpu_args_set(target, 1, svm_gva);
	stage = &((struct nipi_mbox *)nipi_guest_hva(&nipi_mbox))->stage;
	l2_running = nipi_guest_hva(&res.l2_running);
	nipi_start();
	nipi_wait_stage(STAGE_L2);
	for (i = 0; i < 10000 && !*l2_running && *stage == STAGE_L2; i++)
		usleep(1000);
	if (*l2_running && *stage == STAGE_L2)
		nipi_host_send(NIPI_CMD_INIT, 0);
	/* Give the INIT up to 10 s to take L2 out; then let L2 leave itself. */
	for (i = 0; i < 1000 && *stage == STAGE_L2; i++)
		usleep(10000);
	*(volatile bool *)nipi_guest_hva((const void *)&l2_stop) = true;
	nipi_finish();
	r = *(typeof(res) *)nipi_guest_hva(&res);

	nipi_result(r.exit_code == SVM_EXIT_INIT, "exit code %#lx", r.exit_code);
	nipi_result(r.canary == CANARY, "L1 reached the end of its code, canary %#lx",
		    r.canary);
	nipi_result(r.exit_code == SVM_EXIT_INIT && r.rip >= (uint64_t)l2_code &&
		    r.rip < (uint64_t)l2_code + 0x100,
		    "L2 RIP %#lx, L2 code at %#lx", r.rip, (uint64_t)l2_code);
	return nipi_end();
}
