# SPDX-License-Identifier: GPL-2.0
# Helpers for the shell tests that run lhv-run; source it after setting
# run_log and err_log (where lhv-run's stdout and stderr go).

# run WANT_STATUS args...: lhv-run's status must be WANT_STATUS; its
# output is shown (the end of it, by tap_check) when it is not.
run() {
	want=$1
	shift
	lhv-run "$@" > "$run_log" 2> "$err_log"
	rc=$?
	[ "$rc" = "$want" ] && return 0
	tail -n 40 "$run_log" "$err_log"
	echo "lhv-run $*: exit status $rc, want $want"
	return 1
}

# has FILE PATTERN...: each extended regex matches a line of FILE.
has() {
	f=$1
	shift
	for p in "$@"; do
		grep -Eq "$p" "$f" || { echo "no line matching '$p' in:"; tail -n 40 "$f"; return 1; }
	done
}
