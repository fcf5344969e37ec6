#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's stock kernel under lhv-run with lhv-run's PCI devices: a
# virtio-blk disk (--disk), and COM1 interrupting through the I/O APIC;
# the same boot again under --accel kvm where the test VM has KVM.
#
# The guest needs the stock kernel's virtio and ext4 modules, which only
# the machine that built the test VM has, so that machine prepares the
# guest's initramfs and disk first (mke2fs -d and debugfs there; the test
# VM has neither):
#
#	selftests/lhv/test_virtio.sh --prepare build/virtio
#	scripts/run-vm svm-tcg --add build/virtio -- 'lhv-selftests test_virtio.sh'
#
# Without them (/mnt/add/virtio) every case is skipped, with the reason.
#
# The disk is ext4 holding in.bin, 4 MiB of
# random bytes whose SHA-256 the guest must find, and out.bin, 1 MiB of
# filler in contiguous blocks whose offset in the image --prepare records:
# the guest overwrites out.bin through the filesystem, syncs and powers
# off, and the test reads those blocks of the image file back.
set -u

prepare() {
	out=$1
	kver=${LHV_GUEST_KVER:-$(basename "$(ls -d /lib/modules/*-amd64 | sort -V | tail -n 1)")}
	moddir=/lib/modules/$kver
	mkdir -p "$out"
	root=$(mktemp -d)
	files=$(mktemp -d)
	trap 'rm -rf "$root" "$files"' EXIT
	mkdir -p "$root/bin" "$root/lib/modules"
	cp /bin/busybox "$root/bin/busybox"
	# Each module and what it needs, in load order (modules.dep lists
	# a module's dependencies, the last one first).
	: > "$root/modules"
	for m in virtio_pci virtio_blk virtio_net virtio_console crc32c_generic ext4; do
		line=$(grep -E "/$m\.ko(\.xz)?:" "$moddir/modules.dep") ||
			{ echo "no module $m in $moddir" >&2; return 1; }
		for f in $(echo "${line#*:}" | tr ' ' '\n' | tac) "${line%%:*}"; do
			b=$(basename "$f")
			b=${b%.xz}
			[ -e "$root/lib/modules/$b" ] && continue
			case "$f" in
			*.xz) xz -dc "$moddir/$f" > "$root/lib/modules/$b" ;;
			*) cp "$moddir/$f" "$root/lib/modules/$b" ;;
			esac
			echo "$b" >> "$root/modules"
		done
	done
	guest_init > "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet) > "$out/virtio-initrd.cpio"

	head -c 4M /dev/urandom > "$files/in.bin"
	# Not zeros: mke2fs -d leaves all-zero blocks as holes.
	yes lhv-virtio-old | head -c 1M > "$files/out.bin"
	rm -f "$out/disk.img"
	mke2fs -q -F -t ext4 -O ^metadata_csum -b 4096 -d "$files" "$out/disk.img" 64M
	# out.bin's blocks: one contiguous run, whose first is its offset.
	blocks=$(debugfs -R "blocks /out.bin" "$out/disk.img" 2>/dev/null)
	first=${blocks%% *}
	last=$(echo "$blocks" | tr ' ' '\n' | grep . | tail -n 1)
	[ $((last - first)) = 255 ] ||
		{ echo "out.bin is not contiguous: $blocks" >&2; return 1; }
	{
		echo "in_sha=$(sha256sum < "$files/in.bin" | cut -d' ' -f1)"
		echo "out_offset=$((first * 4096))"
		echo "kver=$kver"
	} > "$out/disk.env"
	echo "prepared $out: initramfs for $kver, disk.img, disk.env"
}

# The guest's /init: load the modules, run the checks the command line
# names, report each as "lhv-virtio: PASS/FAIL ...", power off.
guest_init() {
	cat <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /mnt /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { echo "lhv-virtio: $*" > /dev/ttyS0; }
for m in $(cat /modules); do
	insmod "/lib/modules/$m" 2> /dev/null || say "insmod $m failed"
done
sleep 1
arg() { sed -n "s/.*lhv\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
for d in /sys/bus/pci/devices/*; do
	say "pci $(basename "$d") $(cat "$d/vendor"):$(cat "$d/device") driver $(basename "$(readlink "$d/driver" 2> /dev/null)")"
done
want=$(arg in_sha)
if [ -b /dev/vda ] && mount -t ext4 /dev/vda /mnt; then
	got=$(sha256sum < /mnt/in.bin | cut -d' ' -f1)
	[ "$got" = "$want" ] && say "PASS: read in.bin, sha256 $got" ||
		say "FAIL: in.bin sha256 $got, want $want"
	yes lhv-virtio-out | head -c 1048576 > /tmp/out.bin
	dd if=/tmp/out.bin of=/mnt/out.bin bs=65536 conv=notrunc,fsync 2> /dev/null
	say "wrote out.bin, sha256 $(sha256sum < /tmp/out.bin | cut -d' ' -f1)"
	umount /mnt && say "PASS: unmounted" || say "FAIL: umount"
else
	say "FAIL: no /dev/vda or it does not mount"
	dmesg | grep -iE "virtio|vda|pci 0000" | tail -n 20 | while read -r l; do say "dmesg: $l"; done
fi
echo "lhv-virtio: hello through ttyS0's interrupt" > /dev/ttyS0
say "ttyS0 irq: $(grep ttyS0 /proc/interrupts | tr -s ' ')"
sync
poweroff -f
EOF
}

if [ "${1:-}" = --prepare ]; then
	prepare "${2:?usage: test_virtio.sh --prepare DIR}"
	exit
fi

. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/lhv_run.sh"	# has()
add=/mnt/add/virtio
kernel=/boot/vmlinuz
work=/tmp/virtio

# boot NAME ACCEL...: one guest with the disk; its console in $work/NAME.log.
boot() {
	name=$1
	shift
	cp "$add/disk.img" "$work/disk.img"
	start=$(date +%s)
	lhv-run "$@" --cpus 1,2 --mem 256M --initrd "$add/virtio-initrd.cpio" \
		--disk "$work/disk.img" \
		--append "loglevel=4 lhv.in_sha=$in_sha" --timeout 600 --stats \
		--serial "$work/$name.log" "$kernel" 2> "$work/$name.err"
	rc=$?
	echo "# $name: lhv-run exit status $rc after $(($(date +%s) - start)) s" >&2
	[ "$rc" = 0 ] || { tail -n 30 "$work/$name.log" "$work/$name.err"; return 1; }
}

disk_ok() {
	log=$work/$1.log
	has "$log" "lhv-virtio: pci 0000:00:0[0-9].0 0x1af4:0x1042 driver virtio-pci" \
		"lhv-virtio: PASS: read in.bin, sha256 $in_sha" "lhv-virtio: PASS: unmounted" || return 1
	want=$(sed -n 's/.*lhv-virtio: wrote out.bin, sha256 \([0-9a-f]*\).*/\1/p' "$log")
	got=$(dd if="$work/disk.img" bs=4096 skip=$((out_offset / 4096)) count=256 2> /dev/null | sha256sum | cut -d' ' -f1)
	[ -n "$want" ] && [ "$got" = "$want" ] ||
		{ echo "out.bin in the image after power-off: sha256 $got, the guest wrote $want"; return 1; }
	has "$work/$1.err" "^lhv-run: stats disk=0 reads=[1-9][0-9]* writes=[1-9][0-9]* .*device_errors=0"
}

irq_ok() {
	has "$work/$1.log" "lhv-virtio: hello through ttyS0's interrupt" \
		"lhv-virtio: ttyS0 irq: +4: .*[1-9][0-9]* +IO-APIC +4-edge +ttyS0"
}

tap_plan 4
if [ ! -f "$add/disk.env" ]; then
	why="no $add: run test_virtio.sh --prepare on the host and --add it"
	for t in "virtio-blk under lhv" "COM1 IRQ 4 under lhv" "virtio-blk under KVM" "COM1 IRQ 4 under KVM"; do
		tap_skip "$t" "$why"
	done
	exit 0
fi
. "$add/disk.env"
mkdir -p "$work"
if boot lhv; then
	tap_check "Debian's kernel under lhv-run --disk: virtio-blk found on PCI, ext4 mounted, a 4 MiB file read intact, a 1 MiB file written through the filesystem found in the image after power-off" disk_ok lhv
	tap_check "COM1 interrupts through the I/O APIC: /proc/interrupts counts IRQ 4 (ttyS0)" irq_ok lhv
else
	tap_check "the guest under lhv boots and powers off" false
	tap_skip "COM1 IRQ 4 under lhv" "the boot failed"
fi
if ! modprobe kvm_amd 2> /dev/null && ! modprobe kvm_intel 2> /dev/null || [ ! -e /dev/kvm ]; then
	tap_skip "virtio-blk under KVM" "no usable /dev/kvm in this test VM"
	tap_skip "COM1 IRQ 4 under KVM" "no usable /dev/kvm in this test VM"
elif boot kvm --accel kvm; then
	tap_check "the same under lhv-run --accel kvm (KVM_SIGNAL_MSI)" disk_ok kvm
	tap_check "COM1 IRQ 4 under KVM" irq_ok kvm
else
	tap_check "the guest under KVM boots and powers off" false
	tap_skip "COM1 IRQ 4 under KVM" "the boot failed"
fi
tap_done
