#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lhv-run as a user runs it: a test guest's COM1 output on stdout, its
# result as the exit status, errors as clear messages and distinct codes.
. "$(dirname "$0")/tap.sh"

guests=/usr/libexec/lhv/guests
run_log=/tmp/lhv-run.out

runs_hello() {
	lhv-run "$guests/hello.elf" > "$run_log" 2>&1 || { cat "$run_log"; return 1; }
	grep -q "Hello from lhv guest" "$run_log" && grep -q Goodbye "$run_log" ||
		{ cat "$run_log"; return 1; }
}

exit_code() {	# want, args...
	want=$1
	shift
	lhv-run "$@" > "$run_log" 2>&1
	rc=$?
	cat "$run_log"
	echo "exit status $rc, want $want"
	[ "$rc" = "$want" ]
}

runs_smp() {	# the smp guest with two APs in filtered mode (every platform has it)
	lhv-run --cpus 1,2,3 --lapic filtered "$guests/smp.elf" > "$run_log" 2>&1 ||
		{ cat "$run_log"; return 1; }
	grep -q "^guest cpu0: smp: 2 of 2 APs up" "$run_log" &&
	grep -q "^guest cpu0: smp: PASS" "$run_log" || { cat "$run_log"; return 1; }
	for c in 1 2 3; do
		[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] ||
			{ echo "CPU $c offline"; return 1; }
	done
}

cpu1_online() {
	[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 1 ]
}

tap_plan 7
tap_check "lhv-run hello.elf prints the guest's COM1 lines and exits 0" runs_hello
tap_check "host CPU 1 is online again after lhv-run" cpu1_online
tap_check "lhv-run --cpus 1,2,3 --lapic filtered smp.elf: the guest starts 2 APs, CPUs 1-3 online after" \
	runs_smp
tap_check "a triple-faulting guest: exit status 4 (guest failed)" \
	exit_code 4 "$guests/triple-fault.elf"
tap_check "a missing guest image: exit status 4 with a message" \
	exit_code 4 /nonexistent.elf
tap_check "host CPU 0: exit status 4, lhv refuses CPU 0" \
	exit_code 4 --cpu 0 "$guests/hello.elf"
tap_check "an unknown option: usage error, exit status 2" \
	exit_code 2 --bogus
tap_done
