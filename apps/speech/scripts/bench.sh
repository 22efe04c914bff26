#!/usr/bin/env bash
# Synthesis speed of the shipped checkpoint on this machine: seqgen-speech speak on a 3-sentence text, three
# times, printing the real-time factor (seconds of audio per second of synthesis, Griffin-Lim included) and the
# CPU seconds of each run. Run from apps/speech after `pnpm build`.
set -euo pipefail
cd "$(dirname "$0")/.."
TEXT="Call me Ishmael. Some years ago, never mind how long precisely, I thought I would sail about a little. It is a way I have of driving off the spleen."
mkdir -p runs/bench
for i in 1 2 3; do
  /usr/bin/time -f "cpu %U user + %S sys, %e s wall" node dist/cli.js speak --backend wasm --text "$TEXT" \
    --out runs/bench/speech.wav --force --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(`audio ${r.audioSeconds.toFixed(2)} s, synthesis ${r.seconds.toFixed(2)} s, real-time factor ${r.realTimeFactor.toFixed(2)} (wall), ${r.cpuRealTimeFactor.toFixed(2)} (CPU)`)})'
done
