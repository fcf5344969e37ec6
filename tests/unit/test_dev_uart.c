// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the 16550A model (launcher/dev/uart.c): every register
 * value Linux 6.1's 8250 autoconfig() and serial8250_do_startup() read
 * back, in their order, then IIR priorities, the irq rising edges, the
 * receive FIFO and loopback.
 */
#include <string.h>

#include "../../launcher/dev/uart.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define B	PLAT_PORT_COM1

static struct lhv_uart u;
static unsigned int irqs;
static uint8_t txbuf[512];
static unsigned int txlen;

static void on_tx(void *opaque, uint8_t byte)
{
	CHECK(opaque == &u, "tx callback gets its opaque");
	if (txlen < sizeof(txbuf))
		txbuf[txlen++] = byte;
}

static void on_irq(void *opaque)
{
	(void)opaque;
	irqs++;
}

static uint8_t in(unsigned int reg)
{
	return lhv_uart_read(&u, B + reg, 1);
}

static void out(unsigned int reg, uint8_t val)
{
	lhv_uart_write(&u, B + reg, 1, val);
}

static void reset(void)
{
	lhv_uart_init(&u, B, on_tx, on_irq, &u);
	irqs = 0;
	txlen = 0;
}

/* autoconfig_16550a() with CONFIG_SERIAL_8250_16550A_VARIANTS. */
static void probe_variants(void)
{
	uint8_t st1, st2, ier, old_lcr, old_fcr, old_mcr;
	unsigned int count, dl;

	out(LHV_UART_LCR, 0x80);
	CHECK(in(2) != 0, "EFR probe at LCR 0x80: no EFR (not ST16C650V1)");
	out(LHV_UART_LCR, 0xbf);
	CHECK(in(2) != 0, "EFR probe at LCR 0xbf: no EFR (not ST16C650V2)");
	out(LHV_UART_LCR, 0);
	st1 = in(LHV_UART_MCR);
	out(LHV_UART_LCR, 0xe0);
	st2 = in(2);
	CHECK(((st1 ^ st2) & LHV_UART_MCR_LOOP) == 0, "NatSemi EXCR1 first read");
	out(LHV_UART_LCR, 0);
	out(LHV_UART_MCR, st1 ^ LHV_UART_MCR_LOOP);
	out(LHV_UART_LCR, 0xe0);
	st2 = in(2);
	out(LHV_UART_LCR, 0);
	out(LHV_UART_MCR, st1);
	CHECK(((st1 ^ st2) & LHV_UART_MCR_LOOP) == 0, "not a NatSemi SuperIO");

	out(LHV_UART_FCR, 0x21);
	st1 = in(LHV_UART_IIR) >> 5;
	out(LHV_UART_FCR, 0x01);
	out(LHV_UART_LCR, 0x80);
	out(LHV_UART_FCR, 0x21);
	st2 = in(LHV_UART_IIR) >> 5;
	out(LHV_UART_FCR, 0x01);
	out(LHV_UART_LCR, 0);
	CHECK(st1 == 6 && st2 == 6, "IIR bit 5 stays clear: not a TI16750");

	ier = in(LHV_UART_IER);
	out(LHV_UART_IER, ier & ~0x40);
	CHECK(!(in(LHV_UART_IER) & 0x40), "IER UUE reads 0");
	out(LHV_UART_IER, ier | 0x40);
	CHECK(!(in(LHV_UART_IER) & 0x40), "IER UUE cannot be set: not Xscale");
	out(LHV_UART_IER, ier);

	/* size_fifo(): loopback 256 bytes, count what the RX FIFO kept. */
	old_lcr = in(LHV_UART_LCR);
	out(LHV_UART_LCR, 0);
	old_fcr = in(2);
	CHECK(old_fcr == 0xc1, "size_fifo reads IIR as 'FCR': 0xc1");
	old_mcr = in(LHV_UART_MCR);
	out(LHV_UART_FCR, 0x07);
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP);
	out(LHV_UART_LCR, 0x80);
	dl = in(0) | in(1) << 8;
	CHECK(dl == 12, "divisor latch reads 12 (9600 baud) at reset");
	out(0, 1);
	out(1, 0);
	out(LHV_UART_LCR, 0x03);
	for (count = 0; count < 256; count++)
		out(LHV_UART_THR, count);
	CHECK(txlen == 0, "loopback bytes never reach the tx callback");
	for (count = 0; (in(LHV_UART_LSR) & LHV_UART_LSR_DR) && count < 256;
	     count++)
		CHECK(in(LHV_UART_RBR) == count, "loopback byte comes back in order");
	CHECK(count == 16, "size_fifo counts a 16-byte FIFO: stays PORT_16550A");
	out(LHV_UART_FCR, old_fcr);
	out(LHV_UART_MCR, old_mcr);
	out(LHV_UART_LCR, 0x80);
	out(0, dl & 0xff);
	out(1, dl >> 8);
	out(LHV_UART_LCR, old_lcr);
	out(LHV_UART_LCR, 0x80);
	CHECK(in(0) == 12 && in(1) == 0, "divisor latch restored");
	out(LHV_UART_LCR, old_lcr);
}

/* autoconfig() of drivers/tty/serial/8250/8250_port.c, step by step. */
static void test_autoconfig(bool variants)
{
	uint8_t scratch, scratch2, scratch3, save_mcr, save_lcr;

	reset();
	scratch = in(LHV_UART_IER);
	CHECK(scratch == 0, "IER reads 0 at reset");
	out(LHV_UART_IER, 0);
	scratch2 = in(LHV_UART_IER) & 0x0f;
	out(LHV_UART_IER, 0x0f);
	scratch3 = in(LHV_UART_IER);
	out(LHV_UART_IER, scratch);
	CHECK(scratch2 == 0, "IER test: 0 reads back 0");
	CHECK(scratch3 == 0x0f, "IER test: 0x0f reads back 0x0f, upper nibble 0");
	out(LHV_UART_IER, 0xff);
	CHECK(in(LHV_UART_IER) == 0x0f, "IER keeps only its low nibble");
	out(LHV_UART_IER, scratch);

	save_mcr = in(LHV_UART_MCR);
	save_lcr = in(LHV_UART_LCR);
	CHECK(save_mcr == 0 && save_lcr == 0, "MCR and LCR read 0 at reset");
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP | 0x0a);
	CHECK(in(LHV_UART_MCR) == 0x1a, "MCR reads back LOOP | OUT2 | RTS");
	CHECK((in(LHV_UART_MSR) & 0xf0) == 0x90, "loopback test: MSR 0x90");
	out(LHV_UART_MCR, save_mcr);

	out(LHV_UART_LCR, 0xbf);
	CHECK(in(LHV_UART_LCR) == 0xbf, "LCR reads back 0xbf");
	out(2, 0);			/* EFR, which a 16550A does not have */
	out(LHV_UART_LCR, 0);
	out(LHV_UART_FCR, LHV_UART_FCR_ENABLE);
	scratch = in(LHV_UART_IIR);
	CHECK(scratch == 0xc1, "IIR after FCR enable: FIFO bits, no interrupt");
	CHECK(scratch >> 6 == 3, "IIR >> 6 == 3: 16550A");
	if (variants)
		probe_variants();

	out(LHV_UART_LCR, save_lcr);
	out(LHV_UART_MCR, save_mcr);
	/* serial8250_clear_fifos(), then the reset reads. */
	out(LHV_UART_FCR, LHV_UART_FCR_ENABLE);
	out(LHV_UART_FCR, LHV_UART_FCR_ENABLE | LHV_UART_FCR_CLEAR_RX |
	    LHV_UART_FCR_CLEAR_TX);
	out(LHV_UART_FCR, 0);
	CHECK(in(LHV_UART_IIR) == 0x01, "FIFOs off: IIR 0x01");
	CHECK(in(LHV_UART_RBR) == 0, "empty RBR reads 0");
	out(LHV_UART_IER, 0);
	CHECK(txlen == 0 && irqs == 0, "probe sent nothing and raised nothing");
}

/* serial8250_do_startup(): the LSR check, THRE and TXEN tests, OUT2. */
static void test_startup(void)
{
	uint8_t iir1, iir, lsr;

	in(LHV_UART_LSR);
	in(LHV_UART_RBR);
	in(LHV_UART_IIR);
	in(LHV_UART_MSR);
	lsr = in(LHV_UART_LSR);
	CHECK(lsr == 0x60, "LSR idle: THRE | TEMT, not 0xff");
	CHECK(in(LHV_UART_MSR) == 0xb0, "MSR: DCD DSR CTS, no deltas");

	out(LHV_UART_IER, LHV_UART_IER_THRI);
	iir1 = in(LHV_UART_IIR);
	out(LHV_UART_IER, 0);
	out(LHV_UART_IER, LHV_UART_IER_THRI);
	iir = in(LHV_UART_IIR);
	out(LHV_UART_IER, 0);
	CHECK(iir1 == 0x02, "THRE test: first IIR reports THRE");
	CHECK(iir == 0x02, "THRE test: THRE re-asserted (no UART_BUG_THRE)");
	CHECK(irqs == 0, "no irq without OUT2");

	out(LHV_UART_LCR, 0x03);
	out(LHV_UART_MCR, LHV_UART_MCR_OUT2 | LHV_UART_MCR_RTS | LHV_UART_MCR_DTR);
	CHECK(irqs == 0, "OUT2 with nothing enabled: no irq");
	out(LHV_UART_IER, LHV_UART_IER_THRI);
	CHECK(irqs == 1, "TXEN test: enabling THRI with OUT2 raises the line");
	lsr = in(LHV_UART_LSR);
	iir = in(LHV_UART_IIR);
	out(LHV_UART_IER, 0);
	CHECK((lsr & LHV_UART_LSR_TEMT) && iir == 0x02,
	      "TXEN test: THRE pending (no UART_BUG_TXEN)");
	CHECK(in(LHV_UART_IIR) == 0x01, "THRE acknowledged by the IIR read");
}

static void test_thre_edges(void)
{
	reset();
	out(LHV_UART_MCR, LHV_UART_MCR_OUT2);
	out(LHV_UART_IER, LHV_UART_IER_THRI);
	CHECK(irqs == 1 && lhv_uart_irq_line(&u), "ETBEI 0->1: irq");
	out(LHV_UART_IER, LHV_UART_IER_THRI | LHV_UART_IER_RDI);
	CHECK(irqs == 1, "IER rewrite with THRI kept: no new THRE");
	CHECK(in(LHV_UART_IIR) == 0x02, "IIR: THRE");
	CHECK(!lhv_uart_irq_line(&u), "IIR read dropped the line");
	CHECK(in(LHV_UART_IIR) == 0x01, "THRE cleared by the IIR read");
	out(LHV_UART_THR, 'h');
	CHECK(txlen == 1 && txbuf[0] == 'h', "THR byte sent to tx");
	CHECK(irqs == 2, "THR empties at once: rising edge");
	out(LHV_UART_THR, 'i');
	CHECK(txlen == 2 && txbuf[1] == 'i', "second byte sent");
	CHECK(irqs == 2, "THR write while THRE pending: no edge");
	CHECK(in(LHV_UART_LSR) == 0x60, "LSR THRE | TEMT after transmit");
	out(LHV_UART_IER, 0);
	CHECK(!lhv_uart_irq_line(&u), "IER 0 drops the line");
	out(LHV_UART_IER, LHV_UART_IER_THRI);
	CHECK(irqs == 3, "THRI re-enabled with THR empty: edge");
	out(LHV_UART_MCR, 0);
	CHECK(!lhv_uart_irq_line(&u), "OUT2 off gates the line");
	out(LHV_UART_MCR, LHV_UART_MCR_OUT2);
	CHECK(irqs == 4, "OUT2 on while pending: edge");
	out(LHV_UART_MCR, LHV_UART_MCR_OUT2 | LHV_UART_MCR_LOOP);
	CHECK(!lhv_uart_irq_line(&u) && in(LHV_UART_IIR) == 0x02,
	      "loopback: pending but the line is off");
}

static void test_priorities(void)
{
	uint8_t b;
	unsigned int i;

	reset();
	out(LHV_UART_FCR, 0x01);	/* FIFO on, trigger level 1 */
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP);
	in(LHV_UART_MSR);
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP | LHV_UART_MCR_RTS); /* DCTS */
	for (i = 0; i < 17; i++)
		out(LHV_UART_THR, 'a' + i);	/* the 17th overruns */
	out(LHV_UART_IER, 0x0f);
	CHECK(in(LHV_UART_IIR) == 0xc6, "line status (OE) first");
	CHECK(in(LHV_UART_IIR) == 0xc6, "IIR read does not clear OE");
	b = in(LHV_UART_LSR);
	CHECK(b == (0x60 | LHV_UART_LSR_OE | LHV_UART_LSR_DR), "LSR: OE DR THRE TEMT");
	CHECK(in(LHV_UART_LSR) == 0x61, "LSR read cleared OE");
	CHECK(in(LHV_UART_IIR) == 0xc4, "then received data");
	for (i = 0; i < 16; i++)
		b = in(LHV_UART_RBR);
	CHECK(b == 'a' + 15, "FIFO kept the first 16 bytes");
	CHECK(in(LHV_UART_IIR) == 0xc2, "then THRE");
	CHECK(in(LHV_UART_IIR) == 0xc0, "THRE acknowledged, then modem status");
	CHECK(in(LHV_UART_MSR) == 0x11, "MSR: CTS from RTS, DCTS");
	CHECK(in(LHV_UART_IIR) == 0xc1, "MSR read: nothing pending");
	CHECK(u.overruns == 1, "one overrun counted");
}

static void test_rx(void)
{
	const uint8_t msg[20] = "0123456789abcdefghij";

	reset();
	CHECK(lhv_uart_rx_room(&u) == 1, "FIFOs off: one holding register");
	CHECK(lhv_uart_rx_push(&u, msg, 2) == 1, "FIFOs off: takes one byte");
	CHECK(in(LHV_UART_LSR) == 0x61, "LSR.DR set");
	CHECK(in(LHV_UART_RBR) == '0', "RBR pops it");
	CHECK(in(LHV_UART_LSR) == 0x60, "LSR.DR clear");

	out(LHV_UART_FCR, 0xc1);	/* FIFO on, trigger level 14 */
	out(LHV_UART_MCR, LHV_UART_MCR_OUT2);
	out(LHV_UART_IER, LHV_UART_IER_RDI);
	CHECK(irqs == 0, "RDI enabled, FIFO empty: nothing");
	CHECK(lhv_uart_rx_push(&u, msg, 3) == 3, "takes 3");
	CHECK(irqs == 1, "first bytes: rising edge");
	CHECK(in(LHV_UART_IIR) == 0xcc, "below trigger level: timeout code");
	CHECK(lhv_uart_rx_push(&u, msg + 3, 17) == 13, "takes up to 16");
	CHECK(irqs == 1, "more bytes while pending: no edge");
	CHECK(lhv_uart_rx_room(&u) == 0, "FIFO full");
	CHECK(in(LHV_UART_IIR) == 0xc4, "at trigger level: data available");
	CHECK(lhv_uart_rx_push(&u, msg, 1) == 0, "full FIFO takes nothing");
	CHECK(in(LHV_UART_LSR) == 0x61, "push never overruns");
	CHECK(in(LHV_UART_RBR) == '0' && in(LHV_UART_RBR) == '1', "order kept");
	while (in(LHV_UART_LSR) & LHV_UART_LSR_DR)
		in(LHV_UART_RBR);
	CHECK(!lhv_uart_irq_line(&u) && in(LHV_UART_IIR) == 0xc1, "drained");
	lhv_uart_rx_push(&u, msg, 1);
	CHECK(irqs == 2, "next byte: edge again");
	out(LHV_UART_FCR, 0xc3);
	CHECK(in(LHV_UART_LSR) == 0x60 && !lhv_uart_irq_line(&u),
	      "FCR clear-RX empties the FIFO");
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP);
	CHECK(lhv_uart_rx_room(&u) == 0 && lhv_uart_rx_push(&u, msg, 1) == 0,
	      "loopback: outside bytes refused");
}

static void test_msr_and_wide(void)
{
	reset();
	CHECK(in(LHV_UART_MSR) == 0xb0, "MSR at reset");
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP);
	CHECK(in(LHV_UART_MSR) == 0x0b, "loopback drops CTS DSR DCD: deltas");
	CHECK(in(LHV_UART_MSR) == 0x00, "deltas clear on read");
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP | LHV_UART_MCR_OUT1);
	CHECK(in(LHV_UART_MSR) == 0x40, "RI follows OUT1, leading edge no TERI");
	out(LHV_UART_MCR, LHV_UART_MCR_LOOP);
	CHECK(in(LHV_UART_MSR) == 0x04, "RI trailing edge: TERI");
	out(LHV_UART_MCR, 0xff);
	CHECK(in(LHV_UART_MCR) == 0x1f, "MCR keeps five bits");
	out(LHV_UART_MCR, 0);
	CHECK(in(LHV_UART_MSR) == 0xbf, "deltas accumulate until read, RI fell");

	out(LHV_UART_SCR, 0x5a);
	CHECK(in(LHV_UART_SCR) == 0x5a, "scratch register");
	CHECK(lhv_uart_read(&u, B + 6, 2) == 0x5ab0, "16-bit read: MSR, SCR");
	CHECK(lhv_uart_read(&u, B + 7, 2) == 0xff5a, "byte past COM1 reads 0xff");
	CHECK(lhv_uart_read(&u, B + 7, 4) == 0xffffff5a, "32-bit past the end");
	lhv_uart_write(&u, B + 3, 2, 0x0380);	/* LCR 0x80, MCR 0x03 */
	CHECK(in(LHV_UART_LCR) == 0x80 && in(LHV_UART_MCR) == 0x03,
	      "16-bit write: LCR then MCR");
	lhv_uart_write(&u, B, 2, 0x0201);
	CHECK(in(0) == 1 && in(1) == 2, "DLAB: 16-bit divisor write");
	out(LHV_UART_LCR, 0);
	CHECK(in(LHV_UART_IER) == 0, "DLAB off: IER untouched by the divisor");
	lhv_uart_write(&u, B + 6, 4, 0xffffffff);
	CHECK(in(LHV_UART_SCR) == 0xff, "write past the end only hits SCR");
	out(LHV_UART_LSR, 0xff);
	CHECK(in(LHV_UART_LSR) == 0x60, "LSR writes ignored");
	lhv_uart_init(&u, B, NULL, NULL, NULL);
	out(LHV_UART_MCR, LHV_UART_MCR_OUT2);
	out(LHV_UART_IER, LHV_UART_IER_THRI);
	out(LHV_UART_THR, 'x');
	CHECK(u.tx_bytes == 1, "NULL callbacks are allowed");
}

int main(void)
{
	test_autoconfig(false);
	test_startup();
	test_autoconfig(true);
	test_thre_edges();
	test_priorities();
	test_rx();
	test_msr_and_wide();
	return unit_done();
}
