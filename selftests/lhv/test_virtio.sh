#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's stock kernel under lhv-run with lhv-run's PCI devices: a
# virtio-blk disk (--disk), a virtio-net interface on a tap (--net), a
# virtio console (--console virtio) and COM1 interrupting through the
# I/O APIC; the same boot again under
# --accel kvm where the test VM has KVM.
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
	# The test VM's own kernel is this one on svm-tcg: its tap needs tun.
	if [ -f "$moddir/kernel/drivers/net/tun.ko" ]; then
		cp "$moddir/kernel/drivers/net/tun.ko" "$out/tun.ko"
	elif [ -f "$moddir/kernel/drivers/net/tun.ko.xz" ]; then
		xz -dc "$moddir/kernel/drivers/net/tun.ko.xz" > "$out/tun.ko"
	fi
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
if [ "$(arg net)" = 1 ]; then
	ip link set eth0 up && ip addr add 172.30.0.2/24 dev eth0 ||
		say "FAIL: eth0 $(ls /sys/class/net)"
	say "net up: $(cat /sys/class/net/eth0/address)"
	ping -c 3 -W 10 172.30.0.1 > /dev/null && say "PASS: ping 172.30.0.1" ||
		say "FAIL: ping 172.30.0.1"
	got=$(wget -q -O - http://172.30.0.1:8080/big.bin | sha256sum | cut -d' ' -f1)
	[ "$got" = "$(arg net_sha)" ] && say "PASS: 10 MiB over http, sha256 $got" ||
		say "FAIL: 10 MiB over http, sha256 $got"
	# The test VM pings us once it sees "net up": wait for its echoes.
	i=0
	while [ "$i" -lt 120 ]; do
		n=$(awk '/^Icmp:/ { if (!c) { for (i = 1; i <= NF; i++) if ($i == "InEchos") c = i } else print $c }' /proc/net/snmp)
		[ "${n:-0}" -ge 3 ] && break
		sleep 1
		i=$((i + 1))
	done
	say "echo requests answered: ${n:-0}"
fi
# A line written to the UART may still be draining, and hvc0's, which
# lhv-run puts in the same log, landed in its middle (svm-tcg, --accel
# kvm, 2026-12-06): "echo requests answerelhv-virtio: hello through hvc0d".
sleep 1
[ -c /dev/hvc0 ] && echo "lhv-virtio: hello through hvc0" > /dev/hvc0
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
platform=unknown
[ -r /etc/lhv/env ] && . /etc/lhv/env && platform=$LHV_PLATFORM
# Bochs boots the guest kernel in minutes; TCG in seconds.
timeout=900
[ "$platform" = vmx-bochs ] && timeout=2400
timeout=${LHV_VIRTIO_TIMEOUT:-$timeout}

# boot NAME ACCEL...: one guest with the disk and, when the test VM has a
# tap, the network; its console in $work/NAME.log.  Once the guest says
# its network is up, the test VM pings it (the result in $work/NAME.ping).
boot() {
	name=$1
	shift
	cp "$add/disk.img" "$work/disk.img"
	: > "$work/$name.log"
	rm -f "$work/$name.ping"
	start=$(date +%s)
	lhv-run "$@" --cpus 1,2 --mem 256M --initrd "$add/virtio-initrd.cpio" \
		--disk "$work/disk.img" ${net:+--net tap=$tap} --console virtio \
		--append "loglevel=4 lhv.in_sha=$in_sha${net:+ lhv.net=1 lhv.net_sha=$net_sha}" \
		--timeout $timeout --stats --serial "$work/$name.log" "$kernel" \
		2> "$work/$name.err" &
	pid=$!
	ticks=0
	while kill -0 $pid 2> /dev/null; do
		sleep 1
		# Progress for a slow platform's watcher (the test VM reports
		# a console silent for 5 minutes as a stall).
		ticks=$((ticks + 1))
		[ $((ticks % 60)) = 0 ] &&
			echo "# virtio guest ($name), ${ticks} s: $(tail -n 1 "$work/$name.log" | cut -c1-100)" > /dev/console
		if [ -n "$net" ] && [ ! -f "$work/$name.ping" ] &&
		   grep -q "lhv-virtio: net up" "$work/$name.log"; then
			ping -c 3 -W 10 172.30.0.2 > "$work/$name.ping" 2>&1 &&
				echo "PASS" >> "$work/$name.ping"
		fi
	done
	wait $pid
	rc=$?
	echo "# $name: lhv-run exit status $rc after $(($(date +%s) - start)) s" >&2
	# The guest's own kernel problems, for whoever reads a slow or failed
	# run (a stall on an emulator shows here first).
	grep -E 'BUG:|WARNING:|Oops|stall' "$work/$name.log" | grep -v RETBleed |
		head -n 5 | sed "s/^/# $name guest's console: /"
	[ "$rc" = 0 ] || { tail -n 30 "$work/$name.log" "$work/$name.err"; return 1; }
}

# A tap for the guest, its host side 172.30.0.1, and a web server with
# 10 MiB of random bytes; $net empty when the test VM cannot have a tap.
setup_net() {
	tap=lhvtap0
	# tun.ko is the guest kernel's: only a test VM running that kernel
	# (svm-tcg) can load it.
	[ -e /dev/net/tun ] || [ "$(uname -r)" != "$kver" ] ||
		insmod "$add/tun.ko" 2> /dev/null
	sleep 1
	[ -e /dev/net/tun ] || { net_why="no /dev/net/tun in this test VM"; return 1; }
	tunctl -t $tap > /dev/null && ip addr add 172.30.0.1/24 dev $tap &&
		ip link set $tap up || { net_why="cannot set up tap $tap"; return 1; }
	mkdir -p "$work/www"
	head -c 10485760 /dev/urandom > "$work/www/big.bin"
	net_sha=$(sha256sum < "$work/www/big.bin" | cut -d' ' -f1)
	httpd -p 172.30.0.1:8080 -h "$work/www" || { net_why="no httpd"; return 1; }
	net=1
}

# hvc0 and COM1 share lhv-run's output stream: their lines may interleave.
console_ok() {
	has "$work/$1.log" "lhv-virtio: pci 0000:00:0[0-9].0 0x1af4:0x1043 driver virtio-pci" \
		"lhv-virtio: hello through hvc0" &&
		has "$work/$1.err" "^lhv-run: stats console tx_bytes=[1-9][0-9]* .*device_errors=0"
}

net_ok() {
	has "$work/$1.log" "lhv-virtio: pci 0000:00:0[0-9].0 0x1af4:0x1041 driver virtio-pci" \
		"lhv-virtio: net up" "lhv-virtio: PASS: ping 172.30.0.1" \
		"lhv-virtio: PASS: 10 MiB over http, sha256 $net_sha" \
		"lhv-virtio: echo requests answered: [3-9]" &&
		has "$work/$1.ping" "^PASS" &&
		has "$work/$1.err" "^lhv-run: stats net rx_frames=[1-9][0-9]* tx_frames=[1-9][0-9]* .*device_errors=0"
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
		"lhv-virtio: ttyS0 irq: +4:( +[0-9]+)* +[1-9][0-9]*( +[0-9]+)* +IO-APIC +4-edge +ttyS0"
}

cases="virtio-blk:lhv irq:lhv console:lhv net:lhv virtio-blk:kvm irq:kvm console:kvm net:kvm"
tap_plan 8
if [ ! -f "$add/disk.env" ]; then
	for t in $cases; do
		tap_skip "$t" "no $add: run test_virtio.sh --prepare on the host and --add it"
	done
	exit 0
fi
. "$add/disk.env"
mkdir -p "$work"
net= net_why=
setup_net

# checks ACCEL: the three cases of one boot.
checks() {
	a=$1
	tap_check "Debian's kernel under lhv-run${a:+ --accel $a} --disk: virtio-blk found on PCI, ext4 mounted, a 4 MiB file read intact, a 1 MiB file written through the filesystem found in the image after power-off" disk_ok "${a:-lhv}"
	tap_check "COM1 interrupts through the I/O APIC${a:+ ($a)}: /proc/interrupts counts IRQ 4 (ttyS0)" irq_ok "${a:-lhv}"
	tap_check "--console virtio${a:+ ($a)}: the guest's hvc0 writes to lhv-run's console" console_ok "${a:-lhv}"
	if [ -n "$net" ]; then
		tap_check "--net tap=$tap${a:+ ($a)}: virtio-net found, the guest and the test VM ping each other, 10 MiB over HTTP arrive intact" net_ok "${a:-lhv}"
	else
		tap_skip "virtio-net${a:+ ($a)}" "$net_why"
	fi
}

if boot lhv; then
	checks ""
else
	tap_check "the guest under lhv boots and powers off" false
	for t in irq console net; do
		tap_skip "$t under lhv" "the boot failed"
	done
fi
# A Linux guest under KVM inside Bochs soft-locked after ~25 minutes
# (README, make demo): test_accel.sh runs KVM there with small guests.
if [ "$platform" = vmx-bochs ]; then
	for t in virtio-blk irq console net; do
		tap_skip "$t under KVM" "Linux under KVM in Bochs takes too long (test_accel.sh covers KVM here)"
	done
elif ! modprobe kvm_amd 2> /dev/null && ! modprobe kvm_intel 2> /dev/null || [ ! -e /dev/kvm ]; then
	for t in virtio-blk irq console net; do
		tap_skip "$t under KVM" "no usable /dev/kvm in this test VM"
	done
elif boot kvm --accel kvm; then
	checks kvm
else
	tap_check "the guest under KVM boots and powers off" false
	for t in irq console net; do
		tap_skip "$t under KVM" "the boot failed"
	done
fi
tap_done
