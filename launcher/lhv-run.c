// SPDX-License-Identifier: GPL-2.0
/*
 * lhv-run: the launcher.
 *
 *   lhv-run --caps                   what /dev/lhv found
 *   lhv-run [options] IMAGE          boot IMAGE on a virtual PC
 *
 * Documentation/lhv-run.rst is the manual; machine.c is the PC.
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
#include "machine.h"
#include "platform.h"

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

/* The host CPUs VMs may own: module parameter cpu_pool. */
static void print_pool(void)
{
	char pool[256];

	if (lhv_read_cpu_pool(pool, sizeof(pool)))
		printf(FIELD "unknown (%s: %s)\n", "CPU pool:", LHV_CPU_POOL_PATH,
		       strerror(errno));
	else
		printf(FIELD "%s\n", "CPU pool:", pool[0] ? pool : "none (empty)");
}

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
	print_pool();
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
		return LHV_RUN_NO_DEVICE;
	}
	api = ioctl(fd, LHV_GET_API_VERSION);
	if (api != LHV_API_VERSION) {
		fprintf(stderr, "lhv-run: /dev/lhv speaks API %d, this lhv-run speaks %d\n",
			api, LHV_API_VERSION);
		close(fd);
		return LHV_RUN_NO_DEVICE;
	}
	if (ioctl(fd, LHV_GET_CAPS, &caps)) {
		fprintf(stderr, "lhv-run: LHV_GET_CAPS: %s\n", strerror(errno));
		close(fd);
		return LHV_RUN_NO_DEVICE;
	}
	close(fd);
	print_caps(&caps, api);
	return 0;
}

/* "1,2,3" into @c; false if it is not a list of 1 to LHV_SMP_MAX CPUs. */
static bool parse_cpus(const char *s, struct lhv_machine_config *c)
{
	unsigned long v;
	char *end;

	c->nr_cpus = 0;
	do {
		if (c->nr_cpus == LHV_SMP_MAX || *s < '0' || *s > '9')
			return false;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || v > 4095)
			return false;
		c->cpus[c->nr_cpus++] = v;
		s = end + (*end == ',');
	} while (*end == ',');
	return !*end;
}

static bool parse_lapic(const char *s, struct lhv_machine_config *c)
{
	static const char *const names[] = {
		[LHV_LAPIC_DEFAULT] = "default",
		[LHV_LAPIC_PASSTHROUGH] = "passthrough",
		[LHV_LAPIC_FILTERED] = "filtered",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			c->lapic_mode = i;
			return true;
		}
	return false;
}

/* "64M", "1G", "4096K", or bytes; false for anything else or an overflow. */
static bool parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return false;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	}
	if (*end || v > (~0ULL >> shift))
		return false;
	*out = v << shift;
	return true;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && !*end && *out <= max;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: lhv-run --caps\n"
		"       lhv-run [options] IMAGE\n"
		"\n"
		"Boots IMAGE (a Linux bzImage, a multiboot kernel, an ELF executable or,\n"
		"with --format flat, raw bytes) on a virtual PC whose vCPUs each own a\n"
		"host CPU.  COM1 is the console.\n"
		"\n"
		"  --cpus LIST        host CPUs, one per vCPU, the first the BSP's (default 1)\n"
		"  --mem SIZE         guest RAM, e.g. 256M or 1G (default 128M, at most 3G)\n"
		"  --lapic MODE       passthrough, filtered or default: the module's\n"
		"                     default for a bzImage, else filtered (another\n"
		"                     image may broadcast IPIs to the whole machine)\n"
		"  --accel lhv|kvm    run on /dev/lhv (default) or, for comparison, on\n"
		"                     /dev/kvm with KVM's in-kernel LAPIC\n"
		"  --initrd FILE      initrd (bzImage) or first module (multiboot)\n"
		"  --append CMDLINE   kernel command line; a bzImage gets lhv-run's\n"
		"                     console and TSC settings first (--no-default-cmdline)\n"
		"  --format FORMAT    auto, elf, multiboot, flat or bzimage (default auto)\n"
		"  --load-addr ADDR   where a flat image goes and starts (default 0x100000)\n"
		"  --serial stdio|FILE  COM1 output (default stdio); input comes from stdin\n"
		"                     when it is a terminal\n"
		"  --com1-msi VECTOR  raise COM1's interrupt as this vector on the BSP\n"
		"  --disk FILE[,ro]   a virtio-blk disk backed by FILE (up to %d)\n"
		"  --net tap=NAME     a virtio-net interface on host tap NAME\n"
		"  --console virtio   also a virtio-console (the guest's hvc0)\n"
		"  --timeout SEC      stop the guest after SEC seconds\n"
		"  --stats            print each vCPU's exit counters at the end\n"
		"  --verbose          what was loaded where, unclaimed ports at the end\n"
		"  --caps             print what lhv.ko found on this machine\n"
		"  --help             this text\n"
		"\n"
		"SIGUSR1 sends an NMI to every vCPU.  Exit status: 0 the guest powered\n"
		"off; odd: the guest wrote v to port 0xf4, status (v << 1) | 1; %d usage;\n"
		"%d /dev/lhv unusable; %d bad image; %d host CPU or memory unavailable;\n"
		"%d the guest crashed; %d timeout; %d the guest reset; %d a signal.\n"
		"The manual page lhv-run(1) has the details: man lhv-run.\n",
		LHV_MAX_DISKS,
		LHV_RUN_USAGE, LHV_RUN_NO_DEVICE, LHV_RUN_BAD_IMAGE, LHV_RUN_HOST,
		LHV_RUN_CRASH, LHV_RUN_TIMEOUT, LHV_RUN_RESET, LHV_RUN_SIGNAL);
}

/* One line on what is wrong, a pointer to --help, and the usage status. */
static int bad_arg(const char *what, const char *arg)
{
	fprintf(stderr, "lhv-run: %s: '%s' (see lhv-run --help)\n", what, arg);
	return LHV_RUN_USAGE;
}

/* Host CPUs must exist, be online and not be CPU 0; each listed once. */
static int check_cpus(const struct lhv_machine_config *c)
{
	unsigned int i, j;
	char path[64];
	FILE *f;
	int on;

	for (i = 0; i < c->nr_cpus; i++) {
		unsigned int cpu = c->cpus[i];

		if (!cpu) {
			fprintf(stderr, "lhv-run: CPU 0 stays with Linux: give lhv other CPUs\n");
			return LHV_RUN_HOST;
		}
		for (j = 0; j < i; j++)
			if (c->cpus[j] == cpu) {
				fprintf(stderr, "lhv-run: CPU %u listed twice: each vCPU needs a CPU of its own\n",
					cpu);
				return LHV_RUN_USAGE;
			}
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u", cpu);
		if (access(path, F_OK)) {
			fprintf(stderr, "lhv-run: no CPU %u on this host\n", cpu);
			return LHV_RUN_HOST;
		}
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
		f = fopen(path, "r");
		on = 1;
		if (f) {
			if (fscanf(f, "%d", &on) != 1)
				on = 1;
			fclose(f);
		}
		if (!on) {
			fprintf(stderr, "lhv-run: CPU %u is offline (a VM may own it): bring it online or pick another\n",
				cpu);
			return LHV_RUN_HOST;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "caps", no_argument, NULL, 'c' },
		{ "cpu", required_argument, NULL, 'p' },
		{ "cpus", required_argument, NULL, 'p' },
		{ "mem", required_argument, NULL, 'm' },
		{ "lapic", required_argument, NULL, 'l' },
		{ "accel", required_argument, NULL, 'A' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "append", required_argument, NULL, 'a' },
		{ "no-default-cmdline", no_argument, NULL, 'N' },
		{ "format", required_argument, NULL, 'f' },
		{ "load-addr", required_argument, NULL, 'L' },
		{ "serial", required_argument, NULL, 's' },
		{ "com1-msi", required_argument, NULL, 'M' },
		{ "disk", required_argument, NULL, 'D' },
		{ "net", required_argument, NULL, 'n' },
		{ "console", required_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 't' },
		{ "stats", no_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lhv_machine_config c = {
		.nr_cpus = 1, .cpus = { 1 }, .mem = 128ULL << 20,
		.load_addr = PLAT_HIGH_RAM_START, .serial = stdout,
		.com1_vector = -1,
	};
	const char *serial = "stdio";
	unsigned long v;
	bool caps = false;
	int opt, ret;

	/*
	 * From the start: SIGINT/SIGTERM that arrive while the VM is being
	 * set up wait for the control thread, which ends the run with its
	 * status (machine.c), instead of killing lhv-run half way.
	 */
	lhv_machine_block_signals();
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			caps = true;
			break;
		case 'p':
			if (!parse_cpus(optarg, &c))
				return bad_arg("--cpus wants a list of 1 to 16 CPU numbers like 1,2,3", optarg);
			break;
		case 'm':
			if (!parse_size(optarg, &c.mem) || c.mem < (2ULL << 20) ||
			    c.mem > PLAT_MAX_RAM || c.mem & 0xfff)
				return bad_arg("--mem wants a size from 2M to 3G, a multiple of 4K", optarg);
			break;
		case 'l':
			if (!parse_lapic(optarg, &c))
				return bad_arg("--lapic wants passthrough, filtered or default", optarg);
			break;
		case 'A':
			if (strcmp(optarg, "lhv") && strcmp(optarg, "kvm"))
				return bad_arg("--accel wants lhv or kvm", optarg);
			c.kvm = !strcmp(optarg, "kvm");
			break;
		case 'i':
			c.initrd = optarg;
			break;
		case 'a':
			c.append = optarg;
			break;
		case 'N':
			c.no_default_cmdline = true;
			break;
		case 'f':
			ret = lhv_format_parse(optarg);
			if (ret < 0)
				return bad_arg("--format wants auto, elf, multiboot, flat or bzimage", optarg);
			c.format = ret;
			break;
		case 'L':
			if (!parse_uint(optarg, PLAT_MAX_RAM - 1, &v))
				return bad_arg("--load-addr wants an address below 3G", optarg);
			c.load_addr = v;
			break;
		case 's':
			serial = optarg;
			break;
		case 'M':
			if (!parse_uint(optarg, 255, &v) || v < 16)
				return bad_arg("--com1-msi wants a vector from 16 to 255", optarg);
			c.com1_vector = v;
			break;
		case 'D':
			if (c.nr_disks == LHV_MAX_DISKS)
				return bad_arg("--disk: at most 4 disks", optarg);
			c.disks[c.nr_disks++] = optarg;
			break;
		case 'C':
			if (strcmp(optarg, "virtio"))
				return bad_arg("--console wants virtio", optarg);
			c.virtio_console = true;
			break;
		case 'n':
			if (strncmp(optarg, "tap=", 4) || !optarg[4] ||
			    strlen(optarg) > 4 + 15)
				return bad_arg("--net wants tap=NAME (1 to 15 characters)", optarg);
			c.net = optarg;
			break;
		case 't':
			if (!parse_uint(optarg, 86400 * 365, &v) || !v)
				return bad_arg("--timeout wants seconds, at least 1", optarg);
			c.timeout_s = v;
			break;
		case 'S':
			c.stats = true;
			break;
		case 'v':
			c.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return bad_arg(optopt ? "unknown option or missing argument" :
				       "unknown option", argv[optind - 1]);
		}
	}
	if (caps)
		return optind == argc ? show_caps() :
		       bad_arg("--caps takes no image", argv[optind]);
	if (optind != argc - 1) {
		fprintf(stderr, "lhv-run: %s (see lhv-run --help)\n",
			optind == argc ? "no IMAGE given" : "one IMAGE only");
		return LHV_RUN_USAGE;
	}
	if (c.kvm && c.lapic_mode != LHV_LAPIC_DEFAULT) {
		fprintf(stderr, "lhv-run: --lapic is lhv's; KVM has its own LAPIC (see lhv-run --help)\n");
		return LHV_RUN_USAGE;
	}
	c.image = argv[optind];
	if (strcmp(serial, "stdio")) {
		c.serial = fopen(serial, "w");
		if (!c.serial) {
			fprintf(stderr, "lhv-run: --serial %s: %s\n", serial, strerror(errno));
			return LHV_RUN_USAGE;
		}
	} else {
		c.serial_input = isatty(STDIN_FILENO);
	}
	ret = check_cpus(&c);
	if (!ret)
		ret = lhv_machine_run(&c);
	if (c.serial != stdout)
		fclose(c.serial);
	return ret;
}
