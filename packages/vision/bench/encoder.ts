// The conv encoder's training step (batch 64 of 28×28×1, Adam, through
// @seqgen/trainer) on wasm (with seqgen's conv-gradient kernels, and with
// tfjs's own where they exist) and on cpu, against PyTorch of the same shape
// (bench/torch_encoder.py at each thread setting), all in one run.
//   pnpm --filter @seqgen/vision bench [--steps 10]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '@seqgen/core';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { gatherBatch, ImageClassifier, loadFashionMnist, registerWasmConvKernels } from '../src/index.js';

const { values } = parseArgs({
  options: { steps: { type: 'string', default: '10' }, cpu: { type: 'boolean', default: false } },
  // pnpm passes a literal '--' before the script's own options.
  allowPositionals: true,
});
const steps = Number(values.steps);
const here = dirname(fileURLToPath(import.meta.url));

await initBackend({ backend: 'wasm' });
registerWasmConvKernels();
const train = await loadFashionMnist('train', { limit: 64 * (steps + 3) });
const batches = Array.from({ length: steps + 3 }, (_, i) =>
  gatherBatch(
    train,
    Array.from({ length: 64 }, (_, j) => i * 64 + j),
  ),
);

async function measure(label: string): Promise<number> {
  const model = new ImageClassifier({ encoder: { inputHeight: 28, inputWidth: 28 }, numClasses: 10 }, 1);
  const trainer = new Trainer(model, {
    optimizer: { type: 'adam', learningRate: 1e-3 },
    maxSteps: 1e9,
    progressBar: false,
    clip: { type: 'none' },
  });
  for (let i = 0; i < 3; i++) await trainer.trainStep(batches[i] as never);
  const started = performance.now();
  for (let i = 3; i < steps + 3; i++) await trainer.trainStep(batches[i] as never);
  const ms = (performance.now() - started) / steps;
  trainer.dispose();
  model.dispose();
  console.log(`${label}: ${ms.toFixed(1)} ms/step`);
  return ms;
}

const results: Record<string, number> = {};
results['seqgen wasm (seqgen conv-gradient kernels)'] = await measure('seqgen wasm (seqgen conv-gradient kernels)');
if (values.cpu) {
  await tf.setBackend('cpu');
  results['seqgen cpu (pure JS)'] = await measure('seqgen cpu (pure JS)');
}

// Debian's python3-torch lives under /usr/bin/python3 (a venv's python3 may lack it).
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const torchMs: number[] = [];
for (const threads of [1, 2]) {
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const out = execFileSync(
      python,
      [join(here, 'torch_encoder.py'), '--threads', String(threads), '--steps', String(steps * 2)],
      { env, encoding: 'utf8' },
    );
    console.log(out.trim());
    const ms = Number(/train: ([0-9.]+) ms\/step/.exec(out)?.[1]);
    if (Number.isFinite(ms)) torchMs.push(ms);
  } catch (error) {
    console.log(`torch peer (threads=${threads}) failed: ${(error as Error).message.split('\n')[0]}`);
  }
}
if (torchMs.length > 0) {
  const best = Math.min(...torchMs);
  console.log(`PyTorch best: ${best.toFixed(1)} ms/step`);
  for (const [label, ms] of Object.entries(results))
    console.log(`${label} / PyTorch best = ${(ms / best).toFixed(2)}×`);
}
