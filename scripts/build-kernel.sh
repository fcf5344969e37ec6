#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a test-VM kernel from Debian's linux-source-6.1 tarball.
# Usage: scripts/build-kernel.sh [--flavour small|debug] [--source | OUTDIR]
#   small  tinyconfig + scripts/kernel.config (the default; vmx-bochs)
#   debug  the same + scripts/kernel-debug.config: KASAN, UBSAN, lockdep,
#          kmemleak, fault injection (run-vm --kernel debug)
# Prints the build directory (usable as KDIR) on stdout; with --source,
# only extracts the source tree and prints its path.  The directory is
# keyed by a hash of the source tarball and the flavour's config files, so
# a finished build is reused and any change builds afresh.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "build-kernel: no /usr/src/linux-source-*.tar.xz (run scripts/deps.sh)" >&2; exit 1; }

flavour=small
if [ "${1:-}" = --flavour ]; then
	flavour=${2:?build-kernel: --flavour takes small or debug}
	shift 2
fi
configs=("$top/scripts/kernel.config")
case "$flavour" in
small) prefix=kernel ;;
debug) prefix=kernel-debug; configs+=("$top/scripts/kernel-debug.config") ;;
*) echo "build-kernel: unknown flavour '$flavour' (small or debug)" >&2; exit 1 ;;
esac

cache=${LHV_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/lhv}
key=$( (stat -c '%n %s %Y' "$tarball"; cat "${configs[@]}") | sha256sum | cut -c1-12)
src=$cache/linux-src-$(basename "$tarball" .tar.xz)
source_only=
[ "${1:-}" = --source ] && { source_only=1; shift; }
out=${1:-$cache/$prefix-$key}

mkdir -p "$cache"
# One extraction at a time, and one build per output directory: parallel
# runners wait here instead of building into the same directory, but a
# cached small kernel is not held up by a debug build.
exec 9>"$cache/.lock"
flock 9

if [ ! -f "$src/.lhv-extracted" ]; then
	echo "build-kernel: extracting $tarball" >&2
	rm -rf "$src" && mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.lhv-extracted"
fi
if [ -n "$source_only" ]; then
	echo "$src"
	exit 0
fi
exec 8>"$out.lock"
flock -u 9
flock 8
if [ -f "$out/.lhv-done" ]; then
	echo "$out"
	exit 0
fi

case "$flavour" in
small) echo "build-kernel: building small kernel in $out (about 7 minutes on 2 cores)" >&2 ;;
debug) echo "build-kernel: building debug kernel in $out (about 12 minutes on 2 idle cores)" >&2 ;;
esac
rm -rf "$out" && mkdir -p "$out"
# Config steps are noisy about overridden choices; show them only on failure.
quiet_make() {
	make -s -C "$src" O="$out" ARCH=x86_64 "$@" > "$out/.lhv-config.log" 2>&1 ||
		{ cat "$out/.lhv-config.log" >&2; exit 1; }
}
quiet_make tinyconfig
# Later files override earlier ones: the debug fragment comes last.
options() {
	grep -hE '^CONFIG_' "${configs[@]}" | awk -F= '{ val[$1] = $0 } !seen[$1]++ { order[++n] = $1 }
		END { for (i = 1; i <= n; i++) print val[order[i]] }'
}
options | while IFS='=' read -r opt val; do
	case "$val" in
	y) "$src/scripts/config" --file "$out/.config" -e "${opt#CONFIG_}" ;;
	m) "$src/scripts/config" --file "$out/.config" -m "${opt#CONFIG_}" ;;
	n) "$src/scripts/config" --file "$out/.config" -d "${opt#CONFIG_}" ;;
	*) "$src/scripts/config" --file "$out/.config" --set-val "${opt#CONFIG_}" "$val" ;;
	esac
done
quiet_make olddefconfig
# Every requested option must have survived olddefconfig's dependency checks.
missing=0
options | while IFS='=' read -r opt val; do
	if [ "$val" = n ]; then
		! grep -q "^$opt=" "$out/.config" || { echo "build-kernel: $opt still set" >&2; exit 1; }
	else
		grep -q "^$opt=$val\$" "$out/.config" || { echo "build-kernel: $opt=$val did not stick" >&2; exit 1; }
	fi
done || missing=1
[ "$missing" = 0 ] || exit 1
make -s -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" bzImage modules >&2
touch "$out/.lhv-done"
echo "$out"
