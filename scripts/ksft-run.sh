#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build lhv's kselftests (selftests/lhv/ksft) on the host and run them in a
# fresh test VM; prints their TAP (scripts/run-vm's exit status).
#
# usage: scripts/ksft-run.sh [PLATFORM [RUN-VM OPTIONS]] [-- TEST...]
#   PLATFORM   svm-tcg (default), vmx-bochs or kvm
#   TEST       lhv_ioctl_test lhv_race_test lhv_fuzz_test (default: all,
#              in that order; the fuzz test reloads lhv.ko at its end)
# LHV_FUZZ_SEED, LHV_FUZZ_CALLS, LHV_RACE_SECONDS and LHV_RACE_ROUNDS are
# passed on to the tests in the VM.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LHV_TOP"

platform=svm-tcg
if [ $# -gt 0 ] && [ "$1" != -- ]; then
	platform=$1
	shift
fi
opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	opts+=("$1")
	shift
done
[ "${1:-}" = -- ] && shift

make -s -C selftests/lhv/ksft >&2 || lhv_die "building selftests/lhv/ksft failed"
vars=
for v in LHV_FUZZ_SEED LHV_FUZZ_CALLS LHV_RACE_SECONDS LHV_RACE_ROUNDS; do
	[ -n "${!v:-}" ] && vars="$vars $v=${!v}"
done
exec scripts/run-vm "$platform" "${opts[@]}" --add selftests/lhv/ksft -- \
	"cd /mnt/add/ksft && env$vars sh run_tests.sh $*"
