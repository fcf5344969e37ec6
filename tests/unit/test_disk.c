// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of lhv-run's virtio-blk disk (launcher/disk.c) with its I/O
 * thread, on a temporary file: the test is the driver, writing requests
 * into a queue in a guest-RAM buffer and notifying under the device
 * lock, as a vCPU thread does.  Reads, writes and flushes reach the
 * file; read-only disks refuse writes; requests past the end fail with
 * IOERR; a malformed chain fails the device, never the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../launcher/disk.h"
#include "unit.h"

#define RAM_SIZE	(1u << 20)
#define Q		0x1000		/* desc; avail +0x1000, used +0x2000 */
#define HDR		0x10000
#define DATA		0x20000
#define STATUS		0x30000

static uint8_t *ram_buf;
static struct lhv_guest_ram ram;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct lhv_disk disk;
static uint16_t avail_idx;
static unsigned int msis;

static void on_msi(void *opaque, uint64_t address, uint32_t data)
{
	(void)opaque;
	(void)address;
	(void)data;
	msis++;
}

static void desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	uint8_t *d = ram_buf + Q + 16 * i;

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static uint16_t used_idx(void)
{
	return __atomic_load_n((uint16_t *)(ram_buf + Q + 0x2002),
			       __ATOMIC_ACQUIRE);
}

/* Offers chain 0 and waits (up to 5 s) for the device to use it. */
static bool submit(void)
{
	uint16_t want = used_idx() + 1;
	struct timespec ts = { 0, 1000000 };
	unsigned int i;

	pthread_mutex_lock(&lock);
	memset(ram_buf + Q + 0x1004 + 2 * (avail_idx % 16), 0, 2);
	avail_idx++;
	__atomic_store_n((uint16_t *)(ram_buf + Q + 0x1002), avail_idx,
			 __ATOMIC_RELEASE);
	disk.vd.ops->notify(&disk.vd, 0);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < 5000 && used_idx() != want; i++)
		nanosleep(&ts, NULL);
	return used_idx() == want;
}

/* A request: header, @len data bytes at DATA, status. */
static uint8_t request(uint32_t type, uint64_t sector, uint32_t len)
{
	bool in = type == LHV_BLK_T_IN || type == LHV_BLK_T_GET_ID;

	memcpy(ram_buf + HDR, &type, 4);
	memset(ram_buf + HDR + 4, 0, 4);
	memcpy(ram_buf + HDR + 8, &sector, 8);
	ram_buf[STATUS] = 0xee;
	desc(0, HDR, 16, LHV_VIRTQ_DESC_NEXT, len ? 1 : 2);
	desc(1, DATA, len, LHV_VIRTQ_DESC_NEXT | (in ? LHV_VIRTQ_DESC_WRITE : 0), 2);
	desc(2, STATUS, 1, LHV_VIRTQ_DESC_WRITE, 0);
	return submit() ? ram_buf[STATUS] : 0xff;
}

static void start(const char *spec)
{
	struct lhv_virtq *q;

	memset(ram_buf, 0, RAM_SIZE);
	avail_idx = 0;
	CHECK(lhv_disk_open(&disk, spec) == 0, "disk opens");
	lhv_disk_init(&disk, &ram, on_msi, NULL, &lock);
	q = &disk.vd.vq[0];
	q->size = 16;
	q->desc = Q;
	q->avail = Q + 0x1000;
	q->used = Q + 0x2000;
	q->ready = true;
	disk.vd.status = 0x0f;
	/* MSI-X on (the capability's enable bit), vector 0 unmasked. */
	for (unsigned int c = disk.vd.pci.cfg[LHV_PCI_CAP_PTR]; c;
	     c = disk.vd.pci.cfg[c + 1])
		if (disk.vd.pci.cfg[c] == LHV_PCI_CAP_MSIX)
			disk.vd.pci.cfg[c + 3] |= 0x80;
	disk.vd.msix[0].ctrl = 0;
	q->msix_vector = 0;
	CHECK(lhv_disk_start(&disk) == 0, "I/O thread starts");
}

int main(void)
{
	char path[] = "/tmp/lhv-test-disk-XXXXXX", spec[64];
	uint8_t buf[4096];
	int fd;

	ram_buf = calloc(1, RAM_SIZE);
	fd = mkstemp(path);
	if (!ram_buf || fd < 0 || ftruncate(fd, 64 * 512))
		return 1;
	ram = (struct lhv_guest_ram){ ram_buf, 0, RAM_SIZE };

	start(path);
	CHECK(disk.sectors == 64, "64 sectors");
	memset(ram_buf + DATA, 0x5a, 1024);
	CHECK(request(LHV_BLK_T_OUT, 4, 1024) == LHV_BLK_S_OK, "write 2 sectors");
	CHECK(pread(fd, buf, 1024, 2048) == 1024 && buf[0] == 0x5a &&
	      buf[1023] == 0x5a, "the file has them at sector 4");
	CHECK(request(LHV_BLK_T_FLUSH, 0, 0) == LHV_BLK_S_OK && disk.flushes == 1,
	      "flush");
	memset(ram_buf + DATA, 0, 4096);
	CHECK(request(LHV_BLK_T_IN, 3, 1536) == LHV_BLK_S_OK &&
	      ram_buf[DATA + 511] == 0 && ram_buf[DATA + 512] == 0x5a &&
	      ram_buf[DATA + 1535] == 0x5a, "read them back from sector 3");
	CHECK(request(LHV_BLK_T_IN, 63, 1024) == LHV_BLK_S_IOERR,
	      "a read past the end: IOERR");
	CHECK(request(LHV_BLK_T_GET_ID, 0, 20) == LHV_BLK_S_OK &&
	      !memcmp(ram_buf + DATA, "lhv-virtio-blk", 14), "get ID");
	CHECK(msis >= 5, "an MSI per completion");
	/* A chain that leaves guest RAM: the device fails, we go on. */
	desc(0, RAM_SIZE - 8, 16, 0, 0);
	pthread_mutex_lock(&lock);
	avail_idx++;
	__atomic_store_n((uint16_t *)(ram_buf + Q + 0x1002), avail_idx,
			 __ATOMIC_RELEASE);
	disk.vd.ops->notify(&disk.vd, 0);
	pthread_mutex_unlock(&lock);
	usleep(100000);
	pthread_mutex_lock(&lock);
	CHECK((disk.vd.status & LHV_VIRTIO_NEEDS_RESET) && disk.vd.errors == 1,
	      "a buffer outside RAM: DEVICE_NEEDS_RESET");
	pthread_mutex_unlock(&lock);
	lhv_disk_stop(&disk);

	snprintf(spec, sizeof(spec), "%s,ro", path);
	start(spec);
	CHECK(disk.read_only && (disk.vd.features & LHV_BLK_F_RO), "read-only");
	CHECK(request(LHV_BLK_T_OUT, 0, 512) == LHV_BLK_S_IOERR,
	      "a write to a read-only disk: IOERR");
	CHECK(request(LHV_BLK_T_IN, 4, 512) == LHV_BLK_S_OK &&
	      ram_buf[DATA] == 0x5a, "reads still work");
	lhv_disk_stop(&disk);

	CHECK(lhv_disk_open(&disk, "/nonexistent/disk.img") == -1,
	      "a missing file is refused");
	lhv_disk_stop(&disk);
	close(fd);
	unlink(path);
	free(ram_buf);
	return unit_done();
}
