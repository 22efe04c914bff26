/**
 * Time of one `Adam.apply` over the parameters of @seqgen/models' benchmark
 * Seq2Seq (GRU encoder–decoder, vocabulary 4,000, embedding 256, 256 units,
 * Bahdanau attention with input feeding: 4.39 M weights in 19 tensors), with
 * random gradients, after 3 warm-up updates. Run it with and without the
 * native pass:
 *
 *   pnpm --filter @seqgen/trainer bench:adam [-- --updates 20 --backend cpu]
 *   SEQGEN_NATIVE=0 pnpm --filter @seqgen/trainer bench:adam
 */
import { parseArgs } from 'node:util';
import { fusedKernelStatus } from '@seqgen/cells';
import { type BackendName, initBackend, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../src/optimizers/adam.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { updates: { type: 'string', default: '20' }, backend: { type: 'string' } },
});
const backend = await initBackend(args.backend ? { backend: args.backend as BackendName } : {});
const V = 4000;
const E = 256;
const H = 256;
// The Seq2Seq's weights by shape: embeddings, encoder GRU, bridge, decoder GRU (input = embedding + attentional
// vector), Bahdanau attention, combine, output projection.
const shapes: number[][] = [
  [V, E],
  [E, 3 * H],
  [H, 3 * H],
  [3 * H],
  [3 * H],
  [H, H],
  [H],
  [V, E],
  [E + H, 3 * H],
  [H, 3 * H],
  [3 * H],
  [3 * H],
  [H, H],
  [H, H],
  [H],
  [H, 1],
  [2 * H, H],
  [H, V],
  [V],
];
const rng = new Rng(1);
const params: Record<string, tf.Variable> = {};
const grads: Record<string, tf.Tensor> = {};
shapes.forEach((shape, i) => {
  params[`p${i}`] = tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', rng.uint32()));
  grads[`p${i}`] = tf.randomNormal(shape, 0, 0.01, 'float32', rng.uint32());
});
const weights = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
const optimizer = new Adam();
for (let i = 0; i < 3; i++) optimizer.apply(params, grads, () => 1e-3);
const updates = Number(args.updates);
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < updates; i++) optimizer.apply(params, grads, () => 1e-3);
const ms = (performance.now() - t0) / updates;
const cpu = process.cpuUsage(c0);
console.log(
  `backend ${backend.active}, native ${fusedKernelStatus().native} (${fusedKernelStatus().reason}): ` +
    `Adam over ${weights} weights in ${shapes.length} tensors: ${ms.toFixed(1)} ms per update ` +
    `(${((cpu.user + cpu.system) / 1000 / updates).toFixed(1)} CPU ms)`,
);
