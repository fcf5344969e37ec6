#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU 10 from Debian 12's backports, unpacked into the cache, for the
# test VM of kvm-in-svm-tcg.  Debian 12's QEMU 7.2 TCG, running KVM's
# nested SVM, twice ran the test VM's kernel on a guest's GS base
# (recursive page faults until the stack guard page); QEMU 10 has not
# (Documentation/nested.rst, "QEMU TCG under nested SVM").
# Usage: scripts/fetch-qemu.sh
# Prints the path of a qemu-system-x86_64 wrapper on stdout, progress on
# stderr.  The backports index is fetched with an apt configuration of
# our own under the cache (the machine's apt setup stays untouched), and
# apt checks each package against that signed index as it downloads.  The
# machine's QEMU stays what every other platform and L1 run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite_tail=backports
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
pkgs=(qemu-system-x86 qemu-system-common qemu-system-data)

die() {
	echo "fetch-qemu: $*" >&2
	exit 1
}

cache=${LHV_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/lhv}
apt=$cache/qemu-apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$apt/debs"
exec 9>"$cache/.lock-qemu"
flock 9

[ -r "$keyring" ] || die "no $keyring (apt-get install debian-archive-keyring)"
codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
suite=$codename-$suite_tail

sources=$apt/$suite.sources
lhv_private_apt "$apt" "$sources"

# The index at most once a day; the machine's own Debian mirror.
if [ ! -f "$sources" ] || [ -z "$(find "$apt/.lhv-updated" -mmin -1440 2>/dev/null)" ]; then
	# shellcheck disable=SC2016 # $(REPO_URI) is apt's template
	mirror=$(APT_CONFIG='' apt-get indextargets --no-release-info --format '$(REPO_URI)' \
			"Release: $codename" 'Component: main' |
		awk '!/^cdrom:/ && u == "" { u = $0 } END { print u }')
	[ -n "$mirror" ] || die "no '$codename main' entry in the machine's apt sources to take the Debian mirror from"
	printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
		"$mirror" "$suite" "$keyring" > "$sources"
	echo "fetch-qemu: fetching $suite's index from $mirror" >&2
	if apt-get "${apt_opts[@]}" -q --error-on=any update > "$apt/update.log" 2>&1; then
		touch "$apt/.lhv-updated"
	elif [ ! -f "$apt/.lhv-updated" ]; then
		tail -n 5 "$apt/update.log" >&2
		die "apt-get update of $suite failed (log: $apt/update.log)"
	fi
fi

ver=$(apt-cache "${apt_opts[@]}" show --no-all-versions qemu-system-x86 2>/dev/null |
	sed -n 's/^Version: //p')
[ -n "$ver" ] || die "no qemu-system-x86 in $suite"
prefix=$cache/qemu-$(echo "$ver" | tr ':~+' '___')
wrapper=$prefix/qemu-system-x86_64
if [ -f "$prefix/.lhv-done" ]; then
	echo "$wrapper"
	exit 0
fi

echo "fetch-qemu: downloading QEMU $ver from $suite" >&2
rm -rf "$prefix" "$apt/debs" && mkdir -p "$prefix" "$apt/debs"
(cd "$apt/debs" && apt-get "${apt_opts[@]}" -q download "${pkgs[@]/%/=$ver}") \
	> "$apt/download.log" 2>&1 ||
	{ tail -n 5 "$apt/download.log" >&2; die "downloading QEMU $ver failed (log: $apt/download.log)"; }
for deb in "$apt/debs"/*.deb; do
	dpkg-deb -x "$deb" "$prefix/root"
done
missing=$(ldd "$prefix/root/usr/bin/qemu-system-x86_64" | awk '/not found/ { print $1 }')
[ -z "$missing" ] || die "QEMU $ver needs libraries this machine lacks: $missing"
# Its own ROMs first, then the machine's SeaBIOS (Debian ships the BIOS
# images in the seabios package, which backports' QEMU shares).
cat > "$wrapper" <<EOF
#!/bin/sh
exec "$prefix/root/usr/bin/qemu-system-x86_64" -L "$prefix/root/usr/share/qemu" \\
	-L /usr/share/qemu -L /usr/share/seabios "\$@"
EOF
chmod +x "$wrapper"
"$wrapper" --version > /dev/null || die "QEMU $ver does not run"
touch "$prefix/.lhv-done"
echo "$wrapper"
