# SPDX-License-Identifier: GPL-2.0
#
# One platform's tables for scripts/bench.sh, from lhv-bench's lines:
#   RESULT <hv> <run> <name> <value>, STATUS <hv> <run> <status>,
#   LINUX <hv> <idle|busy> <vcpu> <counter> <count>,
#   LINUXPORT <hv> <idle|busy> <port> <count>, LINUXSTATUS <hv> <status> <s>,
#   LINUXSPAN <seconds of each span>, LINUXSKIP <hv> <why>,
#   INFO <text>, PLATFORM_STATUS <run-vm exit status>.
# <hv>: passthrough, filtered (lhv's LAPIC modes), kvm; "lhv" in raw files
# from before the modes had columns of their own.
# Usage: awk -v platform=NAME [-v linux_s=SECONDS] -f bench-table.awk RAW
# The floor is lhv's null hypercall in its first column (Documentation/
# bench.rst).

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

function cell(hv, name,    s) {
	if (!cnt[hv, name])
		return sprintf("%-22s", "-")
	med[hv, name] = median(hv, name)
	if (lo[hv, name] == hi[hv, name])
		s = sprintf("%d", med[hv, name])
	else
		s = sprintf("%d (%d-%d)", med[hv, name], lo[hv, name], hi[hv, name])
	return sprintf("%-22s", s)
}

function m_of(hv, name) {
	return cnt[hv, name] ? med[hv, name] : ""
}

function ratio(a, b) {
	return b != "" && b > 0 && a != "" ? sprintf("%.2f", a / b) : "-"
}

function verdict(ok, what) {
	return (ok ? "met" : "MISSED") " (" what ")"
}

# Whether the issue's goals for @name hold, from the medians.  @l is the
# first lhv column's median, @p passthrough's, @f filtered's, @k KVM's.
function goal(name, l, p, f, k,    g) {
	if (name == "cpuid")
		return l == "" ? "" : verdict(l <= 1.2 * floor, "<=1.2x floor")
	if (name == "pio" || name == "mmio")
		return l == "" || k == "" ? "" : verdict(l <= k, "<=KVM")
	if (name ~ /^ap_bringup/) {
		if (l == "" || k == "")
			return ""
		g = verdict(l < k, "<KVM")
		if (p != "" && f != "")
			g = g ", " verdict(p < f, "pt<filtered")
		return g
	}
	if (name ~ /^ap_exits/)
		return p == "" ? "" : verdict(p <= 2, "pt: SIPI exit + held INIT at most")
	if ((name == "timer_latency" || name == "ipi_roundtrip") && l != "") {
		if (name == "timer_latency" && !clock_ok["kvm"])
			g = "n/a <0.5x KVM: KVM's timer clock (note)"
		else if (name == "timer_latency" && k == 0)
			g = "n/a <0.5x KVM: KVM's timer fired before its predicted expiry"
		else
			g = k == "" ? "" : verdict(l <= 0.5 * k, "<=0.5x KVM")
		if (p != "" && f != "")
			g = g ", " verdict(p <= 1.2 * f, "pt<=1.2x filtered")
		return g
	}
	if (name == "timer_exits" && l != "")
		return verdict(l == 0, "0 exits") (p == "" ? " in filtered mode" : "")
	return ""
}

BEGIN {
	n = split("hypercall cpuid pio mmio ap_bringup_ap1 ap_exits_ap1 ap_bsp_exits_ap1 ap_bringup_ap2 ap_exits_ap2 ap_bsp_exits_ap2 ap_bringup_all ap_exits_all ap_bsp_exits_all timer_latency ipi_roundtrip timer_exits timer_ticks", order, " ")
	label["hypercall"] = "floor: null hypercall"
	label["cpuid"] = "(a) CPUID (in-kernel exit)"
	label["pio"] = "(b) PIO to lhv-run"
	label["mmio"] = "(c) MMIO to lhv-run"
	label["ap_bringup_ap1"] = "(d) AP bring-up, AP 1"
	label["ap_exits_ap1"] = "    AP 1's exits to 1st insn"
	label["ap_bsp_exits_ap1"] = "    BSP's exits meanwhile"
	label["ap_bringup_ap2"] = "(d) AP bring-up, AP 2"
	label["ap_exits_ap2"] = "    AP 2's exits to 1st insn"
	label["ap_bsp_exits_ap2"] = "    BSP's exits meanwhile"
	label["ap_bringup_all"] = "(d) AP bring-up, all APs"
	label["ap_exits_all"] = "    most exits of an AP"
	label["ap_bsp_exits_all"] = "    BSP's exits meanwhile"
	label["timer_latency"] = "(e) LAPIC timer latency"
	label["ipi_roundtrip"] = "(f) IPI round trip"
	label["timer_exits"] = "(g) exits in 1 s, 1 kHz timer"
	label["timer_ticks"] = "    timer interrupts taken"
	count["timer_exits"] = count["timer_ticks"] = 1
	count["ap_exits_ap1"] = count["ap_exits_ap2"] = count["ap_exits_all"] = 1
	count["ap_bsp_exits_ap1"] = count["ap_bsp_exits_ap2"] = count["ap_bsp_exits_all"] = 1
	nh = split("passthrough filtered lhv kvm", hvs, " ")
	hvname["passthrough"] = "lhv passthrough"
	hvname["filtered"] = "lhv filtered"
	hvname["lhv"] = "lhv"
	hvname["kvm"] = "KVM"
	short["passthrough"] = "pt"
	short["filtered"] = "fl"
	short["lhv"] = "lhv"
	short["kvm"] = "KVM"
	nc = split("exits io npf cpuid rdmsr wrmsr xsetbv cr nmi exception other init sipi init_held emulated_init emulated_sipi icr_trap ipi_dropped lapic_other nmi_injected kicks kvm_halt_exits kvm_irq_exits kvm_irq_window_exits kvm_nmi_window_exits kvm_request_irq_exits kvm_insn_emulation kvm_hypercalls kvm_pf_taken kvm_irq_injections kvm_signal_exits", counters, " ")
}

$1 == "RESULT" && $5 ~ /^[0-9]+$/ {
	val[$2, $4, ++cnt[$2, $4]] = $5
	present[$2] = 1
}
$1 == "STATUS" {
	runs[$2]++
	present[$2] = 1
	if ($4 == 1)
		ok[$2]++
}
$1 == "LINUX" {
	lx[$2, $3, $4, $5] = $6
	lxv[$4] = 1
	lxc[$5] = 1
	if (!($2 in lxhv))
		nlx++
	lxhv[$2] = 1
}
$1 == "LINUXPORT" {
	lxp[$2, $3, $4] = $5
	lxport[$4] = 1
}
$1 == "LINUXSPAN" { linux_s = $2 }
$1 == "LINUXSKIP" {
	lxskip = lxskip sprintf("  %s: not run: %s\n", hvname[$2], substr($0, index($0, $3)))
}
$1 == "LINUXNOTE" && $3 ~ /^clocksource/ {
	lxnote[$2] = substr($0, index($0, $3))
}
$1 == "LINUXSTATUS" {
	lxstatus[$2] = $3
	lxwall[$2] = $4
	if (!($2 in lxhv))
		nlx++
	lxhv[$2] = 1
}
$1 == "INFO" {
	sub(/^INFO /, "")
	info = info "  " $0 "\n"
}
$1 == "PLATFORM_STATUS" { pstatus = $2 }
$1 == "PLATFORM_SECONDS" { pseconds = $2 }
/skipp/ && !skipline {
	skipline = $0
	sub(/^skipped: /, "", skipline)
}

function linux_table(    h, i, c, k, phase, line, any, per, sep, pl, lbl) {
	printf "\n  Linux steady state (Debian's kernel, 2 vCPUs): exits per vCPU per second of guest time over %s s,\n", linux_s ? linux_s : "?"
	printf "  vCPU 0 / vCPU 1, from LHV_GET_STATS (KVM: its binary stats); the closing mark's OUT not counted\n"
	line = sprintf("  %-24s", "")
	for (i = 1; i <= nh; i++)
		if (hvs[i] in lxhv)
			line = line sprintf(" %-20s", hvname[hvs[i]])
	print line
	line = sprintf("  %-24s", "lhv-run status, wall s")
	for (i = 1; i <= nh; i++)
		if (hvs[i] in lxhv)
			line = line sprintf(" %-20s", lxstatus[hvs[i]] " (0: ok), " lxwall[hvs[i]] " s")
	print line
	split("idle busy", phases, " ")
	for (pl = 1; pl <= 2; pl++) {
		phase = phases[pl]
		for (c = 1; c <= nc; c++) {
			k = counters[c]
			if (!(k in lxc))
				continue
			any = k == "exits"
			for (i = 1; i <= nh && !any; i++)
				for (h = 0; h <= 1; h++)
					if (lx[hvs[i], phase, h, k] + 0)
						any = 1
			if (!any)
				continue
			lbl = k == "exits" ? phase ": all exits" : "  " k
			line = sprintf("  %-24s", lbl)
			for (i = 1; i <= nh; i++) {
				if (!(hvs[i] in lxhv))
					continue
				if (!((hvs[i], phase, 0, k) in lx)) {
					line = line sprintf(" %-20s", "-")
					continue
				}
				per = ""
				sep = ""
				for (h = 0; h <= 1; h++) {
					per = per sep sprintf("%.1f", lx[hvs[i], phase, h, k] / (linux_s ? linux_s : 1))
					sep = " / "
				}
				line = line sprintf(" %-20s", per)
			}
			print line
		}
		for (c in lxport) {
			line = sprintf("  %-24s", "  port " c ", both vCPUs")
			any = 0
			for (i = 1; i <= nh; i++) {
				if (!(hvs[i] in lxhv))
					continue
				k = lxp[hvs[i], phase, c] + 0
				any += k
				line = line sprintf(" %-20s", sprintf("%.1f", k / (linux_s ? linux_s : 1)))
			}
			if (any)
				print line
		}
	}
	for (i = 1; i <= nh; i++)
		if (hvs[i] in lxnote)
			printf "  %s: %s\n", hvname[hvs[i]], lxnote[hvs[i]]
	printf "%s", lxskip
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
	for (i = 1; i <= nh; i++) {
		h = hvs[i]
		if (!(h in present))
			continue
		t = cnt[h, "timer_ticks"] ? median(h, "timer_ticks") : 1000
		clock_ok[h] = t <= 1200
		if (!clock_ok[h])
			note = note sprintf("  note: %s took %d timer interrupts in 1000 ms of guest TSC at 1 kHz: its LAPIC timer and the TSC disagree here, so its (e) and (g) are not comparable\n", hvname[h], t)
		else if (t < 800)
			note = note sprintf("  note: %s took %d of 1000 timer interrupts: the emulator delivered the others late, merged\n", hvname[h], t)
	}
	line = "  runs that completed:"
	for (i = 1; i <= nh; i++)
		if (hvs[i] in present)
			line = line sprintf(" %s %d/%d,", hvname[hvs[i]], ok[hvs[i]], runs[hvs[i]])
	printf "%s run-vm exit %s%s\n", line, pstatus, pseconds != "" ? " after " pseconds " s" : ""
	printf "  guest TSC cycles (counts for (g) and the exit rows): median (min-max) or the one value of all runs\n"
	first = ""
	line = sprintf("  %-31s", "")
	for (i = 1; i <= nh; i++) {
		if (!(hvs[i] in present))
			continue
		if (first == "" && hvs[i] != "kvm")
			first = hvs[i]
		line = line sprintf(" %-22s", hvname[hvs[i]])
	}
	# Ratios: each lhv column to KVM, passthrough to filtered, to the floor.
	for (i = 1; i <= nh; i++)
		if (hvs[i] != "kvm" && (hvs[i] in present) && ("kvm" in present))
			line = line sprintf(" %7s", short[hvs[i]] "/KVM")
	pf = ("passthrough" in present) && ("filtered" in present)
	if (pf)
		line = line sprintf(" %7s", "pt/fl")
	line = line sprintf(" %8s %9s  %s", short[first] "/floor", "KVM/floor", "goal")
	print line
	for (j = 1; j <= n; j++) {
		name = order[j]
		any = 0
		for (i = 1; i <= nh; i++)
			if (cnt[hvs[i], name])
				any = 1
		if (!any)
			continue
		line = sprintf("  %-31s", label[name])
		for (i = 1; i <= nh; i++)
			if (hvs[i] in present)
				line = line " " cell(hvs[i], name)
		if (name == "hypercall")
			floor = m_of(first, name)
		k = m_of("kvm", name)
		for (i = 1; i <= nh; i++)
			if (hvs[i] != "kvm" && (hvs[i] in present) && ("kvm" in present))
				line = line sprintf(" %7s", count[name] ? "-" : ratio(m_of(hvs[i], name), k))
		p = m_of("passthrough", name)
		f = m_of("filtered", name)
		if (pf)
			line = line sprintf(" %7s", count[name] ? "-" : ratio(p, f))
		l = m_of(first, name)
		line = line sprintf(" %8s %9s  %s", count[name] ? "-" : ratio(l, floor), count[name] ? "-" : ratio(k, floor), goal(name, l, p, f, k))
		print line
	}
	printf "%s", note
	if (nlx)
		linux_table()
}
