#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: install what is missing, boot the svm-tcg test VM, load
# lhv.ko, show what it found and run the hello guest on host CPU 1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
exec scripts/run-vm svm-tcg -- 'lhv-run --caps &&
	echo "== lhv-run --cpu 1 hello.elf (CPU 1 leaves Linux while it runs)" &&
	lhv-run --cpu 1 /usr/libexec/lhv/guests/hello.elf &&
	echo "== CPUs online again: $(cat /sys/devices/system/cpu/online)"'
