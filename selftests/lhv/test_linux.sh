#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's stock kernel (/boot/vmlinuz in the test VM) as an lhv guest with
# 2 and 3 vCPUs: lhv-run gives it the ACPI/MP tables and devices it needs,
# the kernel brings each AP up by its own INIT-SIPI-SIPI, its init
# (guests/linux/init) reports the CPUs online and powers off through ACPI.
# The guest's console goes to a file: its kernel messages are no business
# of the test VM's panic detection.
#
# usage: test_linux.sh [NR_VCPUS[:MODE]...]   MODE passthrough or filtered,
#        default the host's default LAPIC mode.  Default list: 2 3, and
#        3:filtered where passthrough is the default; the last boot also
#        checks the NMIs of kill -USR1.
. "$(dirname "$0")/tap.sh"

guests=/usr/libexec/lhv/guests
kernel=/boot/vmlinuz
# Bochs boots the guest kernel in minutes; TCG in seconds.
timeout=1500

default_mode=$(lhv-run --caps | sed -n 's/^LAPIC modes:.*(default \(.*\))/\1/p')
if [ $# = 0 ]; then
	set -- 2 3
	[ "$default_mode" = passthrough ] && set -- 2 3 3:filtered
fi

cpus_online() {
	for c in $(seq 1 "$1"); do
		[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] ||
			{ echo "CPU $c offline"; return 1; }
	done
}

# has FILE PATTERN...: each extended regex matches a line of FILE.
has() {
	f=$1
	shift
	for p in "$@"; do
		grep -Eq "$p" "$f" || { echo "no line matching '$p'"; return 1; }
	done
}

# Each AP came up by INIT and SIPI: lhv's counters for the mode in use.
# In passthrough the SIPI is a hardware exit and nothing of the LAPIC
# traps on any vCPU.
ap_stats_ok() {
	n=$1 err=$2 i=0
	if [ "$mode" = passthrough ]; then
		while [ "$i" -lt "$n" ]; do
			has "$err" "^lhv-run: stats vcpu=$i .* emulated_init=0 emulated_sipi=0 icr_trap=0 ipi_dropped=0 lapic_other=0( |\$)" ||
				return 1
			i=$((i + 1))
		done
	fi
	i=1
	while [ "$i" -lt "$n" ]; do
		if [ "$mode" = passthrough ]; then
			has "$err" "^lhv-run: stats vcpu=$i .* sipi=[1-9]" || return 1
		else
			has "$err" "^lhv-run: stats vcpu=$i .* emulated_init=[1-9][0-9]* emulated_sipi=[1-9]" ||
				return 1
		fi
		i=$((i + 1))
	done
}

# boot N [nmi]: N vCPUs; with "nmi", SIGUSR1 to lhv-run once init waits
# for NMIs, and each CPU's NMI handler must report one.
nmi_ok() {	# N LOG ERR: each vCPU took the NMI lhv-run sent on SIGUSR1
	n=$1 i=0
	has "$2" "lhv-guest: PASS: NMIs seen on $n CPUs" &&
		has "$3" "^lhv-run: SIGUSR1: NMI sent to $n vCPUs" || return 1
	while [ "$i" -lt "$n" ]; do
		has "$3" "^lhv-run: stats vcpu=$i .* nmi_injected=1( |\$)" || return 1
		i=$((i + 1))
	done
}

boot() {
	n=$1 mode=$2 nmi=${3:-} tag=$1-$2$3
	log=/tmp/linux-$tag.log err=/tmp/linux-$tag.err
	cpus=$(seq -s, 1 "$n")
	start=$(date +%s)
	: > "$log"
	lhv-run --lapic "$mode" --cpus "$cpus" --mem 256M --initrd "$guests/linux-initrd.cpio" \
		--append "loglevel=5 lhv.expect_cpus=$n${nmi:+ lhv.wait_nmi=600}" \
		--timeout $timeout --stats --serial "$log" "$kernel" 2> "$err" &
	pid=$!
	# Progress for whoever watches a slow platform (to the console:
	# stdout is the TAP this function's caller keeps for a failure).
	ticks=0
	while kill -0 $pid 2>/dev/null; do
		sleep 1
		ticks=$((ticks + 1))
		[ $((ticks % 60)) = 0 ] &&
			echo "# linux guest, $n vCPUs, ${ticks} s: $(tail -n 1 "$log" | cut -c1-100)" > /dev/console
		if [ "$nmi" = nmi ] && grep -q "waiting for NMIs" "$log"; then
			kill -USR1 $pid
			nmi=sent
		fi
	done
	wait $pid
	rc=$?
	{
		echo "# $n vCPUs ($mode mode): lhv-run exit status $rc after $(($(date +%s) - start)) s"
		grep -E "^lhv-run: (guest|stats|vCPU|timeout)" "$err" | sed 's/^/# /'
	} > "/tmp/linux-$tag.sum"
	if [ "$rc" = 0 ] &&
	   has "$log" "lhv-guest: kernel: .*Booting SMP configuration" \
		"lhv-guest: kernel: .*smp: Brought up 1 node, $n CPUs" \
		"lhv-guest: $n CPUs online" \
		"lhv-guest: PASS: $n CPUs as expected" &&
	   has "$err" "^lhv-run: guest powered off" &&
	   ap_stats_ok "$n" "$err" && cpus_online "$n" &&
	   { [ -z "$nmi" ] || nmi_ok "$n" "$log" "$err"; }; then
		return 0
	fi
	echo "guest console, last lines:"
	tail -n 30 "$log"
	cat "$err"
	return 1
}

# The last boot also checks SIGUSR1's NMIs: a Bochs boot takes minutes.
last=$(eval echo "\${$#}")
tap_plan $#
for arg in "$@"; do
	n=${arg%%:*} m=$default_mode
	[ "$arg" = "$n" ] || m=${arg#*:}
	if [ "$(nproc)" -le "$n" ]; then
		tap_skip "Linux guest, $n vCPUs" "needs $((n + 1)) CPUs, the test VM has $(nproc)"
		continue
	fi
	how="every AP up by INIT-SIPI-SIPI"
	[ "$m" = passthrough ] &&
		how="every AP up by the kernel's INIT-SIPI-SIPI through SIPI exits, no LAPIC exit on any vCPU"
	if [ "$arg" = "$last" ]; then
		tap_check "Linux guest ($kernel), $n vCPUs, $m LAPIC: $how, $n CPUs online, kill -USR1 lhv-run gives each CPU one NMI (the kernel reports it), ACPI power-off, CPUs back" \
			boot "$n" "$m" nmi
	else
		tap_check "Linux guest ($kernel), $n vCPUs, $m LAPIC: $how, $n CPUs online, ACPI power-off, CPUs back" \
			boot "$n" "$m"
	fi
	cat /tmp/linux-"$n-$m"*.sum 2>/dev/null
done
tap_done
