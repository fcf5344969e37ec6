#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Nothing of the host's reaches a CPU lhv owns.  Linux sends some IPIs by
# the all-excluding-self shorthand, which reaches every APIC, offline CPUs
# included; on a CPU a guest owns, such an IPI would land in the guest's
# APIC.  lhv takes an owned CPU out of cpu_present_mask, which makes Linux
# stop using shorthands while a VM runs (Documentation/design.rst,
# "Handing a CPU over").  guests/quiet.elf watches its APIC for 3 s of
# its time while the host flips a static key over and over: each flip
# patches kernel text and ends in an IPI to every online CPU.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/lhv_run.sh"

guests=/usr/libexec/lhv/guests
run_log=/tmp/lhv-quiet.out
err_log=/tmp/lhv-quiet.err
key=/proc/sys/kernel/sched_schedstats
PASSED=1

present_has() {	# is CPU $1 in /sys/devices/system/cpu/present ("0,2-3")?
	for r in $(tr ',' ' ' < /sys/devices/system/cpu/present); do
		lo=${r%-*} hi=${r#*-}
		[ "$1" -ge "$lo" ] && [ "$1" -le "$hi" ] && return 0
	done
	return 1
}

# quiet MODE: the guest sees nothing while the host broadcasts; while it
# runs, CPU 1 is not present to Linux, and afterwards it is again.
quiet() {
	mode=$1
	old=$(cat $key)
	( while :; do echo 1 > $key; echo 0 > $key; done ) &
	flipper=$!
	lhv-run --lapic "$mode" --cpus 1 --timeout 60 "$guests/quiet.elf" \
		> "$run_log" 2> "$err_log" &
	runner=$!
	absent=
	for i in $(seq 1 100); do
		grep -q "quiet: watching" "$run_log" && break
		sleep 0.2
	done
	present_has 1 || absent=1
	wait $runner
	rc=$?
	kill $flipper
	wait $flipper 2>/dev/null
	echo "$old" > $key
	cat "$run_log"
	[ "$rc" = $PASSED ] || { echo "lhv-run exit status $rc"; tail -n 3 "$err_log"; return 1; }
	grep -q "quiet: nothing arrived" "$run_log" || return 1
	[ -n "$absent" ] || { echo "CPU 1 was in cpu_present_mask while the guest ran"; return 1; }
	present_has 1 || { echo "CPU 1 not present again after the run"; return 1; }
	[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 1 ] || { echo "CPU 1 offline"; return 1; }
}

tap_plan 2
if [ ! -w $key ]; then
	tap_skip "quiet, filtered LAPIC" "no $key to make the host broadcast"
	tap_skip "quiet, passthrough LAPIC" "no $key to make the host broadcast"
	exit 0
fi
tap_check "quiet, filtered LAPIC: no host IPI reaches the guest's APIC while the host broadcasts; CPU 1 absent from cpu_present_mask meanwhile" quiet filtered
if lhv-run --caps | grep -q "^LAPIC modes:.*passthrough"; then
	tap_check "quiet, passthrough LAPIC: no host IPI reaches the guest's APIC while the host broadcasts" quiet passthrough
else
	tap_skip "quiet, passthrough LAPIC" "lhv-run --caps offers no passthrough here"
fi
tap_done
