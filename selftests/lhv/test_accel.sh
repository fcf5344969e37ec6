#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lhv-run --accel kvm (Documentation/bench.rst): the same images, loaders
# and devices on the test VM's own KVM, with KVM's in-kernel LAPIC; and
# the benchmark guest run once under each hypervisor, checked for what it
# reports, not for how fast (make bench measures).
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/lhv_run.sh"

guests=/usr/libexec/lhv/guests
run_log=/tmp/accel.out
err_log=/tmp/accel.err
USAGE=2 PASSED=1

usage_error() {
	want_msg=$1
	shift
	run $USAGE "$@" && has "$err_log" "^lhv-run: .*$want_msg"
}

cpus_online() {
	for c in 1 2 3; do
		[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] ||
			{ echo "CPU $c offline"; return 1; }
	done
}

# Every result of guests/bench.c, each a number.
BENCH_NAMES="vendor cpus ap_bringup_ap1 ap_bringup_ap2 ap_bringup_all
ap_exits_ap1 ap_exits_ap2 ap_exits_all ap_bsp_exits_ap1 ap_bsp_exits_ap2
ap_bsp_exits_all hypercall_eax
hypercall cpuid pio mmio ipi_roundtrip timer_latency timer_exits timer_ticks done"

bench() {
	accel=$1
	run $PASSED --accel "$accel" --cpus 1,2,3 --timeout 900 "$guests/bench.elf" || return 1
	for n in $BENCH_NAMES; do
		has "$run_log" "^BENCH $n [0-9]+\$" || return 1
	done
	! grep -q "^BENCH error" "$run_log" && cpus_online
}

bench_lhv() {
	bench lhv &&
		has "$run_log" "^BENCH hypercall_eax 0\$" &&
		# The timer really ran, and at 1 kHz it did not stop at once.
		! grep -Eq "^BENCH timer_ticks [0-9]\$" "$run_log"
}

# The caller spins for the next exit instead of sleeping (module
# parameter user_poll_us, Documentation/bench.rst): the same results, and
# no wake-up lost between the spin and the sleep.
bench_lhv_polling() {
	param=/sys/module/lhv/parameters/user_poll_us
	old=$(cat $param) || return 1
	echo 5000 >$param || return 1
	bench_lhv
	rc=$?
	echo "$old" >$param
	return $rc
}

hello_kvm() {
	run $PASSED --accel kvm --stats "$guests/hello.elf" &&
		has "$run_log" "Hello from lhv guest" "Goodbye" &&
		has "$err_log" "^lhv-run: stats vcpu=0 host_cpu=1 apic_id=0 exits=[1-9][0-9]* .*io=[1-9]"
}

mb_smp_kvm() {	# KVM's LAPIC delivers the guest's INIT-SIPI-SIPI and IPIs
	run $PASSED --accel kvm --cpus 1,2,3 --append "mb-smp.expect=3" \
		"$guests/mb-smp.elf" &&
		has "$run_log" "^mb-smp: 3 CPUs up, IPIs ok"
}

# KVM in this VM: the module for its CPU, nested=1 as make bench loads it.
kvm_mod=kvm_amd
grep -qw vmx /proc/cpuinfo && kvm_mod=kvm_intel
no_kvm() {	# before KVM is loaded: the device missing, status 4
	run 4 --accel kvm "$guests/hello.elf" &&
		has "$err_log" "^liblhv: /dev/kvm \(is kvm_intel or kvm_amd loaded\?\)"
}

tap_plan 9
loaded_here=
if [ -e /dev/kvm ]; then
	tap_skip "--accel kvm without /dev/kvm: status 4" "KVM was loaded before the test"
else
	tap_check "--accel kvm without /dev/kvm: status 4, says which module" no_kvm
	modprobe "$kvm_mod" nested=1 2>/tmp/accel.modprobe && loaded_here=1
fi
tap_check "--accel with an unknown name: status 2" \
	usage_error "--accel wants lhv or kvm" --accel xen "$guests/hello.elf"
tap_check "--accel kvm with --lapic: status 2, --lapic is lhv's" \
	usage_error "--lapic is lhv's" --accel kvm --lapic filtered "$guests/hello.elf"
tap_check "bench.elf under lhv: every result, the null hypercall returns 0" bench_lhv
tap_check "bench.elf under lhv, LHV_RUN spinning up to 5 ms: every result" bench_lhv_polling
if [ -e /dev/kvm ]; then
	tap_check "hello.elf under KVM: COM1, debug exit, KVM's exit counters in --stats" hello_kvm
	tap_check "mb-smp.elf under KVM, 3 vCPUs: INIT-SIPI-SIPI and IPIs by KVM's LAPIC" mb_smp_kvm
	tap_check "bench.elf under KVM: every result" bench kvm
else
	why="no /dev/kvm: $(cat /tmp/accel.modprobe 2>/dev/null | head -n 1)"
	for t in "hello.elf under KVM" "mb-smp.elf under KVM" "bench.elf under KVM"; do
		tap_skip "$t" "$why"
	done
fi
tap_check "host CPUs 1-3 online at the end" cpus_online
[ -n "$loaded_here" ] && modprobe -r "$kvm_mod" 2>/dev/null
tap_done
