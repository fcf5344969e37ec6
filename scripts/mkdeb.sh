#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: build the Debian packages lhv-dkms and lhv-tools (and the
# native source package) with dpkg-buildpackage, from a copy of the tree
# in build/deb/lhv-<version>, so that nothing is built in the work tree
# and dpkg-buildpackage's results land in build/deb/.  Prints the
# .changes file.  Documentation/install.rst.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$LHV_TOP"

version=$(sed -n '1s/^lhv (\([^ ]*\)).*/\1/p' debian/changelog)
[ -n "$version" ] || lhv_die "no version in debian/changelog"
out=$LHV_BUILD/deb
src=$out/lhv-$version
rm -rf "$out"
mkdir -p "$src"

# The sources: what git tracks plus new files not ignored (a work tree's
# build output is ignored); without git, the tree minus build output.
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		rsync -a --from0 --files-from=- ./ "$src/"
else
	rsync -a --exclude=/build --exclude=.git --exclude='*.o' --exclude='*.ko' \
		--exclude='.*.cmd' ./ "$src/"
fi

cd "$src"
dpkg-buildpackage -us -uc >&2 || lhv_die "dpkg-buildpackage failed"
ls "$out"/lhv_"$version"_*.changes
