// SPDX-License-Identifier: GPL-2.0
/*
 * Guest AP bring-up by INIT-SIPI-SIPI (issue 4's acceptance list) with the
 * smp guest (guests/smp.c), in both LAPIC modes:
 *  - passthrough (VMX with wait-for-SIPI only): 1, 2 and 3 APs come up;
 *    each AP took at least one SIPI exit; no vCPU had an ICR trap, an
 *    emulated INIT/SIPI or another LAPIC exit;
 *  - filtered: the same, with emulated INIT/SIPI on each AP, the BSP's
 *    ICR writes trapped, and no hardware INIT/SIPI or other LAPIC exit;
 *  - the variants: broadcast by shorthand and IPIs to APIC IDs outside
 *    the VM (filtered only: in passthrough they would reach host CPUs), a
 *    second SIPI to a running AP, INIT and a new SIPI restarting an AP at
 *    another vector, INIT alone (each AP stays in the INIT state, read
 *    back through the ioctls), an NMI IPI to each AP;
 *  - repeated bring-ups on fresh VMs;
 *  - every host CPU back online after each group and at the end.
 * BSP on host CPU 1, APs on 2, 3, ...: 3 APs need a 5-CPU test VM
 * (scripts/run-vm --smp 5; make check runs them so).  Prints TAP.
 *
 * usage: test_smp [--repeat N] [GROUP...]   (default: all groups; N 20)
 */
#define _GNU_SOURCE
#include <getopt.h>

#include "child.h"
#include "smp_vm.h"

#define NR_FOREIGN	2	/* SMP_OUTSIDE: CPU 0's APIC ID and a free one */
#define FREE_APIC_ID	0x7e

enum check {
	CHK_STARTS_ONCE = 1 << 0,	/* variant line: each AP started once */
	CHK_RESTART = 1 << 1,		/* ... twice, the second time at vector 9 */
	CHK_DROPPED = 1 << 2,		/* ... the IPIs outside the VM dropped */
	CHK_NMI = 1 << 3,		/* ... each AP counted one NMI */
	CHK_PLATFORM = 1 << 4,		/* ... MSIs and platform NMIs taken */
	CHK_INIT_STATE = 1 << 5,	/* ... each AP left in INIT, read back */
};

static const struct group {
	const char *name;
	__u32 mode;
	unsigned int naps;		/* 0: as many as the test VM has */
	uint32_t variant;
	unsigned int checks;		/* CHK_*: one more TAP line */
	const char *what;
} groups[] = {
	{ "pt-1ap", LHV_LAPIC_PASSTHROUGH, 1, SMP_BASIC, 0, "1 AP" },
	{ "pt-2ap", LHV_LAPIC_PASSTHROUGH, 2, SMP_BASIC, 0, "2 APs" },
	{ "pt-3ap", LHV_LAPIC_PASSTHROUGH, 3, SMP_BASIC, 0, "3 APs" },
	{ "pt-second-sipi", LHV_LAPIC_PASSTHROUGH, 2, SMP_SECOND_SIPI,
	  CHK_STARTS_ONCE, "a second SIPI to running APs" },
	{ "pt-init-restart", LHV_LAPIC_PASSTHROUGH, 2, SMP_INIT_RESTART,
	  CHK_RESTART, "INIT to running APs, then SIPI at vector 9" },
	{ "pt-init-park", LHV_LAPIC_PASSTHROUGH, 2, SMP_INIT_PARK,
	  CHK_INIT_STATE, "INIT to running APs and no SIPI" },
	{ "pt-nmi", LHV_LAPIC_PASSTHROUGH, 2, SMP_NMI, CHK_NMI,
	  "an NMI IPI to each AP" },
	{ "fl-1ap", LHV_LAPIC_FILTERED, 1, SMP_BASIC, 0, "1 AP" },
	{ "fl-2ap", LHV_LAPIC_FILTERED, 2, SMP_BASIC, 0, "2 APs" },
	{ "fl-3ap", LHV_LAPIC_FILTERED, 3, SMP_BASIC, 0, "3 APs" },
	{ "fl-broadcast", LHV_LAPIC_FILTERED, 2, SMP_BROADCAST, 0,
	  "INIT-SIPI-SIPI by the all-excluding-self shorthand" },
	{ "fl-second-sipi", LHV_LAPIC_FILTERED, 2, SMP_SECOND_SIPI,
	  CHK_STARTS_ONCE, "a second SIPI to running APs" },
	{ "fl-init-restart", LHV_LAPIC_FILTERED, 2, SMP_INIT_RESTART,
	  CHK_RESTART, "INIT to running APs, then SIPI at vector 9" },
	{ "fl-init-park", LHV_LAPIC_FILTERED, 2, SMP_INIT_PARK,
	  CHK_INIT_STATE, "INIT to running APs and no SIPI" },
	{ "fl-outside", LHV_LAPIC_FILTERED, 2, SMP_OUTSIDE, CHK_DROPPED,
	  "INIT-SIPI-SIPI to APIC IDs outside the VM first" },
	{ "fl-nmi", LHV_LAPIC_FILTERED, 2, SMP_NMI, CHK_NMI,
	  "an NMI IPI to each AP" },
	{ "pt-platform", LHV_LAPIC_PASSTHROUGH, 2, SMP_PLATFORM, CHK_PLATFORM,
	  "LHV_SIGNAL_MSI and LHV_INJECT_NMI to every vCPU" },
	{ "fl-platform", LHV_LAPIC_FILTERED, 2, SMP_PLATFORM, CHK_PLATFORM,
	  "LHV_SIGNAL_MSI and LHV_INJECT_NMI to every vCPU" },
	{ "pt-repeat", LHV_LAPIC_PASSTHROUGH, 0, SMP_BASIC, 0, NULL },
	{ "fl-repeat", LHV_LAPIC_FILTERED, 0, SMP_BASIC, 0, NULL },
};

#define NGROUPS		(sizeof(groups) / sizeof(groups[0]))
/* Per group, and per bring-up for the repeat groups; Bochs needs it. */
#define GROUP_TIMEOUT_S		120
#define REPEAT_TIMEOUT_S	30

static unsigned int repeat = 20, max_aps;
static struct lhv_caps caps;
static struct smp_run run;

static const char *mode_name(__u32 mode)
{
	return mode == LHV_LAPIC_PASSTHROUGH ? "passthrough" : "filtered";
}

static bool is_repeat(const struct group *g)
{
	return !g->what;
}

/* TAP lines of a group: guest, APIC IDs, stats, a variant line, online. */
static int group_tests(const struct group *g)
{
	return is_repeat(g) ? 2 : 4 + !!g->checks;
}

static unsigned int group_aps(const struct group *g)
{
	return g->naps ? g->naps : max_aps < 3 ? max_aps : 3;
}

static void print_stats(void)
{
	unsigned int i;

	for (i = 0; i <= run.naps; i++) {
		const __u64 *b = run.stats[i].by_reason;

		printf("#   vCPU %u (APIC ID %u): exits %llu (MSR %llu/%llu, CR %llu, exception %llu), INIT %llu SIPI %llu, emulated INIT %llu SIPI %llu, ICR traps %llu, IPIs dropped %llu, LAPIC other %llu, NMI %llu\n",
		       i, run.apic_id[i], (unsigned long long)run.stats[i].exits,
		       (unsigned long long)b[LHV_STAT_MSR_READ],
		       (unsigned long long)b[LHV_STAT_MSR_WRITE],
		       (unsigned long long)b[LHV_STAT_CR_ACCESS],
		       (unsigned long long)b[LHV_STAT_EXCEPTION],
		       (unsigned long long)b[LHV_STAT_INIT],
		       (unsigned long long)b[LHV_STAT_SIPI],
		       (unsigned long long)b[LHV_STAT_EMUL_INIT],
		       (unsigned long long)b[LHV_STAT_EMUL_SIPI],
		       (unsigned long long)b[LHV_STAT_ICR_TRAP],
		       (unsigned long long)b[LHV_STAT_IPI_DROPPED],
		       (unsigned long long)b[LHV_STAT_LAPIC_OTHER],
		       (unsigned long long)b[LHV_STAT_NMI]);
	}
}

/* Where vCPU @i stopped. */
static void print_cpu(unsigned int i)
{
	const struct lhv_sregs *sr = &run.sregs[i];
	const struct lhv_regs *r = &run.regs[i];

	printf("#     rip %#llx rsp %#llx rflags %#llx cs %#x base %#llx limit %#x type %u db %u l %u; ds %#x base %#llx\n",
	       (unsigned long long)r->rip, (unsigned long long)r->rsp,
	       (unsigned long long)r->rflags, sr->cs.selector,
	       (unsigned long long)sr->cs.base, sr->cs.limit, sr->cs.type,
	       sr->cs.db, sr->cs.l, sr->ds.selector,
	       (unsigned long long)sr->ds.base);
	printf("#     cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx gdt %#llx/%#x idt %#llx/%#x\n",
	       (unsigned long long)sr->cr0, (unsigned long long)sr->cr3,
	       (unsigned long long)sr->cr4, (unsigned long long)sr->efer,
	       (unsigned long long)sr->gdt.base, sr->gdt.limit,
	       (unsigned long long)sr->idt.base, sr->idt.limit);
}

/* What the guest saw, when something went wrong. */
static void print_failure(void)
{
	char exit[200];
	unsigned int i;

	lhv_format_exit(&run.out.exit, exit, sizeof(exit));
	printf("#   BSP: outcome %d result %u; last %s\n", run.out.kind,
	       run.out.result, exit);
	print_cpu(0);
	for (i = 1; i <= run.naps; i++) {
		lhv_format_exit(&run.ap_out[i].exit, exit, sizeof(exit));
		printf("#   AP %u: outcome %d (%s); last %s; starts by report %u\n",
		       i, run.ap_out[i].kind,
		       run.ap_out[i].error ? strerrorname_np(run.ap_out[i].error) : "-",
		       exit, run.rep.cpu[i].starts);
		print_cpu(i);
	}
	printf("#   report: magic %#x aps_up %u strays %u failures %u\n",
	       run.rep.magic, run.rep.aps_up, run.rep.strays, run.rep.failures);
	if (!run.prefix)
		printf("#   BSP console tail:\n%s\n", run.bsp_console);
}

/* Each AP read its own host CPU's APIC ID on its start. */
static bool apic_ids_match(void)
{
	unsigned int i;

	for (i = 1; i <= run.naps; i++)
		if (!run.rep.cpu[i].starts ||
		    run.rep.cpu[i].seen_apic_id != run.apic_id[i])
			return false;
	return true;
}

/*
 * Passthrough: SIPI exits on each AP, and no vCPU touched the filtered
 * path.  Filtered: emulated INIT and SIPI on each AP, the BSP's ICR
 * writes trapped, and no vCPU had a hardware INIT/SIPI or another LAPIC
 * exit.  @icr_writes: how many the guest made at least; @apic_used: it
 * programmed its APIC (SMP_PLATFORM), which filtered xAPIC mode traps.
 */
static bool stats_ok(__u32 mode, unsigned int icr_writes, bool apic_used)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i <= run.naps; i++) {
		const __u64 *b = run.stats[i].by_reason;
		bool ap = i > 0;

		ok = ok && (apic_used || !b[LHV_STAT_LAPIC_OTHER]);
		if (mode == LHV_LAPIC_PASSTHROUGH)
			ok = ok && !b[LHV_STAT_ICR_TRAP] && !b[LHV_STAT_EMUL_INIT] &&
			     !b[LHV_STAT_EMUL_SIPI] && !b[LHV_STAT_IPI_DROPPED] &&
			     (!ap || b[LHV_STAT_SIPI] >= 1);
		else
			ok = ok && !b[LHV_STAT_INIT] && !b[LHV_STAT_SIPI] &&
			     (ap ? b[LHV_STAT_EMUL_INIT] >= 1 &&
				   b[LHV_STAT_EMUL_SIPI] >= 1 &&
				   !b[LHV_STAT_ICR_TRAP] :
				   b[LHV_STAT_ICR_TRAP] >= icr_writes &&
				   !b[LHV_STAT_EMUL_INIT] && !b[LHV_STAT_EMUL_SIPI]);
	}
	return ok;
}

/*
 * An AP that took an INIT and no SIPI: in the INIT state with nothing
 * pending, and LHV_GET_REGS/SREGS give the INIT registers (SDM Vol. 3A,
 * 9.1.1), not those it ran with -- lhv writes them into the VMCS only
 * when the vCPU runs again (Documentation/initsipi.rst).
 */
static bool in_init_state(unsigned int i)
{
	const struct lhv_sregs *sr = &run.sregs[i];
	const struct lhv_regs *r = &run.regs[i];

	return run.rstate[i].state == LHV_RUN_STATE_INIT &&
	       !run.rstate[i].pending && r->rip == 0xfff0 && r->rflags == 0x2 &&
	       sr->cs.selector == 0xf000 && sr->cs.base == 0xffff0000 &&
	       sr->cs.limit == 0xffff && sr->cr0 == 0x60000010 &&
	       !sr->cr3 && !sr->cr4 && !sr->efer;
}

/* The variant's own line. */
static void check_variant(const struct group *g)
{
	const __u64 *bsp = run.stats[0].by_reason;
	unsigned int i, n = run.naps;
	bool ok = true;

	for (i = 1; i <= n; i++) {
		const struct smp_cpu_report *c = &run.rep.cpu[i];
		const __u64 *b = run.stats[i].by_reason;

		if (g->checks & CHK_STARTS_ONCE)
			ok = ok && c->starts == 1 && c->vector == SMP_VECTOR;
		if (g->checks & CHK_RESTART)
			ok = ok && c->starts == 2 && c->vector == SMP_VECTOR2 &&
			     (g->mode == LHV_LAPIC_PASSTHROUGH ?
			      b[LHV_STAT_INIT] >= 1 && b[LHV_STAT_SIPI] >= 2 :
			      b[LHV_STAT_EMUL_INIT] >= 2 && b[LHV_STAT_EMUL_SIPI] >= 2);
		if (g->checks & CHK_NMI)
			ok = ok && c->nmis == 1;
		if ((g->checks & CHK_INIT_STATE) && !in_init_state(i)) {
			printf("#   AP %u: run state %u pending %#x, registers:\n",
			       i, run.rstate[i].state, run.rstate[i].pending);
			print_cpu(i);
			ok = false;
		}
	}
	if (g->checks & CHK_NMI)
		ok = ok && run.rep.cpu[0].nmis == 0;
	if (g->checks & CHK_PLATFORM) {
		for (i = 0; i <= n; i++)
			ok = ok && run.msi_sent[i] == 1 &&
			     run.stats[i].by_reason[LHV_STAT_NMI_INJECTED] == 1;
		ok = ok && run.platform_asked && run.msi_sent[n + 1] == n + 1 &&
		     (run.guest_x2apic ||
		      run.msi_sent[n + 2] == (g->mode == LHV_LAPIC_FILTERED ?
					      (long)n + 1 : -EOPNOTSUPP)) &&
		     run.nmi_sent == n + 1 && !run.bad_input_failures;
		if (!ok)
			printf("#   asked %d x2apic %d; MSIs sent %ld %ld %ld (broadcast %ld, logical %ld); NMIs sent %ld; bad-input failures %u\n",
			       run.platform_asked, run.guest_x2apic, run.msi_sent[0],
			       run.msi_sent[1], run.msi_sent[2], run.msi_sent[n + 1],
			       run.msi_sent[n + 2], run.nmi_sent,
			       run.bad_input_failures);
	}
	if (g->checks & CHK_DROPPED)
		ok = ok && bsp[LHV_STAT_IPI_DROPPED] >= 3 * NR_FOREIGN;
	result(ok, "%s: %s", g->name,
	       g->checks & CHK_STARTS_ONCE ? "the second SIPI was ignored: each AP started once, at vector 8" :
	       g->checks & CHK_RESTART ? "each AP started again at vector 9 (twice in all)" :
	       g->checks & CHK_NMI ? "each AP's NMI handler counted exactly one NMI, the BSP's none" :
	       g->checks & CHK_INIT_STATE ? "each AP is in the INIT state with nothing pending, and LHV_GET_REGS/SREGS give the INIT registers (RIP 0xfff0, CS f000/ffff0000, CR0 0x60000010)" :
	       g->checks & CHK_PLATFORM ? "every vCPU took one MSI per destination that named it and one platform NMI; ioctls returned the vCPUs reached; bad arguments got EINVAL/ENOENT" :
	       "the BSP's IPIs outside the VM were dropped and counted (>= 6)");
}

static void set_variant(const struct group *g)
{
	memset(&run, 0, sizeof(run));
	run.lapic_mode = g->mode;
	run.naps = group_aps(g);
	run.variant = g->variant;
	if (g->variant == SMP_PLATFORM) {
		run.nr_params = 1;
		run.params[0] = g->mode == LHV_LAPIC_FILTERED;
	}
	if (g->variant == SMP_OUTSIDE) {
		run.nr_params = 1 + NR_FOREIGN;
		run.params[0] = NR_FOREIGN;
		if (lhv_host_apic_id(0, &run.params[1]))
			run.params[1] = 0;
		run.params[2] = FREE_APIC_ID;
	}
}

static void test_group(const struct group *g)
{
	static char prefix[64];
	unsigned int writes;
	bool ok;

	set_variant(g);
	snprintf(prefix, sizeof(prefix), "# %s: cpu", g->name);
	run.prefix = prefix;
	if (!smp_run_guest(&run)) {
		result(false, "%s: set up a VM with %u APs", g->name, run.naps);
		return;
	}
	ok = smp_guest_ok(&run, run.naps * (g->variant == SMP_INIT_RESTART ? 2 : 1));
	result(ok, "%s: %s, %s: the guest brought up %u AP%s and reported no failure",
	       g->name, mode_name(g->mode), g->what, run.naps,
	       run.naps == 1 ? "" : "s");
	if (!ok)
		print_failure();
	result(apic_ids_match(), "%s: each AP read its host CPU's APIC ID", g->name);
	/* INIT + 2 SIPIs per AP, or per broadcast; then the variant's own. */
	writes = g->variant == SMP_BROADCAST ? 3 : 3 * run.naps;
	result(stats_ok(g->mode, writes, g->variant == SMP_PLATFORM),
	       "%s: stats: %s", g->name,
	       g->mode == LHV_LAPIC_PASSTHROUGH ?
	       "a SIPI exit on each AP; no ICR trap, emulated INIT/SIPI or other LAPIC exit anywhere" :
	       "emulated INIT and SIPI on each AP, the BSP's ICR writes trapped; no INIT/SIPI exit or other LAPIC exit anywhere");
	print_stats();
	if (g->checks)
		check_variant(g);
}

static void test_repeat(const struct group *g)
{
	unsigned int i, passed = 0;

	for (i = 0; i < repeat; i++) {
		set_variant(g);
		if (smp_run_guest(&run) && smp_guest_ok(&run, run.naps) &&
		    apic_ids_match())
			passed++;
		else {
			printf("#   %s: bring-up %u of %u failed\n", g->name, i + 1,
			       repeat);
			print_failure();
		}
		if (wait_online_ms(TEST_CPU + run.naps, 5000) < 0)
			printf("#   %s: CPU %u not back online\n", g->name,
			       TEST_CPU + run.naps);
		/* Progress: 20 bring-ups take minutes on Bochs. */
		if ((i + 1) % 5 == 0 && i + 1 < repeat) {
			printf("#   %s: %u of %u bring-ups done\n", g->name,
			       i + 1, repeat);
			fflush(stdout);
		}
	}
	result(passed == repeat, "%s: %u of %u bring-ups of %u APs on fresh %s VMs passed",
	       g->name, passed, repeat, group_aps(g), mode_name(g->mode));
}

/* The test VM's platform must offer passthrough (scripts/run-vm). */
static bool expect_passthrough(void)
{
	const char *e = getenv("LHV_EXPECT_PASSTHROUGH");

	return e && !strcmp(e, "1");
}

/* Why @g cannot run here, or NULL. */
static const char *skip_reason(const struct group *g)
{
	static char why[160];

	if (!(caps.lapic_modes & (1u << g->mode))) {
		snprintf(why, sizeof(why), "%s LAPIC mode not offered here (lapic_modes %#x)%s",
			 mode_name(g->mode), caps.lapic_modes,
			 g->mode != LHV_LAPIC_PASSTHROUGH ? "" :
			 ": it needs VMX with wait-for-SIPI and a host in physical or x2APIC mode");
		return why;
	}
	if (group_aps(g) > max_aps || !group_aps(g)) {
		snprintf(why, sizeof(why), "needs %u CPUs in the test VM, it has %u (scripts/run-vm --smp %u)",
			 group_aps(g) + 2, max_aps + 2, group_aps(g) + 2);
		return why;
	}
	return NULL;
}

/* Every host CPU the group used is online again. */
static bool cpus_back(const struct group *g)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i <= group_aps(g); i++)
		ok = wait_online_ms(TEST_CPU + i, 5000) >= 0 && ok;
	return ok;
}

static void call_group(const void *arg)
{
	const struct group *g = arg;

	if (is_repeat(g))
		test_repeat(g);
	else
		test_group(g);
}

/* Skipped with the reason, or run in a child; then its CPUs' line. */
static void run_group(const struct group *g)
{
	const char *why = skip_reason(g);
	int i;

	if (why && g->mode == LHV_LAPIC_PASSTHROUGH && expect_passthrough() &&
	    !(caps.lapic_modes & (1u << g->mode))) {
		/* scripts/run-vm: this platform must offer it. */
		for (i = 0; i < group_tests(g); i++)
			result(false, "%s: %s, where LHV_EXPECT_PASSTHROUGH=1", g->name, why);
		return;
	}
	if (why) {
		for (i = 0; i < group_tests(g); i++)
			result(true, "%s # SKIP %s", g->name, why);
		return;
	}
	run_in_child(g->name, group_tests(g) - 1,
		     GROUP_TIMEOUT_S + (is_repeat(g) ? repeat * REPEAT_TIMEOUT_S : 0),
		     call_group, g);
	result(cpus_back(g), "%s: host CPUs %u-%u online again", g->name,
	       TEST_CPU, TEST_CPU + group_aps(g));
}

static bool selected(int argc, char **argv, const char *name)
{
	int i;

	for (i = optind; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return optind >= argc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "repeat", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	char online[64], online_after[64];
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int i;
	int plan = 1, opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'r' || atoi(optarg) < 1) {
			fprintf(stderr, "usage: test_smp [--repeat N] [GROUP...]\n");
			return 2;
		}
		repeat = atoi(optarg);
	}
	if (lhv_get_caps(&caps)) {
		printf("1..1\nnot ok 1 - LHV_GET_CAPS on /dev/lhv\n");
		return 1;
	}
	max_aps = ncpus > 2 ? ncpus - 2 : 0;
	for (i = 0; i < NGROUPS; i++)
		if (selected(argc, argv, groups[i].name))
			plan += group_tests(&groups[i]);
	printf("1..%d\n", plan);
	printf("# %ld CPUs online: up to %u APs; LAPIC modes %#x, default %u\n",
	       ncpus, max_aps, caps.lapic_modes, caps.default_lapic_mode);
	read_line("/sys/devices/system/cpu/online", online, sizeof(online));
	tap_share();
	for (i = 0; i < NGROUPS; i++)
		if (selected(argc, argv, groups[i].name))
			run_group(&groups[i]);
	read_line("/sys/devices/system/cpu/online", online_after, sizeof(online_after));
	result(!strcmp(online, online_after),
	       "/sys/devices/system/cpu/online after the tests (%s) as before (%s)",
	       online_after, online);
	return tap_exit_status();
}
