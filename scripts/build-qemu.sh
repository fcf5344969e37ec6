#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build QEMU from Debian 13 (trixie)'s source package, with lhv's fixes
# of QEMU bugs (scripts/qemu-patches, each described in its header), for
# the test VMs of svm-tcg and kvm-in-svm-tcg.  Debian 12's QEMU 7.2 and
# the QEMU 10 of its backports have the bugs (Documentation/testing.rst).
# Usage: scripts/build-qemu.sh
# Prints the path of a qemu-system-x86_64 wrapper on stdout, progress on
# stderr.  trixie's signed index, sources and binaries, is fetched with
# an apt configuration of our own under the cache (the machine's apt
# setup stays untouched), and every file is checked against it.  QEMU 10
# needs Meson 1.5 or newer, and Debian strips the Meson wheel QEMU
# bundles: trixie's meson package (pure Python) is unpacked beside the
# build and used from there.  The result is keyed like Bochs's
# (scripts/build-bochs.sh): version, checksums, flags, patches, recipe.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
suite=trixie
# One target, TCG only, none of the optional libraries: the test VMs
# boot a kernel and an initrd on a serial console.  The firmware (SeaBIOS,
# the option ROMs) is the machine's, from Debian 12's QEMU packages:
# Debian strips the binary blobs from QEMU's source.
flags=(
	--target-list=x86_64-softmmu --without-default-features --enable-tcg
	--disable-fdt --disable-docs --disable-tools --disable-install-blobs
)

cache=$(lhv_cache_dir)
apt=$cache/qemu-src-apt
dist=$cache/qemu-dist
mkdir -p "$apt" "$dist"
exec 9>"$cache/.lock-qemu-build"
flock 9

lhv_debian_index "$apt" "$suite" "deb deb-src"
lhv_debian_source qemu
# Meson's .deb: name, URI and SHA-256 from the signed Packages index.
read -r meson_uri meson_deb _ meson_sha < <(apt-get "${apt_opts[@]}" download --print-uris meson 2>/dev/null | grep "^'") ||
	lhv_die "no meson package in $suite's index"
meson_uri=${meson_uri#\'} meson_uri=${meson_uri%\'}
case $meson_sha in
SHA256:*) meson_sha=${meson_sha#SHA256:} ;;
*) lhv_die "apt gives no SHA-256 for $meson_deb (got '$meson_sha'); cannot verify it" ;;
esac

build_qemu() {
	local work=$cache/qemu-build-$key log=$prefix/.lhv-build.log p

	fail() {
		tail -n 25 "$log" >&2
		lhv_die "$1 failed for QEMU $ver (full log: $log); fix the cause and rerun"
	}
	rm -rf "$work" "$prefix" && mkdir -p "$work/src" "$work/build" "$prefix/bin"
	tar -xf "$dist/$orig" -C "$work/src" --strip-components=1
	tar -xf "$dist/$debtar" -C "$work/src"
	dpkg-deb -x "$dist/$meson_deb" "$work/meson"
	p=$(lhv_debian_patches "$work/src" "$log") || fail "Debian patch $p"
	for p in "$top"/scripts/qemu-patches/*.patch; do
		patch -d "$work/src" -s -f --no-backup-if-mismatch -p1 < "$p" >> "$log" 2>&1 ||
			fail "lhv patch $(basename "$p")"
	done
	export PYTHONPATH=$work/meson/usr/lib/python3/dist-packages
	(cd "$work/build" && ../src/configure --python=/usr/bin/python3 "${flags[@]}") >> "$log" 2>&1 ||
		fail configure
	ninja -C "$work/build" -j"$(nproc)" qemu-system-x86_64 >> "$log" 2>&1 || fail build
	cp "$work/build/qemu-system-x86_64" "$prefix/bin/"
	cat > "$prefix/qemu-system-x86_64" <<-WRAP
	#!/bin/sh
	exec "$prefix/bin/qemu-system-x86_64" -L /usr/share/qemu -L /usr/share/seabios "\$@"
	WRAP
	chmod +x "$prefix/qemu-system-x86_64"
	"$prefix/qemu-system-x86_64" -machine help > "$work/machines" 2>> "$log" ||
		fail "running the new QEMU"
	grep -q '^pc ' "$work/machines" || fail "finding the pc machine in the new QEMU"
	rm -rf "$work"
}

key=$(lhv_build_key "$ver $orig_sha $debtar_sha $meson_sha" "${flags[*]}" build_qemu "$top/scripts/qemu-patches")
prefix=$cache/qemu-$key
if [ -f "$prefix/.lhv-done" ]; then
	echo "$prefix/qemu-system-x86_64"
	exit 0
fi

missing=()
command -v gcc > /dev/null || missing+=(gcc)
command -v ninja > /dev/null || missing+=(ninja-build)
command -v pkg-config > /dev/null || missing+=(pkg-config)
command -v patch > /dev/null || missing+=(patch)
pkg-config --exists glib-2.0 2> /dev/null || missing+=(libglib2.0-dev)
/usr/bin/python3 -c 'import venv, ensurepip' 2> /dev/null || missing+=(python3-venv)
[ -f /usr/share/seabios/bios-256k.bin ] || missing+=(seabios)
[ -f /usr/share/qemu/linuxboot_dma.bin ] || missing+=(qemu-system-data)
[ ${#missing[@]} -eq 0 ] ||
	lhv_die "missing build dependencies: ${missing[*]} (run scripts/deps.sh, or apt-get install --no-install-recommends ${missing[*]})"

lhv_debian_fetch "$orig_uri" "$dist/$orig" "$orig_sha"
lhv_debian_fetch "$debtar_uri" "$dist/$debtar" "$debtar_sha"
lhv_debian_fetch "$meson_uri" "$dist/$meson_deb" "$meson_sha"

echo "build-qemu.sh: building QEMU $ver from Debian $suite in $prefix (about 4 minutes on 2 cores)" >&2
build_qemu
printf 'qemu %s\nconfigure %s\n' "$ver" "${flags[*]}" > "$prefix/.lhv-done"
echo "$prefix/qemu-system-x86_64"
