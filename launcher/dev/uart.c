// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A model (uart.h says what it covers).  Every register access
 * ends in update_line(), which compares the interrupt line with its state
 * after the previous access and calls the irq callback on a rising edge.
 */
#include <string.h>

#include "uart.h"

/* Modem inputs outside loopback: a cable with the far end ready. */
#define MSR_IN_DEFAULT	(LHV_UART_MSR_DCD | LHV_UART_MSR_DSR | LHV_UART_MSR_CTS)

static bool fifo_on(const struct lhv_uart *uart)
{
	return uart->fcr & LHV_UART_FCR_ENABLE;
}

static unsigned int rx_capacity(const struct lhv_uart *uart)
{
	return fifo_on(uart) ? LHV_UART_FIFO_LEN : 1;
}

static unsigned int rx_trigger(const struct lhv_uart *uart)
{
	static const unsigned int level[4] = { 1, 4, 8, 14 };

	return level[uart->fcr >> 6];
}

static bool loopback(const struct lhv_uart *uart)
{
	return uart->mcr & LHV_UART_MCR_LOOP;
}

/* MSR bits 7:4 as the chip sees its inputs now. */
static uint8_t modem_inputs(const struct lhv_uart *uart)
{
	uint8_t mcr = uart->mcr, in = 0;

	if (!loopback(uart))
		return uart->msr_in;
	if (mcr & LHV_UART_MCR_RTS)
		in |= LHV_UART_MSR_CTS;
	if (mcr & LHV_UART_MCR_DTR)
		in |= LHV_UART_MSR_DSR;
	if (mcr & LHV_UART_MCR_OUT1)
		in |= LHV_UART_MSR_RI;
	if (mcr & LHV_UART_MCR_OUT2)
		in |= LHV_UART_MSR_DCD;
	return in;
}

/* Latch the delta bits for a change of the modem inputs from @old. */
static void modem_changed(struct lhv_uart *uart, uint8_t old)
{
	uint8_t now = modem_inputs(uart), diff = old ^ now;

	if (diff & LHV_UART_MSR_CTS)
		uart->msr_delta |= 0x01;
	if (diff & LHV_UART_MSR_DSR)
		uart->msr_delta |= 0x02;
	/* TERI: only the trailing edge of RI counts. */
	if ((old & LHV_UART_MSR_RI) && !(now & LHV_UART_MSR_RI))
		uart->msr_delta |= 0x04;
	if (diff & LHV_UART_MSR_DCD)
		uart->msr_delta |= 0x08;
}

uint8_t lhv_uart_iir(const struct lhv_uart *uart)
{
	uint8_t fifo = fifo_on(uart) ? LHV_UART_IIR_FIFO : 0;
	uint8_t ier = uart->ier;

	if ((ier & LHV_UART_IER_RLSI) && uart->lsr_err)
		return fifo | LHV_UART_IIR_RLSI;
	if ((ier & LHV_UART_IER_RDI) && uart->rx_len) {
		if (fifo && uart->rx_len < rx_trigger(uart))
			return fifo | LHV_UART_IIR_TIMEOUT;
		return fifo | LHV_UART_IIR_RDI;
	}
	if ((ier & LHV_UART_IER_THRI) && uart->thre_ip)
		return fifo | LHV_UART_IIR_THRI;
	if ((ier & LHV_UART_IER_MSI) && uart->msr_delta)
		return fifo | LHV_UART_IIR_MSI;
	return fifo | LHV_UART_IIR_NO_INT;
}

bool lhv_uart_irq_line(const struct lhv_uart *uart)
{
	return !(lhv_uart_iir(uart) & LHV_UART_IIR_NO_INT) &&
	       (uart->mcr & LHV_UART_MCR_OUT2) && !loopback(uart);
}

static void update_line(struct lhv_uart *uart)
{
	bool line = lhv_uart_irq_line(uart);

	if (line && !uart->line && uart->irq)
		uart->irq(uart->opaque);
	uart->line = line;
}

static void rx_clear(struct lhv_uart *uart)
{
	uart->rx_head = 0;
	uart->rx_len = 0;
}

static bool rx_put(struct lhv_uart *uart, uint8_t byte)
{
	if (uart->rx_len >= rx_capacity(uart))
		return false;
	uart->rx[(uart->rx_head + uart->rx_len) % LHV_UART_FIFO_LEN] = byte;
	uart->rx_len++;
	uart->rx_bytes++;
	return true;
}

static uint8_t rx_pop(struct lhv_uart *uart)
{
	uint8_t byte;

	if (!uart->rx_len)
		return 0;
	byte = uart->rx[uart->rx_head];
	uart->rx_head = (uart->rx_head + 1) % LHV_UART_FIFO_LEN;
	uart->rx_len--;
	return byte;
}

void lhv_uart_init(struct lhv_uart *uart, uint16_t base,
		   void (*tx)(void *opaque, uint8_t byte),
		   void (*irq)(void *opaque), void *opaque)
{
	memset(uart, 0, sizeof(*uart));
	uart->base = base;
	uart->tx = tx;
	uart->irq = irq;
	uart->opaque = opaque;
	uart->msr_in = MSR_IN_DEFAULT;
	uart->dll = 12;			/* 9600 baud, as a BIOS leaves it */
	/* THR starts empty, but IER is 0: nothing pending until enabled. */
}

static void transmit(struct lhv_uart *uart, uint8_t byte)
{
	if (loopback(uart)) {
		if (!rx_put(uart, byte)) {
			uart->lsr_err |= LHV_UART_LSR_OE;
			uart->overruns++;
		}
	} else {
		uart->tx_bytes++;
		if (uart->tx)
			uart->tx(uart->opaque, byte);
	}
	/* The byte left THR at once: THR is empty again. */
	uart->thre_ip = true;
}

static void write_fcr(struct lhv_uart *uart, uint8_t val)
{
	/* Turning the FIFOs on or off empties them, as on the chip. */
	if ((val ^ uart->fcr) & LHV_UART_FCR_ENABLE)
		rx_clear(uart);
	else if (val & LHV_UART_FCR_CLEAR_RX)
		rx_clear(uart);
	/* Bits 1-2 self-clear; 3 (DMA mode) and 5 (16750 only) mean nothing. */
	uart->fcr = val & (LHV_UART_FCR_ENABLE | 0xc0);
	if (!fifo_on(uart))
		uart->fcr = 0;
}

static void write_ier(struct lhv_uart *uart, uint8_t val)
{
	uint8_t old = uart->ier;

	uart->ier = val & 0x0f;
	if (!(uart->ier & LHV_UART_IER_THRI))
		uart->thre_ip = false;
	else if (!(old & LHV_UART_IER_THRI))
		uart->thre_ip = true;	/* THR is always empty */
}

static void write_mcr(struct lhv_uart *uart, uint8_t val)
{
	uint8_t old = modem_inputs(uart);

	uart->mcr = val & 0x1f;
	modem_changed(uart, old);
}

static void reg_write(struct lhv_uart *uart, unsigned int reg, uint8_t val)
{
	bool dlab = uart->lcr & LHV_UART_LCR_DLAB;

	switch (reg) {
	case LHV_UART_THR:
		if (dlab)
			uart->dll = val;
		else
			transmit(uart, val);
		break;
	case LHV_UART_IER:
		if (dlab)
			uart->dlm = val;
		else
			write_ier(uart, val);
		break;
	case LHV_UART_FCR:
		write_fcr(uart, val);
		break;
	case LHV_UART_LCR:
		uart->lcr = val;
		break;
	case LHV_UART_MCR:
		write_mcr(uart, val);
		break;
	case LHV_UART_SCR:
		uart->scr = val;
		break;
	default:
		/* LSR and MSR: factory test registers, ignored. */
		break;
	}
}

static uint8_t reg_read(struct lhv_uart *uart, unsigned int reg)
{
	bool dlab = uart->lcr & LHV_UART_LCR_DLAB;
	uint8_t val;

	switch (reg) {
	case LHV_UART_RBR:
		return dlab ? uart->dll : rx_pop(uart);
	case LHV_UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case LHV_UART_IIR:
		val = lhv_uart_iir(uart);
		/* Reading IIR acknowledges THRE only when it is the answer. */
		if ((val & 0x0f) == LHV_UART_IIR_THRI)
			uart->thre_ip = false;
		return val;
	case LHV_UART_LCR:
		return uart->lcr;
	case LHV_UART_MCR:
		return uart->mcr;
	case LHV_UART_LSR:
		val = LHV_UART_LSR_THRE | LHV_UART_LSR_TEMT | uart->lsr_err;
		if (uart->rx_len)
			val |= LHV_UART_LSR_DR;
		uart->lsr_err = 0;
		return val;
	case LHV_UART_MSR:
		val = modem_inputs(uart) | uart->msr_delta;
		uart->msr_delta = 0;
		return val;
	default:
		return uart->scr;
	}
}

uint32_t lhv_uart_read(struct lhv_uart *uart, uint16_t port, unsigned int size)
{
	uint32_t val = 0;
	unsigned int i;

	for (i = 0; i < size && i < 4; i++) {
		unsigned int reg = (uint16_t)(port + i) - uart->base;
		uint8_t byte = reg < LHV_UART_NR_PORTS ? reg_read(uart, reg) : 0xff;

		val |= (uint32_t)byte << (8 * i);
	}
	update_line(uart);
	return val;
}

void lhv_uart_write(struct lhv_uart *uart, uint16_t port, unsigned int size,
		    uint32_t val)
{
	unsigned int i;

	for (i = 0; i < size && i < 4; i++) {
		unsigned int reg = (uint16_t)(port + i) - uart->base;

		if (reg < LHV_UART_NR_PORTS)
			reg_write(uart, reg, val >> (8 * i));
	}
	update_line(uart);
}

unsigned int lhv_uart_rx_room(const struct lhv_uart *uart)
{
	if (loopback(uart))
		return 0;
	return rx_capacity(uart) - uart->rx_len;
}

unsigned int lhv_uart_rx_push(struct lhv_uart *uart, const uint8_t *buf,
			      unsigned int len)
{
	unsigned int n = 0;

	/* In loopback the receiver listens to the transmitter only. */
	while (!loopback(uart) && n < len && rx_put(uart, buf[n]))
		n++;
	update_line(uart);
	return n;
}

static uint32_t pio_read(void *dev, uint16_t port, unsigned int size)
{
	return lhv_uart_read(dev, port, size);
}

static void pio_write(void *dev, uint16_t port, unsigned int size,
		      uint32_t val)
{
	lhv_uart_write(dev, port, size, val);
}

const struct lhv_pio_ops lhv_uart_pio_ops = {
	.read = pio_read,
	.write = pio_write,
};
