#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: install what is missing, build everything, run the host
# unit tests, boot every test platform once with all in-VM tests batched,
# print each suite's TAP and end with "N passed, N failed, N skipped".
# Exits non-zero on any failure.
#
#   LHV_PLATFORMS="svm-tcg vmx-bochs kvm"   platforms to boot (default all)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LHV_TOP"

platforms=${LHV_PLATFORMS:-svm-tcg vmx-bochs kvm}
passed=0 failed=0 skipped=0
failures=()
log=$LHV_BUILD/check
mkdir -p "$log"

section() {
	printf '\n==== %s ====\n' "$*"
}

# Count one suite's TAP output, given as a file; $1 names the suite.
count_tap() {
	local suite=$1 file=$2 line
	while IFS= read -r line; do
		case "$line" in
		"ok "*"# SKIP"*|"ok "*"# skip"*)
			skipped=$((skipped + 1)) ;;
		"ok "*)
			passed=$((passed + 1)) ;;
		"not ok "*)
			failed=$((failed + 1))
			failures+=("$suite: ${line#not ok }") ;;
		esac
	done < <(sed 's/\r$//' "$file")
}

# One synthetic TAP result for a step that is not a TAP producer itself.
step() {
	local suite=$1 desc=$2
	shift 2
	if "$@" > "$log/step.out" 2>&1; then
		echo "ok - $desc"
		passed=$((passed + 1))
	else
		echo "not ok - $desc"
		sed 's/^/#   /' "$log/step.out" | tail -n 30
		failed=$((failed + 1))
		failures+=("$suite: $desc")
	fi
}

section "dependencies"
scripts/deps.sh || lhv_die "cannot install dependencies"
echo "all installed"

section "build"
warnings_free() {	# make args...: build, fail on any warning
	make -s "$@" 2>&1 | tee "$log/build.out" | grep -v '^Skipping BTF generation'
	[ "${PIPESTATUS[0]}" = 0 ] || return 1
	! grep -E 'warning:|error:' "$log/build.out"
}
step build "lhv.ko builds against $(scripts/find-kdir.sh) with W=1, no warnings" \
	warnings_free module W=1
step build "sparse (make C=2) reports nothing" warnings_free module C=2
step build "userspace (launcher, unit tests) builds with -Werror" make -s userspace
step build "checkpatch --strict reports nothing on kernel sources" scripts/checkpatch.sh
step build "kselftests (selftests/lhv/ksft) build with -Werror" make -s -C selftests/lhv/ksft
step build "KVM nested INIT/SIPI selftests (selftests/kvm) build with -Werror" make -s -C selftests/kvm

section "host unit tests"
for t in tests/unit/test_*; do
	[ -x "$t" ] || continue
	"$t" | tee "$log/unit.tap"
	rc=${PIPESTATUS[0]}
	count_tap "unit $(basename "$t")" "$log/unit.tap"
	# A sanitizer abort ends the TAP early without a "not ok" line.
	[ "$rc" = 0 ] || grep -q '^not ok' "$log/unit.tap" ||
		{ failed=$((failed + 1)); failures+=("unit: $t exited $rc"); }
done

# Installing lhv as an administrator would (Documentation/install.rst):
# make install/uninstall, the man pages, the Debian packages, lintian,
# and DKMS building lhv.ko from the lhv-dkms package for the stock kernel;
# the svm-tcg (and kvm) kselftests below run on that module.
section "packaging"
pkg_step() {	# name description: one timed scripts/pkg-check.sh step
	local start=$SECONDS
	step pkg "$2" scripts/pkg-check.sh "$1"
	echo "# pkg-check.sh $1: $((SECONDS - start)) s"
}
pkg_step install "make install and make uninstall with DESTDIR and PREFIX"
pkg_step man "man pages lhv-run(1) and lhv(4) from Documentation/ (rst2man); man -l renders both"
pkg_step deb "Debian packages lhv-dkms and lhv-tools build (dpkg-buildpackage, debhelper, dh-dkms)"
pkg_step contents "lhv-dkms holds the module's source and dkms.conf, lhv-tools lhv-run, the man pages, the guests"
pkg_step lintian "lintian reports no errors on lhv-dkms, lhv-tools and the source package"
pkg_step dkms "DKMS builds and installs lhv.ko from lhv-dkms for $(lhv_stock_kver), the test VMs' stock kernel"

# How the test VMs' boots run.  mode=run: one after another, each
# printed and counted as it ends.  Bochs emulates a machine on one host
# thread, so the vmx-bochs boots run in two lanes side by side
# (mode=record, each boot's output, status and time kept in $log), and
# are printed and counted afterwards in their order (mode=report).  The
# QEMU TCG boots use every host CPU and run alone.
mode=run lane=a
# The lane of each vmx-bochs boot, by suite name; the rest run in lane a.
# Balanced by the times make check prints (Documentation/testing.rst).
declare -A lane_b=(
	[vmx-bochs-ksft]=1 [vmx-bochs-virtio]=1 [kvm-in-vmx-bochs]=1
)

section() {
	[ "$mode" = record ] || printf '\n==== %s ====\n' "$*"
}

# Whether boot $1 belongs to this lane (mode=record).
runs_here() {
	local want=a
	[ -n "${lane_b[$1]:-}" ] && want=b
	[ "$lane" = "$want" ]
}

# What a lane recorded for suite $1: its exit status, its time.
recorded() {
	cat "$log/$1.$2" 2>/dev/null || echo "${3:-126}"
}

# Run "$@" for suite $1 into $log/$1.out, .rc and .time.
record() {
	local suite=$1 start=$SECONDS rc
	shift
	"$@" > "$log/$suite.out" 2>&1
	rc=$?
	echo "$rc" > "$log/$suite.rc"
	echo $((SECONDS - start)) > "$log/$suite.time"
	echo "# lane $lane: $suite ended (exit $rc) after $((SECONDS - start)) s"
}

# One boot of platform $1 running command $3 with run-vm options $4...;
# $2 names the suite.  Counts its TAP; a VM failure without a counted
# failure counts as one failure, a skipped platform as one skip.
vm_suite() {
	local p=$1 suite=$2 cmd=$3 out=$log/$2.out start=$SECONDS rc
	shift 3
	case $mode in
	run)
		scripts/run-vm "$p" "$@" -- "$cmd" | tee "$out"
		rc=${PIPESTATUS[0]}
		count_suite "$suite" "$rc" $((SECONDS - start)) ;;
	record)
		runs_here "$suite" && record "$suite" scripts/run-vm "$p" "$@" -- "$cmd" ;;
	report)
		cat "$out" 2>/dev/null
		count_suite "$suite" "$(recorded "$suite" rc)" "$(recorded "$suite" time 0)" ;;
	esac
}

count_suite() {
	local suite=$1 rc=$2 secs=$3 out=$log/$1.out failed_before=$failed
	echo "# $suite: run-vm exit $rc after $secs s"
	if [ "$rc" = 77 ]; then
		skipped=$((skipped + 1))
		return
	fi
	# A kselftest runner nests each program's TAP as "# " lines: count
	# those, one per test case, and the other top-level lines, but not
	# the runner's one line per program.
	if [ -n "${NESTED_TAP:-}" ]; then
		{
			sed -n 's/^# \(ok \|not ok \)/\1/p' "$out"
			grep -E '^(ok|not ok) ' "$out" | grep -v ' selftests: '
		} > "$out.cases"
		count_tap "$suite" "$out.cases"
	else
		count_tap "$suite" "$out"
	fi
	if [ "$rc" != 0 ] && [ "$failed" = "$failed_before" ]; then
		failed=$((failed + 1))
		failures+=("$suite: test VM failed (run-vm exit $rc); its last TAP line: $(last_tap "$out")$(first_problem "$out")")
	fi
}

# A step that boots a test VM: recorded in the lanes like a boot.  The
# command's exit status 77 is a skip.
vm_step() {
	local suite=$1 desc=$2 rc
	shift 2
	case $mode in
	record) runs_here "$suite" && record "$suite" "$@"; return ;;
	run) "$@" > "$log/$suite.out" 2>&1; rc=$? ;;
	report) rc=$(recorded "$suite" rc) ;;
	esac
	case $rc in
	0)	echo "ok - $desc"
		passed=$((passed + 1)) ;;
	77)	echo "ok - $desc # SKIP platform unavailable"
		skipped=$((skipped + 1)) ;;
	*)	echo "not ok - $desc"
		sed 's/^/#   /' "$log/$suite.out" | tail -n 30
		failed=$((failed + 1))
		failures+=("$suite: $desc") ;;
	esac
}

# A step that only reads what the boots left: not in the lanes.
post_step() {
	[ "$mode" = record ] || step "$@"
}

# The first kernel problem a VM's console showed, as run-vm named it, for
# the summary.
first_problem() {
	local line
	line=$(sed -n 's/^run-vm: [^:]*: the first kernel problem: //p' "$1" | head -n 1)
	[ -z "$line" ] || printf '; its first kernel problem: %s' "$line"
}

# The last TAP or "# test" line of a VM's output: where a VM that timed out
# or crashed stopped, for the summary (CI shows only the log's tail).
last_tap() {
	grep -E '^(ok|not ok|# test_|# lhv_)' "$1" | tail -n 1 | cut -c1-160
}

# The same VM with at most 8 possible CPUs: Linux sends flat logical IPIs,
# whose logical IDs a passthrough guest could share (lapic/lapic.c).
flat_host_withholds() {
	local out=$log/$1-flat.vm
	LHV_BOCHS_POSSIBLE_CPUS=4 scripts/run-vm "$1" --timeout 600 -- \
		'lhv-run --caps; dmesg | grep -e "APIC routing" -e withheld' > "$out" 2>&1
	[ $? = 77 ] && return 77
	cat "$out"
	grep -E 'LAPIC modes: +filtered \(default filtered\)' "$out" &&
		grep -q 'passthrough LAPIC mode withheld' "$out"
}

# Host reboot with a guest running: the VM cannot report a result (it is
# rebooting), so the console is the evidence.  The kernel's messages need
# a console log level that shows pr_info.
reboot_releases_cpus() {
	local p=$1 out=$log/$1-reboot.vm rc
	scripts/run-vm "$p" --timeout 600 -- 'dmesg -n 7
		lhv-run /usr/libexec/lhv/guests/spin.elf &
		while ! grep -q 0,2 /sys/devices/system/cpu/online; do sleep 1; done
		sleep 2; reboot -f; sleep 600' > "$out" 2>&1
	rc=$?
	[ "$rc" = 77 ] && return 77
	if [ "$rc" = 125 ]; then
		echo "the kernel oopsed or warned"; tail -n 40 "$out"; return 1
	fi
	grep -q '^spinning' "$out" &&
	grep -q 'lhv: reboot: CPU 1 released from its VM' "$out" &&
	grep -q 'reboot: Restarting system' "$out" ||
		{ echo "no release before the restart (run-vm exit $rc):"; tail -n 40 "$out"; return 1; }
}

# KASAN, UBSAN, lockdep, kmemleak and fault injection: the svm-tcg VM on
# the debug kernel (Documentation/testing.rst, "The debug kernel"), with
# fewer repetitions than the stock boots.  Its kmemleak scan and report
# checks are lhv-debug-check's TAP lines.
debug_suite() {
	local p=$1 start=$SECONDS
	if ! scripts/build-kernel.sh --flavour debug > "$log/debug-build.out" 2>&1; then
		echo "not ok - $p: the debug kernel builds"
		tail -n 30 "$log/debug-build.out" | sed 's/^/#   /'
		failed=$((failed + 1))
		failures+=("$p-debug: the debug kernel does not build")
		return
	fi
	echo "# the debug kernel built or found in the cache in $((SECONDS - start)) s"
	# Nothing here uses KVM: no VM held (scripts/vm/init), so every
	# report is lhv's or the kernel's own.
	LHV_KVM_HOLD=0 NESTED_TAP=1 vm_suite "$p" "$p-debug" 'lhv-debug-check begin
		lhv-selftests test_run test_pcpu
		/usr/libexec/lhv/selftests/test_lifecycle 30
		/usr/libexec/lhv/selftests/test_smp --repeat 5 fl-1ap fl-2ap fl-broadcast \
			fl-second-sipi fl-init-restart fl-init-park fl-outside fl-nmi fl-platform fl-repeat
		cd /mnt/add/ksft && LHV_FUZZ_CALLS=3000 LHV_RACE_SECONDS=20 sh run_tests.sh
		lhv-debug-check end' --kernel debug --add selftests/lhv/ksft --timeout 2700
}

# Every boot of platform $1, in order.
platform_suites() {
	local p=$1 stock_ko=

	section "$p"
	# --add is part of run-vm's contract; test_vm.sh looks for the file.
	vm_suite "$p" "$p" 'lhv-run --caps; lhv-selftests' --add "$log/lhv-add-marker"
	# lhv's own mode, where the platform can run it: passthrough offered
	# and the default (Documentation/initsipi.rst).
	if [ "$p" = vmx-bochs ]; then
		[ "$mode" = record ] || ! grep -q "^lhv-vm: $p," "$log/$p.out" ||
			step "$p" "$p: lhv-run --caps offers passthrough, the default" \
				grep -E 'LAPIC modes: +passthrough filtered \(default passthrough\)' "$log/$p.out"
		vm_step "$p-flat" "$p: a host in flat logical xAPIC mode (4 possible CPUs) gets no passthrough, and lhv says why" \
			flat_host_withholds "$p"
	fi

	# Debian's kernel as a guest with 2 and 3 vCPUs: a boot of its own,
	# as a Linux guest takes ~9 minutes on Bochs.
	section "$p: Linux guest"
	vm_suite "$p" "$p-linux" 'sh /usr/libexec/lhv/selftests/test_linux.sh' --timeout 2700

	# The kselftest suite: every ioctl with good and bad input, 10,000
	# seeded random ioctls, two processes racing (testing.rst).  On the
	# platforms that boot the stock kernel (svm-tcg, kvm) it runs on the
	# lhv.ko that DKMS built (packaging, above).
	section "$p: kselftests"
	[ -f "$LHV_BUILD/dkms/lhv.ko" ] && stock_ko=$LHV_BUILD/dkms/lhv.ko
	LHV_VM_MODULE_STOCK=$stock_ko NESTED_TAP=1 vm_suite "$p" "$p-ksft" \
		'cd /mnt/add/ksft && sh run_tests.sh' --add selftests/lhv/ksft
	[ "$p" = svm-tcg ] &&
		post_step pkg "svm-tcg: the kselftests ran on the lhv.ko that DKMS built" \
			scripts/pkg-check.sh vm-module "$log/svm-tcg-ksft.out"

	# What lhv needs from an L0 KVM: nested INIT/SIPI exits (VMX), the
	# INIT intercept (SVM), checked against the SDM/APM
	# (selftests/kvm/README.rst).
	section "$p: KVM nested INIT/SIPI selftests"
	NESTED_TAP=1 vm_suite "$p" "$p-kvm-nested" 'sh /mnt/add/bin/run_tests.sh' \
		--add selftests/kvm/build/bin --timeout 2400

	if [ "$p" = svm-tcg ]; then
		section "svm-tcg: debug kernel (KASAN, UBSAN, lockdep, kmemleak, fault injection)"
		debug_suite svm-tcg
	fi

	# Three guest APs need four host CPUs besides CPU 0: a 5-CPU VM that
	# runs only those groups of test_smp (the 4-CPU run skips them).
	section "$p: 5 CPUs, 3 guest APs"
	vm_suite "$p" "$p-smp5" '/usr/libexec/lhv/selftests/test_smp pt-3ap fl-3ap' --smp 5 \
		--timeout 1200

	# The conformance guests (Documentation/guests.rst): each under lhv
	# in every LAPIC mode the platform offers and under KVM.
	section "$p: conformance guests"
	vm_suite "$p" "$p-conform" 'lhv-selftests test_conform.sh' --timeout 2400

	# Debian's kernel with lhv-run's PCI devices: a disk, a tap, a virtio
	# console, COM1's interrupt (Documentation/lhv-run.rst).
	section "$p: virtio devices"
	vm_suite "$p" "$p-virtio" 'lhv-selftests test_virtio.sh' --add "$LHV_BUILD/virtio" \
		--timeout 3000

	section "$p: host reboot"
	vm_step "$p-reboot" "$p: host reboot with a spinning guest gives CPU 1 back first" \
		reboot_releases_cpus "$p"

	# lhv in a KVM guest inside the test VM, as users run it in CI
	# (Documentation/nested.rst).
	case $p in
	svm-tcg|vmx-bochs)
		section "kvm-in-$p: lhv nested under KVM"
		nested_suite "kvm-in-$p" ;;
	esac
}

# lhv.ko in an L1 KVM guest: the suites that L1 finishes within make
# check's budget (Documentation/nested.rst gives their times and what runs
# only by hand: test_lifecycle and the kselftests, some 20 minutes on
# kvm-in-vmx-bochs and 8 on kvm-in-svm-tcg, each exit to userspace being
# tens of milliseconds there).  5 CPUs, for pt-3ap and fl-3ap.
nested_suite() {
	local p=$1 smp=/usr/libexec/lhv/selftests/test_smp
	case $p in
	kvm-in-svm-tcg)
		vm_suite "$p" "$p" "lhv-run --caps
			lhv-selftests test_run
			$smp fl-1ap fl-2ap fl-3ap fl-broadcast fl-second-sipi fl-init-restart fl-init-park \
				fl-outside fl-nmi fl-platform fl-repeat" --smp 5 --timeout 1800 ;;
	kvm-in-vmx-bochs)
		vm_suite "$p" "$p" "lhv-run --caps
			lhv-selftests test_run
			$smp pt-1ap pt-2ap pt-3ap pt-second-sipi pt-init-restart pt-init-park pt-nmi \
				pt-platform
			$smp --repeat 5 pt-repeat" --smp 5 --timeout 3000 ;;
	esac
}

# The virtio guest's initramfs and disk need the stock kernel's modules,
# which only the host has.
section "virtio devices: the guest's initramfs and disk"
step build "test_virtio.sh --prepare: the guest's initramfs and ext4 disk" \
	selftests/lhv/test_virtio.sh --prepare "$LHV_BUILD/virtio"
echo "lhv add test" > "$log/lhv-add-marker"

for p in $platforms; do
	[ "$p" = vmx-bochs ] && continue
	platform_suites "$p"
done
case " $platforms " in
*" vmx-bochs "*)
	section "vmx-bochs: two lanes of Bochs boots, reported when both end"
	start=$SECONDS
	(mode=record; lane=a; platform_suites vmx-bochs) &
	(mode=record; lane=b; platform_suites vmx-bochs) &
	wait
	echo "# vmx-bochs: both lanes ended after $((SECONDS - start)) s"
	mode=report
	platform_suites vmx-bochs ;;
esac

section "summary"
for f in "${failures[@]}"; do
	echo "FAILED: $f"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
