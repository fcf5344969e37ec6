#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packaging checks of `make check` (Documentation/install.rst), one
# step per call; each prints what it saw and exits non-zero on a failure.
#
#   pkg-check.sh install    make install / make uninstall into a scratch
#                           DESTDIR with PREFIX=/usr: every file where
#                           install.rst says, and none left after uninstall
#   pkg-check.sh man        rst2man builds lhv-run(1) and lhv(4); man -l
#                           renders both with their sections
#   pkg-check.sh deb        make deb: lhv-dkms and lhv-tools (dpkg-buildpackage)
#   pkg-check.sh contents   what the two packages hold and depend on
#   pkg-check.sh lintian    lintian on the packages and the source: no errors
#   pkg-check.sh dkms       DKMS builds and installs lhv.ko from the lhv-dkms
#                           package for the stock kernel the svm-tcg and kvm
#                           test VMs run, in scratch trees (the machine's
#                           /var/lib/dkms and /lib/modules are not touched);
#                           the module ends up in build/dkms/lhv.ko
#   pkg-check.sh vm-module OUT
#                           run-vm's output OUT shows that the VM loaded
#                           build/dkms/lhv.ko (run-vm --module)
#
# Nothing here needs the network or changes the machine outside build/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LHV_TOP"

version=$(sed -n '1s/^lhv (\([^ ]*\)).*/\1/p' debian/changelog)
deb=$LHV_BUILD/deb
dkms_out=$LHV_BUILD/dkms

fail() {
	echo "FAIL: $*"
	exit 1
}

# Files that `make install` must put under DESTDIR with PREFIX=/usr.
check_install() {
	local d=$LHV_BUILD/pkg-install kver f left
	rm -rf "$d"
	make -s install DESTDIR="$d" PREFIX=/usr > "$d.log" 2>&1 ||
		{ cat "$d.log"; fail "make install DESTDIR=$d PREFIX=/usr"; }
	kver=$(make -s --no-print-directory -f Makefile --eval 'print-kver: ; @echo $(KVER)' print-kver)
	[ -n "$kver" ] || fail "no KVER"
	for f in "lib/modules/$kver/extra/lhv.ko" usr/bin/lhv-run \
		 usr/share/man/man1/lhv-run.1 usr/share/man/man4/lhv.4 \
		 usr/libexec/lhv/guests/hello.elf usr/libexec/lhv/guests/mb-smp.elf; do
		[ -f "$d/$f" ] || fail "make install did not install /$f"
		echo "installed /$f"
	done
	[ -x "$d/usr/bin/lhv-run" ] || fail "lhv-run is not executable"
	# The installed launcher is the dynamically linked one.
	readelf -l "$d/usr/bin/lhv-run" | grep -q 'Requesting program interpreter' ||
		fail "the installed lhv-run is not dynamically linked"
	"$d/usr/bin/lhv-run" --help | grep -q 'lhv-run(1)' ||
		fail "lhv-run --help does not point to lhv-run(1)"
	make -s uninstall DESTDIR="$d" PREFIX=/usr || fail "make uninstall"
	left=$(find "$d" -type f)
	[ -z "$left" ] || fail "make uninstall left: $left"
	echo "make uninstall removed every file"
	rm -rf "$d"
}

check_man() {
	local page out err
	rm -rf "$LHV_BUILD/man"
	make -s man || fail "make man (rst2man --halt=warning)"
	for page in lhv-run.1 lhv.4; do
		out=$LHV_BUILD/man/$page.txt
		err=$LHV_BUILD/man/$page.err
		MANWIDTH=80 man -l "$LHV_BUILD/man/$page" > "$out" 2> "$err" ||
			fail "man -l $page: $(cat "$err")"
		# Layout warnings of groff's table code (a line it cannot
		# justify) are shown, not fatal.
		sed 's/^/man -l '"$page"': /' "$err"
		for s in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
			grep -q "^$s" "$out" || fail "$page has no $s section"
		done
		echo "$page: $(wc -l < "$out") lines: $(sed -n '/^NAME/{n;p;q}' "$out" | sed 's/^ *//')"
	done
	grep -q '^OPTIONS' "$LHV_BUILD/man/lhv-run.1.txt" &&
	grep -q '^EXIT STATUS' "$LHV_BUILD/man/lhv-run.1.txt" ||
		fail "lhv-run(1) lacks OPTIONS or EXIT STATUS"
	for s in LHV_CREATE_VCPU 'MODULE PARAMETERS' 'THE CPU POOL' cpu_pool EPERM; do
		grep -q "$s" "$LHV_BUILD/man/lhv.4.txt" || fail "lhv(4) does not mention $s"
	done
	echo "lhv(4) has the ioctls, the module parameters and the CPU pool"
}

check_deb() {
	scripts/mkdeb.sh > "$LHV_BUILD/mkdeb.log" 2>&1 ||
		{ tail -n 30 "$LHV_BUILD/mkdeb.log"; fail "make deb"; }
	ls -l "$deb"/*.deb
}

# $1 package file; the rest: paths its data must hold.
deb_has() {
	local pkg=$1 list p
	shift
	list=$(dpkg-deb -c "$pkg" | awk '{print $NF}' | sed 's,^\./,/,')
	for p in "$@"; do
		grep -qx "$p" <<< "$list" || fail "$(basename "$pkg") lacks $p"
	done
}

check_contents() {
	local dkms=$deb/lhv-dkms_${version}_all.deb tools=$deb/lhv-tools_${version}_amd64.deb
	local src=/usr/src/lhv-$version conf
	[ -f "$dkms" ] && [ -f "$tools" ] || fail "no packages in $deb (pkg-check.sh deb)"
	deb_has "$dkms" "$src/dkms.conf" "$src/Kbuild" "$src/module/main.c" \
		"$src/module/pool.c" "$src/nvmx/vmx_enter.S" "$src/include/uapi/linux/lhv.h"
	conf=$(dpkg-deb --fsys-tarfile "$dkms" | tar -xO ".$src/dkms.conf")
	grep -qx "PACKAGE_VERSION=\"$version\"" <<< "$conf" ||
		fail "dkms.conf in lhv-dkms does not say version $version"
	dpkg-deb -f "$dkms" Depends | grep -q dkms || fail "lhv-dkms does not depend on dkms"
	dpkg-deb --ctrl-tarfile "$dkms" | tar -xO ./postinst | grep -q dkms ||
		fail "lhv-dkms has no DKMS postinst"
	# The module's sources only: no build output, launcher or tests.
	if dpkg-deb -c "$dkms" | grep -E '\.(o|ko|cmd)$|/launcher/|/selftests/'; then
		fail "lhv-dkms holds more than the module's source"
	fi
	echo "lhv-dkms: $(dpkg-deb -c "$dkms" | grep -c "^-.*$src/") files in $src, Depends: $(dpkg-deb -f "$dkms" Depends)"
	deb_has "$tools" /usr/bin/lhv-run /usr/share/man/man1/lhv-run.1.gz \
		/usr/share/man/man4/lhv.4.gz /usr/libexec/lhv/guests/hello.elf
	dpkg-deb -f "$tools" Depends | grep -q libc6 || fail "lhv-tools does not depend on libc6"
	echo "lhv-tools: lhv-run, lhv-run(1), lhv(4), $(dpkg-deb -c "$tools" | grep -c '/guests/.') guests, Depends: $(dpkg-deb -f "$tools" Depends)"
}

check_lintian() {
	local changes=$deb/lhv_${version}_amd64.changes out=$LHV_BUILD/lintian.out
	[ -f "$changes" ] || fail "no $changes (pkg-check.sh deb)"
	# Root is what CI runs as; lintian only advises against it.
	lintian --fail-on error --tag-display-limit 0 "$changes" > "$out" 2>&1
	local rc=$?
	grep -v 'running with root privileges' "$out"
	[ "$rc" = 0 ] || fail "lintian reports errors (exit $rc)"
	echo "lintian: $(grep -c '^E:' "$out") errors, $(grep -c '^W:' "$out") warnings"
}

check_dkms() {
	local kver s pkg ko common f
	kver=$(lhv_stock_kver)
	s=$dkms_out/scratch
	pkg=$deb/lhv-dkms_${version}_all.deb
	[ -f "$pkg" ] || fail "no $pkg (pkg-check.sh deb)"
	rm -rf "$dkms_out"
	mkdir -p "$s/var/lib/dkms" "$s/lib/modules/$kver"
	# The package's files, as apt would unpack them.
	dpkg-deb -x "$pkg" "$s/root" || fail "dpkg-deb -x $pkg"
	common=(--dkmstree "$s/var/lib/dkms" --sourcetree "$s/root/usr/src"
		--installtree "$s/lib/modules")
	# DKMS signs what it builds; its key goes to the scratch tree too.
	export mok_signing_key=$s/mok.key mok_certificate=$s/mok.pub
	dkms add -m lhv -v "$version" "${common[@]}" || fail "dkms add"
	dkms build -m lhv -v "$version" -k "$kver" \
		--kernelsourcedir "/usr/src/linux-headers-$kver" "${common[@]}" ||
		{ cat "$s/var/lib/dkms/lhv/$version/build/make.log" 2>/dev/null | tail -n 30
		  fail "dkms build for $kver"; }
	dkms install -m lhv -v "$version" -k "$kver" --no-depmod \
		--kernelsourcedir "/usr/src/linux-headers-$kver" "${common[@]}" ||
		fail "dkms install for $kver"
	dkms status -m lhv "${common[@]}"
	ko=$s/lib/modules/$kver/updates/dkms/lhv.ko
	[ -f "$ko" ] || fail "DKMS installed no $ko"
	modinfo -F vermagic "$ko" | grep -q "^$kver " ||
		fail "$ko is not for $kver: $(modinfo -F vermagic "$ko")"
	# depmod over the scratch tree: the devname aliases reach
	# modules.devname, from which udev makes /dev/lhv at boot.
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -f "/lib/modules/$kver/$f" ] && cp "/lib/modules/$kver/$f" "$s/lib/modules/$kver/"
	done
	depmod -b "$s" "$kver" || fail "depmod -b $s $kver"
	grep -x 'lhv lhv c10:250' "$s/lib/modules/$kver/modules.devname" ||
		fail "modules.devname has no 'lhv lhv c10:250'"
	cp "$ko" "$dkms_out/lhv.ko"
	echo "DKMS built and installed lhv.ko for $kver: $dkms_out/lhv.ko, sha256 $(sha256sum "$ko" | cut -d' ' -f1)"
}

check_vm_module() {
	local out=${1:?usage: pkg-check.sh vm-module RUN-VM-OUTPUT} sum
	[ -f "$dkms_out/lhv.ko" ] || fail "no $dkms_out/lhv.ko (pkg-check.sh dkms)"
	sum=$(sha256sum "$dkms_out/lhv.ko" | cut -d' ' -f1)
	grep -q "^lhv-vm: lhv.ko from run-vm --module, sha256 $sum" "$out" ||
		fail "$out: the VM did not get the DKMS-built lhv.ko (sha256 $sum)"
	grep -q '^lhv-vm: lhv.ko loaded' "$out" || fail "$out: lhv.ko did not load"
	echo "the VM loaded the lhv.ko DKMS built (sha256 $sum)"
}

case "${1:-}" in
install) check_install ;;
man) check_man ;;
deb) check_deb ;;
contents) check_contents ;;
lintian) check_lintian ;;
dkms) check_dkms ;;
vm-module) shift; check_vm_module "$@" ;;
*) sed -n '4,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
