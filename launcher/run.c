// SPDX-License-Identifier: GPL-2.0
/*
 * liblhv's exit loop: LHV_RUN, COM1, the debug-exit port, the caller's
 * hooks, and a full report of every exit nobody handles.
 *
 * Completion protocol (Documentation/ioctl.rst): every PIO and MMIO exit,
 * reads and writes alike, is completed by the next LHV_RUN, whose
 * argument repeats the request with a read's data.  vcpu->comp always
 * holds what the next LHV_RUN must carry, so a caller may leave the loop
 * at any exit and resume it later with another lhv_vcpu_run().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm.h"
#include "liblhv.h"

static const char *const exit_names[] = {
	[LHV_EXIT_NONE] = "NONE",
	[LHV_EXIT_PIO] = "PIO",
	[LHV_EXIT_MMIO] = "MMIO",
	[LHV_EXIT_SHUTDOWN] = "SHUTDOWN",
	[LHV_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	[LHV_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	[LHV_EXIT_UNHANDLED] = "UNHANDLED",
	[LHV_EXIT_INTR] = "INTR",
};

const char *lhv_exit_name(__u32 reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) &&
	    exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

static const char *dir_name(__u8 dir)
{
	return dir == LHV_DIR_WRITE ? "write" : dir == LHV_DIR_READ ? "read" : "bad";
}

void lhv_format_exit(const struct lhv_run *run, char *buf, size_t len)
{
	int n = snprintf(buf, len, "exit %s (%u) rip %#llx",
			 lhv_exit_name(run->exit_reason), run->exit_reason,
			 (unsigned long long)run->rip);
	unsigned int i;

	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= n;
	switch (run->exit_reason) {
	case LHV_EXIT_PIO:
		snprintf(buf, len, ": port %#x size %u %s data %#llx",
			 run->pio.port, run->pio.size, dir_name(run->pio.direction),
			 (unsigned long long)run->pio.data);
		break;
	case LHV_EXIT_MMIO:
		snprintf(buf, len, ": gpa %#llx size %u %s data %#llx",
			 (unsigned long long)run->mmio.gpa, run->mmio.size,
			 dir_name(run->mmio.direction),
			 (unsigned long long)run->mmio.data);
		break;
	case LHV_EXIT_FAIL_ENTRY:
		snprintf(buf, len, ": hardware reason %#llx qualification %#llx",
			 (unsigned long long)run->fail.hardware_reason,
			 (unsigned long long)run->fail.qualification);
		break;
	case LHV_EXIT_INTERNAL_ERROR:
		n = snprintf(buf, len, ": suberror %u gpa %#llx insn",
			     run->internal.suberror,
			     (unsigned long long)run->internal.gpa);
		for (i = 0; i < run->internal.insn_len && i < 16 && n > 0 &&
		     (size_t)n < len; i++)
			n += snprintf(buf + n, len - n, " %02x",
				      run->internal.insn[i]);
		break;
	case LHV_EXIT_UNHANDLED:
		snprintf(buf, len, ": hardware reason %#llx qualification %#llx info %#llx",
			 (unsigned long long)run->hw.hardware_reason,
			 (unsigned long long)run->hw.qualification,
			 (unsigned long long)run->hw.info);
		break;
	default:
		break;
	}
}

static void console_flush(struct lhv_vcpu *vcpu)
{
	if (vcpu->prefix && vcpu->line_len)
		printf("%s%.*s\n", vcpu->prefix, (int)vcpu->line_len, vcpu->line);
	fflush(stdout);
	vcpu->line_len = 0;
}

static void console_put(struct lhv_vcpu *vcpu, char c)
{
	if (vcpu->console_len < sizeof(vcpu->console) - 1) {
		vcpu->console[vcpu->console_len++] = c;
		vcpu->console[vcpu->console_len] = '\0';
	}
	if (c == '\r')
		return;
	if (c == '\n' || vcpu->line_len == sizeof(vcpu->line)) {
		console_flush(vcpu);
		if (c == '\n')
			return;
	}
	vcpu->line[vcpu->line_len++] = c;
}

/*
 * A minimal 16550 at COM1: the guest polls LSR (transmitter always empty)
 * and writes THR; every other register reads 0 and ignores writes, which
 * is enough for a polled console.
 */
static bool com1(struct lhv_vcpu *vcpu, const struct lhv_exit_pio *pio,
		 __u64 *data)
{
	if (pio->port < LHV_COM1_BASE || pio->port > LHV_COM1_BASE + 7)
		return false;
	if (pio->direction == LHV_DIR_READ)
		*data = pio->port == LHV_COM1_LSR ? LHV_LSR_IDLE : 0;
	else if (pio->port == LHV_COM1_BASE)
		console_put(vcpu, (char)pio->data);
	return true;
}

static enum lhv_hook_verdict handle_pio(struct lhv_vcpu *vcpu,
					const struct lhv_exit_pio *pio,
					__u64 *data, struct lhv_outcome *out)
{
	if (vcpu->raw_pio)
		return vcpu->hooks.pio(vcpu, pio, data);
	if (com1(vcpu, pio, data))
		return LHV_HOOK_DONE;
	if (pio->port == LHV_DEBUG_EXIT_PORT && pio->size == 4 &&
	    pio->direction == LHV_DIR_WRITE) {
		out->kind = LHV_OUT_RESULT;
		out->result = (__u32)pio->data;
		return LHV_HOOK_STOP;
	}
	if (vcpu->hooks.pio) {
		enum lhv_hook_verdict v = vcpu->hooks.pio(vcpu, pio, data);

		if (v != LHV_HOOK_UNHANDLED)
			return v;
	}
	/* Markers only mean something to a test that hooks them. */
	if (pio->port == LHV_MARKER_PORT && pio->direction == LHV_DIR_WRITE)
		return LHV_HOOK_DONE;
	return LHV_HOOK_UNHANDLED;
}

/* The completion of the exit in @run with @data, for the next LHV_RUN. */
static void complete(struct lhv_vcpu *vcpu, const struct lhv_run *run,
		     __u64 data)
{
	struct lhv_completion *c = &vcpu->comp;

	memset(c, 0, sizeof(*c));
	c->exit_reason = run->exit_reason;
	if (run->exit_reason == LHV_EXIT_PIO) {
		c->size = run->pio.size;
		c->direction = run->pio.direction;
		c->port = run->pio.port;
	} else {
		c->size = run->mmio.size;
		c->direction = run->mmio.direction;
		c->gpa = run->mmio.gpa;
	}
	c->data = data;
}

/* One exit: 0 to run on, 1 to return to the caller with *out filled. */
static int handle_exit(struct lhv_vcpu *vcpu, struct lhv_outcome *out)
{
	const struct lhv_run *run = vcpu->run;
	enum lhv_hook_verdict v = LHV_HOOK_UNHANDLED;
	__u64 data = 0;
	char line[200];

	out->exit = *run;
	if (run->exit_reason == LHV_EXIT_PIO) {
		data = run->pio.data;
		v = handle_pio(vcpu, &out->exit.pio, &data, out);
	} else if (run->exit_reason == LHV_EXIT_MMIO) {
		data = run->mmio.data;
		if (vcpu->hooks.mmio)
			v = vcpu->hooks.mmio(vcpu, &out->exit.mmio, &data);
	}
	if (v != LHV_HOOK_UNHANDLED) {
		complete(vcpu, &out->exit, data);
		if (v == LHV_HOOK_DONE)
			return 0;
		if (out->kind != LHV_OUT_RESULT)
			out->kind = LHV_OUT_STOP;
		return 1;
	}
	/* Never loop silently over an exit we do not understand. */
	console_flush(vcpu);
	lhv_format_exit(run, line, sizeof(line));
	fprintf(stderr, "liblhv: vCPU on host CPU %u: unhandled %s\n",
		vcpu->host_cpu, line);
	out->kind = LHV_OUT_EXIT;
	return 1;
}

int lhv_vcpu_run(struct lhv_vcpu *vcpu, struct lhv_outcome *out)
{
	memset(out, 0, sizeof(*out));
	for (;;) {
		out->kind = LHV_OUT_ERROR;
		if (vcpu->kvm ? lhv_kvm_run(vcpu) :
				ioctl(vcpu->fd, LHV_RUN, &vcpu->comp)) {
			out->error = errno;
			out->exit = *vcpu->run;
			/*
			 * Whether or not the kernel took the completion before
			 * the signal, NONE is right next: it re-delivers a
			 * request still pending and completes nothing twice.
			 */
			memset(&vcpu->comp, 0, sizeof(vcpu->comp));
			console_flush(vcpu);
			if (errno == EINTR) {
				out->kind = LHV_OUT_EINTR;
				return -1;
			}
			fprintf(stderr, "liblhv: %s on host CPU %u: %s\n",
				vcpu->kvm ? "KVM_RUN" : "LHV_RUN",
				vcpu->host_cpu, strerror(out->error));
			errno = out->error;
			return -1;
		}
		memset(&vcpu->comp, 0, sizeof(vcpu->comp));
		if (handle_exit(vcpu, out))
			break;
	}
	console_flush(vcpu);
	return out->kind == LHV_OUT_RESULT ? 0 : -1;
}
