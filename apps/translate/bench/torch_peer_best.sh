#!/usr/bin/env bash
# Runs the PyTorch seq2seq peer (torch_seq2seq.py beside this file, --mode speed) under each thread/BLAS
# setting that can be its best on this machine, and prints every figure and the best training and beam ones.
# Compare seqgen against the best figures, measured in the same run as seqgen's (`pnpm bench` does).
# Usage: torch_peer_best.sh [torch_seq2seq.py speed options, e.g. --steps 5 --sentences 32]
# This machine sets OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (older OpenBLAS builds need them); they slow Debian's
# OpenBLAS on AVX-512, so the peer runs with them unset, in its own command only. A PyTorch on the reference
# (netlib) BLAS is refused (scripts/bench/torch-blas.sh): it is ~10x slower, not the peer at its best.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
args=("$@")
py=/usr/bin/python3
bash "$here/../../../scripts/bench/torch-blas.sh" "$py" >&2 || exit 2
best_train="" best_beam=""
for cfg in "1 1" "1 2" "2 1" "2 2"; do
  set -- $cfg
  out=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$2 "$py" "$here/torch_seq2seq.py" --mode speed --threads "$1" "${args[@]}" 2>&1)
  tr=$(echo "$out" | sed -n 's/.*train: [0-9.]* ms\/step, \([0-9.]*\) target tokens\/s.*/\1/p')
  be=$(echo "$out" | sed -n 's/.*beam[0-9]*: \([0-9.]*\) sentences\/s.*/\1/p')
  echo "torch threads=$1 OPENBLAS_NUM_THREADS=$2: train ${tr:-?} target tokens/s, beam ${be:-?} sentences/s"
  echo "$out" | grep -o '[0-9]* CPU ms[/a-z]*' | sed 's/^/  /'
  [ -z "$tr$be" ] && echo "$out" >&2
  # Higher is better for both figures.
  [ -n "$tr" ] && { [ -z "$best_train" ] || awk "BEGIN{exit !($tr > ${best_train%% *})}"; } && best_train="$tr target tokens/s (threads=$1, OPENBLAS_NUM_THREADS=$2)"
  [ -n "$be" ] && { [ -z "$best_beam" ] || awk "BEGIN{exit !($be > ${best_beam%% *})}"; } && best_beam="$be sentences/s (threads=$1, OPENBLAS_NUM_THREADS=$2)"
done
echo "best train: $best_train"
echo "best beam: $best_beam"
