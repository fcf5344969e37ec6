// SPDX-License-Identifier: GPL-2.0
/*
 * TAP on COM1: "ok N - name", "not ok N - name: got X, expected Y",
 * "ok N - name # SKIP why", the plan at the end, and the number of failed
 * cases through the debug-exit port (0: all passed).
 *
 * The multiboot command line may hold
 *   skip=PAT[,PAT...]    report the cases these match as skipped, without
 *                        running them: the test script names a platform's
 *                        known emulator bugs this way; '*' in a PAT matches
 *                        any run of characters (spaces too)
 *   dead=PAT[,PAT...]    report these as failed without running them: the
 *                        test script's list of cases that stopped the guest
 *   only=PAT[,PAT...]    run just the cases these match; report the others
 *                        skipped (to look at one case on a slow platform)
 *   trace                print each case's name before it runs, so that a
 *                        run the hypervisor kills shows where it was
 *   nobroadcast          no IPI by the all-including/excluding shorthands
 *                        (conf-self): in lhv's passthrough mode they would
 *                        reach the host's CPUs
 */
#include <stdarg.h>

#include "conform.h"

#define MBI_CMDLINE	(1u << 2)
#define CMDLINE_MAX	4096
#define NAME_MAX	160

static unsigned int nr_cases, nr_failed, nr_skipped;
static char cmdline[CMDLINE_MAX];
static const char *skip_list, *dead_list, *only_list;
static bool tracing;
static char name_buf[NAME_MAX];

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool word_is(const char *p, const char *word, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != word[i])
			return false;
	return true;
}

/* The value of option @opt= in the command line, or NULL. */
static const char *option(const char *opt)
{
	size_t n = str_len(opt);
	const char *p = cmdline;

	while (*p) {
		if ((p == cmdline || p[-1] == ' ') && word_is(p, opt, n) &&
		    (p[n] == '=' || p[n] == ' ' || !p[n]))
			return p[n] == '=' ? p + n + 1 : p + n;
		p++;
	}
	return NULL;
}

bool cmdline_has(const char *opt)
{
	return option(opt) != NULL;
}

void conform_init(uint32_t magic, uint32_t mbi)
{
	const uint32_t *info = (const uint32_t *)(uintptr_t)mbi;
	const char *src;
	size_t i;

	if (magic == MB_LOADER_MAGIC && (info[0] & MBI_CMDLINE) && info[4]) {
		src = (const char *)(uintptr_t)info[4];
		for (i = 0; i < CMDLINE_MAX - 1 && src[i]; i++)
			cmdline[i] = src[i];
	}
	skip_list = option("skip");
	dead_list = option("dead");
	only_list = option("only");
	tracing = option("trace") != NULL;
}

/* Whether @name matches @pat[0..n), where '*' matches any run of bytes. */
static bool glob(const char *pat, size_t n, const char *name)
{
	if (!n)
		return !*name;
	if (*pat == '*')
		return glob(pat + 1, n - 1, name) || (*name && glob(pat, n, name + 1));
	return *name == *pat && glob(pat + 1, n - 1, name + 1);
}

/* Whether @name matches a pattern of @list (which ends at a space). */
static bool listed(const char *list, const char *name)
{
	const char *p = list, *e;

	if (!p)
		return false;
	while (*p && *p != ' ') {
		for (e = p; *e && *e != ',' && *e != ' '; e++)
			;
		if (e > p && glob(p, e - p, name))
			return true;
		p = *e == ',' ? e + 1 : e;
	}
	return false;
}

const char *fmt_name(const char *fmt, ...)
{
	/* Only what the cases use: %s, %u, %x. */
	va_list ap;
	size_t n = 0;
	const char *s;
	char num[24];
	uint64_t v;
	unsigned int base, k;

	va_start(ap, fmt);
	for (; *fmt && n < NAME_MAX - 1; fmt++) {
		if (*fmt != '%') {
			name_buf[n++] = *fmt;
			continue;
		}
		fmt++;
		if (*fmt == 's') {
			for (s = va_arg(ap, const char *); *s && n < NAME_MAX - 1; s++)
				name_buf[n++] = *s;
			continue;
		}
		base = *fmt == 'x' ? 16 : 10;
		v = va_arg(ap, unsigned int);
		k = 0;
		do {
			num[k++] = "0123456789abcdef"[v % base];
			v /= base;
		} while (v);
		while (k && n < NAME_MAX - 1)
			name_buf[n++] = num[--k];
	}
	va_end(ap);
	name_buf[n] = 0;
	return name_buf;
}

void trace(const char *name)
{
	if (tracing)
		printf_com1("# run %u %s\n", nr_cases + 1, name);
}

void report(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	nr_cases++;
	if (ok) {
		printf_com1("ok %u - %s\n", nr_cases, name);
		return;
	}
	nr_failed++;
	printf_com1("not ok %u - %s: ", nr_cases, name);
	va_start(ap, fmt);
	vprintf_com1(fmt, ap);
	va_end(ap);
	putc_com1('\n');
}

void report_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	nr_cases++;
	nr_skipped++;
	printf_com1("ok %u - %s # SKIP ", nr_cases, name);
	va_start(ap, fmt);
	vprintf_com1(fmt, ap);
	va_end(ap);
	putc_com1('\n');
}

/*
 * Whether to leave @name out, reported: skip= names a platform's known
 * emulator bugs (skipped), dead= the cases that stopped the guest in an
 * earlier run (failed).  Neither runs, as a case the platform gets wrong
 * may stop the whole guest.
 */
bool skip_listed(const char *name)
{
	if (listed(skip_list, name)) {
		report_skip(name, "known platform bug, listed by the test script");
		return true;
	}
	if (listed(dead_list, name)) {
		report(false, name, "stopped the guest in an earlier run");
		return true;
	}
	if (only_list && !listed(only_list, name)) {
		report_skip(name, "not selected by only=");
		return true;
	}
	return false;
}

void note(const char *fmt, ...)
{
	va_list ap;

	puts_com1("# ");
	va_start(ap, fmt);
	vprintf_com1(fmt, ap);
	va_end(ap);
	putc_com1('\n');
}

void conform_done(void)
{
	printf_com1("1..%u\n", nr_cases);
	printf_com1("# %s: %u passed, %u failed, %u skipped\n", conform_name,
		    nr_cases - nr_failed - nr_skipped, nr_failed, nr_skipped);
	guest_exit(nr_failed > 127 ? 127 : nr_failed);
}

void bail_out(const char *fmt, ...)
{
	va_list ap;

	puts_com1("Bail out! ");
	va_start(ap, fmt);
	vprintf_com1(fmt, ap);
	va_end(ap);
	putc_com1('\n');
	printf_com1("# %s: stopped after %u cases, %u failed\n", conform_name,
		    nr_cases, nr_failed);
	guest_exit(nr_failed + 1 > 127 ? 127 : nr_failed + 1);
}
