// SPDX-License-Identifier: GPL-2.0
/*
 * lhv-run: the launcher.
 *
 *   lhv-run --caps                         what /dev/lhv found
 *   lhv-run [--cpus LIST] [--lapic MODE] [--ram MIB] GUEST
 *                                          run a 64-bit ELF test guest
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/lhv.h>

#include "liblhv.h"

#define EXIT_USAGE	2
#define EXIT_NO_DEVICE	3
#define EXIT_GUEST	4
/* How long an SMP guest may wait for its APs. */
#define BOOT_TIMEOUT_MS	5000

/* Feature bits as lhv-run --caps names them, in the order it prints them. */
static const struct {
	__u32 vendor;
	__u64 bit;
	const char *name;
} cap_names[] = {
	{ LHV_VENDOR_INTEL_VMX, LHV_CAP_VMX_EPT, "EPT" },
	{ LHV_VENDOR_INTEL_VMX, LHV_CAP_VMX_EPT_2M, "EPT 2 MiB pages" },
	{ LHV_VENDOR_INTEL_VMX, LHV_CAP_VMX_UNRESTRICTED, "unrestricted guest" },
	{ LHV_VENDOR_INTEL_VMX, LHV_CAP_VMX_VPID, "VPID" },
	{ LHV_VENDOR_INTEL_VMX, LHV_CAP_VMX_WAIT_FOR_SIPI, "wait-for-SIPI" },
	{ LHV_VENDOR_INTEL_VMX, LHV_CAP_VMX_PREEMPTION_TIMER, "preemption timer" },
	{ LHV_VENDOR_AMD_SVM, LHV_CAP_SVM_NPT, "NPT" },
	{ LHV_VENDOR_AMD_SVM, LHV_CAP_SVM_NRIPS, "next-RIP save" },
	{ LHV_VENDOR_AMD_SVM, LHV_CAP_SVM_DECODE_ASSISTS, "decode assists" },
	{ LHV_VENDOR_AMD_SVM, LHV_CAP_SVM_VGIF, "vGIF" },
	{ LHV_VENDOR_NONE, LHV_CAP_X2APIC, "x2APIC" },
};

#define FIELD "%-23s"

static void print_caps(const struct lhv_caps *c, int api)
{
	size_t i;

	printf(FIELD "%d\n", "lhv API version:", api);
	switch (c->vendor) {
	case LHV_VENDOR_INTEL_VMX:
		printf(FIELD "Intel VMX\n", "backend:");
		printf(FIELD "%#x\n", "VMCS revision:", c->vmcs_revision);
		break;
	case LHV_VENDOR_AMD_SVM:
		printf(FIELD "AMD SVM\n", "backend:");
		printf(FIELD "%u\n", "SVM revision:", c->svm_revision);
		printf(FIELD "%u\n", "ASIDs:", c->asid_count);
		break;
	default:
		printf(FIELD "unknown vendor %u\n", "backend:", c->vendor);
		break;
	}
	for (i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++) {
		char label[32];

		if (cap_names[i].vendor != c->vendor &&
		    cap_names[i].vendor != LHV_VENDOR_NONE)
			continue;
		snprintf(label, sizeof(label), "%s:", cap_names[i].name);
		printf(FIELD "%s\n", label,
		       (c->features & cap_names[i].bit) ? "yes" : "no");
	}
	printf(FIELD "%s%s(default %s)\n", "LAPIC modes:",
	       c->lapic_modes & (1u << LHV_LAPIC_PASSTHROUGH) ? "passthrough " : "",
	       c->lapic_modes & (1u << LHV_LAPIC_FILTERED) ? "filtered " : "",
	       c->default_lapic_mode == LHV_LAPIC_PASSTHROUGH ? "passthrough" :
	       c->default_lapic_mode == LHV_LAPIC_FILTERED ? "filtered" : "none");
	if (c->vendor == LHV_VENDOR_INTEL_VMX) {
		printf(FIELD "TSC >> %u\n", "preemption timer rate:",
		       c->preemption_timer_shift);
		printf(FIELD "%#018llx\n", "IA32_VMX_BASIC:",
		       (unsigned long long)c->raw_vmx_basic);
		printf(FIELD "%#018llx\n", "IA32_VMX_MISC:",
		       (unsigned long long)c->raw_vmx_misc);
		printf(FIELD "%#018llx\n", "IA32_VMX_EPT_VPID_CAP:",
		       (unsigned long long)c->raw_vmx_ept_vpid_cap);
	} else if (c->vendor == LHV_VENDOR_AMD_SVM) {
		printf(FIELD "%#010x\n", "CPUID 0x8000000A EDX:",
		       c->raw_svm_features);
	}
}

static int show_caps(void)
{
	struct lhv_caps caps;
	int fd, api;

	fd = open("/dev/lhv", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "lhv-run: cannot open /dev/lhv: %s%s\n",
			strerror(errno),
			errno == ENOENT ? " (is lhv.ko loaded?)" : "");
		return EXIT_NO_DEVICE;
	}
	api = ioctl(fd, LHV_GET_API_VERSION);
	if (api != LHV_API_VERSION) {
		fprintf(stderr, "lhv-run: /dev/lhv speaks API %d, this lhv-run speaks %d\n",
			api, LHV_API_VERSION);
		close(fd);
		return EXIT_NO_DEVICE;
	}
	if (ioctl(fd, LHV_GET_CAPS, &caps)) {
		fprintf(stderr, "lhv-run: LHV_GET_CAPS: %s\n", strerror(errno));
		close(fd);
		return EXIT_NO_DEVICE;
	}
	close(fd);
	print_caps(&caps, api);
	return 0;
}

/* What to run: from the command line. */
struct run_opts {
	unsigned int nr_cpus;
	unsigned int cpus[LHV_SMP_MAX];	/* [0]: the BSP's host CPU */
	__u32 lapic_mode;
	unsigned long ram_mib;
};

/* The exit status for a run that returned @ret with @out. */
static int report(int ret, const struct lhv_outcome *out)
{
	if (ret)
		return EXIT_GUEST;
	printf("lhv-run: guest result %u\n", out->result);
	return out->result ? EXIT_GUEST : 0;
}

/*
 * Run a 64-bit ELF test guest (guests/) in long mode, its BSP on the first
 * host CPU listed, until it writes its result to port 0xf4.  With more
 * CPUs, the others are APs waiting for the guest's SIPI, and the guest
 * finds them in the boot-info block.  COM1 output goes to stdout; any
 * exit lhv-run does not handle is printed and ends the run.
 */
static int run_guest(const char *path, const struct run_opts *o)
{
	static struct lhv_smp smp;
	struct lhv_outcome out;
	struct lhv_vm vm;
	uint64_t entry;
	int ret = EXIT_GUEST;

	if (lhv_vm_create_mode(&vm, (uint64_t)o->ram_mib << 20, o->lapic_mode))
		return EXIT_NO_DEVICE;
	if (!lhv_vm_load_elf(&vm, path, &entry) &&
	    !lhv_smp_create(&smp, &vm, o->nr_cpus, o->cpus,
			    o->nr_cpus > 1 ? "guest cpu" : NULL)) {
		if (o->nr_cpus == 1)
			smp.vcpu[0]->prefix = "guest: ";
		if (!lhv_vcpu_long_mode(smp.vcpu[0], entry, 0) &&
		    (o->nr_cpus == 1 ||
		     !lhv_smp_boot_info(&smp, 0, BOOT_TIMEOUT_MS, NULL, 0)))
			ret = report(lhv_smp_run(&smp, &out), &out);
		lhv_smp_destroy(&smp);
	}
	lhv_vm_destroy(&vm);
	return ret;
}

/* "1,2,3" into @o; false if it is not a list of 1 to LHV_SMP_MAX CPUs. */
static bool parse_cpus(const char *s, struct run_opts *o)
{
	char *end;

	o->nr_cpus = 0;
	do {
		if (o->nr_cpus == LHV_SMP_MAX || *s < '0' || *s > '9')
			return false;
		o->cpus[o->nr_cpus++] = strtoul(s, &end, 10);
		s = end + (*end == ',');
	} while (*end == ',');
	return !*end;
}

static bool parse_lapic(const char *s, struct run_opts *o)
{
	static const char *const names[] = {
		[LHV_LAPIC_DEFAULT] = "default",
		[LHV_LAPIC_PASSTHROUGH] = "passthrough",
		[LHV_LAPIC_FILTERED] = "filtered",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			o->lapic_mode = i;
			return true;
		}
	return false;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: lhv-run --caps\n"
		"       lhv-run [--cpus LIST] [--lapic MODE] [--ram MIB] GUEST.elf\n"
		"\n"
		"  --caps          print what lhv.ko found on this machine\n"
		"  --cpus LIST     host CPUs the guest's vCPUs own, e.g. 1,2,3: the\n"
		"                  first is the BSP's, the others are APs the guest\n"
		"                  starts by INIT-SIPI-SIPI (default 1; --cpu N: one)\n"
		"  --lapic MODE    passthrough, filtered or default (the default)\n"
		"  --ram MIB       guest RAM at GPA 0 (default 4)\n"
		"  --help          this text\n"
		"\n"
		"GUEST is a 64-bit ELF test guest (Documentation/guests.rst); its\n"
		"COM1 output is printed and its port 0xf4 result ends the run.\n"
		"With several CPUs the guest finds them in the boot-info block.\n"
		"\n"
		"Exit status: 0 success, %d usage error, %d /dev/lhv unusable,\n"
		"%d the guest failed or reported a non-zero result.\n",
		EXIT_USAGE, EXIT_NO_DEVICE, EXIT_GUEST);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "caps", no_argument, NULL, 'c' },
		{ "cpu", required_argument, NULL, 'p' },
		{ "cpus", required_argument, NULL, 'p' },
		{ "lapic", required_argument, NULL, 'l' },
		{ "ram", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o = { .nr_cpus = 1, .cpus = { 1 }, .ram_mib = 4 };
	bool caps = false;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			caps = true;
			break;
		case 'p':
			if (!parse_cpus(optarg, &o)) {
				usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'l':
			if (!parse_lapic(optarg, &o)) {
				usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			o.ram_mib = strtoul(optarg, &end, 0);
			if (*end || !*optarg) {
				usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (caps && optind == argc)
		return show_caps();
	if (!caps && optind == argc - 1 && o.ram_mib >= 2 && o.ram_mib <= 4096)
		return run_guest(argv[optind], &o);
	usage(stderr);
	return EXIT_USAGE;
}
