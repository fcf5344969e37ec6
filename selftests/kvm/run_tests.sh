#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the nested INIT/SIPI KVM selftests (or the ones named) the way the
# kernel's kselftest runner does: TAP 13, each program's own TAP indented
# as "# " lines, one result line per program.  POSIX sh for the busybox
# test VMs, which have no make.  The Makefile copies this script next to
# the programs, into build/bin/.
#
# First it makes sure the vendor's KVM module is loaded with nested=1
# (reloading it if it was loaded without), so the tests run rather than
# skip; a test that cannot run still says why in its own skip lines.
# A program that ends with an error before reporting a failed check
# gets a "# not ok" line of its own, so nested TAP counts see it.
# Exit status: 0 when none failed.
#
#   sh run_tests.sh [vmx_wfs_cap_test ...]
#   NIPI_TIMEOUT=SEC: how long a test waits for one step (default 300)
cd "$(dirname "$0")" || exit 1
[ $# -gt 0 ] || set -- vmx_wfs_cap_test vmx_wfs_entry_test vmx_init_pending_test \
	vmx_sipi_wfs_test vmx_sipi_active_test vmx_init_wfs_test \
	vmx_wfs_preemption_test svm_init_intercept_test

# kvm_intel or kvm_amd, whichever this CPU can run, with nested=1.
load_nested_kvm() {
	if grep -qw vmx /proc/cpuinfo; then
		mod=kvm_intel
	elif grep -qw svm /proc/cpuinfo; then
		mod=kvm_amd
	else
		echo "# neither vmx nor svm in /proc/cpuinfo: no KVM module to load"
		return
	fi
	param=/sys/module/$mod/parameters/nested
	if [ -r "$param" ]; then
		case "$(cat "$param")" in
		Y|y|1) echo "# $mod already loaded with nested=$(cat "$param")"; return ;;
		esac
		echo "# $mod loaded with nested=$(cat "$param"): reloading with nested=1"
		modprobe -r "$mod" 2>&1 | sed 's/^/# /'
	fi
	modprobe "$mod" nested=1 2>&1 | sed 's/^/# /'
	if [ -r "$param" ]; then
		echo "# $mod loaded, nested=$(cat "$param")"
	else
		echo "# could not load $mod with nested=1"
	fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvm-nested.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
load_nested_kvm
echo "1..$#"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	name="selftests: kvm-nested: $t"
	echo "# $name"
	if [ ! -x "./$t" ]; then
		echo "not ok $n $name # not built (make -C selftests/kvm)"
		failed=$((failed + 1))
		continue
	fi
	start=$(date +%s)
	{ "./$t" 2>&1; echo $? > "$tmp/rc"; } | tee "$tmp/out" | sed 's/^/# /'
	rc=$(cat "$tmp/rc")
	secs=$(($(date +%s) - start))
	oks=$(grep -c '^ok ' "$tmp/out")
	skips=$(grep -c '^ok .*# SKIP' "$tmp/out")
	if [ "$rc" != 0 ] && [ "$rc" != 4 ] && ! grep -q '^not ok ' "$tmp/out"; then
		echo "# not ok - $t ended with status $rc before reporting a failed check"
	fi
	if [ "$rc" = 4 ] || { [ "$rc" = 0 ] && [ "$oks" -gt 0 ] && [ "$oks" = "$skips" ]; }; then
		echo "ok $n $name # SKIP ($secs s)"
	elif [ "$rc" = 0 ]; then
		echo "ok $n $name # $secs s"
	else
		echo "not ok $n $name # exit=$rc ($secs s)"
		failed=$((failed + 1))
	fi
done
[ "$failed" = 0 ]
