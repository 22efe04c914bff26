#!/usr/bin/env bash
# Throughput of `seqgen-text train --engine torch-ddp` with 1 and 2 processes on
# Moby-Dick (char LSTM at the text app's default sizes: hidden 256, embedding 64,
# batch 32 lanes, seq-len 64). Each run prints PyTorch's tokens/s; /usr/bin/time
# adds wall and CPU seconds. STEPS (default 400) sets the length of each run.
# Needs python3-torch (SEQGEN_PYTHON overrides /usr/bin/python3) and a built app.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-400}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=$(node scripts/moby-dick-path.mjs)
node dist/cli.js tokenize --corpus "$corpus" --out "$work/shards" --tokenizer char --threads 1 --quiet
for n in 1 2; do
  /usr/bin/time -f "nproc $n: %e s wall, %U s user + %S s sys" \
    node dist/cli.js train --engine torch-ddp --nproc "$n" --shards "$work/shards" --out "$work/run-$n" \
    --steps "$STEPS" --batch 32 --seq-len 64 --hidden 256 --embedding 64 --seed 1 2>&1 | grep -v '^step '
done
