#!/usr/bin/env bash
# Flat vs hierarchical context encoder, same everything else: the shipped recipe's data, BPE, sizes, schedule and
# seed (SEED, default 1: weights and batch order; the split and BPE stay seed 1), the last TURNS (default 3) context
# turns with speaker markers, STEPS (default 400) steps each; then `eval` on the same held-out test split. Prints
# one JSON line per encoder. Run from apps/chat after `pnpm build`.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${STEPS:-400}"
TURNS="${TURNS:-3}"
SEED="${SEED:-1}"
WORK="${WORK:-runs/compare-encoders}"
GAMES_ROOT="${GAMES_ROOT:-/usr/share/games}"
[ -f "$WORK/data/prepared.json" ] || node dist/cli.js prepare --games-root "$GAMES_ROOT" --test 0.08 --valid 0.05 \
  --vocab 1000 --seed 1 --out "$WORK/data"
for encoder in ${ENCODERS:-flat hierarchical}; do
  node dist/cli.js train --data "$WORK/data" --turns "$TURNS" --format speaker-markers --encoder "$encoder" \
    --max-context 60 --max-reply 32 --cell gru --attention bahdanau --layers 1 --hidden 128 --embedding 64 \
    --dropout 0.1 --batch 128 --lr 3e-3 --seed "$SEED" --steps "$STEPS" --out "$WORK/$encoder-seed$SEED" --force --quiet
  node dist/cli.js eval --checkpoint "$WORK/$encoder-seed$SEED" --limit 300 --samples 0 --seed 1 --json |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);
      console.log(JSON.stringify({encoder:process.argv[1],steps:+process.argv[2],seed:+process.argv[3],...r.metrics}))})' \
      "$encoder" "$STEPS" "$SEED"
done
