#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Linux guest's initramfs: busybox (static, Debian's busybox-static)
# and guests/linux/init, as an uncompressed cpio for the stock kernel.
# Usage: guests/linux/mkinitrd.sh OUT.cpio
set -euo pipefail
out=${1:?usage: mkinitrd.sh OUT.cpio}
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin"
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$here/init" "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out.new"
mv "$out.new" "$out"
