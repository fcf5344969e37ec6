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

static const char *yes_no(__u64 features, __u64 bit)
{
	return (features & bit) ? "yes" : "no";
}

static void print_caps(const struct lhv_caps *c, int api)
{
	printf("lhv API version:       %d\n", api);
	switch (c->vendor) {
	case LHV_VENDOR_INTEL_VMX:
		printf("backend:               Intel VMX\n");
		printf("VMCS revision:         %#x\n", c->vmcs_revision);
		printf("EPT:                   %s\n",
		       yes_no(c->features, LHV_CAP_VMX_EPT));
		printf("EPT 2 MiB pages:       %s\n",
		       yes_no(c->features, LHV_CAP_VMX_EPT_2M));
		printf("unrestricted guest:    %s\n",
		       yes_no(c->features, LHV_CAP_VMX_UNRESTRICTED));
		printf("VPID:                  %s\n",
		       yes_no(c->features, LHV_CAP_VMX_VPID));
		printf("wait-for-SIPI:         %s\n",
		       yes_no(c->features, LHV_CAP_VMX_WAIT_FOR_SIPI));
		printf("preemption timer:      %s (TSC >> %u)\n",
		       yes_no(c->features, LHV_CAP_VMX_PREEMPTION_TIMER),
		       c->preemption_timer_shift);
		printf("IA32_VMX_BASIC:        %#018llx\n",
		       (unsigned long long)c->raw_vmx_basic);
		printf("IA32_VMX_MISC:         %#018llx\n",
		       (unsigned long long)c->raw_vmx_misc);
		printf("IA32_VMX_EPT_VPID_CAP: %#018llx\n",
		       (unsigned long long)c->raw_vmx_ept_vpid_cap);
		break;
	case LHV_VENDOR_AMD_SVM:
		printf("backend:               AMD SVM\n");
		printf("SVM revision:          %u\n", c->svm_revision);
		printf("ASIDs:                 %u\n", c->asid_count);
		printf("NPT:                   %s\n",
		       yes_no(c->features, LHV_CAP_SVM_NPT));
		printf("next-RIP save:         %s\n",
		       yes_no(c->features, LHV_CAP_SVM_NRIPS));
		printf("decode assists:        %s\n",
		       yes_no(c->features, LHV_CAP_SVM_DECODE_ASSISTS));
		printf("vGIF:                  %s\n",
		       yes_no(c->features, LHV_CAP_SVM_VGIF));
		printf("CPUID 0x8000000A EDX:  %#010x\n", c->raw_svm_features);
		break;
	default:
		printf("backend:               unknown vendor %u\n", c->vendor);
		break;
	}
	printf("x2APIC:                %s\n", yes_no(c->features, LHV_CAP_X2APIC));
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
