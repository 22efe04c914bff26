/**
 * The char-RNN benchmark of @seqgen/cells: vocab 65, embedding 64, 2 layers × 256,
 * batch 32, sequence 64, Adam (lr 2e-3), global-norm clip 5. For each backend it
 * times, in one process and on the same data: seqgen's fused layers, the same
 * layers with the fused kernel off (a naive step-by-step autodiff RNN), and
 * tf.layers; and, when Debian's python3-torch is installed, the PyTorch peer in
 * ../shared/bench at its best (below). Prints training ms/step, chars/s, CPU ms
 * per training step (process CPU time, all threads), batch-1 generation
 * µs/char, and ratios.
 *
 *   pnpm --filter @seqgen/models bench [--backends wasm,cpu] [--cells lstm,gru]
 *                                      [--steps 10] [--peer-steps 2] [--torch-steps 10] [--no-torch]
 *                                      [--no-layers] [--no-pure]
 *
 * PyTorch at its best: the peer runs once per setting that torch_peer_best.sh
 * tries (torch threads 1/2 × OPENBLAS_NUM_THREADS 1/2), each with
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its own environment (this
 * machine sets them for older OpenBLAS builds; they slow Debian's OpenBLAS on
 * AVX-512 cores). Its best training and best generation figures, with the
 * setting each came from, are what seqgen is compared with; the one-thread
 * setting (threads 1, OpenBLAS 1) gives PyTorch's CPU ms per training step.
 * Set SEQGEN_PYTHON to use another Python with torch (default /usr/bin/python3).
 *
 * With @seqgen/native built, "seqgen (fused)" runs its C++ kernels and an extra
 * row "seqgen (fused, pure tfjs)" has them turned off (--no-pure skips it);
 * another, "seqgen (fused, native, 1 thread)", runs them on a one-thread pool
 * with batch-1 decoding on one thread too (--no-one-thread skips it): on a
 * busy machine the two-thread pool's waiting costs wall time and CPU time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
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
import { configureNative, nativeStatus } from '@seqgen/native';
import { Adam, clipGradients, globalNorm } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { maskedCrossEntropy } from '../src/masked-cross-entropy.js';
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
    'torch-steps': { type: 'string', default: '10' },
    'gen-chars': { type: 'string', default: '2000' },
    'no-torch': { type: 'boolean', default: false },
    'no-layers': { type: 'boolean', default: false },
    'no-naive': { type: 'boolean', default: false },
    'no-pure': { type: 'boolean', default: false },
    'no-one-thread': { type: 'boolean', default: false },
  },
});
const steps = Number(args.steps);
const peerSteps = Number(args['peer-steps']);
const torchSteps = Number(args['torch-steps']);
const genChars = Number(args['gen-chars']);

interface Row {
  backend: string;
  cell: string;
  impl: string;
  msPerStep: number;
  charsPerSec: number;
  usPerChar: number | undefined;
  /** Process CPU time (user + system, every thread) per training step, where measured. */
  cpuMsPerStep?: number;
}
type Timing = Omit<Row, 'backend' | 'cell' | 'impl'>;
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

/** Mean wall and process-CPU ms of one training step (gradients, global-norm clip, Adam) after a warm-up step. */
function timeTrainingSteps(
  loss: () => tf.Scalar,
  vars: tf.Variable[],
  optimizer: tf.Optimizer,
  n: number,
): { ms: number; cpuMs: number } {
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

function time(fn: () => void, n: number): { ms: number; cpuMs: number } {
  fn(); // warm-up (kernel compilation, allocation)
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const cpu = process.cpuUsage(cpu0);
  return { ms: (performance.now() - t0) / n, cpuMs: (cpu.user + cpu.system) / 1000 / n };
}

/**
 * seqgen: embeddingLookup (trains on wasm), StackedRNN, linear head, and the training step
 * `Trainer` runs: the language models' cross-entropy (`maskedCrossEntropy`, fused where
 * @seqgen/native loads), global-norm clipping and @seqgen/trainer's Adam.
 */
function benchSeqgen(cell: 'lstm' | 'gru', fused: boolean, n: number): Timing {
  const rng = new Rng(0);
  const emb = tf.variable(glorotUniform(rng, [V, E]));
  const rnn = new StackedRNN({ cell, inputSize: E, hiddenSize: H, numLayers: L, fused, seed: 1 });
  const wOut = tf.variable(glorotUniform(rng, [H, V]));
  const bOut = tf.variable(tf.zeros([V]));
  const vars = [emb, wOut, bOut, ...Object.values(rnn.variables)];
  // Keyed as tf.variableGrads keys the gradients: by each variable's own name.
  const params = Object.fromEntries(vars.map((v) => [v.name, v]));
  const optimizer = new Adam();
  const data = batch(rng);
  const ids = tf.tidy(() => tf.argMax(data.x, 2));
  const targets = tf.tidy(() => tf.reshape(tf.argMax(data.y, 1), [B, T]));
  const loss = () =>
    tf.tidy(() => {
      const out = rnn.apply(embeddingLookup(ids, emb as tf.Tensor2D)).output;
      const logits = linear(tf.reshape(out, [B * T, H]), wOut as tf.Tensor2D, bOut as tf.Tensor1D);
      return maskedCrossEntropy(tf.reshape(logits, [B, T, V]), targets, undefined, B * T);
    });
  const { ms, cpuMs } = time(() => {
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dispose();
    const norm = globalNorm(Object.values(grads));
    const clipped = clipGradients(grads, norm, { type: 'norm', maxNorm: 5 });
    optimizer.apply(params, clipped, () => 2e-3);
    tf.dispose([norm, ...Object.values(grads), ...Object.values(clipped)]);
  }, n);
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
  for (let i = 0; i < 100; i++) genStep();
  const t0 = performance.now();
  for (let i = 0; i < genChars; i++) genStep();
  const usPerChar = ((performance.now() - t0) / genChars) * 1000;
  tf.dispose([...states.flat(), ...vars, data.x, data.y, ids, targets]);
  optimizer.dispose();
  return { msPerStep: ms, charsPerSec: (B * T * 1000) / ms, usPerChar, cpuMsPerStep: cpuMs };
}

/**
 * A textbook tfjs LSTM, as people write it first: tf.unstack over time, one
 * matMul per gate per step, autodiff for everything, one-hot embedding.
 */
function benchNaiveLstm(n: number): Timing {
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
  const { ms, cpuMs } = timeTrainingSteps(loss, vars, optimizer, n);
  tf.dispose([...vars, data.x, data.y]);
  optimizer.dispose();
  return { msPerStep: ms, charsPerSec: (B * T * 1000) / ms, usPerChar: undefined, cpuMsPerStep: cpuMs };
}

/** tf.layers: the same network as a Sequential model (dense "embedding" on one-hot input, so it can train on wasm). */
function benchLayers(cell: 'lstm' | 'gru', n: number): Timing {
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
  const { ms, cpuMs } = timeTrainingSteps(loss, vars, optimizer, n);
  model.dispose();
  tf.dispose([data.x, data.y]);
  return { msPerStep: ms, charsPerSec: (B * T * 1000) / ms, usPerChar: undefined, cpuMsPerStep: cpuMs };
}

/** One run of the PyTorch peer under one thread/BLAS setting. */
type TorchRun = Timing & { threads: number; blasThreads: number };

/** The settings torch_peer_best.sh tries, in its order: [torch threads, OPENBLAS_NUM_THREADS]. */
const TORCH_SETTINGS: ReadonlyArray<readonly [number, number]> = [
  [1, 2],
  [2, 1],
  [1, 1],
  [2, 2],
];

// Runs the peer script with time.perf_counter wrapped so that the process CPU time (all threads) of its timed
// training loop is printed too: its first two clock reads bracket the training steps.
const TORCH_CPU_WRAPPER = `
import runpy, sys, time
marks = []
wall = time.perf_counter
def clock():
    marks.append(time.process_time())
    return wall()
time.perf_counter = clock
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
if len(marks) == 4:
    steps = int(sys.argv[sys.argv.index("--steps") + 1])
    print(f"cpu train: {(marks[1] - marks[0]) / steps * 1000:.1f} ms/step")
`;

const label = (r: TorchRun) => `threads ${r.threads}, OpenBLAS ${r.blasThreads}`;

/** The PyTorch peer under every setting in TORCH_SETTINGS; empty when torch or the script is missing. */
function benchTorch(cell: 'lstm' | 'gru'): TorchRun[] {
  const script = fileURLToPath(new URL('../../../../shared/bench/torch_char_lstm.py', import.meta.url));
  const python = process.env.SEQGEN_PYTHON ?? '/usr/bin/python3';
  if (args['no-torch'] || !existsSync(script) || !existsSync(python)) return [];
  const runs: TorchRun[] = [];
  for (const [threads, blasThreads] of TORCH_SETTINGS) {
    // Only the child's environment changes: the tuning variables go, its BLAS thread count is set.
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(blasThreads) };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    let out: string;
    try {
      out = execFileSync(
        python,
        ['-c', TORCH_CPU_WRAPPER, script, '--cell', cell, '--threads', String(threads), '--steps', String(torchSteps)],
        { encoding: 'utf8', env },
      );
    } catch (error) {
      console.error(
        `pytorch ${cell} threads ${threads}, OpenBLAS ${blasThreads}: failed (${(error as Error).message.split('\n')[0]})`,
      );
      return []; // python3-torch not installed
    }
    const train = /train: ([\d.]+) ms\/step/.exec(out);
    const gen = /generate: ([\d.]+) us\/char/.exec(out);
    const cpu = /cpu train: ([\d.]+) ms\/step/.exec(out);
    if (!train || !gen) continue;
    const ms = Number(train[1]);
    const run: TorchRun = {
      threads,
      blasThreads,
      msPerStep: ms,
      charsPerSec: (B * T * 1000) / ms,
      usPerChar: Number(gen[1]),
      cpuMsPerStep: cpu ? Number(cpu[1]) : undefined,
    };
    console.error(
      `pytorch ${cell} ${label(run)}: ${ms.toFixed(0)} ms/step, ${run.usPerChar?.toFixed(0)} µs/char, CPU ${run.cpuMsPerStep?.toFixed(0) ?? '?'} ms/step`,
    );
    runs.push(run);
  }
  return runs;
}

const cells = (args.cells as string).split(',') as Array<'lstm' | 'gru'>;
for (const backend of (args.backends as string).split(',') as BackendName[]) {
  await initBackend({ backend });
  for (const cell of cells) {
    const add = (impl: string, r: Timing) => {
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
    const { threads } = nativeStatus();
    if (kernels.native && threads !== undefined && !args['no-one-thread']) {
      // The pool size changes at run time; the decoder reads SEQGEN_NATIVE_DECODE_SPLIT when it is packed.
      const split = process.env.SEQGEN_NATIVE_DECODE_SPLIT;
      configureNative({ threads: 1 });
      process.env.SEQGEN_NATIVE_DECODE_SPLIT = '0';
      add('seqgen (fused, native, 1 thread)', benchSeqgen(cell, true, steps));
      configureNative({ threads });
      if (split === undefined) delete process.env.SEQGEN_NATIVE_DECODE_SPLIT;
      else process.env.SEQGEN_NATIVE_DECODE_SPLIT = split;
    }
    if (!args['no-naive']) {
      add('seqgen step loop (fused off)', benchSeqgen(cell, false, peerSteps));
      if (cell === 'lstm') add('naive tfjs LSTM (textbook)', benchNaiveLstm(peerSteps));
    }
    if (!args['no-layers']) add('tf.layers', benchLayers(cell, peerSteps));
  }
}
const torchRuns = new Map(cells.map((cell) => [cell, benchTorch(cell)] as const));
for (const [cell, runs] of torchRuns) {
  for (const r of runs) rows.push({ backend: `pytorch (cpu, ${label(r)})`, cell, impl: 'torch', ...r });
}

const fmt = (n: number | undefined, d = 0) => (n === undefined ? '—' : n.toFixed(d));
const isFused = (x: Row) => x.impl === 'seqgen (fused)' || x.impl === 'seqgen (fused, native)';
const firstBackend = rows.find((x) => x.impl !== 'torch')?.backend;
console.log(
  `\nchar-RNN: vocab ${V}, embedding ${E}, ${L}×${H}, batch ${B}, seq ${T}, Adam, clip 5 — ${steps} timed steps (peers ${peerSteps}, PyTorch ${torchSteps}); load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
);
console.log(
  '| backend | cell | implementation | train ms/step | CPU ms/step | chars/s | generate µs/char | seqgen fused speed-up | generate speed-up |',
);
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const ref = rows.find(
    (x) => x.backend === (r.impl === 'torch' ? firstBackend : r.backend) && x.cell === r.cell && isFused(x),
  );
  const ratio = ref && ref !== r ? `${(r.msPerStep / ref.msPerStep).toFixed(2)}×` : '';
  const genRatio =
    ref && ref !== r && r.usPerChar && ref.usPerChar ? `${(r.usPerChar / ref.usPerChar).toFixed(2)}×` : '';
  console.log(
    `| ${r.backend} | ${r.cell} | ${r.impl} | ${fmt(r.msPerStep)} | ${fmt(r.cpuMsPerStep)} | ${fmt(r.charsPerSec)} | ${fmt(r.usPerChar)} | ${ratio} | ${genRatio} |`,
  );
}
console.log(
  `\nspeed-up = that row's ms/step (µs/char) ÷ seqgen fused's on the same backend (PyTorch rows: ÷ seqgen fused on ${firstBackend}); > 1 means seqgen is faster. CPU ms/step = process CPU time (user + system, all threads) per training step.`,
);

// Against PyTorch at its best: its fastest training and fastest generation over the settings tried (each may come
// from a different setting), and its one-thread CPU time per training step.
const best = (runs: TorchRun[], key: 'msPerStep' | 'usPerChar') =>
  runs.reduce<TorchRun | undefined>(
    (a, r) => (a === undefined || (r[key] ?? Infinity) < (a[key] ?? Infinity) ? r : a),
    undefined,
  );
const summary: string[] = [];
const comparedWithTorch = (x: Row) => isFused(x) || x.impl === 'seqgen (fused, native, 1 thread)';
for (const r of rows.filter(comparedWithTorch)) {
  const runs = torchRuns.get(r.cell as 'lstm' | 'gru') ?? [];
  const train = best(runs, 'msPerStep');
  const gen = best(runs, 'usPerChar');
  const oneThread = runs.find((x) => x.threads === 1 && x.blasThreads === 1);
  if (!train || !gen) continue;
  const cpuRatio =
    oneThread?.cpuMsPerStep && r.cpuMsPerStep ? `${(r.cpuMsPerStep / oneThread.cpuMsPerStep).toFixed(2)}×` : '—';
  summary.push(
    `| ${r.backend} | ${r.cell} | ${r.impl} | ${fmt(r.msPerStep)} | ${fmt(train.msPerStep)} (${label(train)}) | **${(train.msPerStep / r.msPerStep).toFixed(2)}×** | ${fmt(r.usPerChar)} | ${fmt(gen.usPerChar)} (${label(gen)}) | **${(gen.usPerChar! / r.usPerChar!).toFixed(2)}×** | ${fmt(r.cpuMsPerStep)} | ${fmt(oneThread?.cpuMsPerStep)} | ${cpuRatio} |`,
  );
}
if (summary.length > 0) {
  console.log(
    '\nseqgen against PyTorch at its best (best of its settings, each figure with the setting it came from):\n',
  );
  console.log(
    '| backend | cell | seqgen | train ms/step | PyTorch best train ms/step | train speed-up | generate µs/char | PyTorch best µs/char | generate speed-up | seqgen CPU ms/step | PyTorch 1-thread CPU ms/step | seqgen ÷ PyTorch CPU |',
  );
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const line of summary) console.log(line);
}
