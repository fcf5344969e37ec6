// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of split virtqueues (launcher/dev/virtq.c) under ASan and
 * UBSan: a driver's well-formed chains, then every malformed ring and
 * chain a guest could write (buffers outside guest RAM or wrapping the
 * address space, loops, chains longer than the ring, readable after
 * writable, indirect descriptors, oversized chains, indices past the
 * ring) refused with their errno.  Guest RAM is one exact malloc()
 * buffer, so any access outside it is an ASan report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/dev/virtq.h"
#include "unit.h"

#define RAM_SIZE	(1u << 20)
#define QSIZE		8
#define DESC_GPA	0x1000
#define AVAIL_GPA	0x2000
#define USED_GPA	0x3000
#define DATA_GPA	0x10000

static uint8_t *ram_buf;
static struct lhv_guest_ram ram;
static struct lhv_virtq q;
static struct lhv_virtq_chain chain;
static uint16_t avail_idx;

static void set_desc(unsigned int i, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	uint8_t *d = ram_buf + DESC_GPA + 16 * i;

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

/* The driver makes chain @head available. */
static void offer(uint16_t head)
{
	memcpy(ram_buf + AVAIL_GPA + 4 + 2 * (avail_idx % QSIZE), &head, 2);
	avail_idx++;
	memcpy(ram_buf + AVAIL_GPA + 2, &avail_idx, 2);
}

static uint16_t rd16(uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, ram_buf + gpa, 2);
	return v;
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, ram_buf + gpa, 4);
	return v;
}

static void fresh(void)
{
	memset(ram_buf, 0, RAM_SIZE);
	avail_idx = 0;
	lhv_virtq_reset(&q, QSIZE);
	q.desc = DESC_GPA;
	q.avail = AVAIL_GPA;
	q.used = USED_GPA;
	q.ready = true;
}

static void test_rings(void)
{
	fresh();
	CHECK(lhv_virtq_check(&q, &ram) == 0, "rings inside RAM: fine");
	q.size = 6;
	CHECK(lhv_virtq_check(&q, &ram) == -EINVAL, "size not a power of 2");
	q.size = 512;
	CHECK(lhv_virtq_check(&q, &ram) == -EINVAL, "size above the maximum");
	q.size = 0;
	CHECK(lhv_virtq_check(&q, &ram) == -EINVAL, "size 0");
	q.size = QSIZE;
	q.desc = DESC_GPA + 8;
	CHECK(lhv_virtq_check(&q, &ram) == -EINVAL, "descriptors misaligned");
	q.desc = DESC_GPA;
	q.used = USED_GPA + 2;
	CHECK(lhv_virtq_check(&q, &ram) == -EINVAL, "used ring misaligned");
	q.used = RAM_SIZE - 16;
	CHECK(lhv_virtq_check(&q, &ram) == -EINVAL, "used ring past RAM");
	q.used = 0xfffffffffffffff0ULL;
	CHECK(lhv_virtq_check(&q, &ram) == -EINVAL,
	      "used ring wrapping the address space");
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == -EINVAL &&
	      lhv_virtq_push(&q, &ram, 0, 0) == -EINVAL,
	      "a queue with bad rings neither pops nor pushes");
	fresh();
	q.ready = false;
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == -EINVAL,
	      "a queue not ready does not pop");
}

static void test_good(void)
{
	static const char req[] = "request";
	char back[16] = { 0 };
	unsigned int i;

	fresh();
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == 0, "empty ring: nothing");
	/* Readable 16 + 8 bytes, then writable 512 + 1. */
	set_desc(3, DATA_GPA, 16, LHV_VIRTQ_DESC_NEXT, 5);
	set_desc(5, DATA_GPA + 16, 8, LHV_VIRTQ_DESC_NEXT, 0);
	set_desc(0, DATA_GPA + 0x100, 512,
		 LHV_VIRTQ_DESC_WRITE | LHV_VIRTQ_DESC_NEXT, 7);
	set_desc(7, DATA_GPA + 0x400, 1, LHV_VIRTQ_DESC_WRITE, 0);
	memcpy(ram_buf + DATA_GPA + 12, req, sizeof(req));
	offer(3);
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == 1, "a chain pops");
	CHECK(chain.head == 3 && chain.nr == 4 && chain.nr_out == 2 &&
	      chain.out_bytes == 24 && chain.in_bytes == 513,
	      "its shape: 2 readable, 2 writable");
	CHECK(chain.buf[0].host == ram_buf + DATA_GPA && chain.buf[3].writable,
	      "host addresses inside guest RAM");
	CHECK(lhv_virtq_read(&chain, 12, back, sizeof(back)) == 12 &&
	      !memcmp(back, req, 8),
	      "reading across readable buffers stops at their end");
	CHECK(lhv_virtq_write(&chain, 510, "xyz", 3) == 3 &&
	      ram_buf[DATA_GPA + 0x100 + 511] == 'y' &&
	      ram_buf[DATA_GPA + 0x400] == 'z', "writing spans writable buffers");
	CHECK(lhv_virtq_write(&chain, 512, "abc", 3) == 1,
	      "writing stops at the writable end");
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == 0, "and then nothing");
	CHECK(lhv_virtq_push(&q, &ram, 3, 513) == 0, "push");
	CHECK(rd16(USED_GPA + 2) == 1 && rd32(USED_GPA + 4) == 3 &&
	      rd32(USED_GPA + 8) == 513, "used ring: id 3, 513 bytes, idx 1");
	CHECK(lhv_virtq_push(&q, &ram, QSIZE, 0) == -EINVAL,
	      "push of a head past the ring");

	/* Wrap the 16-bit indices: 70000 single-buffer chains. */
	set_desc(1, DATA_GPA, 4, 0, 0);
	for (i = 0; i < 70000; i++) {
		offer(1);
		if (lhv_virtq_pop(&q, &ram, &chain) != 1 ||
		    lhv_virtq_push(&q, &ram, 1, 0))
			break;
	}
	CHECK(i == 70000 && rd16(USED_GPA + 2) == (uint16_t)70001,
	      "indices wrap at 65536");
	CHECK(!lhv_virtq_no_interrupt(&q, &ram), "interrupts wanted");
	ram_buf[AVAIL_GPA] = LHV_VIRTQ_AVAIL_NO_INTERRUPT;
	CHECK(lhv_virtq_no_interrupt(&q, &ram), "NO_INTERRUPT seen");
}

/* A one-chain ring whose pop must fail with @err and leave the index. */
static void refused(int err, const char *name)
{
	uint16_t before = q.last_avail;

	offer(0);
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == err, name);
	CHECK(q.last_avail == before, "nothing consumed");
}

static void test_bad(void)
{
	unsigned int i;

	fresh();
	set_desc(0, RAM_SIZE - 8, 16, 0, 0);
	refused(-EFAULT, "buffer running past guest RAM: -EFAULT");
	fresh();
	set_desc(0, RAM_SIZE, 1, 0, 0);
	refused(-EFAULT, "buffer just past guest RAM: -EFAULT");
	fresh();
	set_desc(0, 0xfffffffffffff000ULL, 0x2000, 0, 0);
	refused(-EFAULT, "buffer wrapping the address space: -EFAULT");
	fresh();
	set_desc(0, DATA_GPA, 8, LHV_VIRTQ_DESC_NEXT, 1);
	set_desc(1, 1ULL << 40, 8, 0, 0);
	refused(-EFAULT, "second buffer far outside RAM: -EFAULT");

	fresh();
	set_desc(0, DATA_GPA, 8, LHV_VIRTQ_DESC_NEXT, 1);
	set_desc(1, DATA_GPA, 8, LHV_VIRTQ_DESC_NEXT, 0);
	refused(-ELOOP, "a two-descriptor loop: -ELOOP");
	fresh();
	set_desc(0, DATA_GPA, 8, LHV_VIRTQ_DESC_NEXT, 0);
	refused(-ELOOP, "a descriptor chained to itself: -ELOOP");
	fresh();
	for (i = 0; i < QSIZE; i++)
		set_desc(i, DATA_GPA, 8, LHV_VIRTQ_DESC_NEXT, (i + 1) % QSIZE);
	refused(-ELOOP, "a chain through the whole ring and around: -ELOOP");

	fresh();
	set_desc(0, DATA_GPA, 8, LHV_VIRTQ_DESC_WRITE | LHV_VIRTQ_DESC_NEXT, 1);
	set_desc(1, DATA_GPA, 8, 0, 0);
	refused(-EINVAL, "readable after writable: -EINVAL");
	fresh();
	set_desc(0, DATA_GPA, 16, LHV_VIRTQ_DESC_INDIRECT, 0);
	refused(-EINVAL, "indirect descriptor (not offered): -EINVAL");
	fresh();
	set_desc(0, DATA_GPA, 8, LHV_VIRTQ_DESC_NEXT, QSIZE);
	refused(-EINVAL, "next past the ring: -EINVAL");

	/* 32 buffers of all of guest RAM each: 32 MiB, every one in RAM. */
	fresh();
	q.size = 32;
	for (i = 0; i < 32; i++)
		set_desc(i, 0, RAM_SIZE, i < 31 ? LHV_VIRTQ_DESC_NEXT : 0, i + 1);
	refused(-E2BIG, "chain over LHV_VIRTQ_MAX_BYTES: -E2BIG");
	fresh();
	set_desc(0, 0, 0xffffffff, 0, 0);
	refused(-E2BIG, "one 4 GiB buffer: -E2BIG");

	fresh();
	memcpy(ram_buf + AVAIL_GPA + 4, &(uint16_t){ QSIZE }, 2);
	avail_idx = 1;
	memcpy(ram_buf + AVAIL_GPA + 2, &avail_idx, 2);
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == -EINVAL,
	      "head index past the ring: -EINVAL");
	fresh();
	avail_idx = QSIZE + 1;
	memcpy(ram_buf + AVAIL_GPA + 2, &avail_idx, 2);
	CHECK(lhv_virtq_pop(&q, &ram, &chain) == -EPROTO,
	      "avail index more than a ring ahead: -EPROTO");
}

/* Random rings and descriptors: never a crash, an ASan report or a hang. */
static void test_random(void)
{
	unsigned int iter, i, bad = 0, good = 0;
	int ret;

	srand(1);
	for (iter = 0; iter < 20000; iter++) {
		fresh();
		for (i = 0; i < QSIZE; i++)
			set_desc(i, rand() % 3 ?
				 DATA_GPA + (uint64_t)(rand() % 0x1000) :
				 ((uint64_t)rand() << 33) ^ (uint64_t)rand(),
				 rand() % 4 ? (uint32_t)(rand() % 0x800) :
				 (uint32_t)rand() << 1,
				 rand() % 8, rand() % (QSIZE + 2));
		for (i = 0; i < QSIZE; i++)
			offer(rand() % (QSIZE + 1));
		while ((ret = lhv_virtq_pop(&q, &ram, &chain)) == 1) {
			lhv_virtq_write(&chain, 0, ram_buf, chain.in_bytes);
			lhv_virtq_push(&q, &ram, chain.head, 0);
			good++;
		}
		bad += ret < 0;
	}
	CHECK(good && bad, "20000 random rings: both outcomes, no fault");
}

int main(void)
{
	ram_buf = malloc(RAM_SIZE);
	if (!ram_buf)
		return 1;
	ram = (struct lhv_guest_ram){ ram_buf, 0, RAM_SIZE };
	test_rings();
	test_good();
	test_bad();
	test_random();
	free(ram_buf);
	return unit_done();
}
