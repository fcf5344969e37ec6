#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lhv-run as a user runs it (Documentation/lhv-run.rst): guests' COM1 on
# stdout, the debug-exit port as the exit status ((v << 1) | 1), every bad
# argument one clear message and its documented status, --stats and
# --verbose output, and the host CPUs back online after every run.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/lhv_run.sh"

guests=/usr/libexec/lhv/guests
run_log=/tmp/lhv-run.out
err_log=/tmp/lhv-run.err

# Status codes of lhv-run (launcher/machine.h).
USAGE=2 BAD_IMAGE=6 HOST=8 CRASH=10 TIMEOUT=12 SIGNAL=16
PASSED=1	# the guest wrote 0 to port 0xf4

# error_case WANT PATTERN args...: status WANT and one message on stderr.
error_case() {
	want=$1 pat=$2
	shift 2
	run "$want" "$@" && has "$err_log" "^lhv-run: .*$pat" &&
		[ "$(wc -l < "$err_log")" -le 2 ] ||
		{ echo "stderr:"; cat "$err_log"; return 1; }
}

cpus_online() {	# CPUs 1..N online again
	for c in $(seq 1 "$1"); do
		[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] ||
			{ echo "CPU $c offline"; return 1; }
	done
}

hello() {
	run $PASSED "$guests/hello.elf" &&
		has "$run_log" "Hello from lhv guest" "Goodbye" &&
		has "$err_log" "wrote 0 to the debug-exit port: exit status 1" &&
		cpus_online 1
}

# A passthrough AP that no SIPI ever starts waits for one inside the
# guest, where NMIs are blocked: when the BSP's guest ends, lhv must still
# get it out (a kick SIPI; Bochs's preemption timer stops in that state).
parked_ap() {
	dmesg -c > /dev/null
	run $PASSED --cpus 1,2 --lapic passthrough --stats "$guests/hello.elf" &&
		has "$run_log" "Goodbye" &&
		has "$err_log" "^lhv-run: stats vcpu=1 host_cpu=2 .* sipi=[0-9]+ .*init_held=0" &&
		cpus_online 2 || return 1
	! dmesg | grep "does not stop after"
}

smp_elf() {	# lhv's own test guest, its APs found in the boot-info block
	run $PASSED --cpus 1,2,3 --lapic filtered "$guests/smp.elf" &&
		has "$run_log" "^smp: 2 of 2 APs up" "^smp: PASS" && cpus_online 3
}

# The multiboot SMP kernel: fw_cfg CPU count, broadcast INIT-SIPI-SIPI,
# fixed-vector IPIs to every AP, exit through port 0xf4.
multiboot() {
	n=$1 cpus=$2
	run $PASSED --cpus "$cpus" --lapic filtered --append "mb-smp.expect=$n" \
		"$guests/mb-smp.elf" &&
		has "$run_log" "^mb-smp: fw_cfg: $n CPUs" "^mb-smp: $n CPUs up, IPIs ok" &&
		cpus_online "$n"
}

multiboot_mismatch() {	# the guest's own failure code: 7 -> status 15
	run 15 --cpus 1,2 --lapic filtered --append "mb-smp.expect=3" "$guests/mb-smp.elf" &&
		has "$run_log" "command line expects 3" && cpus_online 2
}

# --stats: one line per vCPU; the APs' INIT and SIPI were emulated
# (filtered mode) and the BSP's ICR writes trapped.
stats() {
	run $PASSED --stats --cpus 1,2,3 --lapic filtered "$guests/mb-smp.elf" &&
		has "$err_log" \
		    "^lhv-run: stats vcpu=0 host_cpu=1 apic_id=[0-9]+ exits=[1-9].* icr_trap=[1-9]" \
		    "^lhv-run: stats vcpu=1 host_cpu=2 .* emulated_init=[1-9][0-9]* emulated_sipi=[1-9]" \
		    "^lhv-run: stats vcpu=2 host_cpu=3 .* emulated_init=[1-9][0-9]* emulated_sipi=[1-9]" \
		    "^lhv-run: stats unclaimed_ports=[0-9]+ mmio_unclaimed=[0-9]+"
}

verbose() {	# what was loaded where; the unclaimed-port listing
	run $PASSED --verbose "$guests/mb-smp.elf" &&
		has "$err_log" "mb-smp.elf: multiboot image" \
		    "^lhv-run: multiboot kernel at 0x100000" \
		    "^lhv-run: unclaimed ports"
}

serial_file() {
	run $PASSED --serial /tmp/com1.txt "$guests/hello.elf" &&
		has /tmp/com1.txt "Hello from lhv guest" &&
		! grep -q "Hello from lhv guest" "$run_log"
}

timeout_spin() {
	run $TIMEOUT --timeout 2 "$guests/spin.elf" &&
		has "$err_log" "timeout: the guest ran for 2 s" && cpus_online 1
}

sigterm() {	# a log of its own: an old "spinning" must not count
	rm -f /tmp/sigterm.out
	lhv-run "$guests/spin.elf" > /tmp/sigterm.out 2> "$err_log" &
	pid=$!
	while ! grep -q spinning /tmp/sigterm.out 2>/dev/null; do sleep 0.2; done
	kill -TERM $pid
	wait $pid
	rc=$?
	[ "$rc" = $SIGNAL ] && has "$err_log" "stopped by SIGTERM" && cpus_online 1 ||
		{ echo "status $rc"; cat "$err_log"; return 1; }
}

busy_cpu() {	# CPU 1 owned by a running VM
	rm -f /tmp/spin.out
	lhv-run "$guests/spin.elf" > /tmp/spin.out 2>&1 &
	pid=$!
	while ! grep -q spinning /tmp/spin.out 2>/dev/null; do sleep 0.2; done
	error_case $HOST "CPU 1 is offline" "$guests/hello.elf"
	rc=$?
	kill -TERM $pid
	wait $pid
	return $rc
}

tap_plan 26
tap_check "hello.elf: COM1 on stdout, debug exit 0 gives status 1, CPU 1 online after" hello
if lhv-run --caps | grep -Eq '^LAPIC modes: .*passthrough '; then
	tap_check "hello.elf --cpus 1,2 --lapic passthrough: the AP that waits for SIPI is stopped when the guest ends, CPUs back" parked_ap
else
	tap_skip "hello.elf --cpus 1,2 --lapic passthrough" "passthrough LAPIC mode not offered here"
fi
tap_check "smp.elf --cpus 1,2,3 --lapic filtered: 2 APs up by INIT-SIPI-SIPI" smp_elf
tap_check "mb-smp.elf (multiboot), 2 CPUs, filtered: fw_cfg count, broadcast INIT-SIPI-SIPI, IPIs" \
	multiboot 2 1,2
tap_check "mb-smp.elf (multiboot), 3 CPUs, filtered" multiboot 3 1,2,3
tap_check "mb-smp.elf with a wrong expected count: its failure code 7 as status 15" \
	multiboot_mismatch
tap_check "--stats: per-vCPU exits, emulated INIT/SIPI on each AP, ICR traps on the BSP" stats
tap_check "--verbose: the format, the load address and the unclaimed ports" verbose
tap_check "--serial FILE: COM1 goes to the file" serial_file
tap_check "--timeout 2 stops a spinning guest: status 12, CPU 1 back" timeout_spin
tap_check "SIGTERM stops a spinning guest: status 16, CPU 1 back" sigterm
tap_check "a triple-faulting guest: status 10 (crashed)" \
	error_case $CRASH "stopped: exit SHUTDOWN" "$guests/triple-fault.elf"
tap_check "a missing image: status 6" error_case $BAD_IMAGE "No such file" /nonexistent.elf
tap_check "an image of no known format: status 6, says to use --format flat" \
	error_case $BAD_IMAGE "format flat" /usr/libexec/lhv/selftests/tap.sh
tap_check "host CPU 0: status 8" error_case $HOST "CPU 0 stays with Linux" --cpus 0 "$guests/hello.elf"
tap_check "a CPU the host does not have: status 8" \
	error_case $HOST "no CPU 99" --cpus 1,99 "$guests/hello.elf"
tap_check "a CPU listed twice: status 2" \
	error_case $USAGE "listed twice" --cpus 1,1 "$guests/hello.elf"
tap_check "a busy CPU (another VM owns it): status 8" busy_cpu
tap_check "more memory than the host can pin: status 8" \
	error_case $HOST "cannot give and pin" --mem 3G "$guests/hello.elf"
tap_check "--mem beyond 3G: status 2" error_case $USAGE "--mem wants" --mem 5G "$guests/hello.elf"
tap_check "--initrd for an ELF guest: status 2" \
	error_case $USAGE "needs a bzImage or multiboot" --initrd "$guests/hello.elf" "$guests/hello.elf"
tap_check "an unknown option: status 2" error_case $USAGE "unknown option" --bogus "$guests/hello.elf"
tap_check "--format with an unknown name: status 2" error_case $USAGE "--format wants" --format pe x
tap_check "no image: status 2" error_case $USAGE "no IMAGE" --cpus 1
if lhv-run --caps | grep -q "^LAPIC modes:.*passthrough.*(default"; then
	tap_skip "--lapic passthrough where the host does not offer it: status 2" \
		"this host offers passthrough"
else
	tap_check "--lapic passthrough where the host does not offer it: status 2" \
		error_case $USAGE "does not offer that mode" --lapic passthrough "$guests/hello.elf"
fi
tap_check "every host CPU online at the end" cpus_online 3
tap_done
