#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lhv as an administrator meets it (Documentation/install.rst): /dev/lhv
# is the misc device 10:250 that modules.devname lists, its first open
# loads lhv.ko, module parameters come from /etc/modprobe.d/, a bad
# cpu_pool fails the load with a line that says why, and lhv-run shows
# the pool and points to its manual page.  Leaves lhv.ko loaded as it
# found it.
. "$(dirname "$0")/tap.sh"

guests=/usr/libexec/lhv/guests
pool=/sys/module/lhv/parameters/cpu_pool
devname=/lib/modules/$(uname -r)/modules.devname
# The options the test VM loads lhv with (scripts/vm/init).
conf=/etc/modprobe.d/lhv-test-admin.conf

loaded() {
	grep -q '^lhv ' /proc/modules
}

# lhv.ko loaded the usual way, its node devtmpfs's: the state to leave.
reload() {
	rm -f "$conf"
	if loaded; then rmmod lhv || return 1; fi
	[ -c /dev/lhv ] && rm -f /dev/lhv
	modprobe lhv && [ -c /dev/lhv ]
}

devname_listed() {
	grep -x 'lhv lhv c10:250' "$devname" ||
		{ echo "no 'lhv lhv c10:250' in $devname:"; cat "$devname"; return 1; }
}

misc_10_250() {
	[ "$(stat -c '%t:%T' /dev/lhv)" = "a:fa" ] ||
		{ ls -l /dev/lhv; return 1; }
}

# What udev does at boot (kmod static-nodes): the node from
# modules.devname, before anything loaded the module.  The kernel runs
# modprobe for char-major-10-250 at the first open.
autoload_on_open() {
	old=$(cat /proc/sys/kernel/modprobe)
	rmmod lhv || return 1
	[ -e /dev/lhv ] && { echo "/dev/lhv outlived rmmod"; return 1; }
	set -- $(awk '$1 == "lhv" { print $3 }' "$devname" | tr 'c:' '  ')
	mknod /dev/lhv c "$1" "$2" || return 1
	# The test VM's modprobe is busybox's in /bin.
	echo /bin/modprobe > /proc/sys/kernel/modprobe
	lhv-run --caps > /tmp/admin-caps.txt 2>&1
	rc=$?
	echo "$old" > /proc/sys/kernel/modprobe
	cat /tmp/admin-caps.txt
	[ $rc = 0 ] && loaded
}

caps_show_pool() {
	lhv-run --caps > /tmp/admin-caps.txt || return 1
	grep '^CPU pool:' /tmp/admin-caps.txt &&
		grep -qx "CPU pool: *$(cat $pool)" /tmp/admin-caps.txt
}

# cpu_pool from /etc/modprobe.d/: applied at load, and lhv-run says why
# a CPU outside it cannot be had (exit status 8).
modprobe_d_pool() {
	rmmod lhv || return 1
	echo "options lhv cpu_pool=2" > "$conf"
	modprobe lhv || return 1
	[ "$(cat $pool)" = 2 ] || { echo "cpu_pool is '$(cat $pool)'"; return 1; }
	lhv-run --caps | grep -x 'CPU pool: *2' || return 1
	lhv-run --cpus 1 --timeout 60 $guests/hello.elf > /tmp/admin-run.txt 2>&1
	rc=$?
	cat /tmp/admin-run.txt
	[ $rc = 8 ] &&
		grep -q "^lhv-run: cannot have host CPUs 1: outside lhv's CPU pool ($pool: 2)" \
			/tmp/admin-run.txt &&
		dmesg | grep -q 'lhv: CPU 1 is not in cpu_pool (2): vCPU refused'
}

bad_pool_fails_load() {
	rmmod lhv || return 1
	if modprobe lhv cpu_pool=0-1 2>/tmp/admin-modprobe.txt; then
		echo "modprobe lhv cpu_pool=0-1 succeeded"
		return 1
	fi
	cat /tmp/admin-modprobe.txt
	! loaded && dmesg | tail -n 5 | grep 'lhv: cpu_pool: CPU 0 cannot be in the pool'
}

help_points_to_manual() {
	lhv-run --help | grep 'lhv-run(1)'
}

tap_plan 7
tap_check "modules.devname lists /dev/lhv (devname:lhv, char-major-10-250)" devname_listed
tap_check "/dev/lhv is the misc device 10:250" misc_10_250
tap_check "the first open of a static /dev/lhv loads lhv.ko" autoload_on_open
reload
tap_check "lhv-run --caps shows the CPU pool" caps_show_pool
tap_check "cpu_pool from /etc/modprobe.d applies at load; lhv-run and the log say why CPU 1 is refused" \
	modprobe_d_pool
reload
tap_check "a bad cpu_pool fails the load, and the log says why" bad_pool_fails_load
reload || echo "# could not load lhv.ko again"
tap_check "lhv-run --help points to lhv-run(1)" help_points_to_manual
tap_done
