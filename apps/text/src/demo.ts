// `pnpm demo`: trains a small character LSTM on Moby-Dick for about 2.5 minutes (progress bar on a
// terminal), then samples with several decoding settings and prints held-out bits per character.
// Everything is the CLI's own code path: train() and generateText() from this app.
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { generateText } from './generate.js';
import { mobyDickPath } from './moby-dick.js';
import { train } from './train.js';

const minutes = Number(process.env.DEMO_MINUTES ?? 2.5);
const out = join(process.cwd(), 'runs', 'moby-demo');
const backend = await initBackend();
console.log(
  `seqgen text demo — backend ${backend.active}; training a char-LSTM (256 units) on Moby-Dick for ${minutes} min`,
);
const summary = await train({
  corpus: mobyDickPath(),
  out,
  tokenizer: 'char',
  cell: 'lstm',
  layers: 1,
  hidden: 256,
  embedding: 64,
  dropout: 0,
  minutes,
  steps: 1,
  seqLen: 64,
  batch: 32,
  lr: 3e-3,
  seed: 1,
  sampleLength: 80,
});

const settings: Array<[string, { temperature: number; topK?: number; topP?: number }]> = [
  ['temperature 0.5', { temperature: 0.5 }],
  ['temperature 0.8', { temperature: 0.8 }],
  ['temperature 1.0', { temperature: 1 }],
  ['top-k 5 (temperature 1.0)', { temperature: 1, topK: 5 }],
  ['top-p 0.9 (temperature 1.0)', { temperature: 1, topP: 0.9 }],
];
for (const [label, s] of settings) {
  console.log(`\n--- ${label} ---`);
  await generateText({
    checkpoint: out,
    prime: 'The whale ',
    length: 240,
    temperature: s.temperature,
    topP: s.topP ?? 1,
    seed: 7,
    strategy: 'sample',
    beams: 1,
    ...(s.topK ? { topK: s.topK } : {}),
  });
}
const h = summary.heldOut;
if (!h) process.exit(130); // interrupted: train() said where the resumable checkpoint went
console.log(
  `\nheld-out (last 10% of Moby-Dick, ${h.tokens} characters): ${h.loss.toFixed(4)} nats/char, ` +
    `perplexity ${h.perplexity.toFixed(2)}, ${h.bitsPerChar.toFixed(3)} bits/char after ${summary.steps} steps`,
);
console.log(`checkpoint: ${out}  (try: node dist/cli.js generate --checkpoint runs/moby-demo --prime "Call me")`);
