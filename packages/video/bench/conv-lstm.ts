/**
 * ConvLSTM training-step benchmark at the Moving MNIST forecaster's shape:
 * batch 8, 20 frames of 64×64×1 reshaped into 16×16×16 patches (OpenSTL's
 * patch size 4; `--patch 1` keeps 64×64×1), 64 hidden channels, 5×5 kernels.
 * One step = the ConvLSTM over frames 0..18, a 1×1 head predicting frames
 * 1..19, MSE, backward through time, Adam. In one run it times:
 *   - seqgen: @seqgen/cells' ConvLSTM2D, with @seqgen/native's ConvLSTM kernels (im2col + packed GEMM,
 *     forward and backward through time in C++) when built, and again on the pure-tfjs path
 *     (setNativeKernels(false): one frame at a time in tfjs ops; `--no-pure` skips it);
 *   - tf.layers.convLstm2d (+ a dense head), tfjs's own layer, on the same backend;
 *   - PyTorch (Debian's python3-torch, bench/torch_conv_lstm.py) at threads = cores.
 *
 *   pnpm --filter @seqgen/video bench [--backend wasm|cpu] [--steps 2] [--warmup 1]
 *                                     [--patch 4] [--hidden 64] [--batch 8] [--no-torch] [--no-layers] [--no-pure]
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConvLSTM2D, ConvLSTM2DCell, fusedKernelStatus, setNativeKernels } from '@seqgen/cells';
import { type BackendName, glorotUniform, initBackend, Rng } from '@seqgen/core';
import { loadMnistDigits } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { MovingMnist } from '../src/index.js';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string' },
    steps: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '1' },
    patch: { type: 'string', default: '4' },
    hidden: { type: 'string', default: '64' },
    batch: { type: 'string', default: '8' },
    'no-torch': { type: 'boolean', default: false },
    'no-layers': { type: 'boolean', default: false },
    'no-pure': { type: 'boolean', default: false },
  },
});
const steps = Number(args.steps);
const warmup = Number(args.warmup);
const P = Number(args.patch);
const F = Number(args.hidden);
const B = Number(args.batch);
const T = 20;
const K = 5;
const S = 64 / P; // patch grid side
const C = P * P; // channels per patch

/** Moving MNIST frames [B, T, 64, 64, 1] → patches [B, T, 64/P, 64/P, P·P] (OpenSTL's reshape_patch). */
function movingMnistPatches(): tf.Tensor5D {
  const stream = new MovingMnist(loadMnistDigits({ split: 'train', perClass: 50 }), { seed: 0, batchSize: B });
  const { data } = stream.next();
  return tf.tidy(() => {
    const x = tf.tensor(data, [B, T, S, P, S, P]);
    return tf.reshape(tf.transpose(x, [0, 1, 2, 4, 3, 5]), [B, T, S, S, C]) as tf.Tensor5D;
  });
}

/** One implementation's timing: wall and CPU milliseconds per step (CPU time is what a loaded machine does not inflate). */
type Timing = { ms: number; median: number; cpuMs: number; params: number };

/**
 * Minimum and median wall time, and minimum CPU time (user + system, all
 * threads of this process), of `steps` calls of `step` after `warmup` calls.
 */
async function time(step: () => Promise<void>): Promise<Omit<Timing, 'params'>> {
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await step();
    const used = process.cpuUsage(cpuStart);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { ms: times[0] as number, median: times[Math.floor(times.length / 2)] as number, cpuMs: Math.min(...cpu) };
}

async function seqgenStep(x: tf.Tensor5D): Promise<Timing> {
  const cell = new ConvLSTM2DCell({ inputSize: C, units: F, kernelSize: K, seed: 1 });
  const layer = new ConvLSTM2D(cell);
  const rng = new Rng(2);
  const head = tf.variable(glorotUniform(rng, [F, C]));
  const headBias = tf.variable(tf.zeros([C]));
  const optimizer = tf.train.adam(1e-3);
  const inputs = tf.slice(x, [0, 0], [B, T - 1]);
  const targets = tf.slice(x, [0, 1], [B, T - 1]);
  const vars = [...Object.values(layer.variables), head, headBias];
  const params = vars.reduce((n, v) => n + v.size, 0);
  const result = await time(async () => {
    const loss = optimizer.minimize(
      () => {
        const { output } = layer.apply(inputs);
        const y = tf.add(tf.reshape(tf.matMul(tf.reshape(output, [-1, F]), head), targets.shape), headBias);
        return tf.losses.meanSquaredError(targets, y) as tf.Scalar;
      },
      true,
      vars,
    );
    await loss?.data();
    loss?.dispose();
  });
  layer.dispose();
  head.dispose();
  headBias.dispose();
  optimizer.dispose();
  tf.dispose([inputs, targets]);
  return { ...result, params };
}

async function layersStep(x: tf.Tensor5D): Promise<Timing | string> {
  const model = tf.sequential({
    layers: [
      tf.layers.convLstm2d({
        filters: F,
        kernelSize: K,
        padding: 'same',
        returnSequences: true,
        inputShape: [T - 1, S, S, C],
      }),
      tf.layers.dense({ units: C }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const inputs = tf.slice(x, [0, 0], [B, T - 1]);
  const targets = tf.slice(x, [0, 1], [B, T - 1]);
  try {
    const result = await time(async () => {
      await model.trainOnBatch(inputs, targets);
    });
    return { ...result, params: model.countParams() };
  } catch (error) {
    return `fails: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    model.dispose();
    tf.dispose([inputs, targets]);
  }
}

function torchStep(): (Timing & { threads: number }) | string {
  if (args['no-torch']) return 'skipped (--no-torch)';
  const script = fileURLToPath(new URL('./torch_conv_lstm.py', import.meta.url));
  const env = { ...process.env };
  // Debian's OpenBLAS runs slower with these (set on this machine for older builds).
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const threads = availableParallelism();
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [
        script,
        ...Object.entries({
          batch: B,
          frames: T,
          size: S,
          channels: C,
          hidden: F,
          kernel: K,
          steps,
          warmup,
          threads,
        }).flatMap(([k, v]) => [`--${k}`, String(v)]),
      ],
      { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const r = JSON.parse(out.trim().split('\n').pop() as string);
    return { ms: r.ms_per_step, median: r.median_ms, cpuMs: r.cpu_ms_per_step, params: r.params, threads: r.threads };
  } catch (error) {
    return `unavailable: ${(error as Error).message.split('\n')[0]}`;
  }
}

const report = await initBackend(args.backend ? { backend: args.backend as BackendName } : {});
const backend = tf.getBackend();
const x = movingMnistPatches();
const load = loadavg()[0]?.toFixed(1);
console.log(
  `ConvLSTM training step: batch ${B}, ${T} frames (${T - 1} steps), ${S}×${S}×${C} input, ${F} hidden, ${K}×${K} kernel; ` +
    `backend ${backend} (selected by ${report.selectedBy}); best of ${steps} after ${warmup} warm-up; load average ${load} on ${availableParallelism()} cores`,
);
const rows: Array<[string, Timing | string]> = [];
const kernels = fusedKernelStatus();
rows.push([`seqgen ConvLSTM2D (${backend}, ${kernels.native ? kernels.reason : 'pure tfjs'})`, await seqgenStep(x)]);
if (kernels.native && !args['no-pure']) {
  setNativeKernels(false);
  rows.push([`seqgen ConvLSTM2D (${backend}, pure tfjs)`, await seqgenStep(x)]);
  setNativeKernels(true);
}
if (!args['no-layers']) rows.push([`tf.layers.convLstm2d (${backend})`, await layersStep(x)]);
const torch = torchStep();
rows.push([typeof torch === 'string' ? 'PyTorch' : `PyTorch ${torch.threads} threads`, torch]);
x.dispose();
const seqgen = rows[0]?.[1];
console.log(
  '\n| implementation | params | wall ms/step (best) | median | CPU ms/step | wall ÷ seqgen | CPU ÷ seqgen |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, r] of rows) {
  if (typeof r === 'string') console.log(`| ${name} | | ${r} | | | | |`);
  else {
    const wall = typeof seqgen === 'object' ? (r.ms / seqgen.ms).toFixed(2) : '';
    const cpu = typeof seqgen === 'object' ? (r.cpuMs / seqgen.cpuMs).toFixed(2) : '';
    const cells = [r.params.toLocaleString('en'), r.ms.toFixed(0), r.median.toFixed(0), r.cpuMs.toFixed(0), wall, cpu];
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}
console.log(`\nload average after: ${loadavg()[0]?.toFixed(1)}`);
