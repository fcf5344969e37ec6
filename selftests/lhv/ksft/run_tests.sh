#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run lhv's kselftests (or the ones named) the way the kernel's kselftest
# runner does: TAP 13, each program's own TAP indented as "# " lines, one
# result line per program.  POSIX sh, so it runs in the busybox test VMs,
# which have no make.  A program that failed nothing but could not test
# lhv (no /dev/lhv, not root: its tests skipped) is reported as skipped.
# Exit status: 0 when none failed.
#
#   sh run_tests.sh [lhv_ioctl_test lhv_race_test lhv_pool_test lhv_failnth_test
#                    lhv_fuzz_test]
cd "$(dirname "$0")" || exit 1
# The fuzz test's last test unloads and reloads lhv.ko: it runs last.
[ $# -gt 0 ] || set -- lhv_ioctl_test lhv_race_test lhv_pool_test lhv_failnth_test \
	lhv_fuzz_test
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lhv-ksft.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
echo "1..$#"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	name="selftests: lhv: $t"
	echo "# $name"
	if [ ! -x "./$t" ]; then
		echo "not ok $n $name # not built (make -C selftests/lhv/ksft)"
		failed=$((failed + 1))
		continue
	fi
	{ "./$t" 2>&1; echo $? > "$tmp/rc"; } | tee "$tmp/out" | sed 's/^/# /'
	rc=$(cat "$tmp/rc")
	oks=$(grep -c '^ok ' "$tmp/out")
	skips=$(grep -c '^ok .*# SKIP' "$tmp/out")
	if [ "$rc" = 0 ] && [ "$oks" -gt 0 ] && [ "$oks" = "$skips" ]; then
		echo "ok $n $name # SKIP all $skips tests skipped"
	elif [ "$rc" = 0 ] && [ ! -e /dev/lhv ]; then
		echo "ok $n $name # SKIP no /dev/lhv: lhv.ko is not loaded"
	elif [ "$rc" = 0 ] || [ "$rc" = 4 ]; then
		[ "$rc" = 4 ] && echo "ok $n $name # SKIP" || echo "ok $n $name"
	else
		echo "not ok $n $name # exit=$rc"
		failed=$((failed + 1))
	fi
done
[ "$failed" = 0 ]
