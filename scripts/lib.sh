# SPDX-License-Identifier: GPL-2.0
# Shared helpers for lhv's scripts.  Source it; it defines no side effects.

LHV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LHV_BUILD=${LHV_BUILD:-$LHV_TOP/build}

lhv_die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# The newest installed Debian stock kernel release, e.g. 6.1.0-56-amd64.
lhv_stock_kver() {
	local v
	v=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's,^/boot/vmlinuz-,,' | sort -V | tail -n 1)
	[ -n "$v" ] || lhv_die "no /boot/vmlinuz-*-amd64 (run scripts/deps.sh)"
	[ -d "/usr/src/linux-headers-$v" ] || lhv_die "no headers for $v (run scripts/deps.sh)"
	echo "$v"
}

# Release string of a kernel build tree.
lhv_kdir_release() {
	cat "$1/include/config/kernel.release"
}

# Build lhv.ko against KDIR in a private copy of the module sources, so
# builds for different kernels never share object files.  Prints the path
# of the module.
lhv_build_module() {
	local kdir=$1 tag=$2 dir
	dir=$LHV_BUILD/mod-$tag
	mkdir -p "$dir"
	local srcs=("$LHV_TOP/Kbuild" "$LHV_TOP/include" "$LHV_TOP/module"
		    "$LHV_TOP/nvmx" "$LHV_TOP/nsvm" "$LHV_TOP/lapic")
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		"${srcs[@]}" "$dir/" 2>/dev/null || cp -a "${srcs[@]}" "$dir/"
	make -s -C "$kdir" M="$dir" modules 2>&1 | grep -v '^Skipping BTF generation' >&2
	[ "${PIPESTATUS[0]}" = 0 ] || lhv_die "building lhv.ko against $kdir failed"
	echo "$dir/lhv.ko"
}
