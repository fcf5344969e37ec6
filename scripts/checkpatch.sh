#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl (from Debian's linux-source tarball, as
# extracted by build-kernel.sh) over every kernel-side lhv source.
# Ignored, on purpose: _Static_assert is what a uapi header must use
# (CAMELCASE).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LHV_TOP"

src=$("$LHV_TOP/scripts/build-kernel.sh" --source)
[ -x "$src/scripts/checkpatch.pl" ] || lhv_die "no checkpatch.pl in $src"
"$src/scripts/checkpatch.pl" --no-tree --strict --quiet --terse \
	--ignore CAMELCASE \
	-f $(find include module nvmx nsvm lapic -name '*.[ch]' 2>/dev/null | sort)
