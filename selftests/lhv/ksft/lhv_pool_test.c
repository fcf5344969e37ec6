// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU pool: module parameter cpu_pool, the host CPUs VMs may own
 * (Documentation/install.rst, ioctl.rst LHV_CREATE_VCPU).  A vCPU on a
 * CPU in the pool is created; on any other CPU LHV_CREATE_VCPU fails with
 * EPERM and lhv logs one line; a pool changed while a VM runs leaves that
 * VM its CPUs and decides only later vCPUs; a bad value is refused with
 * EINVAL and a log line, and leaves the pool as it was.  Each test puts
 * the pool back as it found it.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "lhv_ksft.h"

#define POOL_PATH	"/sys/module/lhv/parameters/cpu_pool"
#define CPU_A		LHV_FIRST_CPU
#define CPU_B		(LHV_FIRST_CPU + 1)

/* Write @value to cpu_pool as one write(): 0, or the errno it failed with. */
static int pool_write(const char *value)
{
	int fd = open(POOL_PATH, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, value, strlen(value)) < 0)
		err = errno;
	close(fd);
	return err;
}

static void pool_read(char *buf, size_t len)
{
	lhv_read_line(POOL_PATH, buf, len);
}

/* The pool lhv starts with: every possible CPU but CPU 0 ("" if none). */
static bool default_pool(char *buf, size_t len)
{
	char possible[128];
	unsigned int last;

	lhv_read_line("/sys/devices/system/cpu/possible", possible, sizeof(possible));
	if (strncmp(possible, "0", 1) || strchr(possible, ','))
		return false;	/* not "0" or "0-N": not worth a parser here */
	last = lhv_possible_cpus() - 1;
	if (last == 0)
		snprintf(buf, len, "%s", "");
	else if (last == 1)
		snprintf(buf, len, "1");
	else
		snprintf(buf, len, "1-%u", last);
	return true;
}

/* Whether cpu_pool was given when lhv.ko loaded (not the default then). */
static bool pool_given_at_load(void)
{
	char cmd[1024];
	int ret;

	lhv_read_line("/proc/cmdline", cmd, sizeof(cmd));
	if (strstr(cmd, "lhv.cpu_pool="))
		return true;
	ret = system("grep -qs cpu_pool /etc/modprobe.d/*.conf /lib/modprobe.d/*.conf");
	return WIFEXITED(ret) && WEXITSTATUS(ret) == 0;
}

FIXTURE(pool) {
	int dev;
	char saved[256];	/* the pool at setup, put back at teardown */
};

FIXTURE_SETUP(pool)
{
	self->saved[0] = '\0';
	LHV_OPEN_OR_SKIP(self->dev);
	if (access(POOL_PATH, W_OK))
		SKIP(return, "%s: %s (an lhv.ko without a CPU pool?)", POOL_PATH,
		     strerror(errno));
	pool_read(self->saved, sizeof(self->saved));
}

FIXTURE_TEARDOWN(pool)
{
	char now[256];

	if (self->dev < 0)
		return;
	close(self->dev);
	pool_read(now, sizeof(now));
	if (strcmp(now, self->saved)) {
		/* An empty pool is written as a newline: "" is no write at all. */
		EXPECT_EQ(0, pool_write(self->saved[0] ? self->saved : "\n"));
		pool_read(now, sizeof(now));
		EXPECT_STREQ(self->saved, now);
	}
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
	EXPECT_TRUE(lhv_wait_online(CPU_B, 5000));
}

TEST_F(pool, default_is_every_cpu_but_cpu_0)
{
	char want[64];

	LHV_RETURN_IF_SKIPPED();
	if (pool_given_at_load())
		SKIP(return, "cpu_pool was set when lhv.ko loaded: not the default");
	if (!default_pool(want, sizeof(want)))
		SKIP(return, "possible CPUs are not 0-N");
	EXPECT_STREQ(want, self->saved);
}

TEST_F(pool, vcpu_on_cpu_in_pool_created)
{
	int vm, vcpu;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_A);
	ASSERT_EQ(0, pool_write("1\n"));
	vm = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm);
	vcpu = lhv_vcpu_create(vm, 0, CPU_A);
	EXPECT_LE(0, vcpu) TH_LOG("LHV_CREATE_VCPU on CPU %d in pool 1: %s",
				  CPU_A, strerror(errno));
	EXPECT_EQ(0, lhv_cpu_online(CPU_A));
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
}

TEST_F(pool, vcpu_on_cpu_outside_pool_eperm_and_one_log_line)
{
	char line[96];
	int vm, vcpu, kmsg;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_B);
	ASSERT_EQ(0, pool_write("1"));
	vm = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm);
	kmsg = kmsg_open_at_end();
	EXPECT_ERRNO(EPERM, lhv_vcpu_create(vm, 0, CPU_B));
	/* Refused before lhv touched it: still Linux's, never offline. */
	EXPECT_EQ(1, lhv_cpu_online(CPU_B));
	snprintf(line, sizeof(line), "lhv: CPU %d is not in cpu_pool (1): vCPU refused",
		 CPU_B);
	if (kmsg >= 0) {
		EXPECT_TRUE(kmsg_has(kmsg, line)) TH_LOG("no '%s' in the kernel log", line);
		close(kmsg);
	}
	/* CPU 0 is outside every pool. */
	EXPECT_ERRNO(EPERM, lhv_vcpu_create(vm, 0, 0));
	/* The VM is still usable: a CPU in the pool is had. */
	vcpu = lhv_vcpu_create(vm, 0, CPU_A);
	EXPECT_LE(0, vcpu) TH_LOG("LHV_CREATE_VCPU: %s", strerror(errno));
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
}

TEST_F(pool, empty_pool_refuses_every_cpu)
{
	char now[64];
	int vm;

	LHV_RETURN_IF_SKIPPED();
	ASSERT_EQ(0, pool_write("\n"));
	pool_read(now, sizeof(now));
	EXPECT_STREQ("", now);
	vm = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm);
	EXPECT_ERRNO(EPERM, lhv_vcpu_create(vm, 0, CPU_A));
	EXPECT_ERRNO(EPERM, lhv_vcpu_create(vm, 1, CPU_B));
	close(vm);
}

TEST_F(pool, value_reads_back_as_a_sorted_cpu_list)
{
	char now[64];

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_B);
	ASSERT_EQ(0, pool_write("2,1"));
	pool_read(now, sizeof(now));
	EXPECT_STREQ("1-2", now);
	ASSERT_EQ(0, pool_write(" 2 \n"));
	pool_read(now, sizeof(now));
	EXPECT_STREQ("2", now);
}

TEST_F(pool, bad_values_einval_pool_unchanged)
{
	char too_big[32], now[256], line[96];
	const char *bad[] = {
		"0", "0-2", "1,0", "all", "abc", "1-", "-1", "3-1", "1;2",
		"1,,x", "99999999999", too_big,
	};
	unsigned int i;
	int kmsg;

	LHV_RETURN_IF_SKIPPED();
	/* The first CPU number that cannot exist here. */
	snprintf(too_big, sizeof(too_big), "%u", lhv_possible_cpus());
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		kmsg = kmsg_open_at_end();
		EXPECT_EQ(EINVAL, pool_write(bad[i])) TH_LOG("cpu_pool '%s'", bad[i]);
		pool_read(now, sizeof(now));
		EXPECT_STREQ(self->saved, now) TH_LOG("after cpu_pool '%s'", bad[i]);
		if (kmsg < 0)
			continue;
		/* One line that says what was wrong, naming the parameter. */
		EXPECT_TRUE(kmsg_has(kmsg, "lhv: cpu_pool: "))
			TH_LOG("no 'lhv: cpu_pool:' line for '%s'", bad[i]);
		close(kmsg);
	}
	/* Why CPU 0 is refused, in those words. */
	kmsg = kmsg_open_at_end();
	EXPECT_EQ(EINVAL, pool_write("0-1"));
	snprintf(line, sizeof(line), "CPU 0 cannot be in the pool");
	if (kmsg >= 0) {
		EXPECT_TRUE(kmsg_has(kmsg, line));
		close(kmsg);
	}
}

/*
 * A pool changed while a VM runs: the VM keeps its CPU and runs on, a CPU
 * it owns that left the pool comes back to Linux when the VM ends, and
 * only vCPUs created afterwards follow the new pool.
 */
TEST_F(pool, pool_changed_while_vm_runs)
{
	struct lhv_completion c = { .exit_reason = LHV_EXIT_NONE };
	int vm, vcpu, vm2, vcpu2, kmsg;
	struct lhv_run *run;
	char line[96];
	void *ram;

	LHV_RETURN_IF_SKIPPED();
	LHV_CPUS_OR_SKIP(CPU_A, CPU_B);
	ASSERT_EQ(0, pool_write("1-2"));
	vm = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm);
	vcpu = lhv_vcpu_create(vm, 0, CPU_A);
	ASSERT_LE(0, vcpu) TH_LOG("LHV_CREATE_VCPU: %s", strerror(errno));
	ram = lhv_guest_ram();
	run = lhv_map_run(vcpu);
	ASSERT_NE(NULL, ram);
	ASSERT_NE(NULL, run);
	ASSERT_EQ(0, lhv_guest_setup(vm, vcpu, ram));
	ASSERT_EQ(0, lhv_run_bounded(vcpu, &c, 2000));
	ASSERT_EQ(LHV_EXIT_PIO, run->exit_reason);
	EXPECT_EQ(LHV_GUEST_HELLO, run->pio.data);

	/* CPU 1 leaves the pool while its VM runs: lhv says it stays. */
	kmsg = kmsg_open_at_end();
	ASSERT_EQ(0, pool_write("2"));
	snprintf(line, sizeof(line), "cpu_pool: CPU %d stays with its VM until the VM ends",
		 CPU_A);
	if (kmsg >= 0) {
		EXPECT_TRUE(kmsg_has(kmsg, line)) TH_LOG("no '%s' in the kernel log", line);
		close(kmsg);
	}
	EXPECT_EQ(0, lhv_cpu_online(CPU_A));
	/* The guest runs on: its next exit is the port read. */
	c = lhv_completion_for(run, 0);
	EXPECT_EQ(0, lhv_run_bounded(vcpu, &c, 2000));
	EXPECT_EQ(LHV_EXIT_PIO, run->exit_reason);
	EXPECT_EQ(LHV_GUEST_PORT_IN, run->pio.port);
	EXPECT_EQ(LHV_DIR_READ, run->pio.direction);

	/* A new VM gets CPU 2, still in the pool, but not CPU 1. */
	vm2 = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm2);
	EXPECT_ERRNO(EPERM, lhv_vcpu_create(vm2, 0, CPU_A));
	vcpu2 = lhv_vcpu_create(vm2, 1, CPU_B);
	EXPECT_LE(0, vcpu2) TH_LOG("LHV_CREATE_VCPU on CPU %d: %s", CPU_B,
				   strerror(errno));
	if (vcpu2 >= 0)
		close(vcpu2);
	close(vm2);

	/* The pool shrinks to nothing: the running VM is not touched. */
	ASSERT_EQ(0, pool_write("\n"));
	c = lhv_completion_for(run, 0x11);
	EXPECT_EQ(0, lhv_run_bounded(vcpu, &c, 2000));
	EXPECT_EQ(LHV_EXIT_MMIO, run->exit_reason);
	EXPECT_EQ(0, lhv_cpu_online(CPU_A));

	/* The VM ends: CPU 1 is Linux's again although outside the pool. */
	munmap(run, LHV_RUN_PAGE_SIZE);
	close(vcpu);
	close(vm);
	munmap(ram, LHV_GUEST_RAM);
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
	EXPECT_TRUE(lhv_wait_online(CPU_B, 5000));

	/* And with CPU 1 back in the pool, a vCPU has it again. */
	ASSERT_EQ(0, pool_write("1"));
	vm = lhv_vm_create(self->dev, LHV_LAPIC_DEFAULT);
	ASSERT_LE(0, vm);
	vcpu = lhv_vcpu_create(vm, 0, CPU_A);
	EXPECT_LE(0, vcpu) TH_LOG("LHV_CREATE_VCPU: %s", strerror(errno));
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	EXPECT_TRUE(lhv_wait_online(CPU_A, 5000));
}

TEST_HARNESS_MAIN
