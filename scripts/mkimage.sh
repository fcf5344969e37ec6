#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a test-VM image: a kernel and a busybox initramfs holding lhv.ko
# (built against exactly that kernel), the KVM modules, the launcher, the
# test guests and the test programs.
#
# Usage: scripts/mkimage.sh stock|small|debug OUTDIR
#   stock  Debian's linux-image-amd64 (svm-tcg, kvm)
#   small  the kernel scripts/build-kernel.sh builds (vmx-bochs)
#   debug  the small kernel with KASAN, UBSAN, lockdep, kmemleak and fault
#          injection (scripts/kernel-debug.config; run-vm --kernel debug)
# OUTDIR receives: bzImage, base.cpio (everything the VM needs) and
# boot.cpio (Debian's stock vmlinuz as /boot/vmlinuz, for use as a guest).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavour=${1:?usage: mkimage.sh stock|small|debug OUTDIR}
out=${2:?usage: mkimage.sh stock|small|debug OUTDIR}
stock=$(lhv_stock_kver)

# Concurrent run-vm calls share the image directory: one builds at a time.
mkdir -p "$out"
exec 9>"$out.lock"
flock 9

case "$flavour" in
stock)
	kdir=/usr/src/linux-headers-$stock
	kver=$stock
	bzimage=/boot/vmlinuz-$stock
	moddir=/lib/modules/$stock
	;;
small|debug)
	kdir=$("$LHV_TOP/scripts/build-kernel.sh" --flavour "$flavour")
	kver=$(lhv_kdir_release "$kdir")
	bzimage=$kdir/arch/x86/boot/bzImage
	moddir=
	;;
*)
	lhv_die "unknown kernel flavour '$flavour'"
	;;
esac

ko=$(lhv_build_module "$kdir" "$flavour")
make -s -C "$LHV_TOP" userspace >&2

mkdir -p "$out"
root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,root,etc/lhv,mnt/add,boot,usr/bin,usr/libexec/lhv}
mkdir -p "$root/lib/modules/$kver/extra"

cp /bin/busybox "$root/bin/busybox"
install -m 755 "$LHV_TOP/scripts/vm/init" "$root/init"
cp "$ko" "$root/lib/modules/$kver/extra/"
install -m 755 -s "$LHV_TOP/launcher/lhv-run" "$root/usr/bin/"
mkdir -p "$root/usr/libexec/lhv/selftests"
cp "$LHV_TOP"/selftests/lhv/*.sh "$root/usr/libexec/lhv/selftests/"
for prog in $(make -s -C "$LHV_TOP" --no-print-directory print-selftest-progs); do
	install -m 755 -s "$LHV_TOP/$prog" "$root/usr/libexec/lhv/selftests/"
done
install -m 755 "$LHV_TOP/scripts/vm/lhv-selftests" "$LHV_TOP/scripts/vm/lhv-bench" \
	"$LHV_TOP/scripts/vm/lhv-debug-check" "$root/usr/bin/"
# The test guests, where the in-VM tests look for them.
mkdir -p "$root/usr/libexec/lhv/guests"
for img in $(make -s -C "$LHV_TOP" --no-print-directory print-guest-images); do
	install -m 644 "$LHV_TOP/$img" "$root/usr/libexec/lhv/guests/"
done

# The Linux guest's initramfs (its kernel is /boot/vmlinuz, from boot.cpio).
"$LHV_TOP/guests/linux/mkinitrd.sh" "$root/usr/libexec/lhv/guests/linux-initrd.cpio"

# KVM, so tests can load lhv next to it, with the modules it depends on.
if [ -z "$moddir" ]; then
	make -s -C "$kdir" INSTALL_MOD_PATH="$out/modinst" modules_install >&2
	moddir=$out/modinst/lib/modules/$kver
fi
for m in kvm-intel kvm-amd; do
	dep=$(grep -E "/$m\.ko(\.[a-z]+)?:" "$moddir/modules.dep") ||
		lhv_die "$m missing from $moddir"
	for f in ${dep%%:*} ${dep#*:}; do
		mkdir -p "$root/lib/modules/$kver/$(dirname "$f")"
		cp "$moddir/$f" "$root/lib/modules/$kver/$f"
	done
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$moddir/$f" ] && cp "$moddir/$f" "$root/lib/modules/$kver/"
done
depmod -b "$root" "$kver"

# Files are replaced with mv, so a run-vm reading them never sees half.
cp "$bzimage" "$out/bzImage.new"
mv "$out/bzImage.new" "$out/bzImage"
# Uncompressed: loading is cheap on every platform, inflating is not on
# Bochs (gzip cost it ~20 s of boot time).
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out/base.cpio.new"
mv "$out/base.cpio.new" "$out/base.cpio"

# The stock image as a guest kernel, whichever kernel the VM boots.
boot=$out/boot-root
rm -rf "$boot" && mkdir -p "$boot/boot"
cp "/boot/vmlinuz-$stock" "$boot/boot/vmlinuz"
(cd "$boot" && find . | cpio -o -H newc --quiet) > "$out/boot.cpio.new"
mv "$out/boot.cpio.new" "$out/boot.cpio"
echo "$out"
