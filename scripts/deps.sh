#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package lhv's build, demo and tests need.
# Idempotent and quiet: does nothing when all are installed.  Needs root
# (or sudo) only when something is missing.
set -euo pipefail

packages=(
	# build: module, launcher, unit tests, small test-VM kernel
	build-essential linux-headers-amd64 sparse kmod rsync
	# unit tests: as and objdump are the decoder's reference
	binutils
	linux-source-6.1 flex bison bc libelf-dev libssl-dev lz4 xz-utils
	# test VMs
	linux-image-amd64 busybox-static cpio qemu-system-x86
	# vmx-bochs: Bochs 3.0 is built from Debian 13's source package
	# (scripts/build-bochs.sh); Debian 12's BIOS images work with it
	bochsbios vgabios libncurses-dev libreadline-dev patch
	# svm-tcg: QEMU 10 is built from Debian 13's source package
	# (scripts/build-qemu.sh); Debian 12's firmware images work with it
	libglib2.0-dev ninja-build pkg-config python3-venv
	# packaging (Documentation/install.rst): man pages from the rst
	# text, DKMS, the Debian packages and their lint
	python3-docutils man-db dkms debhelper dh-dkms lintian fakeroot
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null ||
		{ echo "deps: need root to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
