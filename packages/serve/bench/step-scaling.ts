// What batching can buy a served model, from its decoding step alone: `pnpm --filter @seqgen/serve bench:steps [checkpoint]`.
// Times the work the continuous batcher does per shared step (model.step on B rows, then reading the logits)
// for B = 1 … 64 and prints µs per generated token. The ratio of the B = 1 and B = 64 figures bounds batched
// serving's tokens/s over one-at-a-time's: the per-token work around the step (sampling, streaming) is the same
// in both modes, so adding it can only bring the served ratio down. For unconditioned language models
// (`initialState(rows)`); default checkpoint: apps/text's moby-char-lstm.
import { fileURLToPath } from 'node:url';
import { initBackend, WASM_THREADS_ENV } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { loadServedModel } from '../src/index.js';

const path =
  process.argv.slice(2).find((a) => a !== '--') ??
  fileURLToPath(new URL('../../../apps/text/pretrained/moby-char-lstm', import.meta.url));
const BATCHES = [1, 2, 4, 8, 16, 32, 64];
const TOKENS_PER_SIZE = 4096; // generated tokens timed per batch size (at least 32 steps)

// As the server process runs: one wasm thread (the native pool keeps its own threads).
await initBackend(process.env[WASM_THREADS_ENV] ? {} : { wasmThreads: 1 });
const served = await loadServedModel(path);
const model = served.model as unknown as {
  vocabSize: number;
  initialState(rows: number): tf.TensorContainer;
  step(tokens: tf.Tensor1D, state: tf.TensorContainer): { logits: tf.Tensor2D; state: tf.TensorContainer };
};

async function usPerToken(rows: number): Promise<number> {
  let state = model.initialState(rows);
  const tokens = Array.from({ length: rows }, (_, i) => (i * 7) % model.vocabSize);
  const step = async () => {
    const out = tf.tidy(() => model.step(tf.tensor1d(tokens, 'int32'), state));
    tf.dispose(state);
    state = out.state;
    await out.logits.data();
    out.logits.dispose();
  };
  for (let i = 0; i < 10; i++) await step();
  const steps = Math.max(32, Math.ceil(TOKENS_PER_SIZE / rows));
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const us = ((performance.now() - t0) * 1000) / (steps * rows);
  tf.dispose(state);
  return us;
}

console.log(`${served.name}: model step (the batcher's per-step work), µs per generated token`);
const table: Record<string, number>[] = [];
const perToken = new Map<number, number>();
for (const rows of BATCHES) {
  const us = await usPerToken(rows);
  perToken.set(rows, us);
  table.push({ rows, 'ms/step': +((us * rows) / 1000).toFixed(3), 'µs/token': +us.toFixed(1) });
}
console.table(table);
const one = perToken.get(1) as number;
const full = perToken.get(64) as number;
console.log(
  `batch 64 / batch 1 tokens per second from the step alone: ${(one / full).toFixed(2)}× (${one.toFixed(1)} → ${full.toFixed(1)} µs/token)`,
);
served.dispose();
