#!/usr/bin/env bash
# Trains the committed pretrained checkpoint pretrained/dialogue-gru-attention:
# the dialogue of the Debian game data (Wesnoth 1.16 campaign scenes, IRC and Speaker: exchanges in `fortunes`,
# Endless Sky conversation choices; install with apt-get install wesnoth-1.16-httt … fortunes endless-sky-data,
# or unpack the .debs and point GAMES_ROOT at their usr/share/games), split by conversation (8% test, 5%
# validation, seed 1), a byte-level BPE of 1,000 tokens; context = the last 3 turns with A:/B: speaker markers
# (60 tokens) through the flat encoder (scripts/compare-encoders.sh measures the hierarchical one), replies up to
# 32 tokens; a 1-layer GRU encoder-decoder (embedding 64, 128 units) with Bahdanau attention and input feeding,
# dropout 0.1, batch 128, Adam 3e-3 with warmup + cosine decay, for MINUTES (default 14) of wall-clock time at
# nice 10 (on a quiet 2-core machine: 2,020 steps in 753 s, the best validation loss at step 1,212). The folder
# keeps the checkpoint, its held-out test.jsonl (what `eval` scores), the training conversations the retrieval
# baseline answers from, the loss curve and the record of the data.
# Run from apps/chat after `pnpm build` (or `pnpm --filter @seqgen/app-chat pretrain`).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-14}"
WORK="${WORK:-runs/pretrain}"
OUT="${OUT:-pretrained/dialogue-gru-attention}"
GAMES_ROOT="${GAMES_ROOT:-/usr/share/games}"
[ -f "$WORK/data/prepared.json" ] || node dist/cli.js prepare --games-root "$GAMES_ROOT" --test 0.08 --valid 0.05 \
  --vocab 1000 --seed 1 --out "$WORK/data"
nice -n 10 node dist/cli.js train --data "$WORK/data" --turns 3 --format "${FORMAT:-speaker-markers}" --max-context 60 \
  --max-reply 32 --cell gru --attention bahdanau --layers 1 --hidden 128 --embedding 64 --dropout 0.1 --batch 128 \
  --lr 3e-3 --seed 1 --minutes "$MINUTES" --out "$WORK/model-${FORMAT:-speaker-markers}" --force
[ "${FORMAT:-speaker-markers}" = speaker-markers ] || exit 0
rm -rf "$OUT" && mkdir -p "$OUT"
cp "$WORK"/model-speaker-markers/{checkpoint.json,*.bin,test.jsonl,train.jsonl,train-log.jsonl} "$OUT"/
cp "$WORK"/model-speaker-markers/loss.svg "$OUT"/ 2>/dev/null || true
cp "$WORK"/data/prepared.json "$OUT"/
du -sh "$OUT"
