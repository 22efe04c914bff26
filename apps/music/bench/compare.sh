#!/usr/bin/env bash
# `pnpm --filter @seqgen/app-music bench`: seqgen-music's speed (bench/speed.ts: generation as a multiple of real time
# on one core, training events/s) and the PyTorch peer of the same shape on the same data (bench/torch_music.py),
# one after the other in this process tree; then both trained for the same wall-clock time (seqgen STEPS_BUDGET
# steps, PyTorch as long) and scored on the held-out pieces (NLL per event). Run from apps/music after `pnpm build`.
set -uo pipefail
cd "$(dirname "$0")/.."
data=runs/bench-data
py=/usr/bin/python3
bash ../../scripts/bench/torch-blas.sh "$py" >&2 || exit 2
npx tsx bench/export-events.ts "$data"
echo "== seqgen speed (one core: wasm and the native kernels on one thread each)"
SEQGEN_NATIVE_THREADS=1 npx tsx bench/speed.ts --train-steps "${TRAIN_STEPS:-20}"
echo "== PyTorch peer speed, each thread setting (OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset)"
for t in 1 2; do
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t "$py" bench/torch_music.py --data "$data" --threads "$t" --steps "${TRAIN_STEPS:-20}" | sed -n 1p
done
echo "== the same training wall-clock time: seqgen trains STEPS_BUDGET steps (default 60), PyTorch as long; held-out NLL per event"
rm -rf runs/bench-model
node dist/cli.js train --steps "${STEPS_BUDGET:-60}" --validate-every 100000 --out runs/bench-model --force --quiet \
  --hidden 256 --embedding 64 --chord-embedding 16 --batch 32 --seq-len 64 --seed 1
# seqgen's training time: the sum of its steps' times in the log (data preparation left out, as PyTorch's is).
budget=$(node -e 'const fs=require("fs");let t=0;for(const l of fs.readFileSync("runs/bench-model/train-log.jsonl","utf8").split("\n")){if(!l)continue;const r=JSON.parse(l);if(r.kind==="step")t+=r.tokens/r.tokensPerSecond}console.log(t.toFixed(1))')
echo "seqgen: ${STEPS_BUDGET:-60} steps in $budget s of training wall time"
node dist/cli.js eval --checkpoint runs/bench-model --samples 1 --sample-seconds 2 --json | \
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(`seqgen held-out: ${r.metrics.nll_per_event.toFixed(4)} nats/event; n-gram: ${Object.values(r.baselines)[0].nll_per_event.toFixed(4)}`)})'
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 "$py" bench/torch_music.py --data "$data" --threads 1 --seconds "$budget"
