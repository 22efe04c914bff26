/**
 * How a fused LSTM layer's training step (forward + backward) scales with
 * sequence length and batch size, and how much memory it keeps for backward.
 * Time should grow linearly in T·B and saved memory linearly in T (O(T)).
 *
 *   pnpm --filter @seqgen/cells bench:scaling [--backend wasm] [--repeats 3]
 */
import { parseArgs } from 'node:util';
import { type BackendName, initBackend, Rng, randomNormal } from '@seqgen/core';
import { nativeMemory, nativeStatus } from '@seqgen/native';
import * as tf from '@tensorflow/tfjs';
import { StackedRNN } from '../src/index.js';

const { values: args } = parseArgs({
  options: { backend: { type: 'string', default: 'wasm' }, repeats: { type: 'string', default: '3' } },
});
await initBackend({ backend: args.backend as BackendName });
const repeats = Number(args.repeats);
const I = 64;
const H = 256;
const rnn = new StackedRNN({ cell: 'lstm', inputSize: I, hiddenSize: H, seed: 1 });
const vars = Object.values(rnn.variables);
const native = nativeStatus();
console.log(
  `backend ${args.backend}; native kernels: ${native.loaded ? `active (${native.isa})` : `off (${native.reason})`}`,
);

const rows: string[] = [];
const base = { steps: 0, ms: 0 };
for (const [B, T] of [
  [32, 64],
  [32, 196],
  [32, 392],
  [32, 784],
  [64, 64],
  [128, 64],
  [1, 784],
] as Array<[number, number]>) {
  const x = randomNormal(new Rng(T), [B, T, I]);
  let savedMiB = Number.NaN;
  const step = () => {
    const { value, grads } = tf.variableGrads(() => {
      const loss = tf.sum(rnn.apply(x).output) as tf.Scalar;
      // Measured while the forward pass's saved state is alive, before backward frees it.
      if (native.loaded) savedMiB = nativeMemory().liveBytes / 2 ** 20;
      return loss;
    }, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  step();
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) step();
  const ms = (performance.now() - t0) / repeats;
  if (base.steps === 0) Object.assign(base, { steps: B * T, ms });
  const work = (B * T) / base.steps;
  rows.push(
    `| ${B} | ${T} | ${ms.toFixed(0)} | ${work.toFixed(2)}× | ${(ms / base.ms).toFixed(2)}× | ${Number.isNaN(savedMiB) ? '—' : savedMiB.toFixed(1)} |`,
  );
  x.dispose();
}
console.log('\nLSTM layer, input 64, hidden 256, forward + backward (one training step of the layer)\n');
console.log('| batch | T | ms | work (B·T) vs first row | time vs first row | saved for backward (MiB) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
