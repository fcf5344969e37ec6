#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a test-VM image under Bochs (Intel VMX), headless, with no terminal
# and no standard input.  Called by scripts/run-vm.
#
# usage: bochs-boot.sh IMGDIR WORKDIR SMP MEM_MB CMDLINE CONSOLE_LOG IPS
# LHV_BOCHS_RC: more bochsrc lines, e.g. "info: action=report" (debugging).
#
# Bochs runs BIOS code one emulated instruction at a time, and a general
# boot loader (isolinux) took most of a minute to read a few megabytes.
# So the VM boots a raw disk whose first sector is scripts/vm/bootsect.S:
# it reads the pieces below with large BIOS reads, puts them where a Linux
# boot loader would (Documentation/x86/boot.rst) and enters the kernel's
# real-mode setup code.
#
#   0x09_0000  real-mode setup code, setup header filled in below
#   0x09_e000  kernel command line
#   0x10_0000  protected-mode kernel
#   0x800_0000 initramfs (128 MiB; the VM needs at least 256 MiB)
set -euo pipefail

img=$1 work=$2 smp=$3 mem=$4 append=$5 log=$6 ips=$7

setup_base=$((0x90000))
cmdline_off=$((0xe000))
initrd_addr=$((0x8000000))
[ "$mem" -ge 256 ] || { echo "bochs-boot: need at least 256 MiB" >&2; exit 1; }

# Write a little-endian integer of $3 bytes at offset $2 of file $1.
poke() {
	local file=$1 off=$2 len=$3 val=$4 i bytes=
	for ((i = 0; i < len; i++)); do
		bytes+=$(printf '\\x%02x' $(((val >> (8 * i)) & 0xff)))
	done
	printf "$bytes" | dd of="$file" bs=1 seek="$off" conv=notrunc status=none
}
peek() {
	od -An -t u"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

bz=$img/bzImage
[ "$(dd if="$bz" bs=1 skip=$((0x202)) count=4 status=none)" = HdrS ] ||
	{ echo "bochs-boot: $bz is not a bzImage" >&2; exit 1; }
sects=$(peek "$bz" $((0x1f1)) 1)
[ "$sects" -ne 0 ] || sects=4

cat "$img/base.cpio" "$img/boot.cpio" "$work/run.cpio" > "$work/initrd"
initrd_size=$(stat -c %s "$work/initrd")
[ $((initrd_addr + initrd_size)) -lt $((mem * 1024 * 1024 - 0x100000)) ] ||
	{ echo "bochs-boot: initramfs does not fit in $mem MiB" >&2; exit 1; }

setup=$work/setup.bin
dd if="$bz" of="$setup" bs=512 count=$((sects + 1)) status=none
poke "$setup" $((0x210)) 1 0xff					# type_of_loader: undefined
poke "$setup" $((0x211)) 1 $(($(peek "$setup" $((0x211)) 1) | 0x80))	# CAN_USE_HEAP
poke "$setup" $((0x218)) 4 $initrd_addr				# ramdisk_image
poke "$setup" $((0x21c)) 4 "$initrd_size"			# ramdisk_size
poke "$setup" $((0x224)) 2 $((cmdline_off - 0x200))		# heap_end_ptr
poke "$setup" $((0x228)) 4 $((setup_base + cmdline_off))	# cmd_line_ptr
truncate -s $cmdline_off "$setup"
printf '%s\0' "$append" >> "$setup"

# The disk: boot sector, then setup, kernel and initramfs, each starting on
# a sector boundary and listed in the boot sector's extent table.
cpp -P "$(dirname "$0")/vm/bootsect.S" > "$work/bootsect.s"
as --32 -o "$work/bootsect.o" "$work/bootsect.s"
ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o "$work/bootsect.bin" "$work/bootsect.o"
disk=$work/disk.img
cp "$work/bootsect.bin" "$disk"
extent=0
add_extent() {	# file, load address
	local lba=$(( $(stat -c %s "$disk") / 512 ))
	local count=$(( ($(stat -c %s "$1") + 511) / 512 ))
	poke "$disk" $((0x1b0 + 12 * extent)) 4 "$lba"
	poke "$disk" $((0x1b4 + 12 * extent)) 4 "$count"
	poke "$disk" $((0x1b8 + 12 * extent)) 4 "$2"
	cat "$1" >> "$disk"
	truncate -s $(( (lba + count) * 512 )) "$disk"
	extent=$((extent + 1))
}
dd if="$bz" of="$work/kernel.bin" bs=512 skip=$((sects + 1)) status=none
add_extent "$setup" $setup_base
add_extent "$work/kernel.bin" $((0x100000))
add_extent "$work/initrd" $initrd_addr
# Bochs wants a whole number of cylinders of 16 heads x 63 sectors.
cyl_bytes=$((16 * 63 * 512))
cyls=$(( ($(stat -c %s "$disk") + cyl_bytes - 1) / cyl_bytes ))
truncate -s $((cyls * cyl_bytes)) "$disk"

# Bochs 3.0, built from Debian 13's source package (scripts/build-bochs.sh;
# Debian 12's Bochs 2.7 cannot run lhv's passthrough mode).
bochs=${LHV_BOCHS:-$("$(dirname "$0")/build-bochs.sh")}

cat > "$work/bochsrc" <<RC
megs: $mem
cpu: model=corei7_skylake_x, count=$smp, ips=$ips
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: nogui
speaker: enabled=0
ata0-master: type=disk, path=$disk, mode=flat, cylinders=$cyls, heads=16, spt=63
boot: disk
com1: enabled=1, mode=file, dev=$log
log: $work/bochs.fifo
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
${LHV_BOCHS_RC:-}
RC
# Bochs logs every access to an MSR its CPU model lacks, at the error
# level that also carries what diagnoses a failure (VM-entry checks,
# triple faults).  The host's own sources are gone (clearcpuid=aperfmperf
# in run-vm), but a guest can still read such an MSR on every timer tick:
# keep the log's first and last 8 MiB, in bochs.log and bochs.log.tail.
mkfifo "$work/bochs.fifo"
{
	head -c 8M > "$work/bochs.log"
	tail -c 8M > "$work/bochs.log.tail"
} < "$work/bochs.fifo" &
exec "$bochs" -q -f "$work/bochsrc"
