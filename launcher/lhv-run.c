// SPDX-License-Identifier: GPL-2.0
/*
 * lhv-run: the launcher.  For now it reports what /dev/lhv found:
 *
 *   lhv-run --caps
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

#define EXIT_USAGE	2
#define EXIT_NO_DEVICE	3

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

static void usage(FILE *out)
{
	fprintf(out,
		"usage: lhv-run --caps\n"
		"\n"
		"  --caps    print what lhv.ko found on this machine\n"
		"  --help    this text\n"
		"\n"
		"Exit status: 0 success, %d usage error, %d /dev/lhv unusable.\n",
		EXIT_USAGE, EXIT_NO_DEVICE);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "caps", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool caps = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			caps = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || !caps) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return show_caps();
}
