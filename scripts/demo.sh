#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: install what is missing, boot the svm-tcg test VM, load
# lhv.ko, show what it found, then boot two guests with lhv-run: the
# multiboot SMP test kernel and Debian's stock Linux, each with 3 vCPUs
# whose APs come up by the guest's own INIT-SIPI-SIPI, and their exit
# counters.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
exec scripts/run-vm svm-tcg -- '
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
