/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART (COM1) as Linux's 8250 driver probes and drives it.
 *
 * Modelled:
 *  - all eight registers: RBR/THR, IER (low nibble only, so the driver's
 *    IER test and its Xscale UUE test see a plain 16550A), IIR/FCR, LCR
 *    (read back in full; DLAB maps DLL/DLM over offsets 0/1), MCR (five
 *    bits), LSR, MSR and the scratch register;
 *  - FIFO enable through FCR: IIR bits 7:6 read 0xc0 while it is on, and
 *    switching it on or off, or the clear bits, empty the FIFOs;
 *  - a 16-byte receive FIFO (one holding register while FIFOs are off)
 *    that the launcher fills with lhv_uart_rx_push(); LSR.DR, RBR pops;
 *  - instant transmit: a THR write hands the byte to the tx callback, so
 *    THR is always empty and LSR always has THRE | TEMT;
 *  - loopback (MCR bit 4): transmitted bytes land in the receive FIFO
 *    (overrun sets LSR.OE), the tx callback and the outside receive path
 *    are cut off, and MSR's inputs follow MCR: CTS = RTS, DSR = DTR,
 *    RI = OUT1, DCD = OUT2 (Linux's 0x90 test), with their delta bits;
 *  - outside loopback the modem inputs read DCD | DSR | CTS asserted;
 *  - interrupts with the datasheet's priorities: line status (OE) >
 *    received data (IIR 0x04 at or above the FCR trigger level, else the
 *    character timeout code 0x0c at once) > THR empty > modem status.
 *    THRE is raised when THR empties (at once after every THR write) and
 *    when IER.ETBEI goes from 0 to 1; it is cleared by reading IIR while
 *    it is the reported source, by a THR write (which re-raises it at
 *    once), or by clearing IER.ETBEI;
 *  - the interrupt line as a PC wires it: the pending state gated by
 *    MCR.OUT2, and off in loopback (the OUT2 pin is inactive then).  The
 *    irq callback runs on each rising edge of that line, judged once per
 *    register access, so a THR write while THRE is pending is no edge.
 *
 * Not modelled: baud rate and character timing (the divisor is only
 * stored), parity/framing/break errors, the trigger level's delay (the
 * timeout interrupt comes at once), the TX FIFO (never needed: transmit
 * is instant), DMA mode, hardware flow control, and any 16650/16750/EFR
 * extension.  Writes to LSR and MSR (factory test) are ignored.
 */
#ifndef _LHV_DEV_UART_H
#define _LHV_DEV_UART_H

#include "dev.h"

#define LHV_UART_FIFO_LEN	16
#define LHV_UART_NR_PORTS	8

/* Register offsets and the bits the model and its tests use. */
#define LHV_UART_RBR		0	/* read, DLAB 0 */
#define LHV_UART_THR		0	/* write, DLAB 0 */
#define LHV_UART_DLL		0	/* DLAB 1 */
#define LHV_UART_IER		1	/* DLAB 0 */
#define LHV_UART_DLM		1	/* DLAB 1 */
#define LHV_UART_IIR		2	/* read */
#define LHV_UART_FCR		2	/* write */
#define LHV_UART_LCR		3
#define LHV_UART_MCR		4
#define LHV_UART_LSR		5
#define LHV_UART_MSR		6
#define LHV_UART_SCR		7

#define LHV_UART_IER_RDI	0x01	/* received data available */
#define LHV_UART_IER_THRI	0x02	/* THR empty */
#define LHV_UART_IER_RLSI	0x04	/* receiver line status */
#define LHV_UART_IER_MSI	0x08	/* modem status */

#define LHV_UART_IIR_NO_INT	0x01
#define LHV_UART_IIR_MSI	0x00
#define LHV_UART_IIR_THRI	0x02
#define LHV_UART_IIR_RDI	0x04
#define LHV_UART_IIR_RLSI	0x06
#define LHV_UART_IIR_TIMEOUT	0x0c
#define LHV_UART_IIR_FIFO	0xc0

#define LHV_UART_FCR_ENABLE	0x01
#define LHV_UART_FCR_CLEAR_RX	0x02
#define LHV_UART_FCR_CLEAR_TX	0x04
#define LHV_UART_LCR_DLAB	0x80

#define LHV_UART_MCR_DTR	0x01
#define LHV_UART_MCR_RTS	0x02
#define LHV_UART_MCR_OUT1	0x04
#define LHV_UART_MCR_OUT2	0x08
#define LHV_UART_MCR_LOOP	0x10

#define LHV_UART_LSR_DR		0x01
#define LHV_UART_LSR_OE		0x02
#define LHV_UART_LSR_THRE	0x20
#define LHV_UART_LSR_TEMT	0x40

#define LHV_UART_MSR_CTS	0x10
#define LHV_UART_MSR_DSR	0x20
#define LHV_UART_MSR_RI		0x40
#define LHV_UART_MSR_DCD	0x80

struct lhv_uart {
	uint16_t base;			/* first of its eight ports */
	void (*tx)(void *opaque, uint8_t byte);	/* may be NULL */
	void (*irq)(void *opaque);		/* rising edge; may be NULL */
	void *opaque;

	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	uint8_t lsr_err;		/* LSR.OE until LSR is read */
	uint8_t msr_delta;		/* MSR bits 3:0 until MSR is read */
	uint8_t msr_in;			/* modem inputs, MSR bits 7:4 */
	bool thre_ip;			/* THRE interrupt not yet cleared */
	bool line;			/* the interrupt line after the last access */

	uint8_t rx[LHV_UART_FIFO_LEN];
	unsigned int rx_head, rx_len;

	uint64_t tx_bytes, rx_bytes, overruns;	/* for the launcher's report */
};

/* Reset state at @base; @tx gets every byte sent outside loopback. */
void lhv_uart_init(struct lhv_uart *uart, uint16_t base,
		   void (*tx)(void *opaque, uint8_t byte),
		   void (*irq)(void *opaque), void *opaque);

/*
 * One guest access of @size (1, 2 or 4) bytes at @port: wider ones act on
 * consecutive registers, low byte first, as the ISA bus splits them; bytes
 * outside the UART read 0xff.
 */
uint32_t lhv_uart_read(struct lhv_uart *uart, uint16_t port, unsigned int size);
void lhv_uart_write(struct lhv_uart *uart, uint16_t port, unsigned int size,
		    uint32_t val);

/* Bytes from the outside world: how many of @len the FIFO took. */
unsigned int lhv_uart_rx_push(struct lhv_uart *uart, const uint8_t *buf,
			      unsigned int len);
/* How many bytes lhv_uart_rx_push() would take now. */
unsigned int lhv_uart_rx_room(const struct lhv_uart *uart);

/* IIR's interrupt identification now, without the read's side effect. */
uint8_t lhv_uart_iir(const struct lhv_uart *uart);
/* The interrupt line (pending and OUT2 and not loopback). */
bool lhv_uart_irq_line(const struct lhv_uart *uart);

extern const struct lhv_pio_ops lhv_uart_pio_ops;

#endif /* _LHV_DEV_UART_H */
