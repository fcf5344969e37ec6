// SPDX-License-Identifier: GPL-2.0
/*
 * liblhv's multi-vCPU VMs: one host CPU and one thread per vCPU, the
 * boot-info block, and a clean stop.
 *
 * Every vCPU's exit loop is lhv_vcpu_run() in its own thread, so COM1 is
 * shared: each vCPU assembles its own lines and prints them whole with its
 * prefix (stdio locks each line).  An AP's LHV_RUN blocks while the AP
 * waits for SIPI.  The run ends with the BSP's: then each AP thread gets
 * LHV_KICK_SIGNAL, whose handler is installed without SA_RESTART, so the
 * AP's LHV_RUN (or KVM_RUN) returns EINTR and the thread sees smp->stop.  A signal that lands just before a thread enters LHV_RUN
 * would be lost, so the kick repeats until the thread says it is done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <x86intrin.h>

#include "boot_info.h"
#include "cpuinfo.h"
#include "kvm.h"
#include "liblhv.h"

#define KICK_INTERVAL_US	10000

int lhv_host_apic_id(unsigned int cpu, uint32_t *apic_id)
{
	static char text[1 << 18];
	size_t len = 0, n;
	FILE *f = fopen("/proc/cpuinfo", "r");
	int ret;

	if (!f) {
		fprintf(stderr, "liblhv: open /proc/cpuinfo: %s\n", strerror(errno));
		return -1;
	}
	while ((n = fread(text + len, 1, sizeof(text) - 1 - len, f)) > 0)
		len += n;
	fclose(f);
	text[len] = '\0';
	ret = lhv_cpuinfo_apic_id(text, cpu, apic_id);
	if (ret) {
		fprintf(stderr, "liblhv: no APIC ID of CPU %u in /proc/cpuinfo (%s): is it online?\n",
			cpu, strerror(-ret));
		errno = -ret;
		return -1;
	}
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Against CLOCK_MONOTONIC over 20 ms: the guest's delays need no more. */
uint64_t lhv_tsc_per_ms(void)
{
	struct timespec d = { 0, 20 * 1000 * 1000 };
	double t0 = now_ns(), t1;
	uint64_t c0 = __rdtsc(), c1;

	nanosleep(&d, NULL);
	c1 = __rdtsc();
	t1 = now_ns();
	return t1 > t0 ? (uint64_t)((c1 - c0) * 1e6 / (t1 - t0)) : 0;
}

int lhv_smp_create(struct lhv_smp *smp, struct lhv_vm *vm, unsigned int nr,
		   const unsigned int *host_cpus, const char *name)
{
	unsigned int i;

	memset(smp, 0, sizeof(*smp));
	smp->vm = vm;
	if (!nr || nr > LHV_SMP_MAX) {
		errno = EINVAL;
		fprintf(stderr, "liblhv: %u vCPUs: 1 to %u please\n", nr, LHV_SMP_MAX);
		return -1;
	}
	/*
	 * Before any CPU goes offline: /proc/cpuinfo lists online ones only.
	 * KVM's vCPUs have their own APIC IDs: their numbers.
	 */
	for (i = 0; i < nr; i++) {
		if (vm->kvm)
			smp->apic_id[i] = i;
		else if (lhv_host_apic_id(host_cpus[i], &smp->apic_id[i]))
			return -1;
	}
	for (i = 0; i < nr; i++) {
		smp->vcpu[i] = calloc(1, sizeof(*smp->vcpu[i]));
		if (!smp->vcpu[i] ||
		    lhv_vcpu_create(vm, i, host_cpus[i], smp->vcpu[i])) {
			free(smp->vcpu[i]);
			smp->vcpu[i] = NULL;
			lhv_smp_destroy(smp);
			return -1;
		}
		smp->nr = i + 1;
		smp->host_cpu[i] = host_cpus[i];
		if (name) {
			snprintf(smp->prefix[i], sizeof(smp->prefix[i]), "%s%u: ",
				 name, i);
			smp->vcpu[i]->prefix = smp->prefix[i];
		}
	}
	return 0;
}

int lhv_smp_boot_info(struct lhv_smp *smp, uint32_t variant,
		      uint32_t timeout_ms, const uint32_t *params,
		      unsigned int nr_params)
{
	struct lhv_boot_config cfg = {
		.nr_cpus = smp->nr, .bsp = 0, .tsc_per_ms = lhv_tsc_per_ms(),
		.variant = variant, .timeout_ms = timeout_ms,
		.nr_params = nr_params,
	};
	unsigned int i;
	int ret = -EINVAL;

	if (nr_params <= BOOT_INFO_MAX_PARAMS && smp->vm->nram) {
		memcpy(cfg.params, params, nr_params * sizeof(*params));
		memcpy(cfg.apic_id, smp->apic_id, smp->nr * sizeof(cfg.apic_id[0]));
		for (i = 0; i < smp->nr; i++)
			cfg.host_cpu[i] = smp->host_cpu[i];
		ret = lhv_build_boot_info(&smp->vm->ram[0], BOOT_INFO_GPA, &cfg);
	}
	if (ret) {
		fprintf(stderr, "liblhv: boot-info block at %#x: %s\n",
			BOOT_INFO_GPA, strerror(-ret));
		errno = -ret;
		return -1;
	}
	return 0;
}

void lhv_kick_handler(int sig)
{
	(void)sig;
	lhv_kvm_kick_self();
}

struct ap_arg {
	struct lhv_smp *smp;
	unsigned int i;
};

static void *ap_thread(void *p)
{
	struct ap_arg *a = p;
	struct lhv_smp *smp = a->smp;
	struct lhv_outcome *out = &smp->out[a->i];

	while (lhv_vcpu_run(smp->vcpu[a->i], out) &&
	       out->kind == LHV_OUT_EINTR && !smp->stop)
		;
	if (!smp->stop && smp->ap_ended)
		smp->ap_ended(smp, a->i);
	__atomic_store_n(&smp->done[a->i], 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Kick AP @i until its thread has left its loop, then join it. */
static void stop_ap(struct lhv_smp *smp, unsigned int i)
{
	while (!__atomic_load_n(&smp->done[i], __ATOMIC_SEQ_CST)) {
		pthread_kill(smp->thread[i], LHV_KICK_SIGNAL);
		usleep(KICK_INTERVAL_US);
	}
	pthread_join(smp->thread[i], NULL);
}

int lhv_smp_run(struct lhv_smp *smp, struct lhv_outcome *out)
{
	struct sigaction sa = { .sa_handler = lhv_kick_handler };	/* no SA_RESTART */
	struct ap_arg args[LHV_SMP_MAX];
	unsigned int i, started;
	int ret = -1, err;

	sigemptyset(&sa.sa_mask);
	if (sigaction(LHV_KICK_SIGNAL, &sa, NULL)) {
		fprintf(stderr, "liblhv: sigaction: %s\n", strerror(errno));
		return -1;
	}
	smp->stop = 0;
	for (started = 1; started < smp->nr; started++) {
		args[started] = (struct ap_arg){ smp, started };
		smp->done[started] = 0;
		err = pthread_create(&smp->thread[started], NULL, ap_thread,
				     &args[started]);
		if (err) {
			fprintf(stderr, "liblhv: thread for vCPU %u: %s\n",
				started, strerror(err));
			break;
		}
	}
	if (started == smp->nr)
		ret = lhv_vcpu_run(smp->vcpu[0], &smp->out[0]);
	smp->stop = 1;
	for (i = 1; i < started; i++)
		stop_ap(smp, i);
	*out = smp->out[0];
	return ret;
}

long lhv_smp_nmi_all(struct lhv_smp *smp)
{
	struct lhv_nmi nmi = { .flags = LHV_NMI_ALL };
	unsigned int i;

	if (!smp->vm->kvm)
		return ioctl(smp->vm->fd, LHV_INJECT_NMI, &nmi);
	for (i = 0; i < smp->nr; i++)
		if (lhv_kvm_nmi(smp->vcpu[i]))
			return -1;
	return smp->nr;
}

void lhv_smp_destroy(struct lhv_smp *smp)
{
	unsigned int i;

	for (i = 0; i < smp->nr; i++) {
		if (!smp->vcpu[i])
			continue;
		lhv_vcpu_destroy(smp->vcpu[i]);
		free(smp->vcpu[i]);
		smp->vcpu[i] = NULL;
	}
	smp->nr = 0;
}
