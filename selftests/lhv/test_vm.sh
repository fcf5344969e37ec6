#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The test VM's contract with its users (Documentation/testing.rst): the
# tools are on PATH, the stock kernel is there as a guest image, --add
# files arrive, the CPUs asked for are online.
. "$(dirname "$0")/tap.sh"

[ -r /etc/lhv/env ] && . /etc/lhv/env

is_bzimage() {
	# The Linux boot protocol's "HdrS" magic at offset 0x202.
	[ "$(dd if="$1" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ]
}

on_path() {
	for p in "$@"; do
		command -v "$p" || { echo "$p not on PATH ($PATH)"; return 1; }
	done
}

cpus_online() {
	want=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
	have=$(nproc)
	echo "$have of $want CPUs online"
	[ "$have" = "$want" ] && [ "$have" -ge 2 ]
}

tap_plan 4
tap_check "lhv-run and lhv-selftests are on PATH" on_path lhv-run lhv-selftests
tap_check "/boot/vmlinuz is Debian's stock kernel, a bzImage" is_bzimage /boot/vmlinuz
tap_check "every CPU of the VM is online" cpus_online
if [ -e /mnt/add/lhv-add-marker ]; then
	tap_check "--add delivered a file to /mnt/add" grep -qx "lhv add test" /mnt/add/lhv-add-marker
else
	tap_skip "--add delivered a file to /mnt/add" "this run added no marker file"
fi
tap_done
