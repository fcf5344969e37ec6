#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's stock kernel (/boot/vmlinuz in the test VM) as an lhv guest with
# 2 and 3 vCPUs: lhv-run gives it the ACPI/MP tables and devices it needs,
# the kernel brings each AP up by its own INIT-SIPI-SIPI, its init
# (guests/linux/init) reports the CPUs online and powers off through ACPI.
# The guest's console goes to a file: its kernel messages are no business
# of the test VM's panic detection.
#
# usage: test_linux.sh [NR_VCPUS...]   (default: 2 3)
. "$(dirname "$0")/tap.sh"

guests=/usr/libexec/lhv/guests
kernel=/boot/vmlinuz
# Bochs boots the guest kernel in minutes; TCG in seconds.
timeout=1500

[ $# -gt 0 ] || set -- 2 3

mode=$(lhv-run --caps | sed -n 's/^LAPIC modes:.*(default \(.*\))/\1/p')

cpus_online() {
	for c in $(seq 1 "$1"); do
		[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] ||
			{ echo "CPU $c offline"; return 1; }
	done
}

# has FILE PATTERN...: each extended regex matches a line of FILE.
has() {
	f=$1
	shift
	for p in "$@"; do
		grep -Eq "$p" "$f" || { echo "no line matching '$p'"; return 1; }
	done
}

# Each AP came up by INIT and SIPI: lhv's counters for the mode in use.
ap_stats_ok() {
	n=$1 err=$2 i=1
	while [ "$i" -lt "$n" ]; do
		if [ "$mode" = passthrough ]; then
			has "$err" "^lhv-run: stats vcpu=$i .* sipi=[1-9]" || return 1
		else
			has "$err" "^lhv-run: stats vcpu=$i .* emulated_init=[1-9][0-9]* emulated_sipi=[1-9]" ||
				return 1
		fi
		i=$((i + 1))
	done
}

boot() {
	n=$1 log=/tmp/linux-$1.log err=/tmp/linux-$1.err
	cpus=$(seq -s, 1 "$n")
	start=$(date +%s)
	lhv-run --cpus "$cpus" --mem 256M --initrd "$guests/linux-initrd.cpio" \
		--append "lhv.expect_cpus=$n" --timeout $timeout --stats \
		--serial "$log" "$kernel" 2> "$err"
	rc=$?
	{
		echo "# $n vCPUs ($mode mode): lhv-run exit status $rc after $(($(date +%s) - start)) s"
		grep -E "^lhv-run: (guest|stats|vCPU|timeout)" "$err" | sed 's/^/# /'
	} > "/tmp/linux-$n.sum"
	if [ "$rc" = 0 ] &&
	   has "$log" "Booting SMP configuration" \
		"smp: Brought up 1 node, $n CPUs" \
		"lhv-guest: $n CPUs online" \
		"lhv-guest: PASS: $n CPUs as expected" &&
	   has "$err" "^lhv-run: guest powered off" &&
	   ap_stats_ok "$n" "$err" && cpus_online "$n"; then
		return 0
	fi
	echo "guest console, last lines:"
	tail -n 30 "$log"
	cat "$err"
	return 1
}

tap_plan $#
for n in "$@"; do
	if [ "$(nproc)" -le "$n" ]; then
		tap_skip "Linux guest, $n vCPUs" "needs $((n + 1)) CPUs, the test VM has $(nproc)"
		continue
	fi
	tap_check "Linux guest ($kernel), $n vCPUs, $mode LAPIC: every AP up by INIT-SIPI-SIPI, $n CPUs online, ACPI power-off, CPUs back" \
		boot "$n"
	cat "/tmp/linux-$n.sum" 2>/dev/null
done
tap_done
