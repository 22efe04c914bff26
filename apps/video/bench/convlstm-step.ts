// One training step of a ConvLSTM forecaster (Moving MNIST shape: 64×64, batch 8, 20 frames), timed in
// CPU seconds in one process: seqgen's ConvLstmForecaster (its loss + Adam through tf.variableGrads, as
// the trainer runs it; the ConvLSTM in @seqgen/native when built, pure tfjs with SEQGEN_NATIVE=0) and tfjs's own tf.layers.convLstm2d stack (teacher-forced: tf.layers cannot feed
// its predictions back, so it does less work per step than the two others). Run: pnpm bench.
import { initBackend } from '@seqgen/core';
import { ConvLstmForecaster } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k as string, v as string];
  }),
);
const hidden = (args.get('hidden') ?? '64,64,64,64').split(',').map(Number);
const kernel = Number(args.get('kernel') ?? 5);
const patch = Number(args.get('patch') ?? 4);
const batch = Number(args.get('batch') ?? 8);
const frames = Number(args.get('frames') ?? 20);
const steps = Number(args.get('steps') ?? 2);
const skipLayers = args.has('no-layers');

/** CPU seconds per call of `fn` after one warm-up call. */
async function cpuSecondsPerStep(fn: () => Promise<void> | void): Promise<number> {
  await fn();
  const start = process.cpuUsage();
  for (let s = 0; s < steps; s++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6 / steps;
}

await initBackend();
console.log(
  `backend ${tf.getBackend()}; hidden [${hidden}], kernel ${kernel}, patch ${patch}, batch ${batch}, ${frames} frames`,
);
const data = new Float32Array(batch * frames * 64 * 64).map(() => Math.random());
const shape = [batch, frames, 64, 64, 1] as [number, number, number, number, number];

const model = new ConvLstmForecaster({
  height: 64,
  width: 64,
  patchSize: patch,
  hiddenChannels: hidden,
  kernelSize: kernel,
});
const optimizer = tf.train.adam(1e-3);
const seqgen = await cpuSecondsPerStep(async () => {
  const { value, grads } = tf.variableGrads(() => model.loss({ shape, data }).loss);
  optimizer.applyGradients(grads as tf.NamedTensorMap as never);
  await value.data();
  tf.dispose([value, ...Object.values(grads)]);
});
// @seqgen/cells runs the ConvLSTM in @seqgen/native when it is built, unless SEQGEN_NATIVE=0 (compare.sh runs both).
const path = /^(0|false|off)$/i.test(process.env.SEQGEN_NATIVE ?? '') ? 'pure tfjs' : 'native ConvLSTM kernels';
console.log(`seqgen ConvLstmForecaster (${path}): train ${seqgen.toFixed(3)} cpu-s/step`);
model.dispose();

if (!skipLayers) {
  const p2 = patch * patch;
  const side = 64 / patch;
  const layers = tf.sequential();
  hidden.forEach((filters, l) => {
    layers.add(
      tf.layers.convLstm2d({
        filters,
        kernelSize: kernel,
        padding: 'same',
        returnSequences: true,
        ...(l === 0 ? { inputShape: [frames - 1, side, side, p2] } : {}),
      }),
    );
  });
  layers.add(
    tf.layers.timeDistributed({ layer: tf.layers.conv2d({ filters: p2, kernelSize: 1, activation: 'sigmoid' }) }),
  );
  layers.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomUniform([batch, frames - 1, side, side, p2]);
  const y = tf.randomUniform([batch, frames - 1, side, side, p2]);
  const keras = await cpuSecondsPerStep(async () => {
    await layers.trainOnBatch(x, y);
  });
  console.log(`tf.layers.convLstm2d (teacher-forced): train ${keras.toFixed(3)} cpu-s/step`);
  console.log(`ratio tf.layers / seqgen: ${(keras / seqgen).toFixed(2)}×`);
}
