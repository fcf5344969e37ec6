// SPDX-License-Identifier: GPL-2.0
/*
 * Processes racing through lhv: two create and destroy VMs with one vCPU
 * each on disjoint host CPUs (1 and 2) for LHV_RACE_SECONDS (default 60),
 * every other VM running the test guest through a few exits; and two race
 * for one host CPU (2) LHV_RACE_ROUNDS times (default 100): each round
 * exactly one gets it and the other EBUSY (ioctl.rst, LHV_CREATE_VCPU);
 * and lhv giving a CPU back as many times while another process keeps
 * asking Linux to online it through sysfs.
 */
#include <poll.h>
#include <stdarg.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "lhv_ksft.h"

#define RACE_SECONDS	60
#define RACE_ROUNDS	100
/* The harness's limit for the timed test; longer runs are cut to fit. */
#define RACE_TIMEOUT	900
#define RACE_MAX_SECONDS	(RACE_TIMEOUT - 120)

static unsigned long env_ulong(const char *name, unsigned long def,
			       unsigned long max)
{
	const char *s = getenv(name);
	unsigned long v = s && *s ? strtoul(s, NULL, 0) : def;

	return v < 1 ? 1 : v > max ? max : v;
}

/* What each cycling process did, shared with the test. */
struct cycler {
	unsigned long cycles, guest_runs, failures;
	char first_failure[200];
};

static void cycle_failed(struct cycler *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cycle_failed(struct cycler *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->failures++) {
		va_start(ap, fmt);
		vsnprintf(c->first_failure, sizeof(c->first_failure), fmt, ap);
		va_end(ap);
	}
}

/*
 * One VM with one vCPU on @cpu, created and destroyed; with @guest, the
 * test guest runs through its first three exits first.  false on any
 * failure, which @c records.
 */
static bool one_cycle(struct cycler *c, int dev, unsigned int cpu, bool guest,
		      void *ram)
{
	struct lhv_completion comp = { .exit_reason = LHV_EXIT_NONE };
	struct lhv_run *run = NULL;
	int vm, vcpu = -1, i;
	bool ok = false;

	vm = lhv_vm_create(dev, LHV_LAPIC_DEFAULT);
	if (vm < 0) {
		cycle_failed(c, "LHV_CREATE_VM: %s", strerror(errno));
		return false;
	}
	vcpu = lhv_vcpu_create(vm, 0, cpu);
	if (vcpu < 0) {
		cycle_failed(c, "LHV_CREATE_VCPU on CPU %u: %s", cpu, strerror(errno));
		goto out;
	}
	if (lhv_cpu_online(cpu) != 0) {
		cycle_failed(c, "host CPU %u online while a vCPU owns it", cpu);
		goto out;
	}
	if (guest) {
		run = lhv_map_run(vcpu);
		if (!run || lhv_guest_setup(vm, vcpu, ram)) {
			cycle_failed(c, "guest setup: %s", strerror(errno));
			goto out;
		}
		for (i = 0; i < 3; i++) {
			if (lhv_run_bounded(vcpu, &comp, 2000)) {
				cycle_failed(c, "LHV_RUN %d: %s", i, strerror(errno));
				goto out;
			}
			comp = lhv_completion_for(run, 0x42);
		}
		if (run->exit_reason != LHV_EXIT_MMIO ||
		    run->mmio.gpa != LHV_GUEST_MMIO_OUT || run->mmio.data != 0x42) {
			cycle_failed(c, "third exit: reason %u gpa %#llx data %#llx",
				     run->exit_reason, (unsigned long long)run->mmio.gpa,
				     (unsigned long long)run->mmio.data);
			goto out;
		}
		c->guest_runs++;
	}
	ok = true;
out:
	if (run)
		munmap(run, LHV_RUN_PAGE_SIZE);
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	if (vcpu >= 0 && !lhv_wait_online(cpu, 5000)) {
		cycle_failed(c, "host CPU %u not back online after its VM ended", cpu);
		ok = false;
	}
	return ok;
}

/* A child's life: cycles on @cpu until @end_ms, then exit. */
static void cycler_main(struct cycler *c, unsigned int cpu, long long end_ms)
{
	char why[160];
	void *ram = lhv_guest_ram();
	int dev = lhv_open_dev(why, sizeof(why));

	if (dev < 0 || !ram) {
		cycle_failed(c, "%s", dev < 0 ? why : "no memory");
		_exit(1);
	}
	while (lhv_now_ms() < end_ms) {
		if (!one_cycle(c, dev, cpu, c->cycles % 2, ram) && c->failures > 10)
			break;
		c->cycles++;
	}
	_exit(c->failures ? 1 : 0);
}

FIXTURE(race) {
	int unused;
};

FIXTURE_SETUP(race)
{
	int dev;

	LHV_OPEN_OR_SKIP(dev);
	close(dev);
	LHV_CPUS_OR_SKIP(1, 2);
}

FIXTURE_TEARDOWN(race)
{
}

TEST_F_TIMEOUT(race, create_destroy_on_disjoint_cpus, RACE_TIMEOUT)
{
	unsigned long seconds = env_ulong("LHV_RACE_SECONDS", RACE_SECONDS,
					  RACE_MAX_SECONDS);
	struct cycler *c;
	long long end;
	pid_t pid[2];
	int i, status;

	LHV_RETURN_IF_SKIPPED();
	c = mmap(NULL, 2 * sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c);
	memset(c, 0, 2 * sizeof(*c));
	TH_LOG("%lu s of cycles on host CPUs 1 and 2 (LHV_RACE_SECONDS)", seconds);
	end = lhv_now_ms() + seconds * 1000;
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i])
			cycler_main(&c[i], 1 + i, end);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("CPU %d: status %#x, %lu failures, the first: %s", 1 + i,
			       status, c[i].failures, c[i].first_failure);
		EXPECT_LT(0, c[i].cycles);
		TH_LOG("CPU %d: %lu create/destroy cycles, %lu with the guest running",
		       1 + i, c[i].cycles, c[i].guest_runs);
	}
	EXPECT_TRUE(lhv_wait_online(1, 5000));
	EXPECT_TRUE(lhv_wait_online(2, 5000));
}

/*
 * Racer @id: a VM ready, then at the go byte LHV_CREATE_VCPU on @cpu.  It
 * reports its id and 'W' (won), 'B' (EBUSY) or 'E' (anything else), and a
 * winner keeps the CPU until the done byte, so the loser cannot find it
 * free.
 */
static void racer_main(char id, int go, int result, int done, unsigned int cpu)
{
	char why[160], msg[2] = { id, 0 };
	int dev = lhv_open_dev(why, sizeof(why));
	int vm = dev < 0 ? -1 : lhv_vm_create(dev, LHV_LAPIC_DEFAULT);
	int vcpu;

	alarm(60);	/* a bug must fail the test, not hang the racer */
	if (read(go, &msg[1], 1) != 1 || vm < 0)
		_exit(2);
	vcpu = lhv_vcpu_create(vm, 0, cpu);
	msg[1] = vcpu >= 0 ? 'W' : errno == EBUSY ? 'B' : 'E';
	if (write(result, msg, 2) != 2)
		_exit(2);
	if (vcpu >= 0 && read(done, &msg[1], 1) != 1)
		_exit(2);
	_exit(0);
}

TEST_F_TIMEOUT(race, two_processes_race_for_one_cpu, 600)
{
	unsigned long rounds = env_ulong("LHV_RACE_ROUNDS", RACE_ROUNDS, 5000);
	unsigned long r, bad = 0, wins[2] = { 0 };
	const unsigned int cpu = 2;

	LHV_RETURN_IF_SKIPPED();
	for (r = 0; r < rounds; r++) {
		int go[2], res[2], done[2], i, status, w = 0, b = 0;
		char msg[2], got[2] = { '?', '?' };
		struct pollfd pfd;
		pid_t pid[2];

		ASSERT_EQ(0, pipe(go));
		ASSERT_EQ(0, pipe(res));
		ASSERT_EQ(0, pipe(done));
		for (i = 0; i < 2; i++) {
			pid[i] = fork();
			ASSERT_LE(0, pid[i]);
			if (!pid[i])
				racer_main(i, go[0], res[1], done[0], cpu);
		}
		/* Both wake from the same write: as close a race as it gets. */
		ASSERT_EQ(2, write(go[1], "gg", 2));
		pfd = (struct pollfd){ .fd = res[0], .events = POLLIN };
		for (i = 0; i < 2; i++) {
			/* Two bytes go through a pipe in one piece. */
			if (poll(&pfd, 1, 30000) != 1 || read(res[0], msg, 2) != 2 ||
			    msg[0] < 0 || msg[0] > 1)
				break;
			got[(int)msg[0]] = msg[1];
			w += msg[1] == 'W';
			b += msg[1] == 'B';
			if (msg[1] == 'W')
				wins[(int)msg[0]]++;
		}
		ASSERT_EQ(2, write(done[1], "dd", 2));
		for (i = 0; i < 2; i++)
			waitpid(pid[i], &status, 0);
		close(go[0]);
		close(go[1]);
		close(res[0]);
		close(res[1]);
		close(done[0]);
		close(done[1]);
		if ((w != 1 || b != 1) && bad++ < 5)
			TH_LOG("round %lu: the racers reported %c and %c (W won, B EBUSY, E another error, ? nothing)",
			       r, got[0], got[1]);
		EXPECT_TRUE(lhv_wait_online(cpu, 5000))
			TH_LOG("round %lu: host CPU %u not back online", r, cpu);
	}
	TH_LOG("%lu rounds: racer 0 won %lu, racer 1 won %lu", rounds, wins[0],
	       wins[1]);
	EXPECT_EQ(0, bad);
}

/*
 * lhv makes a CPU it gives back present and then onlines it with
 * add_cpu(); an administrator's (or a hotplug daemon's) write of 1 to
 * its sysfs "online" file can come in between and online it first.  The
 * CPU must come back all the same, and lhv must not report it as lost.
 */
TEST_F_TIMEOUT(race, release_races_userspace_online, 600)
{
	unsigned long rounds = env_ulong("LHV_RACE_ROUNDS", RACE_ROUNDS, 5000);
	unsigned long i, bad = 0;
	const unsigned int cpu = 2;
	int dev, vm, vcpu, kmsg;
	char path[64];
	pid_t child;

	LHV_RETURN_IF_SKIPPED();
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	kmsg = kmsg_open_at_end();
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		for (;;) {
			int fd = open(path, O_WRONLY | O_CLOEXEC);

			if (fd < 0)
				continue;
			if (write(fd, "1", 1) < 0) {
				/* EINVAL while lhv owns the CPU (not present) */
			}
			close(fd);
		}
	}
	dev = open(LHV_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dev);
	for (i = 0; i < rounds && !bad; i++) {
		vm = lhv_vm_create(dev, LHV_LAPIC_DEFAULT);
		vcpu = vm < 0 ? -1 : lhv_vcpu_create(vm, 0, cpu);
		if (vcpu < 0) {
			TH_LOG("round %lu: %s: %s", i, vm < 0 ? "LHV_CREATE_VM" :
			       "LHV_CREATE_VCPU", strerror(errno));
			bad++;
		}
		if (vcpu >= 0)
			close(vcpu);
		if (vm >= 0)
			close(vm);
		if (!lhv_wait_online(cpu, 1000)) {
			TH_LOG("round %lu: host CPU %u not online 1 s after release",
			       i, cpu);
			bad++;
		}
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(dev);
	EXPECT_EQ(0, bad);
	if (kmsg >= 0) {
		EXPECT_FALSE(kmsg_has(kmsg, "did not come back online"))
			TH_LOG("lhv reported CPU %u lost although it came back", cpu);
		close(kmsg);
	}
	TH_LOG("%lu releases while another process onlined CPU %u", i, cpu);
}

FIXTURE(end) {
	int unused;
};

FIXTURE_SETUP(end)
{
}

FIXTURE_TEARDOWN(end)
{
}

TEST_F(end, every_cpu_online_as_at_start)
{
	char now[256];

	EXPECT_TRUE(lhv_online_as_at_start(now, sizeof(now), 5000))
		TH_LOG("online CPUs: %s, at the start: %s", now, lhv_online_at_start);
}

TEST_HARNESS_MAIN
