#!/usr/bin/env bash
# Refuses to benchmark a PyTorch peer that is not at its best: Debian's python3-torch does its matrix products
# through whatever libblas.so.3 the system's alternatives point at, and without an optimized BLAS that is the
# reference (netlib) implementation, ~10x slower (measured here: a 1280x256x4000 product 450 ms against 44 ms
# with OpenBLAS). Prints the BLAS PyTorch loaded; exits 2, saying what to install, when it is the reference one.
# Usage: bash scripts/bench/torch-blas.sh [python]   (default /usr/bin/python3)
set -uo pipefail
py="${1:-/usr/bin/python3}"
blas=$("$py" - <<'PY' 2>/dev/null
import torch
torch.ones(64, 64) @ torch.ones(64, 64)
libs = {line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line}
print(" ".join(sorted(libs)) or "none")
PY
) || { echo "python3-torch missing: apt-get install -y python3-torch libopenblas0-pthread" >&2; exit 2; }
case "$blas" in
*openblas* | *blis* | *mkl*) echo "PyTorch BLAS: $blas" ;;
*)
  echo "PyTorch is on the reference BLAS ($blas): the peer would not be at its best." >&2
  echo "Install an optimized one first: apt-get install -y libopenblas0-pthread" >&2
  exit 2
  ;;
esac
