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
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
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

die() {
	echo "build-bochs: $*" >&2
	exit 1
}

cache=${LHV_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/lhv}
apt=$cache/bochs-apt
dist=$cache/bochs-dist
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$dist"
# One build at a time: parallel runners wait here instead of building
# into the same directory.  A lock of its own, so a Bochs build does not
# hold up scripts/build-kernel.sh.
exec 9>"$cache/.lock-bochs"
flock 9

[ -r "$keyring" ] || die "no $keyring (apt-get install debian-archive-keyring)"

sources=$apt/$suite-src.sources
lhv_private_apt "$apt" "$sources"

# Refresh the index at most once a day: a second run needs no network and
# returns at once (asking apt for the machine's mirror alone takes a
# second), and a new Debian revision is still picked up.  Apt keeps the
# previous verified index when a refresh fails; --error-on=any makes a
# download that failed an error, not a warning with exit 0.
if [ -f "$sources" ] && [ -n "$(find "$apt/.lhv-updated" -mmin -1440 2>/dev/null)" ]; then
	mirror=$(sed -n 's/^URIs: //p' "$sources")
else
	# The mirror the machine already uses for its own Debian release, as
	# apt itself parses sources.list and sources.list.d; no host is named
	# here.
	codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release: not a Debian release this script knows"
	# shellcheck disable=SC2016 # $(REPO_URI) is apt's template, not the shell's
	mirror=$(APT_CONFIG='' apt-get indextargets --no-release-info --format '$(REPO_URI)' \
			"Release: $codename" 'Component: main' |
		awk '!/^cdrom:/ && u == "" { u = $0 } END { print u }')
	[ -n "$mirror" ] || die "no '$codename main' entry in the machine's apt sources to take the Debian mirror from; add one"
	cat > "$apt/sources.new" <<-EOF
	Types: deb-src
	URIs: $mirror
	Suites: $suite
	Components: main
	Signed-By: $keyring
	EOF
	if ! cmp -s "$apt/sources.new" "$sources"; then
		mv "$apt/sources.new" "$sources"
		rm -f "$apt/.lhv-updated"
	fi
	rm -f "$apt/sources.new"

	echo "build-bochs: fetching $suite's source index from $mirror" >&2
	if apt-get "${apt_opts[@]}" -q --error-on=any update > "$apt/update.log" 2>&1; then
		touch "$apt/.lhv-updated"
	elif [ -f "$apt/.lhv-updated" ]; then
		echo "build-bochs: could not refresh $suite's index (see $apt/update.log); using the one from $(date -r "$apt/.lhv-updated" '+%F %R')" >&2
	else
		tail -n 5 "$apt/update.log" >&2
		if grep -q -e NO_PUBKEY -e EXPKEYSIG -e BADSIG -e 'is not signed' "$apt/update.log"; then
			die "$keyring does not verify $suite's Release: upgrade debian-archive-keyring (bookworm's 2023.3+deb12u2 carries the trixie keys)"
		elif grep -q -e 'does not have a Release file' -e '404 *Not Found' "$apt/update.log"; then
			die "$mirror has no $suite suite; use a Debian mirror that carries $suite in the machine's apt sources"
		fi
		die "apt-get update of $suite's source index failed (log: $apt/update.log); check the network and $mirror"
	fi
fi

# The file names, URIs and SHA-256 sums come from the signed Sources index.
# The .dsc is not used: the mirror has been seen to answer 404 for it.
uris=$(apt-get "${apt_opts[@]}" source --print-uris bochs 2>&1) ||
	{ echo "$uris" | tail -n 3 >&2; die "no source package bochs in $suite (see above)"; }
ver='' orig='' orig_uri='' orig_sha='' debtar='' debtar_uri='' debtar_sha=''
while read -r uri file _ hash; do
	uri=${uri#\'} uri=${uri%\'}
	case $hash in
	SHA256:*) hash=${hash#SHA256:} ;;
	*) die "apt gives no SHA-256 for $file (got '$hash'); cannot verify it" ;;
	esac
	case $file in
	*.orig.tar.xz) orig=$file orig_uri=$uri orig_sha=$hash ;;
	*.debian.tar.xz)
		debtar=$file debtar_uri=$uri debtar_sha=$hash
		ver=${file#bochs_} ver=${ver%.debian.tar.xz}
		;;
	esac
done < <(echo "$uris" | grep "^'")
if [ -z "$ver" ] || [ "$orig" != "bochs_${ver%-*}.orig.tar.xz" ]; then
	die "$suite's bochs source package is not the expected orig.tar.xz + debian.tar.xz pair; this script needs updating"
fi

build_bochs() {
	local work=$cache/bochs-build-$key log=$prefix/.lhv-build.log p opts

	# Show the end of the log with the one-line error last.
	fail() {
		tail -n 25 "$log" >&2
		die "$1 failed for Bochs $ver (full log: $log); fix the cause and rerun"
	}
	rm -rf "$work" "$prefix" && mkdir -p "$work" "$prefix"
	tar -xf "$dist/$orig" -C "$work" --strip-components=1
	tar -xf "$dist/$debtar" -C "$work"
	# Debian's patches touch only the sample bochsrc, the man page, the
	# docbook build and the BIOS Makefile, none of which this build uses;
	# they are applied all the same so the tree is exactly Debian's, and a
	# later revision's fix is not missed.
	while read -r p opts; do
		case $p in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2086 # opts holds the series' patch options
		patch -d "$work" -s -f --no-backup-if-mismatch ${opts:--p1} \
			< "$work/debian/patches/$p" >> "$log" 2>&1 || fail "Debian patch $p"
	done < "$work/debian/patches/series"
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

key=$( (echo "$ver $orig_sha $debtar_sha"; echo "${flags[*]}"; declare -f build_bochs
	cat "$top"/scripts/bochs-patches/*.patch) |
	sha256sum | cut -c1-12)
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
	die "missing build dependencies: ${missing[*]} (run scripts/deps.sh, or apt-get install --no-install-recommends ${missing[*]})"

# apt-helper checks the hash as it downloads; a file kept from an earlier
# run is checked again before it is trusted.
fetch() {
	local uri=$1 file=$dist/$2 sha=$3

	if [ -f "$file" ] && echo "$sha  $file" | sha256sum -c --status; then
		return
	fi
	rm -f "$file" "$file.FAILED"
	echo "build-bochs: downloading $2" >&2
	if ! /usr/lib/apt/apt-helper "${apt_opts[@]}" download-file "$uri" "$file" "SHA256:$sha" > "$dist/download.log" 2>&1; then
		rm -f "$file" "$file.FAILED"
		grep -q 'Hash Sum mismatch' "$dist/download.log" &&
			die "$2 does not match the SHA-256 in $suite's signed index: refusing to build; retry later or use another mirror"
		tail -n 3 "$dist/download.log" >&2
		die "downloading $uri failed (log: $dist/download.log); check the network and $mirror"
	fi
	echo "$sha  $file" | sha256sum -c --status ||
		die "$2 does not match the SHA-256 in $suite's signed index: refusing to build"
}
fetch "$orig_uri" "$orig" "$orig_sha"
fetch "$debtar_uri" "$debtar" "$debtar_sha"

echo "build-bochs: building Bochs $ver from Debian $suite in $prefix (about 8 minutes on 2 cores)" >&2
build_bochs
printf 'bochs %s\nconfigure %s\n' "$ver" "${flags[*]}" > "$prefix/.lhv-done"
echo "$prefix/bin/bochs"
