#!/usr/bin/env bash
# `pnpm --filter @seqgen/app-translate bench`: seqgen's seq2seq speed (@seqgen/models' bench:seq2seq: GRU encoder-decoder
# with Bahdanau attention, vocabulary 4000, embedding 256, hidden 256, batch 64, length 20, beam 5, 25 new tokens)
# and the PyTorch peer's at its best thread setting (torch_peer_best.sh), one after the other in this process
# tree, then the ratios ours/PyTorch for training target tokens/s and batched beam-5 sentences/s (higher is better).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
echo "== seqgen (pnpm --filter @seqgen/models bench:seq2seq)"
# Both sides time STEPS training steps (default 20) after their warm-up: fewer leave the first, slower steps
# at a new shape too much weight (5 steps gave 2,670 and 4,015 tokens/s in two runs minutes apart).
steps="${STEPS:-20}"
ours=$(cd "$root" && pnpm --silent --filter @seqgen/models bench:seq2seq -- --steps "$steps" 2>&1)
echo "$ours"
echo "== PyTorch peer (apps/translate/bench/torch_peer_best.sh)"
peer=$(bash "$here/torch_peer_best.sh" --steps "$steps" "$@" 2>&1)
echo "$peer"
# The first figure before "target tokens/s" (training) and before "sentences/s" (beam search) in each output;
# for the peer, its best line.
ours_train=$(echo "$ours" | grep -o '[0-9][0-9.]* \(target \)\?tokens/s' | head -1 | grep -o '^[0-9.]*')
ours_beam=$(echo "$ours" | grep -o '[0-9][0-9.]* sentences/s' | head -1 | grep -o '^[0-9.]*')
peer_train=$(echo "$peer" | sed -n 's/^best train: \([0-9.]*\).*/\1/p')
peer_beam=$(echo "$peer" | sed -n 's/^best beam: \([0-9.]*\).*/\1/p')
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk "BEGIN{printf \"%.2f\", $1 / $2}" || echo "?"; }
echo "== ratios (seqgen / PyTorch; above 1: seqgen is faster)"
echo "training target tokens/s: ${ours_train:-?} / ${peer_train:-?} = $(ratio "$ours_train" "$peer_train")"
echo "beam-5 sentences/s:       ${ours_beam:-?} / ${peer_beam:-?} = $(ratio "$ours_beam" "$peer_beam")"
