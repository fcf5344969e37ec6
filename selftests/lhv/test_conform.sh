#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The conformance guests (guests/conform, Documentation/guests.rst): each
# image under lhv-run in filtered mode, in passthrough mode where lhv
# offers it, and under --accel kvm, one TAP line per run.  A guest prints
# a TAP line per case and writes its number of failed cases to the
# debug-exit port; a failed run shows the guest's failing cases.
#
# usage: test_conform.sh [IMAGE...]   (default: all of them)
# Full outputs stay in /tmp/conform/IMAGE-MODE.out.  CONFORM_NO_SKIP=1
# runs the cases of the platform's known emulator bugs too.
. "$(dirname "$0")/tap.sh"

guests=${LHV_GUEST_DIR:-/usr/libexec/lhv/guests}
out=/tmp/conform
TIMEOUT=90
platform=unknown
[ -r /etc/lhv/env ] && . /etc/lhv/env && platform=$LHV_PLATFORM
[ "$platform" = vmx-bochs ] && TIMEOUT=240
mkdir -p $out

images=${*:-conf-exc conf-hc conf-apic conf-self conf-mmio}

# Cases a platform's own emulator gets wrong, whoever the hypervisor on
# top of it is (the guest reports them skipped and does not run them):
# known_bugs IMAGE ACCEL MODE prints "PATTERN REASON" lines, PATTERN a
# case name in which '*' matches anything, commas and spaces included
# (guests/conform/report.c).
known_bugs() {
	[ -n "${CONFORM_NO_SKIP:-}" ] && return
	case "$platform:$1" in
	svm-tcg:conf-exc)
		# QEMU 10.0, as scripts/build-qemu.sh builds it; each of these
		# was in 7.2 too (measured with CONFORM_NO_SKIP=1, 2026-12-06).
		echo "*ss-rbp-* QEMU TCG raises #GP, never #SS, for a non-canonical stack reference"
		echo "*ss-push-* the same QEMU bug: #GP for a non-canonical stack reference"
		echo "*pf-reserved-bit* QEMU TCG leaves the P bit out of a reserved-bit #PF's error code"
		echo "*ac-misaligned* QEMU TCG does no alignment checking (#AC)"
		echo "*xm-divss* QEMU TCG raises no #XM for unmasked SSE exceptions"
		echo "*gp-fs-base* QEMU TCG's WRMSR takes a non-canonical FS/GS/KERNEL_GS base without #GP"
		echo "*gp-gs-base* the same QEMU bug"
		echo "*gp-kernel-gs-base* the same QEMU bug"
		# KVM emulates the MOV without decode assists (QEMU has none) and
		# its emulator drops bits 63:32 of the value (mk_cr_64()).
		echo "*gp-cr0-high-bit* QEMU TCG takes CR0 bits 63:32 without #GP; KVM's emulator drops them"
		;;
	esac
	case "$platform:$1" in
	vmx-bochs:conf-exc)
		echo "*br-bound-compat* Bochs 3.0 raises #GP(0) for BOUND in compatibility mode, not #BR"
		;;
	esac
	case "$platform:$1:$2" in
	vmx-bochs:conf-exc:kvm)
		# lhv hides UMIP where the CPU lacks it; KVM offers it anyway.
		echo "*umip-smsw* Bochs 3.0's corei7_skylake_x has no UMIP, which KVM 6.1 then emulates by descriptor-table exits; SMSW causes none, so it runs at CPL 3 (KVM's vmx.c)"
		;;
	vmx-bochs:conf-exc:lhv)
		echo "*gp-wrmsr-unknown* Bochs runs with ignore_bad_msrs=1 (its default; scripts/bochs-boot.sh keeps it): an unknown MSR takes writes, no #GP, and lhv runs it on the CPU"
		echo "*gp-rdmsr-unknown* the same: Bochs reads an unknown MSR as 0"
		;;
	svm-tcg:conf-exc:lhv)
		# KVM intercepts these and answers itself; lhv leaves them to
		# the CPU, which is QEMU here.
		echo "*gp-wrmsr-unknown* QEMU TCG ignores a WRMSR of an MSR it does not know (no #GP), and lhv runs it on the CPU"
		echo "*gp-rdmsr-unknown* QEMU TCG reads an MSR it does not know as 0 (no #GP), and lhv runs it on the CPU"
		echo "*gp-cr0-nw-without-cd* QEMU TCG takes CR0.NW without CD (no #GP)"
		echo "*gp-cr4-reserved* QEMU TCG answers a MOV to CR4 with a reserved bit by #VMEXIT(INVALID) to lhv instead of #GP (commit \"target/i386: Added consistency checks for CR4\")"
		;;
	esac
	case "$platform:$1:$3" in
	vmx-bochs:conf-self:passthrough)
		# Passthrough hands the guest this APIC; lhv filters it otherwise.
		echo "*self*shorthand*NMI* Bochs 3.0's APIC drops an NMI by the self shorthand (SDM table 10-3 calls it invalid)"
		;;
	esac
}

# cmdline IMAGE ACCEL EXTRA DEAD MODE: the guest's command line, skip=
# from known_bugs, dead= from DEAD (the cases that stopped the guest in an
# earlier run), then EXTRA.
cmdline() {
	skip=$(known_bugs "$1" "$2" "$5" | cut -d' ' -f1 | tr '\n' , | sed 's/,$//')
	dead=$4
	echo "${skip:+skip=$skip }${dead:+dead=$dead }$3"
}

# run_image IMAGE MODE [lhv-run options]: the guest must end with 0.  A
# case that stops the guest (a crash, an exit nobody handles) is named by
# the guest's last "# run" line: it is reported, and the guest runs again
# with it on its dead= list, so every other case still gets its result.
run_image() {
	img=$1 mode=$2 accel=lhv extra=trace dead= deaths= last=
	shift 2
	[ "$mode" = kvm ] && accel=kvm
	# A passthrough guest's broadcast IPI would reach the host's CPUs.
	[ "$mode" = passthrough ] && extra="$extra nobroadcast"
	log=$out/$img-$mode.out
	attempt=0
	while [ $((attempt += 1)) -le 40 ]; do
		# Progress on the console (fd 3): a run may take minutes on Bochs.
		echo "# $img, $mode: run $attempt${last:+, after $last stopped the guest}" >&3
		lhv-run "$@" --timeout "$TIMEOUT" \
			--append "$(cmdline "$img" "$accel" "$extra" "$dead" "$mode")" \
			"$guests/$img.elf" > "$log" 2> "$log.err"
		rc=$?
		grep -q "^1\.\." "$log" && break
		prev=${last:-}
		last=$(sed -n 's/^# run [0-9]* //p' "$log" | tail -n 1)
		# Stopped outside a case, or again after the same one: give up.
		[ -n "$last" ] && [ "$last" != "$prev" ] || break
		deaths="$deaths
stopped the guest (lhv-run status $rc) in: $last
$(tail -n 2 "$log.err")"
		# No spaces or commas in a pattern: '*' stands for them.
		dead="${dead:+$dead,}$(printf '%s' "$last" | tr ' ,' '**')"
	done
	known_bugs "$img" "$accel" "$mode" | sed 's/^/known bug: /'
	[ "$rc" = 1 ] && [ -z "$deaths" ] && grep -q "^1\.\." "$log" && return 0
	echo "lhv-run exit status $rc (1: all passed, 2N+1: N cases failed)"
	[ -n "$deaths" ] && printf '%s\n' "$deaths" | sed '/^$/d'
	# The failing cases, and how the last run ended.
	grep -E "^(not ok|Bail out)" "$log" | head -n 60
	tail -n 3 "$log" | grep -v -E "^(ok|not ok|# run)"
	tail -n 3 "$log.err"
	return 1
}

# A TAP line of its own, with every failing case (tap_check keeps 15).
conform_case() {
	desc=$1
	shift
	tap_n=$((tap_n + 1))
	if res=$("$@" 2>&1); then
		echo "ok $tap_n - $desc"
		printf '%s\n' "$res" | grep "^known bug" | sed 's/^/# /'
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $desc"
		printf '%s\n' "$res" | sed 's/^/#   /'
	fi
}

cpus_online() {
	[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 1 ] || { echo "CPU 1 offline"; return 1; }
}

pt=
lhv-run --caps | grep -q "^LAPIC modes:.*passthrough" && pt=1
kvm_mod=kvm_amd
grep -qw vmx /proc/cpuinfo && kvm_mod=kvm_intel
loaded_here=
if [ ! -e /dev/kvm ]; then
	modprobe "$kvm_mod" nested=1 2>$out/modprobe.err && loaded_here=1
fi

exec 3>&1
set -- $images
tap_plan $(($# * 3 + 1))
for img in $images; do
	conform_case "$img under lhv, filtered LAPIC" run_image "$img" filtered --lapic filtered
	if [ -n "$pt" ]; then
		conform_case "$img under lhv, passthrough LAPIC" \
			run_image "$img" passthrough --lapic passthrough
	else
		tap_skip "$img under lhv, passthrough LAPIC" "lhv-run --caps offers no passthrough here"
	fi
	if [ -e /dev/kvm ]; then
		conform_case "$img under KVM (lhv-run --accel kvm)" run_image "$img" kvm --accel kvm
	else
		tap_skip "$img under KVM" "no /dev/kvm: $(head -n 1 $out/modprobe.err 2>/dev/null)"
	fi
done
tap_check "host CPU 1 online at the end" cpus_online
[ -n "$loaded_here" ] && modprobe -r "$kvm_mod" 2>/dev/null
tap_done
