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

# Where built tools, kernels and downloads are kept between runs.
lhv_cache_dir() {
	echo "${LHV_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/lhv}"
}

# lhv_debian_index DIR SUITE TYPES: the signed index of Debian's SUITE
# (TYPES "deb-src", or "deb deb-src" for binary packages too) in an apt of
# lhv's own in DIR (lhv_private_apt), from the mirror the machine already
# uses for its own release; no host is named here.  Refreshed at most once
# a day, so a second run needs no network, and a new Debian revision is
# still picked up.  Apt keeps the previous verified index when a refresh
# fails; --error-on=any makes a failed download an error, not a warning
# with exit 0.  Sets apt_opts and mirror.
lhv_debian_index() {
	local dir=$1 suite=$2 types=$3 codename
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	local sources=$dir/$suite.sources

	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/parts"
	[ -r "$keyring" ] || lhv_die "no $keyring (apt-get install debian-archive-keyring)"
	lhv_private_apt "$dir" "$sources"
	if [ -f "$sources" ] && [ -n "$(find "$dir/.lhv-updated" -mmin -1440 2>/dev/null)" ]; then
		mirror=$(sed -n 's/^URIs: //p' "$sources")
		return
	fi
	codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
	[ -n "$codename" ] || lhv_die "no VERSION_CODENAME in /etc/os-release: not a Debian release this script knows"
	# shellcheck disable=SC2016 # $(REPO_URI) is apt's template, not the shell's
	mirror=$(APT_CONFIG='' apt-get indextargets --no-release-info --format '$(REPO_URI)' \
			"Release: $codename" 'Component: main' |
		awk '!/^cdrom:/ && u == "" { u = $0 } END { print u }')
	[ -n "$mirror" ] || lhv_die "no '$codename main' entry in the machine's apt sources to take the Debian mirror from; add one"
	printf 'Types: %s\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
		"$types" "$mirror" "$suite" "$keyring" > "$dir/sources.new"
	if ! cmp -s "$dir/sources.new" "$sources"; then
		mv "$dir/sources.new" "$sources"
		rm -f "$dir/.lhv-updated"
	fi
	rm -f "$dir/sources.new"

	echo "$(basename "$0"): fetching $suite's index from $mirror" >&2
	if apt-get "${apt_opts[@]}" -q --error-on=any update > "$dir/update.log" 2>&1; then
		touch "$dir/.lhv-updated"
	elif [ -f "$dir/.lhv-updated" ]; then
		echo "$(basename "$0"): could not refresh $suite's index (see $dir/update.log); using the one from $(date -r "$dir/.lhv-updated" '+%F %R')" >&2
	else
		tail -n 5 "$dir/update.log" >&2
		if grep -q -e NO_PUBKEY -e EXPKEYSIG -e BADSIG -e 'is not signed' "$dir/update.log"; then
			lhv_die "$keyring does not verify $suite's Release: upgrade debian-archive-keyring (bookworm's 2023.3+deb12u2 carries the trixie keys)"
		elif grep -q -e 'does not have a Release file' -e '404 *Not Found' "$dir/update.log"; then
			lhv_die "$mirror has no $suite suite; use a Debian mirror that carries $suite in the machine's apt sources"
		fi
		lhv_die "apt-get update of $suite's index failed (log: $dir/update.log); check the network and $mirror"
	fi
}

# lhv_debian_source PACKAGE: the upstream and Debian tarballs of a source
# package in the index lhv_debian_index set up, their names, URIs and
# SHA-256 sums from the signed Sources index.  The .dsc is not used: the
# mirror has been seen to answer 404 for it.  Sets ver, orig, orig_uri,
# orig_sha, debtar, debtar_uri and debtar_sha.
lhv_debian_source() {
	local pkg=$1 uris uri file hash

	uris=$(apt-get "${apt_opts[@]}" source --print-uris "$pkg" 2>&1) ||
		{ echo "$uris" | tail -n 3 >&2; lhv_die "no source package $pkg in the index (see above)"; }
	ver='' orig='' orig_uri='' orig_sha='' debtar='' debtar_uri='' debtar_sha=''
	while read -r uri file _ hash; do
		uri=${uri#\'} uri=${uri%\'}
		case $hash in
		SHA256:*) hash=${hash#SHA256:} ;;
		*) lhv_die "apt gives no SHA-256 for $file (got '$hash'); cannot verify it" ;;
		esac
		case $file in
		*.orig.tar.xz) orig=$file orig_uri=$uri orig_sha=$hash ;;
		*.debian.tar.xz)
			debtar=$file debtar_uri=$uri debtar_sha=$hash
			ver=${file#"$pkg"_} ver=${ver%.debian.tar.xz}
			;;
		esac
	done < <(echo "$uris" | grep "^'")
	if [ -z "$ver" ] || [ "$orig" != "${pkg}_${ver%-*}.orig.tar.xz" ]; then
		lhv_die "the $pkg source package is not the expected orig.tar.xz + debian.tar.xz pair; this script needs updating"
	fi
}

# lhv_debian_fetch URI FILE SHA256: download URI to FILE, checked against
# the SHA-256 from a signed index as apt-helper downloads it; a file kept
# from an earlier run is checked again before it is trusted.
lhv_debian_fetch() {
	local uri=$1 file=$2 sha=$3 log=$2.log

	if [ -f "$file" ] && echo "$sha  $file" | sha256sum -c --status; then
		return
	fi
	rm -f "$file" "$file.FAILED"
	echo "$(basename "$0"): downloading $(basename "$file")" >&2
	if ! /usr/lib/apt/apt-helper "${apt_opts[@]}" download-file "$uri" "$file" "SHA256:$sha" > "$log" 2>&1; then
		rm -f "$file" "$file.FAILED"
		grep -q 'Hash Sum mismatch' "$log" &&
			lhv_die "$(basename "$file") does not match the SHA-256 in the signed index: refusing to use it; retry later or use another mirror"
		tail -n 3 "$log" >&2
		lhv_die "downloading $uri failed (log: $log); check the network and $mirror"
	fi
	echo "$sha  $file" | sha256sum -c --status ||
		lhv_die "$(basename "$file") does not match the SHA-256 in the signed index: refusing to use it"
}

# lhv_build_key FIRST FLAGS FUNCTION PATCHDIR: the cache key of a tool
# built from source: FIRST (version and checksums), its configure FLAGS,
# the build recipe FUNCTION's text and lhv's patches in PATCHDIR, so that
# any change to them builds afresh.
lhv_build_key() {
	{ echo "$1"; echo "$2"; declare -f "$3"; cat "$4"/*.patch; } |
		sha256sum | cut -c1-12
}

# lhv_debian_patches TREE LOG: apply the Debian patch series of an
# unpacked source package, as dpkg-source would; prints the name of a
# patch that does not apply and fails.
lhv_debian_patches() {
	local tree=$1 log=$2 p opts

	[ -f "$tree/debian/patches/series" ] || return 0
	while read -r p opts; do
		case $p in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2086 # opts holds the series' patch options
		patch -d "$tree" -s -f --no-backup-if-mismatch ${opts:--p1} \
			< "$tree/debian/patches/$p" >> "$log" 2>&1 || { echo "$p"; return 1; }
	done < "$tree/debian/patches/series"
}
