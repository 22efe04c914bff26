// Does tracing cost anything when it is off? Times RecurrentLanguageModel.forward
// with no trace option at all (the hook absent), with `trace: false` (off) and
// with `trace: true`, interleaved so that machine load hits all three alike.
// Run: pnpm --filter @seqgen/interpret bench [-- --backend wasm --reps 30]
import { initBackend } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] as string) : fallback;
};
const backend = arg('backend', 'wasm');
const reps = Number(arg('reps', '30'));
const [B, T] = [8, 128];

await initBackend({ backend: backend as 'wasm' | 'cpu' });
const active = tf.getBackend();
const model = new RecurrentLanguageModel({ vocabSize: 84, embeddingSize: 64, hiddenSize: 256, seed: 1 });
const ids = tf.tensor2d(
  Array.from({ length: B * T }, (_, k) => (k * 31) % 84),
  [B, T],
  'int32',
);

const variants: Record<string, () => void> = {
  absent: () => tf.dispose(model.forward(ids).logits),
  off: () => tf.dispose(model.forward(ids, { trace: false }).logits),
  on: () =>
    tf.tidy(() => {
      model.forward(ids, { trace: true });
    }),
};
const times: Record<string, number[]> = { absent: [], off: [], on: [] };
for (const run of Object.values(variants)) run(); // warm-up
for (let r = 0; r < reps; r++) {
  for (const [name, run] of Object.entries(variants)) {
    if (name === 'on' && r % 5 !== 0) continue; // the step loop is slow; fewer samples suffice
    const start = performance.now();
    run();
    times[name]?.push(performance.now() - start);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const absent = median(times.absent as number[]);
const off = median(times.off as number[]);
const on = median(times.on as number[]);
console.log(`backend ${active}, char-LSTM 1×256, forward over [${B}, ${T}] tokens, median of ${reps} runs`);
console.log(`  trace option absent: ${absent.toFixed(1)} ms`);
console.log(
  `  trace: false       : ${off.toFixed(1)} ms  (${(((off - absent) / absent) * 100).toFixed(1)}% vs absent)`,
);
console.log(
  `  trace: true        : ${on.toFixed(1)} ms  (${(on / absent).toFixed(1)}× — the step loop, every gate kept)`,
);
model.dispose();
ids.dispose();
