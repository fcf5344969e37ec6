#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build Bochs from Debian 13 (trixie)'s source package for the vmx-bochs
# test platform; Debian 12 only packages Bochs 2.7.
# Usage: scripts/build-bochs.sh
# Prints the path of the installed bochs binary on stdout, progress on
# stderr.  trixie's signed Sources index is fetched with an apt
# configuration of our own under the cache, so the machine's apt setup and
# lists stay untouched, and the tarballs are checked against that index.
# Debian's patches are applied, then lhv's (scripts/bochs-patches: fixes
# of Bochs bugs lhv's tests hit, each described in its header).  The
# install prefix is keyed by a hash of the version, the tarball checksums,
# the configure flags, lhv's patches and the build recipe, so a finished
# build is reused and any change builds afresh.
# The prefix's share/bochs holds only SeaBIOS and the Cirrus SeaVGABIOS:
# Debian strips BIOS-bochs-latest and VGABIOS-lgpl-latest from its
# tarball (bookworm's bochsbios and vgabios packages provide them).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
suite=trixie
# Debian's own flags minus the GUIs, sound and plugins: a headless test
# platform needs only the terminal display, and one monolithic binary
# does not depend on a plugin directory.  --enable-debugger costs nothing
# unless bochs runs with -debugger.  Bochs 3.0's configure has no
# --enable-disasm any more (the disassembler is always built): passing it
# only draws an "unrecognized options" warning.  configure also links
# readline into the debugger when libreadline-dev is installed.
flags=(
	--with-term --with-nogui
	--enable-x86-64 --enable-smp --enable-vmx=2 --enable-svm
	--enable-avx --enable-evex --enable-cpu-level=6
	--enable-all-optimizations --enable-debugger
	--enable-pci --enable-a20-pin --enable-fpu
	--enable-repeat-speedups --enable-idle-hack
)

cache=$(lhv_cache_dir)
apt=$cache/bochs-apt
dist=$cache/bochs-dist
mkdir -p "$apt" "$dist"
# One build at a time: parallel runners wait here instead of building
# into the same directory.  A lock of its own, so a Bochs build does not
# hold up scripts/build-kernel.sh.
exec 9>"$cache/.lock-bochs"
flock 9

lhv_debian_index "$apt" "$suite" deb-src
lhv_debian_source bochs

build_bochs() {
	local work=$cache/bochs-build-$key log=$prefix/.lhv-build.log p

	# Show the end of the log with the one-line error last.
	fail() {
		tail -n 25 "$log" >&2
		lhv_die "$1 failed for Bochs $ver (full log: $log); fix the cause and rerun"
	}
	rm -rf "$work" "$prefix" && mkdir -p "$work" "$prefix"
	tar -xf "$dist/$orig" -C "$work" --strip-components=1
	tar -xf "$dist/$debtar" -C "$work"
	# Debian's patches touch only the sample bochsrc, the man page, the
	# docbook build and the BIOS Makefile, none of which this build uses;
	# they are applied all the same so the tree is exactly Debian's, and a
	# later revision's fix is not missed.
	p=$(lhv_debian_patches "$work" "$log") || fail "Debian patch $p"
	# lhv's own fixes of Bochs bugs its tests hit (each patch says which).
	for p in "$top"/scripts/bochs-patches/*.patch; do
		patch -d "$work" -s -f --no-backup-if-mismatch -p1 < "$p" >> "$log" 2>&1 ||
			fail "lhv patch $(basename "$p")"
	done
	(cd "$work" && ./configure --prefix="$prefix" "${flags[@]}") >> "$log" 2>&1 || fail configure
	make -C "$work" -j"$(nproc)" >> "$log" 2>&1 || fail make
	make -C "$work" install >> "$log" 2>&1 || fail "make install"
	"$prefix/bin/bochs" -help cpu >> "$log" 2>&1 || fail "running the new bochs"
	rm -rf "$work"
}

key=$(lhv_build_key "$ver $orig_sha $debtar_sha" "${flags[*]}" build_bochs "$top/scripts/bochs-patches")
prefix=$cache/bochs-$key
if [ -f "$prefix/.lhv-done" ]; then
	echo "$prefix/bin/bochs"
	exit 0
fi

missing=()
command -v g++ > /dev/null || missing+=(g++)
command -v make > /dev/null || missing+=(make)
command -v xz > /dev/null || missing+=(xz-utils)
command -v patch > /dev/null || missing+=(patch)
# --with-term draws the display with curses.
[ -f /usr/include/curses.h ] || missing+=(libncurses-dev)
[ ${#missing[@]} -eq 0 ] ||
	lhv_die "missing build dependencies: ${missing[*]} (run scripts/deps.sh, or apt-get install --no-install-recommends ${missing[*]})"

lhv_debian_fetch "$orig_uri" "$dist/$orig" "$orig_sha"
lhv_debian_fetch "$debtar_uri" "$dist/$debtar" "$debtar_sha"

echo "build-bochs.sh: building Bochs $ver from Debian $suite in $prefix (about 8 minutes on 2 cores)" >&2
build_bochs
printf 'bochs %s\nconfigure %s\n' "$ver" "${flags[*]}" > "$prefix/.lhv-done"
echo "$prefix/bin/bochs"
