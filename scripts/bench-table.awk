# SPDX-License-Identifier: GPL-2.0
#
# One platform's table for scripts/bench.sh, from lhv-bench's lines:
#   RESULT <lhv|kvm> <run> <name> <value>, STATUS <hv> <run> <status>,
#   INFO <text>, PLATFORM_STATUS <run-vm exit status>.
# Usage: awk -v platform=NAME -f bench-table.awk RAW
# The floor is lhv's null hypercall on this platform (Documentation/bench.rst).

function median(hv, name,    k, m, i, j, t, a) {
	m = cnt[hv, name]
	for (i = 1; i <= m; i++)
		a[i] = val[hv, name, i]
	for (i = 2; i <= m; i++)		# insertion sort: m is small
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	lo[hv, name] = a[1]
	hi[hv, name] = a[m]
	k = int((m + 1) / 2)
	return m % 2 ? a[k] : int((a[k] + a[k + 1]) / 2)
}

function cell(hv, name) {
	if (!cnt[hv, name])
		return sprintf("%-24s", "-")
	med[hv, name] = median(hv, name)
	return sprintf("%-24s", sprintf("%d (%d-%d)", med[hv, name],
					lo[hv, name], hi[hv, name]))
}

function ratio(a, b) {
	return b > 0 && a != "" ? sprintf("%.2f", a / b) : "-"
}

# Whether the issue's goal for @name holds, from the medians.
function goal(name, rk, rf) {
	if (name == "cpuid")
		return rf == "-" ? "" : (rf <= 1.2 ? "met (<=1.2x floor)" : "MISSED (<=1.2x floor)")
	if (name == "pio" || name == "mmio")
		return rk == "-" ? "" : (rk <= 1.0 ? "met (<=KVM)" : "MISSED (<=KVM)")
	if (name ~ /^ap_bringup/)
		return rk == "-" ? "" : (rk < 1.0 ? "met (<KVM)" : "MISSED (<KVM)")
	if (name == "timer_latency" && !clock_ok["kvm"])
		return "n/a: KVM's timer clock (note)"
	if (name == "timer_latency" || name == "ipi_roundtrip")
		return rk == "-" ? "" : (rk < 0.5 ? "met (<0.5x KVM)" : "MISSED (<0.5x KVM)" filtered)
	if (name == "timer_exits")
		return cnt["lhv", name] ? (med["lhv", name] == 0 ? "met (0 exits)" : "MISSED (0 exits)" filtered) : ""
	return ""
}

BEGIN {
	n = split("hypercall cpuid pio mmio ap_bringup_ap1 ap_bringup_ap2 ap_bringup_all timer_latency ipi_roundtrip timer_exits timer_ticks", order, " ")
	label["hypercall"] = "floor: null hypercall"
	label["cpuid"] = "(a) CPUID (in-kernel exit)"
	label["pio"] = "(b) PIO to lhv-run"
	label["mmio"] = "(c) MMIO to lhv-run"
	label["ap_bringup_ap1"] = "(d) AP bring-up, AP 1"
	label["ap_bringup_ap2"] = "(d) AP bring-up, AP 2"
	label["ap_bringup_all"] = "(d) AP bring-up, all APs"
	label["timer_latency"] = "(e) LAPIC timer latency"
	label["ipi_roundtrip"] = "(f) IPI round trip"
	label["timer_exits"] = "(g) exits in 1 s, 1 kHz timer"
	label["timer_ticks"] = "    timer interrupts taken"
	count["timer_exits"] = count["timer_ticks"] = 1
	hvname["lhv"] = "lhv"
	hvname["kvm"] = "KVM"
}

$1 == "RESULT" && $5 ~ /^[0-9]+$/ {
	val[$2, $4, ++cnt[$2, $4]] = $5
}
$1 == "STATUS" {
	runs[$2]++
	if ($4 == 1)
		ok[$2]++
}
$1 == "INFO" {
	if ($2 == "lhv" && /default filtered/)
		filtered = " in filtered mode"
	sub(/^INFO /, "")
	info = info "  " $0 "\n"
}
$1 == "PLATFORM_STATUS" { pstatus = $2 }
/skipp/ && !skipline {
	skipline = $0
	sub(/^skipped: /, "", skipline)
}

END {
	printf "\n== %s ==\n", platform
	if (pstatus == 77) {
		printf "  skipped: %s\n", skipline
		exit
	}
	printf "%s", info
	# Far more than 1000 ticks: the timer's clock and the guest's TSC
	# disagree.  Far fewer: ticks came late and merged (TCG).
	for (h in hvname) {
		t = cnt[h, "timer_ticks"] ? median(h, "timer_ticks") : 1000
		clock_ok[h] = t <= 1200
		if (!clock_ok[h])
			note = note sprintf("  note: %s took %d timer interrupts in 1000 ms of guest TSC at 1 kHz: its LAPIC timer and the TSC disagree here, so its (e) and (g) are not comparable\n", hvname[h], t)
		else if (t < 800)
			note = note sprintf("  note: %s took %d of 1000 timer interrupts: the emulator delivered the others late, merged\n", hvname[h], t)
	}
	printf "  runs that completed: lhv %d/%d, KVM %d/%d; run-vm exit %s\n",
	       ok["lhv"], runs["lhv"], ok["kvm"], runs["kvm"], pstatus
	printf "  guest TSC cycles (counts for (g)): median (min-max)\n"
	printf "  %-31s %-24s %-24s %7s %9s %9s  %s\n", "", "lhv", "KVM",
	       "lhv/KVM", "lhv/floor", "KVM/floor", "goal"
	for (i = 1; i <= n; i++) {
		name = order[i]
		if (!cnt["lhv", name] && !cnt["kvm", name])
			continue
		cl = cell("lhv", name)
		ck = cell("kvm", name)
		if (name == "hypercall" && cnt["lhv", name])
			floor = med["lhv", name]
		ml = cnt["lhv", name] ? med["lhv", name] : ""
		mk = cnt["kvm", name] ? med["kvm", name] : ""
		rk = ml == "" ? "-" : ratio(ml, mk)
		rf = count[name] || ml == "" ? "-" : ratio(ml, floor)
		rkf = count[name] || mk == "" ? "-" : ratio(mk, floor)
		printf "  %-31s %s %s %7s %9s %9s  %s\n", label[name], cl, ck,
		       rk, rf, rkf, goal(name, rk, rf)
	}
	printf "%s", note
}
