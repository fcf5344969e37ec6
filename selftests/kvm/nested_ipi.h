/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Harness of the nested INIT/SIPI tests: a VM with two vCPUs.  vCPU 0,
 * the target, is L1 and runs an L2; vCPU 1, the sender, sends INIT and
 * SIPI to vCPU 0 through its own x2APIC when asked, by vCPU 0 itself or
 * by the host.  That is how lhv meets these events nested under KVM: as
 * IPIs from another vCPU of the same VM, not as host-made events.
 *
 * The host sees what the target does through a mailbox in guest memory
 * and through vCPU 0's "blocking" statistic, which is 1 exactly while
 * KVM has the vCPU asleep: in these tests, while L2 is in the
 * wait-for-SIPI activity state (L1 never halts).
 *
 * Results go out as TAP through the kselftest helpers, one line per
 * check, in the order of the table each test passes to nipi_begin().
 */
#ifndef NESTED_IPI_H
#define NESTED_IPI_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"
#include "processor.h"
#include "apic.h"

#define NIPI_TARGET_ID	0
#define NIPI_SENDER_ID	1

enum nipi_cmd {
	NIPI_CMD_NONE,
	NIPI_CMD_INIT,		/* INIT, level assert, to vCPU 0 */
	NIPI_CMD_SIPI,		/* start-up IPI with .vector to vCPU 0 */
	NIPI_CMD_QUIT,		/* the sender ends its guest code */
};

/*
 * Lives in guest memory; the host reaches it through nipi_mbox_host().
 * A command is posted by writing .cmd/.vector and then bumping .seq; the
 * sender acts on each new .seq and then copies it to .done, after its
 * ICR write has completed (KVM delivers an IPI within the ICR write).
 */
struct nipi_mbox {
	volatile uint64_t seq;
	volatile uint32_t cmd;
	volatile uint32_t vector;
	volatile uint64_t done;
	volatile uint64_t stage;	/* the target's progress, for the host */
};

extern struct nipi_mbox nipi_mbox;

/* Guest side. */
void nipi_sender_code(void);
void nipi_guest_post(uint32_t cmd, uint32_t vector);
void nipi_guest_send(uint32_t cmd, uint32_t vector);

static inline void nipi_guest_stage(uint64_t stage)
{
	nipi_mbox.stage = stage;
}

/* A short spin, so that an event posted just before has been handled. */
static inline void nipi_guest_spin(unsigned long loops)
{
	while (loops--)
		cpu_relax();
}

/* Host side: the TAP plan and its checks. */
void nipi_begin(const char *const *names, unsigned int n);
void nipi_result(bool ok, const char *fmt, ...) __printf(2, 3);
void nipi_result_known(bool ok, bool known, const char *reason);
void nipi_skip_all(const char *fmt, ...) __printf(1, 2) __noreturn;
void nipi_bail(const char *fmt, ...) __printf(1, 2) __noreturn;
int nipi_end(void);

/* Host side: why this host cannot run the tests, or NULL. */
const char *nipi_vmx_unavailable(void);
const char *nipi_svm_unavailable(void);

/* Host side: the VM. */
struct kvm_vm *nipi_create(void *target_code, struct kvm_vcpu **target);
void nipi_set_sync_hook(void (*hook)(struct kvm_vcpu *vcpu, uint64_t stage,
				     uint64_t arg));
void nipi_start(void);
void nipi_wait_stage(uint64_t stage);
bool nipi_target_blocked(void);
bool nipi_wait_blocked(uint64_t stage);
void nipi_host_send(uint32_t cmd, uint32_t vector);
void nipi_finish(void);
void *nipi_guest_hva(const void *guest_sym);

#endif /* NESTED_IPI_H */
