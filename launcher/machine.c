// SPDX-License-Identifier: GPL-2.0
/*
 * lhv-run's virtual PC (machine.h).
 *
 * Threads: each vCPU's exit loop runs in a thread of its own (smp.c), the
 * BSP's in the caller's.  A control thread owns the signals (SIGUSR1: an
 * NMI for every vCPU; SIGINT, SIGTERM) and the timeout, and it ends the
 * run: once a device event, a crash, a signal or the timeout decided how
 * the run ends, it kicks the BSP's thread out of LHV_RUN until that has
 * returned; smp.c then stops the APs.  A timer thread raises the PIT's
 * IRQ 0 when channel 0's OUT rises.  The device models are not
 * thread-safe: one mutex covers every access to them.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bzimage.h"
#include "dev/pc.h"
#include "dev/virtio_console.h"
#include "loader.h"
#include "machine.h"
#include "mptable.h"
#include "multiboot.h"
#include "acpi.h"
#include "platform.h"

/* How long an ELF test guest may wait for its APs (boot-info block). */
#define BOOT_TIMEOUT_MS		5000
#define CONTROL_TICK_NS		50000000L

#define MACHINE_PORT_TALLY	32

struct machine {
	const struct lhv_machine_config *cfg;
	struct lhv_vm vm;
	struct lhv_smp smp;
	struct lhv_pc pc;
	struct lhv_disk disk[LHV_MAX_DISKS];
	unsigned int nr_disks;		/* opened */
	struct lhv_net net;
	bool has_net;
	struct lhv_vcon vcon;
	pthread_mutex_t lock;		/* the device models */
	pthread_cond_t pit_cond;	/* PIT written, or the run is over */
	bool pit_stop;
	uint64_t pit_irqs;		/* IRQ 0 edges raised */
	uint64_t msis_refused;		/* MSIs the ioctl refused */
	pthread_t bsp_thread;
	uint64_t t0_ns;
	int ended;			/* status decided */
	int status;			/* LHV_RUN_* or a debug-exit status */
	volatile int bsp_done;
	char why[160];			/* how the run ended, for the user */
	uint64_t mmio_unclaimed;
	uint64_t mmio_first_gpa;
	uint64_t nmis_sent;
	/* Port accesses by port, for --stats: which device a guest polls. */
	struct { uint16_t port; uint64_t n; } port_tally[MACHINE_PORT_TALLY];
	unsigned int nr_ports_tallied;
	uint64_t ports_untallied;
	void *image, *initrd;
	size_t image_len, initrd_len;
	char cmdline[PLAT_CMDLINE_MAX];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t machine_clock(void *opaque)
{
	struct machine *m = opaque;

	return now_ns() - m->t0_ns;
}

static int64_t machine_wall(void *opaque)
{
	(void)opaque;
	return time(NULL);
}

/* The first caller decides how the run ends; the control thread acts on it. */
static void end_run(struct machine *m, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void end_run(struct machine *m, int status, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&m->lock);
	if (!m->ended) {
		m->status = status;
		va_start(ap, fmt);
		vsnprintf(m->why, sizeof(m->why), fmt, ap);
		va_end(ap);
		__atomic_store_n(&m->ended, 1, __ATOMIC_SEQ_CST);
	}
	pthread_mutex_unlock(&m->lock);
}

static void uart_tx(void *opaque, uint8_t byte)
{
	struct machine *m = opaque;

	fputc(byte, m->cfg->serial);
	if (byte == '\n')
		fflush(m->cfg->serial);
}

/* virtio-console output: the same stream as COM1's. */
static void vcon_out(void *opaque, const uint8_t *buf, size_t len)
{
	struct machine *m = opaque;

	fwrite(buf, 1, len, m->cfg->serial);
	if (memchr(buf, '\n', len))
		fflush(m->cfg->serial);
}

/* The I/O APIC's (and the PCI devices') interrupts: an MSI each. */
static void machine_msi(void *opaque, uint64_t address, uint32_t data)
{
	struct machine *m = opaque;
	struct lhv_msi msi = { .address = address, .data = data };

	/* A guest's entry lhv cannot deliver: counted, for --stats. */
	if (lhv_vm_signal_msi(&m->vm, &msi) < 0)
		__atomic_add_fetch(&m->msis_refused, 1, __ATOMIC_RELAXED);
}

/*
 * COM1's interrupt line rose: ISA IRQ 4 on the I/O APIC, as an edge (the
 * line's fall is not reported, and an edge is all an ISA IRQ is), or the
 * fixed MSI of --com1-msi.
 */
static void uart_irq(void *opaque)
{
	struct machine *m = opaque;

	if (m->cfg->com1_vector >= 0) {
		machine_msi(m, 0xfee00000ULL | (uint64_t)m->smp.apic_id[0] << 12,
			    (uint32_t)m->cfg->com1_vector);
		return;
	}
	lhv_ioapic_set_irq(&m->pc.ioapic, PLAT_IRQ_COM1, true);
	lhv_ioapic_set_irq(&m->pc.ioapic, PLAT_IRQ_COM1, false);
}

/* After a device access: did the guest ask to end the run? */
static void take_events(struct machine *m)
{
	struct lhv_dev_events ev;

	if (!lhv_bus_take_events(&m->pc.bus, &ev))
		return;
	pthread_mutex_unlock(&m->lock);
	if (ev.pending & LHV_DEV_EV_DEBUG_EXIT)
		end_run(m, ev.exit_status & 0xff,
			"guest wrote %u to the debug-exit port: exit status %u",
			ev.exit_status >> 1, ev.exit_status & 0xff);
	else if (ev.pending & LHV_DEV_EV_POWEROFF)
		end_run(m, LHV_RUN_POWEROFF, "guest powered off (ACPI S5)");
	else if (ev.pending & LHV_DEV_EV_RESET)
		end_run(m, LHV_RUN_RESET, "guest reset the machine (port %#x)",
			ev.reset_port);
	pthread_mutex_lock(&m->lock);
}

static void print_stats(struct machine *m, int mark,
			const struct lhv_vcpu *writer);

/* Under m->lock. */
static void tally_port(struct machine *m, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < m->nr_ports_tallied; i++)
		if (m->port_tally[i].port == port) {
			m->port_tally[i].n++;
			return;
		}
	if (i == MACHINE_PORT_TALLY) {
		m->ports_untallied++;
		return;
	}
	m->port_tally[i].port = port;
	m->port_tally[i].n = 1;
	m->nr_ports_tallied++;
}

static enum lhv_hook_verdict machine_pio(struct lhv_vcpu *vcpu,
					 const struct lhv_exit_pio *pio,
					 __u64 *data)
{
	struct machine *m = vcpu->hooks.ctx;
	uint32_t d = (uint32_t)pio->data;

	/* This vCPU's exits so far: the benchmark guest counts its own. */
	if (pio->port == PLAT_PORT_EXITS) {
		if (pio->direction == LHV_DIR_READ)
			*data = pio->size == 4 ? lhv_vcpu_exit_count(vcpu) : ~0u;
		return LHV_HOOK_DONE;
	}
	if (pio->port == PLAT_PORT_STATS_MARK) {
		if (pio->direction == LHV_DIR_WRITE && m->cfg->stats)
			print_stats(m, d & 0xff, vcpu);
		return LHV_HOOK_DONE;
	}
	pthread_mutex_lock(&m->lock);
	tally_port(m, pio->port);
	lhv_bus_pio(&m->pc.bus, pio->port, pio->size,
		    pio->direction == LHV_DIR_WRITE, &d);
	/* Channel 0 may have a new count: the timer thread recomputes. */
	if (pio->direction == LHV_DIR_WRITE && pio->port >= PLAT_PORT_PIT &&
	    pio->port < PLAT_PORT_PIT + LHV_PIT_NR_PORTS)
		pthread_cond_signal(&m->pit_cond);
	take_events(m);
	pthread_mutex_unlock(&m->lock);
	if (pio->direction == LHV_DIR_READ)
		*data = d;
	return __atomic_load_n(&m->ended, __ATOMIC_SEQ_CST) ? LHV_HOOK_STOP :
							      LHV_HOOK_DONE;
}

/*
 * The I/O APIC and the PCI BARs; elsewhere reads float high and writes
 * vanish, both counted.
 */
static enum lhv_hook_verdict machine_mmio(struct lhv_vcpu *vcpu,
					  const struct lhv_exit_mmio *mmio,
					  __u64 *data)
{
	struct machine *m = vcpu->hooks.ctx;
	uint64_t d = mmio->data;

	pthread_mutex_lock(&m->lock);
	if (lhv_pc_mmio(&m->pc, mmio->gpa, mmio->size,
			mmio->direction == LHV_DIR_WRITE, &d)) {
		pthread_mutex_unlock(&m->lock);
		if (mmio->direction == LHV_DIR_READ)
			*data = d;
		return LHV_HOOK_DONE;
	}
	if (!m->mmio_unclaimed++)
		m->mmio_first_gpa = mmio->gpa;
	pthread_mutex_unlock(&m->lock);
	if (mmio->direction == LHV_DIR_READ)
		*data = ~0ULL;
	return LHV_HOOK_DONE;
}

static void ap_ended(struct lhv_smp *smp, unsigned int i)
{
	struct machine *m = smp->ctx;
	const struct lhv_outcome *o = &smp->out[i];
	char exit[200];

	if (o->kind == LHV_OUT_STOP)
		return;		/* a device event: end_run() was called */
	lhv_format_exit(&o->exit, exit, sizeof(exit));
	end_run(m, LHV_RUN_CRASH, "vCPU %u (host CPU %u) stopped: %s", i,
		smp->host_cpu[i], exit);
}

static void *control(void *p)
{
	struct machine *m = p;
	const struct lhv_machine_config *c = m->cfg;
	uint64_t deadline = c->timeout_s ? now_ns() + c->timeout_s * 1000000000ULL : 0;
	struct timespec tick = { 0, CONTROL_TICK_NS };
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	while (!__atomic_load_n(&m->bsp_done, __ATOMIC_SEQ_CST)) {
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGUSR1) {
			long n = lhv_smp_nmi_all(&m->smp);

			fprintf(stderr, "lhv-run: SIGUSR1: NMI sent to %ld vCPU%s\n",
				n, n == 1 ? "" : "s");
			if (n > 0)
				m->nmis_sent += n;
		} else if (sig == SIGINT || sig == SIGTERM) {
			end_run(m, LHV_RUN_SIGNAL, "stopped by %s",
				sig == SIGINT ? "SIGINT" : "SIGTERM");
		}
		if (deadline && now_ns() >= deadline)
			end_run(m, LHV_RUN_TIMEOUT, "timeout: the guest ran for %u s",
				c->timeout_s);
		if (__atomic_load_n(&m->ended, __ATOMIC_SEQ_CST))
			pthread_kill(m->bsp_thread, LHV_KICK_SIGNAL);
	}
	return NULL;
}

/*
 * The PIT's IRQ 0: sleeps until channel 0's OUT next rises (or a late
 * edge is due, lhv_pit_irq_poll()), then gives the I/O APIC's pin 2 an
 * edge.
 */
static void *pit_irq(void *p)
{
	struct machine *m = p;
	struct lhv_pit_irq irq = { 0 };
	struct timespec ts;
	uint64_t wake;

	pthread_mutex_lock(&m->lock);
	while (!m->pit_stop) {
		if (lhv_pit_irq_poll(&m->pc.pit, &irq, machine_clock(m), &wake)) {
			lhv_ioapic_set_irq(&m->pc.ioapic, PLAT_GSI_PIT, true);
			lhv_ioapic_set_irq(&m->pc.ioapic, PLAT_GSI_PIT, false);
			m->pit_irqs++;
		}
		if (wake == UINT64_MAX) {
			pthread_cond_wait(&m->pit_cond, &m->lock);
			continue;
		}
		/* The machine's clock is CLOCK_MONOTONIC less t0_ns. */
		wake += m->t0_ns;
		ts.tv_sec = wake / LHV_NSEC_PER_SEC;
		ts.tv_nsec = wake % LHV_NSEC_PER_SEC;
		pthread_cond_timedwait(&m->pit_cond, &m->lock, &ts);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* COM1 input: stdin, line by line as the terminal gives it. */
static void *serial_input(void *p)
{
	struct machine *m = p;
	char buf[64];
	ssize_t n, off;

	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			pthread_mutex_lock(&m->lock);
			if (m->cfg->virtio_console)
				off += lhv_vcon_rx_push(&m->vcon, (uint8_t *)buf + off,
							n - off);
			else
				off += lhv_uart_rx_push(&m->pc.com1,
							(uint8_t *)buf + off, n - off);
			pthread_mutex_unlock(&m->lock);
			if (off < n)
				usleep(1000);	/* the guest has not read its FIFO */
		}
	}
	return NULL;
}

static bool elf64(const void *image, size_t len)
{
	const unsigned char *b = image;

	return len > EI_CLASS && b[EI_CLASS] == ELFCLASS64;
}

/*
 * The Linux command line: lhv-run's defaults, then the user's.  In
 * passthrough mode the guest's IPIs go to the real machine: Linux sends
 * most of them with the all-excluding-self shorthand once every CPU it
 * knows is up, and that shorthand reaches the host's CPUs too (and stops
 * them: measured, a whole vmx-bochs test VM froze).  no_ipi_broadcast=1
 * makes it name each destination CPU instead (Documentation/initsipi.rst,
 * trust model).
 */
static void linux_cmdline(struct machine *m)
{
	const struct lhv_machine_config *c = m->cfg;
	bool pt = m->vm.lapic_mode == LHV_LAPIC_PASSTHROUGH;

	if (c->no_default_cmdline) {
		snprintf(m->cmdline, sizeof(m->cmdline), "%s",
			 c->append ? c->append : "");
		if (pt && !strstr(m->cmdline, "no_ipi_broadcast=1"))
			fprintf(stderr, "lhv-run: warning: passthrough LAPIC and no no_ipi_broadcast=1: the guest's broadcast IPIs will reach host CPUs\n");
		return;
	}
	snprintf(m->cmdline, sizeof(m->cmdline),
		 "console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 tsc_early_khz=%" PRIu64 "%s%s%s",
		 lhv_tsc_per_ms(), pt ? " no_ipi_broadcast=1" : "",
		 c->append ? " " : "", c->append ? c->append : "");
	if (pt && c->verbose)
		fprintf(stderr, "lhv-run: passthrough LAPIC: no_ipi_broadcast=1 keeps the guest's IPIs off host CPUs\n");
}

/*
 * The LAPIC mode for the guest.  In passthrough mode a guest's broadcast
 * IPI (INIT included) reaches every CPU of the machine; lhv-run keeps a
 * Linux guest's IPIs inside the VM (linux_cmdline()), but it cannot know
 * what another image sends (the multiboot SMP test kernel broadcasts its
 * INIT-SIPI-SIPI, and reset the whole vmx-bochs test VM that way).  So
 * only a bzImage gets the module's default; other images run filtered
 * unless --lapic passthrough says otherwise.
 */
static uint32_t lapic_mode(const struct lhv_machine_config *c,
			   enum lhv_format fmt)
{
	if (c->lapic_mode != LHV_LAPIC_DEFAULT || fmt == LHV_FORMAT_BZIMAGE)
		return c->lapic_mode;
	return LHV_LAPIC_FILTERED;
}

/* Loads the image; sets the BSP's entry state.  0 or LHV_RUN_BAD_IMAGE. */
static int load(struct machine *m, enum lhv_format fmt)
{
	const struct lhv_machine_config *c = m->cfg;
	const struct lhv_guest_ram *ram = &m->vm.ram[0];
	struct lhv_vcpu *bsp = m->smp.vcpu[0];
	char err[LHV_LOAD_ERR_LEN];
	int ret = 0;

	err[0] = '\0';
	switch (fmt) {
	case LHV_FORMAT_ELF: {
		uint64_t entry;

		ret = lhv_load_elf(ram, m->image, m->image_len, &entry, err,
				   sizeof(err));
		if (ret)
			break;
		if (!elf64(m->image, m->image_len)) {
			ret = lhv_vcpu_prot32(bsp, PLAT_BOOT_GDT_GPA, entry, 0, 0);
			break;
		}
		/* lhv's test guests: long mode, the boot-info block. */
		ret = lhv_vcpu_long_mode(bsp, entry, 0);
		if (!ret)
			ret = lhv_smp_boot_info(&m->smp, 0, BOOT_TIMEOUT_MS, NULL, 0);
		break;
	}
	case LHV_FORMAT_MULTIBOOT: {
		struct lhv_mb_module mod = { m->initrd, m->initrd_len, c->initrd };
		struct lhv_mb_entry e;

		ret = lhv_load_multiboot(ram, m->image, m->image_len,
					 c->append ? c->append : "", &mod,
					 m->initrd ? 1 : 0, &e, err, sizeof(err));
		if (!ret)
			ret = lhv_vcpu_prot32(bsp, PLAT_BOOT_GDT_GPA, e.eip,
					      e.eax, e.ebx);
		if (!ret && c->verbose)
			fprintf(stderr, "lhv-run: multiboot kernel at %#" PRIx64 "-%#" PRIx64 ", entry %#x\n",
				e.kernel_start, e.kernel_end, e.eip);
		break;
	}
	case LHV_FORMAT_FLAT:
		ret = lhv_load_flat(ram, c->load_addr, m->image, m->image_len,
				    err, sizeof(err));
		if (!ret)
			ret = lhv_vcpu_prot32(bsp, PLAT_BOOT_GDT_GPA,
					      (uint32_t)c->load_addr, 0, 0);
		break;
	case LHV_FORMAT_BZIMAGE: {
		struct lhv_bz_entry e;

		linux_cmdline(m);
		ret = lhv_load_bzimage(ram, m->image, m->image_len, m->cmdline,
				       m->initrd, m->initrd_len, PLAT_ACPI_GPA,
				       &e, err, sizeof(err));
		if (!ret)
			ret = lhv_vcpu_linux64(bsp, PLAT_BOOT_GDT_GPA, e.rip, e.rsi);
		if (!ret && c->verbose)
			fprintf(stderr, "lhv-run: Linux boot protocol %u.%02u, kernel at %#" PRIx64 ", initrd at %#" PRIx64 " (%" PRIu64 " bytes)\nlhv-run: command line: %s\n",
				e.version >> 8, e.version & 0xff, e.load_addr,
				e.initrd_addr, e.initrd_size, m->cmdline);
		break;
	}
	default:
		snprintf(err, sizeof(err), "unknown format");
		ret = -ENOEXEC;
		break;
	}
	if (ret) {
		if (err[0])
			fprintf(stderr, "lhv-run: %s: %s\n", c->image, err);
		return LHV_RUN_BAD_IMAGE;
	}
	return 0;
}

/* ACPI and MP tables: every vCPU with its real APIC ID. */
static int tables(struct machine *m)
{
	char err[LHV_ACPI_ERR_LEN];
	int ret;

	ret = lhv_acpi_build(&m->vm.ram[0], m->smp.nr, m->smp.apic_id, NULL,
			     err, sizeof(err));
	if (!ret)
		ret = lhv_mptable_build(&m->vm.ram[0], m->smp.nr, m->smp.apic_id,
					NULL, NULL, err, sizeof(err));
	/* MP tables have 8-bit APIC IDs; ACPI is enough for the rest. */
	if (ret == -ERANGE && strstr(err, "APIC ID"))
		ret = 0;
	if (ret)
		fprintf(stderr, "lhv-run: platform tables: %s\n", err);
	return ret ? LHV_RUN_BAD_IMAGE : 0;
}

static int devices(struct machine *m)
{
	const struct lhv_machine_config *c = m->cfg;
	struct lhv_pc_config pc = {
		.ram_size = c->mem,
		.nr_cpus = m->smp.nr,
		.clock = { machine_clock, m },
		.wall_sec = machine_wall,
		.uart_tx = uart_tx,
		.uart_irq = uart_irq,
		.opaque = m,
		.ioapic_id = lhv_acpi_ioapic_id(m->smp.nr, m->smp.apic_id),
		.msi = machine_msi,
	};
	char err[128];
	unsigned int i;
	int slot;

	if (lhv_pc_init(&m->pc, &pc, err, sizeof(err))) {
		fprintf(stderr, "lhv-run: devices: %s\n", err);
		return LHV_RUN_BAD_IMAGE;
	}
	for (i = 0; i < c->nr_disks; i++) {
		struct lhv_disk *d = &m->disk[i];

		if (lhv_disk_open(d, c->disks[i])) {
			lhv_disk_stop(d);
			return LHV_RUN_BAD_IMAGE;
		}
		m->nr_disks++;
		lhv_disk_init(d, &m->vm.ram[0], machine_msi, m, &m->lock);
		slot = lhv_pci_plug(&m->pc.pci, &d->vd.pci);
		if (slot < 0) {
			fprintf(stderr, "lhv-run: --disk %s: no PCI slot or BAR space left\n",
				d->path);
			return LHV_RUN_BAD_IMAGE;
		}
		if (lhv_disk_start(d))
			return LHV_RUN_HOST;
		if (c->verbose)
			fprintf(stderr, "lhv-run: disk %s: %" PRIu64 " sectors%s, virtio-blk at PCI 00:%02x.0\n",
				d->path, d->sectors, d->read_only ? ", read-only" : "",
				slot);
	}
	if (c->virtio_console) {
		lhv_vcon_init(&m->vcon, &m->vm.ram[0], machine_msi, m, vcon_out, m);
		slot = lhv_pci_plug(&m->pc.pci, &m->vcon.vd.pci);
		if (slot < 0) {
			fprintf(stderr, "lhv-run: --console virtio: no PCI slot or BAR space left\n");
			return LHV_RUN_BAD_IMAGE;
		}
		if (c->verbose)
			fprintf(stderr, "lhv-run: virtio-console at PCI 00:%02x.0 (the guest's hvc0)\n",
				slot);
	}
	if (c->net) {
		m->has_net = true;
		if (lhv_net_open(&m->net, c->net))
			return LHV_RUN_HOST;
		lhv_net_init(&m->net, &m->vm.ram[0], machine_msi, m, &m->lock);
		slot = lhv_pci_plug(&m->pc.pci, &m->net.vd.pci);
		if (slot < 0) {
			fprintf(stderr, "lhv-run: --net: no PCI slot or BAR space left\n");
			return LHV_RUN_BAD_IMAGE;
		}
		if (lhv_net_start(&m->net))
			return LHV_RUN_HOST;
		if (c->verbose)
			fprintf(stderr, "lhv-run: tap %s: virtio-net at PCI 00:%02x.0, MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
				m->net.ifname, slot, m->net.mac[0], m->net.mac[1],
				m->net.mac[2], m->net.mac[3], m->net.mac[4],
				m->net.mac[5]);
	}
	for (i = 0; i < m->smp.nr; i++) {
		m->smp.vcpu[i]->raw_pio = true;
		m->smp.vcpu[i]->hooks = (struct lhv_hooks){
			.pio = machine_pio, .mmio = machine_mmio, .ctx = m,
		};
	}
	m->smp.ap_ended = ap_ended;
	m->smp.ctx = m;
	return 0;
}

static const char *const stat_names[LHV_STAT_NR] = {
	[LHV_STAT_IO] = "io", [LHV_STAT_NPF] = "npf",
	[LHV_STAT_CPUID] = "cpuid", [LHV_STAT_MSR_READ] = "rdmsr",
	[LHV_STAT_MSR_WRITE] = "wrmsr", [LHV_STAT_XSETBV] = "xsetbv",
	[LHV_STAT_CR_ACCESS] = "cr", [LHV_STAT_NMI] = "nmi",
	[LHV_STAT_SHUTDOWN] = "shutdown", [LHV_STAT_INIT] = "init",
	[LHV_STAT_SIPI] = "sipi", [LHV_STAT_EXCEPTION] = "exception",
	[LHV_STAT_FAIL_ENTRY] = "fail_entry", [LHV_STAT_OTHER] = "other",
	[LHV_STAT_EMUL_INIT] = "emulated_init",
	[LHV_STAT_EMUL_SIPI] = "emulated_sipi",
	[LHV_STAT_ICR_TRAP] = "icr_trap",
	[LHV_STAT_IPI_DROPPED] = "ipi_dropped",
	[LHV_STAT_LAPIC_OTHER] = "lapic_other",
	[LHV_STAT_NMI_INJECTED] = "nmi_injected",
	[LHV_STAT_INIT_HELD] = "init_held",
};

/*
 * --stats: one line per vCPU, "name=value" pairs a script can pick.  At the
 * end @mark is -1; @writer's write to PLAT_PORT_STATS_MARK prints the same
 * lines with "mark=VALUE writer=VCPU" first, so a guest can bracket a span
 * of its own time.  The counters include the write's own PIO exit: a
 * script subtracts it from the writer's.
 */
static void print_stats(struct machine *m, int mark,
			const struct lhv_vcpu *writer)
{
	unsigned int i, r;
	char tag[40] = "";
	char kvm[512];

	for (i = 0; mark >= 0 && i < m->smp.nr; i++)
		if (m->smp.vcpu[i] == writer)
			snprintf(tag, sizeof(tag), "mark=%d writer=%u ", mark, i);
	for (i = 0; i < m->smp.nr; i++) {
		struct lhv_stats s;

		if (lhv_vcpu_get_stats(m->smp.vcpu[i], &s))
			continue;
		fprintf(stderr, "lhv-run: stats %svcpu=%u host_cpu=%u apic_id=%u exits=%llu entries=%llu user_exits=%llu kicks=%llu",
			tag, i, m->smp.host_cpu[i], m->smp.apic_id[i],
			(unsigned long long)s.exits,
			(unsigned long long)s.entries,
			(unsigned long long)s.user_exits,
			(unsigned long long)s.kicks);
		for (r = 0; r < LHV_STAT_NR; r++)
			if (stat_names[r])
				fprintf(stderr, " %s=%llu", stat_names[r],
					(unsigned long long)s.by_reason[r]);
		if (lhv_vcpu_format_kvm_stats(m->smp.vcpu[i], kvm, sizeof(kvm)))
			fprintf(stderr, " %s", kvm);
		fputc('\n', stderr);
	}
	pthread_mutex_lock(&m->lock);
	fprintf(stderr, "lhv-run: stats %sports", tag);
	for (i = 0; i < m->nr_ports_tallied; i++)
		fprintf(stderr, " %#x=%" PRIu64, m->port_tally[i].port,
			m->port_tally[i].n);
	if (m->ports_untallied)
		fprintf(stderr, " others=%" PRIu64, m->ports_untallied);
	fputc('\n', stderr);
	fprintf(stderr, "lhv-run: stats %sunclaimed_ports=%u mmio_unclaimed=%" PRIu64 " nmis_sent=%" PRIu64 " ioapic_msis=%" PRIu64 " pit_irqs=%" PRIu64 " msis_refused=%" PRIu64 "\n",
		tag, m->pc.bus.nr_unclaimed, m->mmio_unclaimed, m->nmis_sent,
		m->pc.ioapic.delivered, m->pit_irqs,
		__atomic_load_n(&m->msis_refused, __ATOMIC_RELAXED));
	pthread_mutex_unlock(&m->lock);
	if (mark >= 0)
		return;
	for (i = 0; i < m->nr_disks; i++) {
		const struct lhv_disk *d = &m->disk[i];

		fprintf(stderr, "lhv-run: stats disk=%u reads=%" PRIu64 " writes=%" PRIu64 " flushes=%" PRIu64 " errors=%" PRIu64 " interrupts=%" PRIu64 " device_errors=%" PRIu64 "\n",
			i, d->reads, d->writes, d->flushes, d->errors,
			d->vd.interrupts, d->vd.errors);
	}
	if (m->cfg->virtio_console)
		fprintf(stderr, "lhv-run: stats console tx_bytes=%" PRIu64 " rx_bytes=%" PRIu64 " interrupts=%" PRIu64 " device_errors=%" PRIu64 "\n",
			m->vcon.tx_bytes, m->vcon.rx_bytes, m->vcon.vd.interrupts,
			m->vcon.vd.errors);
	if (m->has_net)
		fprintf(stderr, "lhv-run: stats net rx_frames=%" PRIu64 " tx_frames=%" PRIu64 " tx_dropped=%" PRIu64 " interrupts=%" PRIu64 " device_errors=%" PRIu64 "\n",
			m->net.rx_frames, m->net.tx_frames, m->net.tx_dropped,
			m->net.vd.interrupts, m->net.vd.errors);
}

static void print_unclaimed(struct machine *m)
{
	size_t len = lhv_bus_format_unclaimed(&m->pc.bus, NULL, 0);
	char *buf = malloc(len + 1);

	if (buf) {
		lhv_bus_format_unclaimed(&m->pc.bus, buf, len + 1);
		fprintf(stderr, "lhv-run: unclaimed ports (read as all-ones, writes dropped):\n%s",
			len ? buf : "  none\n");
		free(buf);
	}
	if (m->mmio_unclaimed)
		fprintf(stderr, "lhv-run: %" PRIu64 " MMIO accesses outside RAM, the first at %#" PRIx64 "\n",
			m->mmio_unclaimed, m->mmio_first_gpa);
}

/* Runs every vCPU until the run ends; the exit status. */
static int run(struct machine *m)
{
	struct sigaction sa = { .sa_handler = lhv_kick_handler };
	pthread_t ctl, in, pit;
	bool input = m->cfg->serial_input;
	struct lhv_outcome out;
	char exit[200];

	sigemptyset(&sa.sa_mask);
	sigaction(LHV_KICK_SIGNAL, &sa, NULL);
	m->bsp_thread = pthread_self();
	if (pthread_create(&ctl, NULL, control, m)) {
		fprintf(stderr, "lhv-run: cannot start the control thread\n");
		return LHV_RUN_HOST;
	}
	if (pthread_create(&pit, NULL, pit_irq, m)) {
		fprintf(stderr, "lhv-run: cannot start the PIT's timer thread\n");
		__atomic_store_n(&m->bsp_done, 1, __ATOMIC_SEQ_CST);
		pthread_join(ctl, NULL);
		return LHV_RUN_HOST;
	}
	if (input && pthread_create(&in, NULL, serial_input, m))
		input = false;
	if (lhv_smp_run(&m->smp, &out) && !m->ended) {
		lhv_format_exit(&out.exit, exit, sizeof(exit));
		end_run(m, out.kind == LHV_OUT_EINTR ? LHV_RUN_SIGNAL : LHV_RUN_CRASH,
			"vCPU 0 (host CPU %u) stopped: %s", m->smp.host_cpu[0],
			out.kind == LHV_OUT_ERROR ? strerror(out.error) : exit);
	}
	__atomic_store_n(&m->bsp_done, 1, __ATOMIC_SEQ_CST);
	pthread_join(ctl, NULL);
	pthread_mutex_lock(&m->lock);
	m->pit_stop = true;
	pthread_cond_signal(&m->pit_cond);
	pthread_mutex_unlock(&m->lock);
	pthread_join(pit, NULL);
	if (input) {
		pthread_cancel(in);
		pthread_join(in, NULL);
	}
	fflush(m->cfg->serial);
	fprintf(stderr, "lhv-run: %s\n", m->why);
	if (m->cfg->stats)
		print_stats(m, -1, NULL);
	if (m->cfg->verbose)
		print_unclaimed(m);
	return m->status;
}

static int read_inputs(struct machine *m, enum lhv_format *fmt)
{
	const struct lhv_machine_config *c = m->cfg;

	if (access(c->image, R_OK) || (c->initrd && access(c->initrd, R_OK))) {
		fprintf(stderr, "lhv-run: cannot read %s: %s\n",
			access(c->image, R_OK) ? c->image : c->initrd,
			strerror(errno));
		return LHV_RUN_BAD_IMAGE;
	}
	m->image = lhv_read_file(c->image, &m->image_len);
	if (!m->image)
		return LHV_RUN_BAD_IMAGE;
	if (c->initrd) {
		m->initrd = lhv_read_file(c->initrd, &m->initrd_len);
		if (!m->initrd)
			return LHV_RUN_BAD_IMAGE;
	}
	*fmt = c->format;
	if (*fmt == LHV_FORMAT_AUTO)
		*fmt = lhv_format_detect(m->image, m->image_len);
	if (*fmt == LHV_FORMAT_AUTO) {
		fprintf(stderr, "lhv-run: %s: not a bzImage, multiboot kernel or ELF executable (use --format flat for a raw image)\n",
			c->image);
		return LHV_RUN_BAD_IMAGE;
	}
	if (c->initrd && *fmt != LHV_FORMAT_BZIMAGE && *fmt != LHV_FORMAT_MULTIBOOT) {
		fprintf(stderr, "lhv-run: --initrd needs a bzImage or multiboot kernel; %s is %s\n",
			c->image, lhv_format_name(*fmt));
		return LHV_RUN_USAGE;
	}
	if (c->verbose)
		fprintf(stderr, "lhv-run: %s: %s image, %zu bytes\n", c->image,
			lhv_format_name(*fmt), m->image_len);
	return 0;
}

/* Why LHV_CREATE_VCPU refused host CPU @cpu, in the user's terms. */
static const char *cpu_refusal(int err)
{
	static char why[160];
	char pool[96];

	switch (err) {
	case EPERM:
		if (lhv_read_cpu_pool(pool, sizeof(pool)))
			return "outside lhv's CPU pool";
		snprintf(why, sizeof(why),
			 "outside lhv's CPU pool (%s: %s)", LHV_CPU_POOL_PATH,
			 pool[0] ? pool : "empty");
		return why;
	case EBUSY:
		return "another VM owns it, or it is listed twice";
	case ENODEV:
		return "it is offline";
	case EINVAL:
		return "no such CPU";
	default:
		return strerror(err);
	}
}

void lhv_machine_block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int lhv_machine_run(const struct lhv_machine_config *cfg)
{
	static struct machine mach;
	struct machine *m = &mach;
	pthread_condattr_t ca;
	enum lhv_format fmt;
	int ret;

	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->vm.fd = -1;
	m->t0_ns = now_ns();
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->pit_cond, &ca);
	pthread_condattr_destroy(&ca);
	/* Every thread inherits this: the control thread takes them. */
	lhv_machine_block_signals();

	ret = read_inputs(m, &fmt);
	if (ret)
		goto out_free;
	if (cfg->kvm) {
		if (lhv_vm_create_kvm(&m->vm, 0)) {
			ret = LHV_RUN_NO_DEVICE;
			goto out_free;
		}
	} else if (lhv_vm_create_mode(&m->vm, 0, lapic_mode(cfg, fmt))) {
		/* A LAPIC mode this host does not offer is the user's to change. */
		if (errno == EOPNOTSUPP)
			fprintf(stderr, "lhv-run: --lapic: this host does not offer that mode (see lhv-run --caps)\n");
		ret = errno == EINVAL || errno == EOPNOTSUPP ? LHV_RUN_USAGE :
							       LHV_RUN_NO_DEVICE;
		goto out_free;
	}
	if (cfg->verbose && !cfg->kvm)
		fprintf(stderr, "lhv-run: LAPIC mode %s\n",
			m->vm.lapic_mode == LHV_LAPIC_PASSTHROUGH ? "passthrough" : "filtered");
	if (lhv_vm_add_ram(&m->vm, 0, cfg->mem, 0) < 0) {
		fprintf(stderr, "lhv-run: %" PRIu64 " MiB of guest RAM: the host cannot give and pin it\n",
			cfg->mem >> 20);
		ret = LHV_RUN_HOST;
		goto out_vm;
	}
	if (lhv_smp_create(&m->smp, &m->vm, cfg->nr_cpus, cfg->cpus, NULL)) {
		int err = errno;

		fprintf(stderr, "lhv-run: cannot have host CPUs %u", cfg->cpus[0]);
		for (unsigned int i = 1; i < cfg->nr_cpus; i++)
			fprintf(stderr, ",%u", cfg->cpus[i]);
		fprintf(stderr, ": %s\n", cpu_refusal(err));
		ret = LHV_RUN_HOST;
		goto out_vm;
	}
	ret = tables(m);
	ret = ret ?: load(m, fmt);
	ret = ret ?: devices(m);
	if (!ret)
		ret = run(m);
	for (unsigned int i = 0; i < m->nr_disks; i++)
		lhv_disk_stop(&m->disk[i]);
	if (m->has_net)
		lhv_net_stop(&m->net);
	lhv_smp_destroy(&m->smp);
out_vm:
	lhv_vm_destroy(&m->vm);
out_free:
	free(m->image);
	free(m->initrd);
	return ret;
}
