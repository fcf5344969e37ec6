/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liblhv: the launcher library that lhv-run and the in-VM tests share.
 *
 *	struct lhv_vm vm;
 *	struct lhv_vcpu vcpu;
 *	struct lhv_outcome out;
 *
 *	lhv_vm_create(&vm, 4 << 20);		  open /dev/lhv, RAM at GPA 0
 *	lhv_vm_load_elf(&vm, "guest.elf", &entry);
 *	lhv_vcpu_create(&vm, 0, 1, &vcpu);	  vCPU 0 on host CPU 1
 *	lhv_vcpu_long_mode(&vcpu, entry, 0);
 *	lhv_vcpu_run(&vcpu, &out);		  COM1, debug exit, hooks
 *	lhv_vcpu_destroy(&vcpu);
 *	lhv_vm_destroy(&vm);
 *
 * Multi-vCPU VMs (smp.c): lhv_smp_create() makes vCPU 0 the BSP and the
 * others APs waiting for SIPI, lhv_smp_boot_info() tells the guest about
 * them, lhv_smp_run() runs each vCPU's exit loop in a thread of its own
 * until the BSP's run ends.
 *
 * Every function returns 0 or -1; on -1 it has printed the failing call
 * and strerror() to stderr, and errno is set.
 */
#ifndef _LHV_LIBLHV_H
#define _LHV_LIBLHV_H

#include <pthread.h>
#include <signal.h>

#include <linux/lhv.h>

#include "bootinfo.h"
#include "guest_ram.h"

/* Guest ports the run loop handles itself. */
#define LHV_COM1_BASE		0x3f8	/* COM1 THR ... 0x3ff */
#define LHV_COM1_LSR		0x3fd
#define LHV_LSR_IDLE		0x60	/* THR empty, transmitter empty */
#define LHV_DEBUG_EXIT_PORT	0xf4	/* 4-byte OUT: the guest's result */
#define LHV_MARKER_PORT		0xf5	/* OUT: a point tests hook; else ignored */

/* Page tables and GDT of lhv_vcpu_long_mode(), below a guest's image. */
#define LHV_LM_TABLES_GPA	0x1000

#define LHV_MAX_RAM		8	/* RAM regions per VM */
#define LHV_CONSOLE_MAX		65536	/* COM1 bytes kept for the caller */

struct lhv_kvm_vm;
struct lhv_kvm_vcpu;

struct lhv_vm {
	int dev;			/* /dev/lhv (or /dev/kvm) */
	int fd;				/* the VM */
	struct lhv_kvm_vm *kvm;		/* NULL: lhv; else the VM is KVM's (kvm.h) */
	__u32 lapic_mode;		/* LHV_LAPIC_*, never _DEFAULT; KVM: 0 */
	unsigned int nram;
	struct lhv_guest_ram ram[LHV_MAX_RAM];
	size_t map_size[LHV_MAX_RAM];	/* each mapping, extra bytes included */
};

struct lhv_vcpu;

/* What a hook did with an exit. */
enum lhv_hook_verdict {
	LHV_HOOK_DONE,		/* handled (read data stored): run on */
	LHV_HOOK_STOP,		/* handled: return to the caller (LHV_OUT_STOP) */
	LHV_HOOK_UNHANDLED,	/* not ours: the run loop reports and stops */
};

/*
 * Hooks for PIO and MMIO exits the run loop does not handle itself.  For a
 * read, store the value in *data; for a write, *data holds the value.
 */
struct lhv_hooks {
	enum lhv_hook_verdict (*pio)(struct lhv_vcpu *vcpu,
				     const struct lhv_exit_pio *pio, __u64 *data);
	enum lhv_hook_verdict (*mmio)(struct lhv_vcpu *vcpu,
				      const struct lhv_exit_mmio *mmio, __u64 *data);
	void *ctx;		/* for the hooks */
};

struct lhv_vcpu {
	int fd;
	unsigned int host_cpu;
	struct lhv_kvm_vcpu *kvm;	/* a KVM vCPU (kvm.h) */
	struct lhv_vm *vm;
	const struct lhv_run *run;	/* the mmapped run page */
	struct lhv_completion comp;	/* given to the next LHV_RUN */
	struct lhv_hooks hooks;
	const char *prefix;		/* for COM1 lines on stdout; NULL: quiet */
	bool raw_pio;			/* every PIO to hooks.pio: no built-in
					 * COM1 or debug exit (lhv-run's PC) */
	char line[256];			/* the COM1 line being assembled */
	size_t line_len;
	char console[LHV_CONSOLE_MAX];	/* all COM1 output, NUL terminated */
	size_t console_len;
};

/* Why lhv_vcpu_run() returned. */
enum lhv_outcome_kind {
	LHV_OUT_RESULT,		/* the guest wrote its result to port 0xf4 */
	LHV_OUT_STOP,		/* a hook asked to stop */
	LHV_OUT_EXIT,		/* an exit nobody handled: see .exit, printed */
	LHV_OUT_EINTR,		/* a signal interrupted LHV_RUN */
	LHV_OUT_ERROR,		/* LHV_RUN failed: errno in .error, printed */
};

struct lhv_outcome {
	enum lhv_outcome_kind kind;
	__u32 result;		/* LHV_OUT_RESULT */
	int error;		/* LHV_OUT_ERROR */
	struct lhv_run exit;	/* the last exit record */
};

/* /dev/lhv with API version LHV_API_VERSION, or -1. */
int lhv_open_dev(void);

/* LHV_GET_CAPS through a /dev/lhv of its own. */
int lhv_get_caps(struct lhv_caps *caps);

/* Where lhv.ko shows its CPU pool (Documentation/install.rst). */
#define LHV_CPU_POOL_PATH	"/sys/module/lhv/parameters/cpu_pool"

/*
 * The CPU pool as a CPU list ("1-3"; "" when empty) into @buf, or -1
 * with errno when it cannot be read (an lhv.ko without one, or none).
 * Prints nothing.
 */
int lhv_read_cpu_pool(char *buf, size_t len);

/*
 * Opens /dev/lhv, creates a VM with LAPIC mode @lapic_mode (LHV_LAPIC_*)
 * and, unless @ram_size is 0, gives it RAM at GPA 0 (lhv_vm_add_ram()).
 * lhv_vm_create() asks for the default mode.
 */
int lhv_vm_create_mode(struct lhv_vm *vm, uint64_t ram_size, __u32 lapic_mode);
int lhv_vm_create(struct lhv_vm *vm, uint64_t ram_size);

/*
 * The same VM on /dev/kvm (kvm.h): every liblhv function below works on
 * it, except the run-state calls (ENOTSUP); APIC IDs are vCPU numbers.
 */
int lhv_vm_create_kvm(struct lhv_vm *vm, uint64_t ram_size);

/* LHV_SIGNAL_MSI, or KVM_SIGNAL_MSI: the vCPUs reached (KVM: 1), or -1. */
long lhv_vm_signal_msi(struct lhv_vm *vm, const struct lhv_msi *msi);

/*
 * Guest RAM at @gpa: an anonymous mapping, 2 MiB aligned and THP-advised,
 * of @size + @extra bytes; the first @size are registered with the VM.
 * The @extra bytes after them (e.g. a canary) stay the launcher's.
 * Returns the RAM's index in vm->ram[], or -1.
 */
int lhv_vm_add_ram(struct lhv_vm *vm, uint64_t gpa, uint64_t size,
		   uint64_t extra);

/* The host address of guest-physical [@gpa, @gpa + @len), or NULL. */
void *lhv_vm_gpa_ptr(struct lhv_vm *vm, uint64_t gpa, uint64_t len);

/* A whole file in a malloc()ed buffer (free() it), or NULL (printed). */
void *lhv_read_file(const char *path, size_t *len);

/* Load an ELF executable, or a flat binary at @gpa, from a file. */
int lhv_vm_load_elf(struct lhv_vm *vm, const char *path, uint64_t *entry);
int lhv_vm_load_flat(struct lhv_vm *vm, const char *path, uint64_t gpa);

void lhv_vm_destroy(struct lhv_vm *vm);

/*
 * vCPU @id on @host_cpu, with its run page mapped.  vCPU 0 is the BSP:
 * liblhv starts it (LHV_RUN_STATE_RUNNING), so a single-vCPU VM runs as
 * soon as it has registers.  Every other vCPU is an AP and stays in
 * LHV_RUN_STATE_INIT until the guest's SIPI: its LHV_RUN blocks until
 * then.
 */
int lhv_vcpu_create(struct lhv_vm *vm, unsigned int id, unsigned int host_cpu,
		    struct lhv_vcpu *vcpu);

/* LHV_GET_RUN_STATE; LHV_SET_RUN_STATE to @state with nothing pending. */
int lhv_vcpu_get_run_state(struct lhv_vcpu *vcpu, struct lhv_run_state *rs);
int lhv_vcpu_set_run_state(struct lhv_vcpu *vcpu, __u32 state);

/*
 * 64-bit long mode at @rip with @rsp, page tables and GDT at
 * LHV_LM_TABLES_GPA; RDI holds the size of the RAM at GPA 0 (vm->ram[0]),
 * so a guest knows where its memory ends.
 */
int lhv_vcpu_long_mode(struct lhv_vcpu *vcpu, uint64_t rip, uint64_t rsp);

/*
 * 32-bit flat protected mode, paging off, at @eip with EAX and EBX set
 * (multiboot: the magic and the info block); the GDT at @gdt_gpa.
 */
int lhv_vcpu_prot32(struct lhv_vcpu *vcpu, uint64_t gdt_gpa, uint32_t eip,
		    uint32_t eax, uint32_t ebx);

/*
 * Linux's 64-bit boot protocol: long mode on identity-mapped tables at
 * @tables_gpa (LHV_LM_TABLES_SIZE bytes), __BOOT_CS/__BOOT_DS, interrupts
 * off, RSI = the boot_params (zero page) at @rsi.
 */
int lhv_vcpu_linux64(struct lhv_vcpu *vcpu, uint64_t tables_gpa, uint64_t rip,
		     uint64_t rsi);

int lhv_vcpu_get_stats(struct lhv_vcpu *vcpu, struct lhv_stats *stats);

/*
 * Under --accel kvm: KVM's own per-vCPU counters that name where its
 * exits went (halts, host interrupts, ...), as "kvm_NAME=VALUE" words in
 * @buf.  0 for an lhv vCPU, else the length.
 */
int lhv_vcpu_format_kvm_stats(struct lhv_vcpu *vcpu, char *buf, size_t len);

/*
 * The low 32 bits of the vCPU's VM-exit count (0 when not known), for the
 * guests' exit-counter port.  Quiet: called from exit handlers.
 */
uint32_t lhv_vcpu_exit_count(struct lhv_vcpu *vcpu);

/*
 * Runs the guest until it reports a result, a hook stops it, an exit
 * nobody handles, a signal or an error.  COM1 output goes to
 * vcpu->console and, when vcpu->prefix is set, line by line to stdout.
 * Returns 0 for LHV_OUT_RESULT, -1 otherwise.  Calling it again resumes:
 * the exit that stopped it is completed first.
 */
int lhv_vcpu_run(struct lhv_vcpu *vcpu, struct lhv_outcome *out);

/* One line with every field of an exit record, for reports. */
void lhv_format_exit(const struct lhv_run *run, char *buf, size_t len);
const char *lhv_exit_name(__u32 reason);

void lhv_vcpu_destroy(struct lhv_vcpu *vcpu);

/* Multi-vCPU VMs (smp.c). */
#define LHV_SMP_MAX		BOOT_INFO_MAX_CPUS
/* Ends an AP thread's LHV_RUN with EINTR; its handler does nothing. */
#define LHV_KICK_SIGNAL		SIGUSR2	/* SIGUSR1 is lhv-run's NMI button */

struct lhv_smp {
	struct lhv_vm *vm;
	unsigned int nr;			/* vCPUs; [0] is the BSP */
	struct lhv_vcpu *vcpu[LHV_SMP_MAX];
	unsigned int host_cpu[LHV_SMP_MAX];
	uint32_t apic_id[LHV_SMP_MAX];		/* the host CPUs' */
	struct lhv_outcome out[LHV_SMP_MAX];	/* how each one's run ended */
	char prefix[LHV_SMP_MAX][48];
	/* lhv_smp_run()'s AP threads */
	pthread_t thread[LHV_SMP_MAX];
	volatile int done[LHV_SMP_MAX];
	volatile int stop;
	/*
	 * Called in AP @i's thread when its run ends by itself (not by the
	 * BSP's end): a crash, or a hook that stopped it.  May be NULL.
	 */
	void (*ap_ended)(struct lhv_smp *smp, unsigned int i);
	void *ctx;				/* for ap_ended */
};

/*
 * @nr vCPUs, vCPU i on @host_cpus[i] (lhv_vcpu_create(): vCPU 0 is the
 * BSP).  Each host CPU's APIC ID is read from /proc/cpuinfo first, while
 * it is still online.  With @name, COM1 lines print as "<name><i>: ".
 */
int lhv_smp_create(struct lhv_smp *smp, struct lhv_vm *vm, unsigned int nr,
		   const unsigned int *host_cpus, const char *name);

/*
 * Writes the boot-info block at BOOT_INFO_GPA: the vCPUs of @smp, the
 * TSC rate measured here, @variant, @timeout_ms and @nr_params @params.
 */
int lhv_smp_boot_info(struct lhv_smp *smp, uint32_t variant,
		      uint32_t timeout_ms, const uint32_t *params,
		      unsigned int nr_params);

/*
 * Runs every AP's exit loop in a thread of its own (a parked AP's LHV_RUN
 * blocks until the guest's SIPI) and the BSP's in the calling thread.
 * When the BSP's run ends, the APs are stopped with LHV_KICK_SIGNAL and
 * joined.  *@out is the BSP's outcome, smp->out[] everyone's.  Returns
 * 0 when the BSP reported a result (LHV_OUT_RESULT), else -1.
 */
int lhv_smp_run(struct lhv_smp *smp, struct lhv_outcome *out);

void lhv_smp_destroy(struct lhv_smp *smp);

/* An NMI for every vCPU (LHV_INJECT_NMI, KVM_NMI): how many, or -1. */
long lhv_smp_nmi_all(struct lhv_smp *smp);

/* LHV_KICK_SIGNAL's handler: it only interrupts LHV_RUN or KVM_RUN. */
void lhv_kick_handler(int sig);

/* Host helpers: the APIC ID of online CPU @cpu; TSC ticks per ms. */
int lhv_host_apic_id(unsigned int cpu, uint32_t *apic_id);
uint64_t lhv_tsc_per_ms(void);

#endif /* _LHV_LIBLHV_H */
