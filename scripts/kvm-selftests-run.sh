#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the nested INIT/SIPI KVM selftests (selftests/kvm) and run them in
# one boot of each test platform named (default: svm-tcg vmx-bochs), the
# L0 KVM under test being the test VM's own kernel.  Prints each boot's
# nested TAP; exits non-zero if a platform failed.
#
#   scripts/kvm-selftests-run.sh [svm-tcg|vmx-bochs|kvm ...] [-- TEST ...]
#   NIPI_TIMEOUT=SEC   per-step timeout inside the tests (default 300; 600 on Bochs)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LHV_TOP" || exit 1

platforms=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	platforms+=("$1")
	shift
done
[ "${1:-}" = -- ] && shift
[ ${#platforms[@]} -gt 0 ] || platforms=(svm-tcg vmx-bochs)

make -s -C selftests/kvm || lhv_die "building selftests/kvm failed"

rc=0
for p in "${platforms[@]}"; do
	timeout=900 nipi_timeout=${NIPI_TIMEOUT:-300}
	# Bochs runs everything 10-50 times slower than TCG.
	[ "$p" = vmx-bochs ] && timeout=2400 nipi_timeout=${NIPI_TIMEOUT:-600}
	echo "==== $p ===="
	start=$SECONDS
	scripts/run-vm "$p" --timeout "$timeout" --add selftests/kvm/build/bin -- \
		"NIPI_TIMEOUT=$nipi_timeout sh /mnt/add/bin/run_tests.sh $*"
	status=$?
	echo "# $p: run-vm exit $status after $((SECONDS - start)) s"
	case $status in
	0|77) ;;
	*) rc=1 ;;
	esac
done
exit $rc
