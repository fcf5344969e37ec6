#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench (Documentation/bench.rst): boots each test platform once,
# runs the benchmark guest there under lhv (each LAPIC mode the platform
# offers) and under KVM, then Debian's kernel for its steady-state exits
# (lhv-bench in the VM), and prints the tables, also written to
# build/bench/results.txt (each platform's raw lines:
# build/bench/raw-<platform>.txt).
#
#   scripts/bench.sh [svm-tcg|vmx-bochs|kvm ...]   default: all three
#   scripts/bench.sh --table [PLATFORM ...]   the table from the raw files
#                                             of earlier runs, nothing run
#   BENCH_RUNS=N    runs per hypervisor and platform (default 5)
#   BENCH_POLL_US=N lhv's user_poll_us for its runs (default 0: LHV_RUN sleeps)
#   BENCH_LINUX=S   seconds of guest time per steady-state span of the
#                   Linux guest (default 5; 0: no Linux guest)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LHV_TOP" || exit 1

table_only=
if [ "${1:-}" = --table ]; then
	table_only=1
	shift
fi
runs=${BENCH_RUNS:-5}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || lhv_die "BENCH_RUNS wants a positive number"
poll_us=${BENCH_POLL_US:-0}
linux_s=${BENCH_LINUX:-5}
[[ "$linux_s" =~ ^[0-9]+$ ]] || lhv_die "BENCH_LINUX wants a number of seconds"
[[ "$poll_us" =~ ^[0-9]+$ ]] || lhv_die "BENCH_POLL_US wants a number of microseconds"
platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(svm-tcg vmx-bochs kvm)
out=$LHV_BUILD/bench
mkdir -p "$out"

[ -n "$table_only" ] || make -s all || lhv_die "build failed"
# lhv as users load it: without the test VMs' per-exit trace.
export LHV_EXIT_TRACE=0

raws=()
for p in "${platforms[@]}"; do
	if [ -n "$table_only" ]; then
		[ -r "$out/raw-$p.txt" ] || lhv_die "no $out/raw-$p.txt: run scripts/bench.sh $p first"
		raws+=("$out/raw-$p.txt")
		continue
	fi
	# Bochs: a run is about a minute of wall time per hypervisor.
	timeout=$((600 + runs * 120))
	[ "$p" = vmx-bochs ] && timeout=$((1200 + runs * 900))
	# Bochs: Debian's kernel under KVM hangs KVM's vCPU thread (a soft
	# lockup of its CPU within a minute, also with preemption_timer=0),
	# and with it make bench; Documentation/bench.rst.
	kvm_linux=
	[ "$p" = vmx-bochs ] && kvm_linux="its vCPU thread hangs in KVM_RUN on Bochs (soft lockup)"
	# A Linux boot: seconds on TCG, minutes on Bochs (KVM's longest).
	[ "$linux_s" = 0 ] || timeout=$((timeout + 600))
	[ "$linux_s" = 0 ] || [ "$p" != vmx-bochs ] || timeout=$((timeout + 3600))
	echo "==== $p: $runs runs under lhv and KVM ===="
	start=$SECONDS
	scripts/run-vm "$p" --timeout "$timeout" -- "LHV_BENCH_POLL_US=$poll_us LHV_BENCH_LINUX=$linux_s LHV_BENCH_LINUX_NO_KVM='$kvm_linux' lhv-bench $runs" | tee "$out/raw-$p.txt"
	status=${PIPESTATUS[0]}
	echo "# $p: run-vm exit $status after $((SECONDS - start)) s"
	echo "PLATFORM_STATUS $status" >>"$out/raw-$p.txt"
	echo "PLATFORM_SECONDS $((SECONDS - start))" >>"$out/raw-$p.txt"
	raws+=("$out/raw-$p.txt")
done

{
	echo "lhv benchmarks: $(git describe --always --dirty 2>/dev/null), $(date -u +%Y-%m-%dT%H:%MZ)"
	for r in "${raws[@]}"; do
		p=$(basename "$r" .txt)
		awk -v platform="${p#raw-}" -v linux_s="$linux_s" -f scripts/bench-table.awk "$r"
	done
} | tee "$out/results.txt"
echo "(written to $out/results.txt)"
