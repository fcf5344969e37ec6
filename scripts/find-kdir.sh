#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build directory lhv.ko is built against by default: the
# running kernel's when it is installed, otherwise the newest Debian
# linux-headers-*-amd64.  Never a hard-coded ABI version.
build=/lib/modules/$(uname -r)/build
if [ -d "$build" ]; then
	echo "$build"
	exit 0
fi
newest=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
if [ -z "$newest" ]; then
	echo "find-kdir: no kernel headers; run scripts/deps.sh or set KDIR" >&2
	exit 1
fi
echo "$newest"
