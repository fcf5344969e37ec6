#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: install what is missing, boot the svm-tcg test VM, load
# lhv.ko and show what it found.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
exec scripts/run-vm svm-tcg -- 'lhv-run --caps && grep -E "^(lhv|kvm)" /proc/modules'
