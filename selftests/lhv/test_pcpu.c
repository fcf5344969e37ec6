// SPDX-License-Identifier: GPL-2.0
/*
 * Host CPU ownership through the VM and vCPU ioctls: a vCPU takes its host
 * CPU offline, every way the VM can end gives it back, and every bad
 * request is refused with its documented errno.  Prints TAP.
 *
 * usage: test_pcpu [CYCLES]   (claim/release cycles, default 10)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/lhv.h>

#include "tap.h"

static int cpu_online(unsigned int cpu)
{
	char path[64], c = '?';
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 1)
		c = '?';
	close(fd);
	return c == '1' ? 1 : c == '0' ? 0 : -1;
}

static int set_cpu_online(unsigned int cpu, int on)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/* A freed CPU comes back through add_cpu(); give it a few seconds. */
static bool wait_online(unsigned int cpu)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (cpu_online(cpu) == 1)
			return true;
		usleep(100000);
	}
	return false;
}

static int dev;

static int create_vm(__u32 mode, __u32 flags)
{
	struct lhv_vm_config cfg = { .lapic_mode = mode, .flags = flags };

	return ioctl(dev, LHV_CREATE_VM, &cfg);
}

static int create_vcpu(int vm, __u32 id, __u32 cpu)
{
	struct lhv_vcpu_config cfg = { .vcpu_id = id, .host_cpu = cpu };

	return ioctl(vm, LHV_CREATE_VCPU, &cfg);
}

/*
 * Each child creates a VM and, once both are ready, a vCPU on @cpu; it
 * exits 0 when it got the CPU, 1 on EBUSY, 2 on anything else.
 */
static bool race_for_cpu(unsigned int cpu)
{
	int go[2], done[2], status[2], i;
	pid_t pid[2];
	char c = 0;

	if (pipe(go) || pipe(done))
		return false;
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			int vm = create_vm(LHV_LAPIC_DEFAULT, 0), vcpu;

			alarm(60);	/* a bug must fail the test, not hang it */
			if (read(go[0], &c, 1) != 1 || vm < 0)
				_exit(2);
			vcpu = create_vcpu(vm, 0, cpu);
			if (vcpu < 0)
				_exit(errno == EBUSY ? 1 : 2);
			/* Hold the CPU until the loser has answered. */
			if (read(done[0], &c, 1) != 1)
				_exit(2);
			_exit(0);
		}
	}
	if (write(go[1], "gg", 2) != 2)
		return false;
	/* Whoever exits first lost; then let the winner go. */
	waitpid(-1, &status[0], 0);
	if (write(done[1], "d", 1) != 1)
		return false;
	waitpid(-1, &status[1], 0);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	return WIFEXITED(status[0]) && WEXITSTATUS(status[0]) == 1 &&
	       WIFEXITED(status[1]) && WEXITSTATUS(status[1]) == 0 &&
	       wait_online(cpu);
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 10;
	unsigned int ncpus = sysconf(_SC_NPROCESSORS_CONF);
	struct lhv_vcpu_config vcfg = { 0 };
	struct lhv_vm_config cfg = { 0 };
	struct lhv_caps caps;
	int vm, vcpu, i, ok;
	pid_t child;

	printf("1..23\n");
	dev = open("/dev/lhv", O_RDWR);
	if (dev < 0 || ioctl(dev, LHV_GET_CAPS, &caps) || ncpus < 4) {
		printf("Bail out! need /dev/lhv and 4 CPUs\n");
		return 1;
	}

	/* LHV_CREATE_VM */
	expect_errno(create_vm(0, 1), EINVAL, "LHV_CREATE_VM with flags set");
	cfg.reserved[6] = 1;
	expect_errno(ioctl(dev, LHV_CREATE_VM, &cfg), EINVAL,
		     "LHV_CREATE_VM with a reserved field set");
	expect_errno(create_vm(7, 0), EINVAL, "LHV_CREATE_VM with LAPIC mode 7");
	if (caps.lapic_modes & (1u << LHV_LAPIC_PASSTHROUGH)) {
		vm = create_vm(LHV_LAPIC_PASSTHROUGH, 0);
		result(vm >= 0, "passthrough VM where wait-for-SIPI exists");
		if (vm >= 0)
			close(vm);
	} else {
		expect_errno(create_vm(LHV_LAPIC_PASSTHROUGH, 0), EOPNOTSUPP,
			     "passthrough VM where lhv does not offer it");
	}

	/* LHV_CREATE_VCPU and what it does to the host CPU */
	vm = create_vm(LHV_LAPIC_DEFAULT, 0);
	result(vm >= 0, "LHV_CREATE_VM with the default LAPIC mode");
	vcpu = create_vcpu(vm, 0, 1);
	result(vcpu >= 0, "vCPU 0 on host CPU 1 created");
	result(cpu_online(1) == 0, "host CPU 1 is offline while the vCPU owns it");
	expect_errno(create_vcpu(vm, 1, 1), EBUSY, "a second vCPU on host CPU 1");
	expect_errno(create_vcpu(vm, 0, 2), EEXIST, "vCPU id 0 twice");
	expect_errno(create_vcpu(vm, 1, 0), EPERM, "a vCPU on host CPU 0");
	expect_errno(create_vcpu(vm, 1, 4096), EINVAL, "a vCPU on host CPU 4096");
	expect_errno(create_vcpu(vm, caps.max_vcpus, 2), EINVAL,
		     "vCPU id max_vcpus");
	vcfg.vcpu_id = 1;
	vcfg.host_cpu = 2;
	vcfg.reserved[0] = 1;
	expect_errno(ioctl(vm, LHV_CREATE_VCPU, &vcfg), EINVAL,
		     "LHV_CREATE_VCPU with a reserved field set");
	ok = set_cpu_online(3, 0) == 0;
	expect_errno(ok ? create_vcpu(vm, 1, 3) : 0, ENODEV,
		     "a vCPU on a CPU Linux has offlined");
	set_cpu_online(3, 1);
	expect_errno(ioctl(vcpu, LHV_CREATE_VCPU, &vcfg), ENOTTY,
		     "LHV_CREATE_VCPU on a vCPU fd");
	result(set_cpu_online(1, 1) != 0 && cpu_online(1) == 0,
	       "Linux cannot online host CPU 1 while lhv owns it");

	/* Closing the VM fd alone keeps the CPU: the vCPU fd holds the VM. */
	close(vm);
	result(cpu_online(1) == 0, "host CPU 1 stays owned while the vCPU fd is open");
	close(vcpu);
	result(wait_online(1), "host CPU 1 back online after the last fd closed");

	/* Claim and release over and over. */
	for (i = 0, ok = 1; i < cycles && ok; i++) {
		vm = create_vm(LHV_LAPIC_DEFAULT, 0);
		vcpu = vm >= 0 ? create_vcpu(vm, 0, 2 + i % 2) : -1;
		ok = vcpu >= 0 && cpu_online(2 + i % 2) == 0;
		if (vcpu >= 0)
			close(vcpu);
		if (vm >= 0)
			close(vm);
		ok = ok && wait_online(2 + i % 2);
	}
	result(ok, "%d claim/release cycles on host CPUs 2 and 3", cycles);

	/* Two processes racing for one CPU: exactly one gets it. */
	result(race_for_cpu(2), "two processes racing for host CPU 2: one wins, one gets EBUSY");

	/* A launcher killed with SIGKILL gives its CPUs back too. */
	child = fork();
	if (child == 0) {
		vm = create_vm(LHV_LAPIC_DEFAULT, 0);
		if (vm < 0 || create_vcpu(vm, 0, 2) < 0 || create_vcpu(vm, 1, 3) < 0)
			_exit(1);
		pause();
	}
	for (i = 0; i < 300 && (cpu_online(2) || cpu_online(3)); i++)
		usleep(100000);
	result(cpu_online(2) == 0 && cpu_online(3) == 0,
	       "a child's VM owns host CPUs 2 and 3");
	/* Each VM fd pins the module: unload waits until the VMs are gone. */
	result(system("rmmod lhv 2>/dev/null") != 0 &&
	       access("/sys/module/lhv", F_OK) == 0 && cpu_online(2) == 0,
	       "rmmod lhv is refused while a VM exists");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	result(wait_online(2) && wait_online(3),
	       "both back online after SIGKILL of the owner");

	close(dev);
	return tap_exit_status();
}
