#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: install what is missing, then
# - svm-tcg: load lhv.ko, show what it found, boot the multiboot SMP test
#   kernel and Debian's stock Linux with 3 vCPUs each, whose APs come up by
#   the guest's own INIT-SIPI-SIPI (filtered mode: SVM has no SIPI exit);
# - vmx-bochs (Bochs 3.0, built on first use): Debian's Linux with 2 vCPUs
#   in passthrough mode -- the guest's LAPIC unmonitored, its AP started by
#   hardware SIPI exits -- then in filtered mode, with each run's exit
#   counters side by side (about 8 minutes).  KVM is compared by make
#   bench: a Linux guest under KVM inside Bochs is too slow to show.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/run-vm svm-tcg -- '
	G=/usr/libexec/lhv/guests
	lhv-run --caps
	echo
	echo "== lhv-run --cpus 1,2,3 --stats mb-smp.elf (a multiboot kernel: broadcast INIT-SIPI-SIPI, then an IPI to each AP)"
	lhv-run --cpus 1,2,3 --stats $G/mb-smp.elf
	echo "== exit status $? (1: the guest wrote 0 to port 0xf4)"
	echo
	echo "== lhv-run --cpus 1,2,3 --stats --initrd linux-initrd.cpio /boot/vmlinuz (Debian stock kernel; its console is in /tmp/linux.log)"
	lhv-run --cpus 1,2,3 --mem 256M --stats --initrd $G/linux-initrd.cpio \
		--append "lhv.expect_cpus=3" --serial /tmp/linux.log /boot/vmlinuz
	echo "== exit status $? (0: the guest powered off)"
	grep -E "Booting SMP|node  #0|Brought up|lhv-guest" /tmp/linux.log
	echo
	echo "== CPUs online again: $(cat /sys/devices/system/cpu/online)"'

echo
echo "==== vmx-bochs: Debian's Linux, 2 vCPUs: passthrough, then filtered"
exec scripts/run-vm vmx-bochs --timeout 2700 -- '
	G=/usr/libexec/lhv/guests
	lhv-run --caps | grep "LAPIC modes"
	for how in "--lapic passthrough" "--lapic filtered"; do
		echo
		echo "== lhv-run $how --cpus 1,2 --stats ... /boot/vmlinuz"
		: > /tmp/linux.log
		lhv-run $how --cpus 1,2 --mem 256M --stats --initrd $G/linux-initrd.cpio \
			--append "loglevel=5 lhv.expect_cpus=2" --serial /tmp/linux.log /boot/vmlinuz 2> /tmp/err &
		pid=$! t=0
		# A Bochs boot takes minutes, mostly silent decompression.
		while kill -0 $pid 2>/dev/null; do
			sleep 1
			t=$((t + 1))
			[ $((t % 60)) != 0 ] ||
				echo "   ... $t s: $(tail -n 1 /tmp/linux.log | cut -c1-90)"
		done
		wait $pid
		echo "== exit status $? (0: the guest powered off): $(grep -o "smp: Brought up.*" /tmp/linux.log | head -n 1)"
		# Per vCPU: all exits, port I/O, nested page faults (filtered
		# xAPIC: each APIC write), CPUID, and the INIT/SIPI path.
		grep "^lhv-run: stats vcpu=" /tmp/err | while read -r line; do
			echo "  $(echo "$line" | tr " " "\n" |
				grep -E "^(vcpu|exits|io|npf|cpuid|init|sipi|emulated_init|emulated_sipi|icr_trap|lapic_other|init_held)=" |
				tr "\n" " ")"
		done
	done
	echo
	echo "== CPUs online again: $(cat /sys/devices/system/cpu/online)"
	echo "== KVM: make bench compares lhv with KVM on the benchmark guest; a Linux guest under KVM inside Bochs is too slow to show here (its vCPU thread hit a soft lockup after ~25 minutes)"'
