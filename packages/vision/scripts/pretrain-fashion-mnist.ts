// Pretrains the vision package's CNN encoder on Fashion-MNIST classification
// (Debian `dataset-fashion-mnist`) through @seqgen/trainer's Trainer, reports
// the t10k test accuracy and writes the shipped checkpoint.
//   pnpm --filter @seqgen/vision pretrain [--steps 900] [--batch 64] [--out pretrained/fashion-mnist-cnn.seqgen]
//     [--init-from CHECKPOINT]   continue from a saved classifier (a second, shorter run at a lower rate)
import { parseArgs } from 'node:util';
import { initBackend } from '@seqgen/core';
import { Trainer } from '@seqgen/trainer';
import { ImageBatcher, ImageClassifier, loadFashionMnist, PRETRAINED_CHECKPOINT } from '../src/index.js';

const { values } = parseArgs({
  // pnpm passes a literal '--' before the script's own options.
  allowPositionals: true,
  options: {
    steps: { type: 'string', default: '900' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.002' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: `pretrained/${PRETRAINED_CHECKPOINT}` },
    'init-from': { type: 'string' },
  },
});
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const seed = Number(values.seed);

const backend = await initBackend();
console.log(`backend: ${backend.active}`);
const train = await loadFashionMnist('train');
const test = await loadFashionMnist('test');
console.log(`Fashion-MNIST: ${train.count} train, ${test.count} test images`);

const initFrom = values['init-from'];
const model = initFrom
  ? await ImageClassifier.load(initFrom)
  : new ImageClassifier(
      {
        encoder: { inputHeight: 28, inputWidth: 28, inputChannels: 1, filters: [32, 64, 128] },
        numClasses: 10,
        classNames: [...(train.classNames ?? [])],
      },
      seed,
    );
if (initFrom) console.log(`continuing from ${initFrom}`);
console.log(`encoder: ${model.encoder.parameterCount} weights, feature map ${model.encoder.outputShape.join('×')}`);
const started = performance.now();
const trainer = new Trainer(
  model,
  {
    optimizer: { type: 'adam', learningRate: Number(values.lr) },
    schedule: { type: 'warmup-cosine', warmupSteps: Math.min(50, steps), totalSteps: steps, minFactor: 0.05 },
    maxSteps: steps,
    seed,
    progressBar: false,
  },
  [
    {
      onStepEnd: (m) => {
        if (m.step % 50 === 0 || m.step === steps) {
          const s = (performance.now() - started) / 1000;
          console.log(
            `step ${m.step}/${steps}  loss ${m.loss.toFixed(4)}  ${s.toFixed(0)} s (${((s * 1000) / m.step).toFixed(0)} ms/step)`,
          );
        }
      },
    },
  ],
);
await trainer.fit(new ImageBatcher(train, { batchSize, seed }));
const trainSeconds = (performance.now() - started) / 1000;
const accuracy = model.accuracy(test);
console.log(
  `t10k test accuracy: ${(accuracy * 100).toFixed(2)}% after ${steps} steps of ${batchSize} (${trainSeconds.toFixed(0)} s on ${backend.active})`,
);
await model.save(values.out, {
  dataset: 'fashion-mnist (Debian dataset-fashion-mnist)',
  testAccuracy: accuracy,
  testImages: test.count,
  steps,
  batchSize,
  learningRate: Number(values.lr),
  ...(initFrom ? { initFrom } : {}),
  seed,
  backend: backend.active,
  trainSeconds: Math.round(trainSeconds),
  script: 'packages/vision/scripts/pretrain-fashion-mnist.ts',
});
console.log(`saved ${values.out}`);
trainer.dispose();
