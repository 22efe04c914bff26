/**
 * The char-RNN benchmark of @seqgen/cells: vocab 65, embedding 64, 2 layers × 256,
 * batch 32, sequence 64, Adam (lr 2e-3), global-norm clip 5. For each backend it
 * times, in one process and on the same data: seqgen's fused layers, the same
 * layers with the fused kernel off (a naive step-by-step autodiff RNN), and
 * tf.layers; and, when Debian's python3-torch is installed, the PyTorch peer in
 * ../shared/bench. Prints training ms/step, chars/s, batch-1 generation µs/char,
 * and ratios.
 *
 *   pnpm --filter @seqgen/cells bench [--backends wasm,cpu] [--cells lstm,gru]
 *                                     [--steps 10] [--peer-steps 2] [--no-torch] [--no-layers]
 *                                     [--no-pure]
 *
 * With @seqgen/native built, "seqgen (fused)" runs its C++ kernels and an extra
 * row "seqgen (fused, pure tfjs)" has them turned off (--no-pure skips it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  embeddingLookup,
  fusedKernelStatus,
  linear,
  type RecurrentCell,
  StackedRNN,
  setNativeKernels,
} from '@seqgen/cells';
import { type BackendName, glorotUniform, initBackend, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { nativeDecoder } from '../src/native-decoder.js';

const V = 65;
const E = 64;
const H = 256;
const L = 2;
const B = 32;
const T = 64;

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    cells: { type: 'string', default: 'lstm,gru' },
    steps: { type: 'string', default: '10' },
    'peer-steps': { type: 'string', default: '2' },
    'gen-chars': { type: 'string', default: '300' },
    'no-torch': { type: 'boolean', default: false },
    'no-layers': { type: 'boolean', default: false },
    'no-naive': { type: 'boolean', default: false },
    'no-pure': { type: 'boolean', default: false },
  },
});
const steps = Number(args.steps);
const peerSteps = Number(args['peer-steps']);
const genChars = Number(args['gen-chars']);

interface Row {
  backend: string;
  cell: string;
  impl: string;
  msPerStep: number;
  charsPerSec: number;
  usPerChar: number | undefined;
}
const rows: Row[] = [];

/** Clips gradients to a global norm of 5, then applies them. */
function clipAndApply(optimizer: tf.Optimizer, grads: tf.NamedTensorMap): void {
  tf.tidy(() => {
    const list = Object.values(grads);
    const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.minimum(1, tf.div(5, tf.add(norm, 1e-6)));
    const clipped: tf.NamedTensorMap = {};
    for (const [k, g] of Object.entries(grads)) clipped[k] = tf.mul(g, scale);
    optimizer.applyGradients(clipped);
  });
  tf.dispose(Object.values(grads));
}

/** Mean ms of one training step (gradients, global-norm clip, Adam) after a warm-up step. */
function timeTrainingSteps(loss: () => tf.Scalar, vars: tf.Variable[], optimizer: tf.Optimizer, n: number): number {
  return time(() => {
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dispose();
    clipAndApply(optimizer, grads);
  }, n);
}

function batch(rng: Rng): { x: tf.Tensor; y: tf.Tensor } {
  const ids = Int32Array.from({ length: B * T }, () => rng.int(V));
  const next = Int32Array.from({ length: B * T }, () => rng.int(V));
  return { x: tf.oneHot(tf.tensor1d(ids, 'int32'), V).reshape([B, T, V]), y: tf.oneHot(tf.tensor1d(next, 'int32'), V) };
}

function time(fn: () => void, n: number): number {
  fn(); // warm-up (kernel compilation, allocation)
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t0) / n;
}

/** seqgen: embeddingLookup (trains on wasm), StackedRNN, linear head — all with explicit-transpose gradients. */
function benchSeqgen(cell: 'lstm' | 'gru', fused: boolean, n: number): Omit<Row, 'backend' | 'cell' | 'impl'> {
  const rng = new Rng(0);
  const emb = tf.variable(glorotUniform(rng, [V, E]));
  const rnn = new StackedRNN({ cell, inputSize: E, hiddenSize: H, numLayers: L, fused, seed: 1 });
  const wOut = tf.variable(glorotUniform(rng, [H, V]));
  const bOut = tf.variable(tf.zeros([V]));
  const vars = [emb, wOut, bOut, ...Object.values(rnn.variables)];
  const optimizer = tf.train.adam(2e-3);
  const data = batch(rng);
  const ids = tf.tidy(() => tf.argMax(data.x, 2));
  const loss = () =>
    tf.tidy(() => {
      const out = rnn.apply(embeddingLookup(ids, emb as tf.Tensor2D)).output;
      const logits = linear(tf.reshape(out, [B * T, H]), wOut as tf.Tensor2D, bOut as tf.Tensor1D);
      return tf.losses.softmaxCrossEntropy(data.y, logits) as tf.Scalar;
    });
  const ms = timeTrainingSteps(loss, vars, optimizer, n);
  // Batch-1 generation: O(1) per char through StackedRNN.step, sampling at temperature 0.8.
  let states = rnn.initialState(1);
  let token = 0;
  const sampler = new Rng(3);
  const tfGenStep = () => {
    const next = tf.tidy(() => {
      const x = embeddingLookup(tf.tensor1d([token], 'int32'), emb as tf.Tensor2D);
      const r = rnn.step(x, states);
      const logits = tf.div(linear(r.output, wOut as tf.Tensor2D, bOut as tf.Tensor1D), 0.8);
      return { probs: tf.softmax(logits), states: r.states.map((s) => s.map((t) => tf.keep(t))) };
    });
    tf.dispose(states.flat());
    states = next.states;
    token = sampler.categorical(next.probs.dataSync());
    next.probs.dispose();
  };
  // With @seqgen/native: the whole model's step in one call (what RecurrentLanguageModel.step in
  // @seqgen/models does through its native decoder), then the same temperature softmax and draw in
  // JavaScript on the Float32Array logits.
  const decoder = nativeDecoder({
    embedding: emb,
    cells: rnn.layers.map((_, l) => rnn.cellsOf(l)[0] as RecurrentCell),
    outputKernel: wOut,
    outputBias: bOut,
  });
  let genStep = tfGenStep;
  if (decoder) {
    const arrays = decoder.stateSizes.map((n) => new Float32Array(n));
    const ids = new Int32Array(1);
    const probs = new Float64Array(V);
    const logits = new Float32Array(V); // reused: no allocation per token
    genStep = () => {
      ids[0] = token;
      decoder.step(ids, arrays, logits);
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, (logits[v] as number) / 0.8);
      let sum = 0;
      for (let v = 0; v < V; v++) sum += probs[v] = Math.exp((logits[v] as number) / 0.8 - max);
      for (let v = 0; v < V; v++) probs[v] = (probs[v] as number) / sum;
      token = sampler.categorical(probs);
    };
  }
  for (let i = 0; i < 20; i++) genStep();
  const t0 = performance.now();
  for (let i = 0; i < genChars; i++) genStep();
  const usPerChar = ((performance.now() - t0) / genChars) * 1000;
  tf.dispose([...states.flat(), ...vars, data.x, data.y, ids]);
  optimizer.dispose();
  return { msPerStep: ms, charsPerSec: (B * T * 1000) / ms, usPerChar };
}

/**
 * A textbook tfjs LSTM, as people write it first: tf.unstack over time, one
 * matMul per gate per step, autodiff for everything, one-hot embedding.
 */
function benchNaiveLstm(n: number): Omit<Row, 'backend' | 'cell' | 'impl'> {
  const rng = new Rng(0);
  const emb = tf.variable(glorotUniform(rng, [V, E]));
  const layers = Array.from({ length: L }, (_, l) => {
    const inSize = l === 0 ? E : H;
    return ['i', 'f', 'g', 'o'].map(() => ({
      W: tf.variable(glorotUniform(rng, [inSize, H])),
      U: tf.variable(glorotUniform(rng, [H, H])),
      b: tf.variable(tf.zeros([H])),
    }));
  });
  const wOut = tf.variable(glorotUniform(rng, [H, V]));
  const bOut = tf.variable(tf.zeros([V]));
  const vars = [emb, wOut, bOut, ...layers.flat().flatMap((g) => [g.W, g.U, g.b])];
  const optimizer = tf.train.adam(2e-3);
  const data = batch(rng);
  const loss = () =>
    tf.tidy(() => {
      let xs = tf.unstack(tf.reshape(tf.matMul(tf.reshape(data.x, [B * T, V]), emb), [B, T, E]), 1);
      for (const gates of layers) {
        let h: tf.Tensor = tf.zeros([B, H]);
        let c: tf.Tensor = tf.zeros([B, H]);
        const outs: tf.Tensor[] = [];
        for (const x of xs) {
          const [i, f, g, o] = gates.map((p, k) => {
            const z = tf.add(tf.add(tf.matMul(x, p.W), tf.matMul(h, p.U)), p.b);
            return k === 2 ? tf.tanh(z) : tf.sigmoid(z);
          }) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
          c = tf.add(tf.mul(f, c), tf.mul(i, g));
          h = tf.mul(o, tf.tanh(c));
          outs.push(h);
        }
        xs = outs;
      }
      const logits = tf.add(tf.matMul(tf.reshape(tf.stack(xs, 1), [B * T, H]), wOut), bOut);
      return tf.losses.softmaxCrossEntropy(data.y, logits) as tf.Scalar;
    });
  const ms = timeTrainingSteps(loss, vars, optimizer, n);
  tf.dispose([...vars, data.x, data.y]);
  optimizer.dispose();
  return { msPerStep: ms, charsPerSec: (B * T * 1000) / ms, usPerChar: undefined };
}

/** tf.layers: the same network as a Sequential model (dense "embedding" on one-hot input, so it can train on wasm). */
function benchLayers(cell: 'lstm' | 'gru', n: number): Omit<Row, 'backend' | 'cell' | 'impl'> {
  const rng = new Rng(0);
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: E, useBias: false, inputShape: [T, V] }));
  for (let l = 0; l < L; l++) {
    const opts = { units: H, returnSequences: true, recurrentActivation: 'sigmoid' as const };
    model.add(cell === 'lstm' ? tf.layers.lstm(opts) : tf.layers.gru(opts));
  }
  model.add(tf.layers.dense({ units: V }));
  const optimizer = tf.train.adam(2e-3);
  const data = batch(rng);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = () =>
    tf.tidy(() => {
      const logits = tf.reshape(model.apply(data.x, { training: true }) as tf.Tensor, [B * T, V]);
      return tf.losses.softmaxCrossEntropy(data.y, logits) as tf.Scalar;
    });
  const ms = timeTrainingSteps(loss, vars, optimizer, n);
  model.dispose();
  tf.dispose([data.x, data.y]);
  return { msPerStep: ms, charsPerSec: (B * T * 1000) / ms, usPerChar: undefined };
}

function benchTorch(cell: 'lstm' | 'gru'): Omit<Row, 'backend' | 'cell' | 'impl'> | undefined {
  const script = fileURLToPath(new URL('../../../../shared/bench/torch_char_lstm.py', import.meta.url));
  if (args['no-torch'] || !existsSync(script) || !existsSync('/usr/bin/python3')) return undefined;
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--cell', cell, '--threads', '1', '--steps', '10'], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '2' },
    });
    const train = /train: ([\d.]+) ms\/step/.exec(out);
    const gen = /generate: ([\d.]+) us\/char/.exec(out);
    if (!train || !gen) return undefined;
    const ms = Number(train[1]);
    return { msPerStep: ms, charsPerSec: (B * T * 1000) / ms, usPerChar: Number(gen[1]) };
  } catch {
    return undefined; // python3-torch not installed
  }
}

const cells = (args.cells as string).split(',') as Array<'lstm' | 'gru'>;
for (const backend of (args.backends as string).split(',') as BackendName[]) {
  await initBackend({ backend });
  for (const cell of cells) {
    const add = (impl: string, r: Omit<Row, 'backend' | 'cell' | 'impl'>) => {
      rows.push({ backend, cell, impl, ...r });
      console.error(`${backend} ${cell} ${impl}: ${r.msPerStep.toFixed(0)} ms/step`);
    };
    const kernels = fusedKernelStatus();
    console.error(`${backend}: fused kernels ${kernels.native ? 'native' : 'pure tfjs'} (${kernels.reason})`);
    add(kernels.native ? 'seqgen (fused, native)' : 'seqgen (fused)', benchSeqgen(cell, true, steps));
    if (kernels.native && !args['no-pure']) {
      setNativeKernels(false);
      add('seqgen (fused, pure tfjs)', benchSeqgen(cell, true, steps));
      setNativeKernels(true);
    }
    if (!args['no-naive']) {
      add('seqgen step loop (fused off)', benchSeqgen(cell, false, peerSteps));
      if (cell === 'lstm') add('naive tfjs LSTM (textbook)', benchNaiveLstm(peerSteps));
    }
    if (!args['no-layers']) add('tf.layers', benchLayers(cell, peerSteps));
  }
}
for (const cell of cells) {
  const r = benchTorch(cell);
  if (r) rows.push({ backend: 'pytorch (cpu, 1 thread + OpenBLAS 2)', cell, impl: 'torch', ...r });
}

const fmt = (n: number | undefined, d = 0) => (n === undefined ? '—' : n.toFixed(d));
console.log(
  `\nchar-RNN: vocab ${V}, embedding ${E}, ${L}×${H}, batch ${B}, seq ${T}, Adam, clip 5 — ${steps} timed steps (peers ${peerSteps})\n`,
);
console.log(
  '| backend | cell | implementation | train ms/step | chars/s | generate µs/char | seqgen fused speed-up | generate speed-up |',
);
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const isFused = (x: Row) => x.impl === 'seqgen (fused)' || x.impl === 'seqgen (fused, native)';
  const fused = rows.find((x) => x.backend === r.backend && x.cell === r.cell && isFused(x));
  const torchFusedWasm = rows.find((x) => x.backend === 'wasm' && x.cell === r.cell && isFused(x));
  const ref = r.impl === 'torch' ? torchFusedWasm : fused;
  const ratio = ref && ref !== r ? `${(r.msPerStep / ref.msPerStep).toFixed(2)}×` : '';
  const genRatio =
    ref && ref !== r && r.usPerChar && ref.usPerChar ? `${(r.usPerChar / ref.usPerChar).toFixed(2)}×` : '';
  console.log(
    `| ${r.backend} | ${r.cell} | ${r.impl} | ${fmt(r.msPerStep)} | ${fmt(r.charsPerSec)} | ${fmt(r.usPerChar)} | ${ratio} | ${genRatio} |`,
  );
}
console.log(
  "\nspeed-up = that row's ms/step ÷ seqgen fused ms/step on the same backend (PyTorch rows: ÷ seqgen fused on wasm); > 1 means seqgen is faster.",
);
