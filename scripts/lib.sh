# SPDX-License-Identifier: GPL-2.0
# Shared helpers for lhv's scripts.  Source it; it defines no side effects.

LHV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LHV_BUILD=${LHV_BUILD:-$LHV_TOP/build}

lhv_die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# The newest installed Debian stock kernel release, e.g. 6.1.0-56-amd64.
lhv_stock_kver() {
	local v
	v=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's,^/boot/vmlinuz-,,' | sort -V | tail -n 1)
	[ -n "$v" ] || lhv_die "no /boot/vmlinuz-*-amd64 (run scripts/deps.sh)"
	[ -d "/usr/src/linux-headers-$v" ] || lhv_die "no headers for $v (run scripts/deps.sh)"
	echo "$v"
}

# Release string of a kernel build tree.
lhv_kdir_release() {
	cat "$1/include/config/kernel.release"
}

# Build lhv.ko against KDIR in a private copy of the module sources, so
# builds for different kernels never share object files.  Prints the path
# of the module.
lhv_build_module() {
	local kdir=$1 tag=$2 dir
	dir=$LHV_BUILD/mod-$tag
	mkdir -p "$dir"
	local srcs=("$LHV_TOP/Kbuild" "$LHV_TOP/include" "$LHV_TOP/module"
		    "$LHV_TOP/nvmx" "$LHV_TOP/nsvm" "$LHV_TOP/lapic")
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		"${srcs[@]}" "$dir/" 2>/dev/null || cp -a "${srcs[@]}" "$dir/"
	make -s -C "$kdir" M="$dir" modules 2>&1 | grep -v '^Skipping BTF generation' >&2
	[ "${PIPESTATUS[0]}" = 0 ] || lhv_die "building lhv.ko against $kdir failed"
	echo "$dir/lhv.ko"
}

# An apt configuration of lhv's own in DIR, reading only the sources file
# SOURCES, for an index and downloads that leave the machine's apt state
# alone; exports APT_CONFIG and sets the array apt_opts for apt's
# commands.  Apt's -o options come after every configuration file, but
# cannot empty a list; the main configuration file is read after
# apt.conf.d, so one of our own keeps the machine's settings (proxies)
# and drops the hooks that 'apt-get update' would otherwise run on the
# machine's own state (appstream, packagekit).  The cache usually lives in
# root's home, which apt's sandbox user cannot reach: apt would download
# as root anyway, with a warning each time.
lhv_private_apt() {
	local dir=$1 main_conf=

	eval "$(apt-config shell main_conf Dir::Etc::main/f)"
	{
		[ ! -f "$main_conf" ] || echo "#include \"$main_conf\";"
		echo '#clear APT::Update::Pre-Invoke;'
		echo '#clear APT::Update::Post-Invoke;'
		echo '#clear APT::Update::Post-Invoke-Success;'
		echo 'APT::Sandbox::User "root";'
	} > "$dir/apt.conf"
	echo "Dir::Etc::main \"$dir/apt.conf\";" > "$dir/apt-first.conf"
	export APT_CONFIG=$dir/apt-first.conf
	apt_opts=(
		-o Dir::Etc::SourceList="$2"
		-o Dir::Etc::SourceParts="$dir/parts"
		-o Dir::Etc::Preferences="$dir/preferences"
		-o Dir::Etc::PreferencesParts="$dir/parts"
		-o Dir::State::Lists="$dir/lists"
		-o Dir::Cache="$dir/cache"
		-o Acquire::Languages=none
	)
}
