#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lhv.ko loads, reports the capabilities this platform must have, coexists
# with KVM and survives repeated load/unload without kernel warnings.
. "$(dirname "$0")/tap.sh"

platform=${LHV_PLATFORM:-unknown}
[ -r /etc/lhv/env ] && . /etc/lhv/env && platform=$LHV_PLATFORM
cycles=${LHV_LOAD_CYCLES:-50}

caps_expected() {
	lhv-run --caps > /tmp/caps.txt || return 1
	cat /tmp/caps.txt
	case "$platform" in
	vmx-bochs)
		grep -q '^backend: *Intel VMX' /tmp/caps.txt &&
		grep -q '^wait-for-SIPI: *yes' /tmp/caps.txt &&
		grep -q '^EPT: *yes' /tmp/caps.txt ;;
	svm-tcg)
		grep -q '^backend: *AMD SVM' /tmp/caps.txt &&
		grep -q '^NPT: *yes' /tmp/caps.txt ;;
	*)
		grep -qE '^backend: *(Intel VMX|AMD SVM)' /tmp/caps.txt ;;
	esac
}

kvm_module() {
	if grep -q 'Intel VMX' /tmp/caps.txt; then echo kvm_intel; else echo kvm_amd; fi
}

loaded() {
	grep -q "^$1 " /proc/modules
}

with_kvm() {
	kvm=$(kvm_module)
	rmmod lhv || return 1
	modprobe "$kvm" nested=1 || { echo "cannot load $kvm"; return 1; }
	modprobe lhv || { echo "lhv does not load with $kvm loaded"; return 1; }
	loaded "$kvm" && loaded lhv || return 1
	lhv-run --caps > /dev/null || return 1
	rmmod lhv && loaded "$kvm" || return 1
	modprobe lhv && loaded lhv
}

# KVM enables VMX/SVM on every CPU for a VM and fails with EBUSY where it
# is on already: lhv's load must have left it off on all of them.
kvm_vm_next_to_lhv() {
	loaded lhv || modprobe lhv || return 1
	loaded "$(kvm_module)" || modprobe "$(kvm_module)" nested=1 || return 1
	"$(dirname "$0")/kvm_create_vm" || return 1
	rmmod "$(kvm_module)"
}

load_cycles() {
	i=0
	while [ $i -lt "$cycles" ]; do
		rmmod lhv || { echo "rmmod failed in cycle $i"; return 1; }
		modprobe lhv || { echo "modprobe failed in cycle $i"; return 1; }
		[ -c /dev/lhv ] || { echo "/dev/lhv missing in cycle $i"; return 1; }
		i=$((i + 1))
	done
}

no_kernel_warnings() {
	! dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace'
}

tap_plan 6
tap_check "lhv.ko loaded at boot and /dev/lhv exists" test -c /dev/lhv
tap_check "lhv-run --caps reports what $platform must have" caps_expected
tap_check "lhv.ko loads and unloads with $(kvm_module) loaded" with_kvm
if [ "${LHV_KVM_HOLD:-0}" = 1 ]; then
	tap_skip "KVM creates a VM while lhv is loaded (lhv left VMX/SVM off)" \
		"KVM holds a VM for the whole boot on QEMU TCG, so SVM is on before lhv loads"
else
	tap_check "KVM creates a VM while lhv is loaded (lhv left VMX/SVM off)" kvm_vm_next_to_lhv
fi
tap_check "$cycles load/unload cycles" load_cycles
tap_check "no WARN, BUG or oops in dmesg" no_kernel_warnings
tap_done
