#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: install what is missing, then
# - svm-tcg: load lhv.ko, show what it found, boot the multiboot SMP test
#   kernel and Debian's stock Linux with 3 vCPUs each, whose APs come up by
#   the guest's own INIT-SIPI-SIPI (filtered mode: SVM has no SIPI exit);
# - vmx-bochs (Bochs 3.0, built on first use): Debian's Linux with 2 vCPUs
#   in passthrough mode -- the guest's LAPIC unmonitored, its AP started by
#   hardware SIPI exits -- then in filtered mode and on KVM, with each
#   run's exit counters side by side (about 10 minutes).
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
echo "==== vmx-bochs: Debian's Linux, 2 vCPUs: passthrough, filtered, KVM"
exec scripts/run-vm vmx-bochs --timeout 2700 -- '
	G=/usr/libexec/lhv/guests
	lhv-run --caps | grep "LAPIC modes"
	modprobe kvm_intel
	for how in "--lapic passthrough" "--lapic filtered" "--accel kvm"; do
		echo
		echo "== lhv-run $how --cpus 1,2 --stats ... /boot/vmlinuz"
		lhv-run $how --cpus 1,2 --mem 256M --stats --initrd $G/linux-initrd.cpio \
			--append "lhv.expect_cpus=2" --serial /tmp/linux.log /boot/vmlinuz 2> /tmp/err
		echo "== exit status $? (0: the guest powered off); $(grep -c "CPU.*is up\|Brought up" /tmp/linux.log) bring-up lines in its log"
		# Per vCPU: all exits, port I/O, CPUID, and the INIT/SIPI path.
		grep "^lhv-run: stats vcpu=" /tmp/err | grep -oE "vcpu=[0-9]+|exits=[0-9]+|io=[0-9]+|cpuid=[0-9]+|init=[0-9]+|sipi=[0-9]+|emulated_init=[0-9]+|emulated_sipi=[0-9]+|icr_trap=[0-9]+|lapic_other=[0-9]+|init_held=[0-9]+" |
			paste -sd " " | sed "s/ vcpu=/\n   vcpu=/g; s/^/   /"
	done
	echo
	echo "== CPUs online again: $(cat /sys/devices/system/cpu/online)"'
