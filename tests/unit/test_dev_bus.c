// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the port bus (launcher/dev/bus.c) and the system-control
 * ports (launcher/dev/sysctl.c): dispatch, all-ones reads of unclaimed
 * ports for every size, the per-port tally and its overflow, the text
 * listing, registration errors, and the reset, power-off and debug-exit
 * events.
 */
#include <errno.h>
#include <string.h>

#include "../../launcher/dev/bus.h"
#include "../../launcher/dev/sysctl.h"
#include "../../launcher/platform.h"
#include "unit.h"

/* A recording device: remembers its last access, reads 0x12345678. */
struct probe {
	uint16_t port;
	unsigned int size, reads, writes;
	uint32_t val;
};

static uint32_t probe_read(void *dev, uint16_t port, unsigned int size)
{
	struct probe *p = dev;

	p->port = port;
	p->size = size;
	p->reads++;
	return 0x12345678;
}

static void probe_write(void *dev, uint16_t port, unsigned int size,
			uint32_t val)
{
	struct probe *p = dev;

	p->port = port;
	p->size = size;
	p->val = val;
	p->writes++;
}

static const struct lhv_pio_ops probe_ops = { probe_read, probe_write };
static const struct lhv_pio_ops half_ops = { probe_read, NULL };

static struct lhv_bus bus;
static char err[LHV_BUS_ERR_LEN];

static uint32_t bus_in(uint16_t port, unsigned int size, bool *claimed)
{
	uint32_t data = 0xdeadbeef;

	*claimed = lhv_bus_pio(&bus, port, size, false, &data);
	return data;
}

static void test_dispatch(void)
{
	struct probe a = { 0 }, b = { 0 };
	uint32_t data;
	bool claimed;

	lhv_bus_init(&bus);
	CHECK(lhv_bus_add(&bus, 0x100, 8, "a", &probe_ops, &a, err,
			  sizeof(err)) == 0, "add 0x100-0x107");
	CHECK(lhv_bus_add(&bus, 0x108, 1, "b", &probe_ops, &b, err,
			  sizeof(err)) == 0, "add 0x108 right after");
	CHECK(lhv_bus_add(&bus, 0x107, 2, "c", &probe_ops, &b, err,
			  sizeof(err)) == -EBUSY && strstr(err, "ports of c"),
	      "overlap refused with a reason");
	CHECK(lhv_bus_add(&bus, 0xf0, 0x11, "d", &probe_ops, &b, err,
			  sizeof(err)) == -EBUSY, "overlap from below refused");
	CHECK(lhv_bus_add(&bus, 0x200, 0, "e", &probe_ops, &b, err,
			  sizeof(err)) == -EINVAL, "zero ports refused");
	CHECK(lhv_bus_add(&bus, 0xffff, 2, "f", &probe_ops, &b, err,
			  sizeof(err)) == -EINVAL, "past 0xffff refused");
	CHECK(lhv_bus_add(&bus, 0xffff, 1, "g", &probe_ops, &b, err,
			  sizeof(err)) == 0, "port 0xffff alone is fine");
	CHECK(lhv_bus_add(&bus, 0x300, 1, "h", &half_ops, &b, err,
			  sizeof(err)) == -EINVAL, "missing write handler refused");
	CHECK(lhv_bus_add(&bus, 0x300, 1, "h", NULL, &b, err, sizeof(err)) ==
	      -EINVAL, "no ops refused");

	CHECK(bus_in(0x104, 1, &claimed) == 0x78 && claimed &&
	      a.port == 0x104 && a.size == 1, "byte read dispatched, masked");
	CHECK(bus_in(0x106, 2, &claimed) == 0x5678 && claimed, "word read");
	CHECK(bus_in(0x107, 4, &claimed) == 0x12345678 && a.port == 0x107 &&
	      a.size == 4, "dword from the last port goes whole to its owner");
	data = 0xaabbccdd;
	CHECK(lhv_bus_pio(&bus, 0x108, 1, true, &data) && b.val == 0xdd &&
	      b.writes == 1, "byte write masked to its size");
	data = 0xaabbccdd;
	CHECK(lhv_bus_pio(&bus, 0x100, 2, true, &data) && a.val == 0xccdd,
	      "word write masked");
	CHECK(bus.nr_unclaimed == 0, "claimed accesses are not tallied");
	CHECK(lhv_bus_find(&bus, 0x108)->dev == &b &&
	      !strcmp(lhv_bus_find(&bus, 0x100)->name, "a") &&
	      !lhv_bus_find(&bus, 0x109), "find");
	CHECK(bus_in(0x100, 3, &claimed) == 0xffffff && !claimed &&
	      a.size != 3, "size 3 never reaches a device");
	data = 1;
	CHECK(!lhv_bus_pio(&bus, 0x100, 8, true, &data) && a.writes == 1,
	      "size 8 write dropped");
}

static void test_unclaimed(void)
{
	static const char want[] =
		"port 0x0000: 1 reads, 0 writes\n"
		"port 0x02f8: 2 reads, 1 writes\n"
		"port 0x03f9: 1 reads, 0 writes\n";
	char text[256];
	uint32_t data;
	unsigned int i;
	bool claimed, sorted = true;
	size_t n;

	lhv_bus_init(&bus);
	CHECK(lhv_bus_format_unclaimed(&bus, text, sizeof(text)) == 0 &&
	      text[0] == '\0', "nothing unclaimed: empty listing");
	CHECK(bus_in(0x2f8, 1, &claimed) == 0xff && !claimed, "byte: 0xff");
	CHECK(bus_in(0x2f8, 2, &claimed) == 0xffff && !claimed, "word: 0xffff");
	CHECK(bus_in(0x3f9, 4, &claimed) == 0xffffffff && !claimed,
	      "dword: 0xffffffff");
	data = 0x55;
	CHECK(!lhv_bus_pio(&bus, 0x2f8, 1, true, &data) && data == 0x55,
	      "unclaimed write dropped, data untouched");
	bus_in(0, 1, &claimed);
	CHECK(bus.nr_unclaimed == 3, "three distinct ports");
	n = lhv_bus_format_unclaimed(&bus, text, sizeof(text));
	CHECK(n == strlen(want) && !strcmp(text, want),
	      "listing in port order with counts");
	CHECK(lhv_bus_format_unclaimed(&bus, text, 10) == strlen(want) &&
	      strlen(text) == 9 && !strncmp(text, want, 9),
	      "short buffer: truncated, NUL-terminated, full length returned");
	CHECK(lhv_bus_format_unclaimed(&bus, NULL, 0) == strlen(want),
	      "NULL buffer: length only");

	for (i = 0; i < LHV_BUS_MAX_STATS + 10; i++)
		bus_in(0x1000 - i, 1, &claimed);
	CHECK(bus.nr_unclaimed == LHV_BUS_MAX_STATS, "table bounded");
	CHECK(bus.unclaimed_overflow == 13, "overflow counted (3 old + 10)");
	bus_in(0x2f8, 1, &claimed);
	CHECK(bus.unclaimed_overflow == 13 && bus.unclaimed[0].port == 0 &&
	      bus.unclaimed[0].reads == 1, "known ports still tallied");
	for (i = 1; i < bus.nr_unclaimed; i++)
		if (bus.unclaimed[i - 1].port >= bus.unclaimed[i].port)
			sorted = false;
	CHECK(sorted, "table stays sorted");
	n = lhv_bus_format_unclaimed(&bus, text, sizeof(text));
	CHECK(n > sizeof(text) && strlen(text) == sizeof(text) - 1,
	      "long listing truncated");
	n = lhv_bus_format_unclaimed(&bus, NULL, 0);
	{
		char big[8192];

		CHECK(lhv_bus_format_unclaimed(&bus, big, sizeof(big)) == n &&
		      strstr(big, "13 more accesses to ports not listed\n"),
		      "overflow line at the end");
	}
}

static uint32_t out(uint16_t port, unsigned int size, uint32_t val)
{
	lhv_bus_pio(&bus, port, size, true, &val);
	return bus.events.pending;
}

static void test_sysctl(void)
{
	struct lhv_sysctl sys;
	struct lhv_dev_events ev;
	bool claimed;
	unsigned int i;

	lhv_bus_init(&bus);
	lhv_sysctl_init(&sys, &bus.events);
	lhv_bus_add(&bus, PLAT_PORT_KBD_DATA, 1, "i8042", &lhv_sysctl_pio_ops,
		    &sys, err, sizeof(err));
	lhv_bus_add(&bus, PLAT_PORT_KBD_CMD, 1, "i8042", &lhv_sysctl_pio_ops,
		    &sys, err, sizeof(err));
	lhv_bus_add(&bus, PLAT_PORT_POST, 1, "post", &lhv_sysctl_pio_ops, &sys,
		    err, sizeof(err));
	lhv_bus_add(&bus, PLAT_PORT_DEBUG_EXIT, 1, "debug-exit",
		    &lhv_sysctl_pio_ops, &sys, err, sizeof(err));
	lhv_bus_add(&bus, PLAT_PORT_RESET, 1, "reset", &lhv_sysctl_pio_ops, &sys,
		    err, sizeof(err));

	CHECK(bus_in(PLAT_PORT_KBD_CMD, 1, &claimed) == 0 && claimed,
	      "i8042 status 0: input buffer empty, nothing to read");
	CHECK(bus_in(PLAT_PORT_KBD_DATA, 1, &claimed) == 0 && claimed,
	      "i8042 data reads 0");
	CHECK(bus_in(PLAT_PORT_KBD_DATA, 2, &claimed) == 0xff00,
	      "i8042 word read: 0xff beyond its port");
	CHECK(out(PLAT_PORT_KBD_DATA, 1, 0xfe) == 0, "data 0xfe: nothing");
	CHECK(out(PLAT_PORT_KBD_CMD, 1, 0xaa) == 0, "self-test command ignored");
	CHECK(out(PLAT_PORT_KBD_CMD, 1, 0xff) == 0, "0xff pulses nothing");
	CHECK(out(PLAT_PORT_KBD_CMD, 1, 0xfe) == LHV_DEV_EV_RESET,
	      "0xfe: reset");
	CHECK(lhv_bus_take_events(&bus, &ev) == LHV_DEV_EV_RESET &&
	      ev.reset_port == PLAT_PORT_KBD_CMD, "taken, from port 0x64");
	CHECK(bus.events.pending == 0 && lhv_bus_take_events(&bus, NULL) == 0,
	      "take clears");
	CHECK(out(PLAT_PORT_KBD_CMD, 1, 0xf0) == LHV_DEV_EV_RESET,
	      "0xf0 pulses the reset line too");
	lhv_bus_take_events(&bus, NULL);

	CHECK(bus_in(PLAT_PORT_RESET, 1, &claimed) == 0 && claimed, "0xcf9: 0");
	CHECK(out(PLAT_PORT_RESET, 1, 0x02) == 0, "0xcf9 = 2: no reset yet");
	CHECK(bus_in(PLAT_PORT_RESET, 1, &claimed) == 0x02, "0xcf9 reads back 2");
	CHECK(out(PLAT_PORT_RESET, 1, PLAT_ACPI_RESET_VALUE) == LHV_DEV_EV_RESET,
	      "0xcf9 = 6: reset");
	CHECK(bus_in(PLAT_PORT_RESET, 1, &claimed) == 0x06, "reads back 6");
	CHECK(lhv_bus_take_events(&bus, &ev) == LHV_DEV_EV_RESET &&
	      ev.reset_port == PLAT_PORT_RESET, "reset from 0xcf9");

	CHECK(bus_in(PLAT_PORT_POST, 1, &claimed) == 0xff && claimed,
	      "POST reads 0xff, claimed");
	CHECK(out(PLAT_PORT_POST, 1, 0) == 0 && bus.nr_unclaimed == 0,
	      "POST writes sink, not tallied");

	CHECK(bus_in(PLAT_PORT_DEBUG_EXIT, 4, &claimed) == 0xffffffff && claimed,
	      "debug-exit reads all-ones");
	for (i = 0; i < 3; i++) {
		static const unsigned int size[3] = { 1, 2, 4 };
		static const uint32_t val[3] = { 0x1234, 0x12345, 0x3 };
		static const uint32_t want[3] = { 0x69, 0x468b, 0x7 };

		CHECK(out(PLAT_PORT_DEBUG_EXIT, size[i], val[i]) ==
		      LHV_DEV_EV_DEBUG_EXIT, "debug exit of each size");
		CHECK(lhv_bus_take_events(&bus, &ev) == LHV_DEV_EV_DEBUG_EXIT &&
		      ev.exit_status == want[i], "status (value << 1) | 1");
	}
	out(PLAT_PORT_DEBUG_EXIT, 4, 0);
	out(PLAT_PORT_RESET, 1, 0x0e);
	CHECK(lhv_bus_take_events(&bus, &ev) ==
	      (LHV_DEV_EV_DEBUG_EXIT | LHV_DEV_EV_RESET) && ev.exit_status == 1,
	      "events accumulate until taken; status 0 exits with 1");
	lhv_sysctl_write(&sys, PLAT_PORT_DEBUG_EXIT, 3, 1);
	lhv_sysctl_write(&sys, PLAT_PORT_RESET, 0, 0x06);
	CHECK(bus.events.pending == 0, "direct calls with bad sizes ignored");
}

int main(void)
{
	test_dispatch();
	test_unclaimed();
	test_sysctl();
	return unit_done();
}
