# SPDX-License-Identifier: GPL-2.0
# A small TAP producer for lhv's shell tests; source it, call tap_plan N,
# then ok/not_ok through tap_check, and finish with tap_done.
tap_n=0
tap_failed=0

tap_plan() {
	echo "1..$1"
}

# tap_check "description" command [args...]: one TAP line for the command.
tap_check() {
	local desc=$1 out
	shift
	tap_n=$((tap_n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $tap_n - $desc"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $desc"
		printf '%s\n' "$out" | tail -n 15 | sed 's/^/#   /'
	fi
}

tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

tap_done() {
	[ "$tap_failed" -eq 0 ]
}
