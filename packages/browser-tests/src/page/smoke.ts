// Runs in headless Chromium, bundled by esbuild for --platform=browser: what a web
// app does with seqgen, end to end, with the packages' browser entries.
import {
  type BackendName,
  CheckpointError,
  ConfigError,
  initBackend,
  loadCheckpoint,
  saveCheckpoint,
} from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import { generate } from '@seqgen/samplers';
import { CharTokenizer } from '@seqgen/tokenizers';
import { StreamBatcher, Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { PROBE } from './probe.js';

/** What the page reports back to the Node side of the test. */
export interface SmokeResult {
  backend: string;
  losses: number[];
  sampled: string;
  sampledAgain: string;
  greedy: string;
  logits: number[];
  fromIndexedDb: number[];
  fromBytes: number[];
  fromBlob: number[];
  bytes: number;
  trainerCheckpointStep: unknown;
  /** Logits of the checkpoints the Node side saved and serves, loaded by URL. */
  servedFile: number[];
  servedFolder: number[];
  servedFromRelativePath: number[];
  errors: Record<string, string>;
}

function logitsOf(model: RecurrentLanguageModel): number[] {
  return tf.tidy(() => Array.from(model.forward(tf.tensor2d(PROBE, undefined, 'int32')).logits.dataSync()));
}

async function errorOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'no error';
  } catch (error) {
    const kind =
      error instanceof ConfigError
        ? 'ConfigError'
        : error instanceof CheckpointError
          ? `CheckpointError(${error.reason})`
          : 'Error';
    return `${kind}: ${(error as Error).message}`;
  }
}

export async function run(backend: BackendName): Promise<SmokeResult> {
  setWasmPaths('/wasm/');
  const report = await initBackend({ backend, wasmThreads: 1 });
  const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(10);
  const tokenizer = CharTokenizer.fromText(text, { specialTokens: [] });
  const model = new RecurrentLanguageModel({
    vocabSize: tokenizer.vocabSize,
    embeddingSize: 16,
    hiddenSize: 24,
    cell: 'lstm',
    seed: 1,
  });
  const data = new StreamBatcher({ documents: [tokenizer.encode(text)], batchSize: 4, seqLength: 16, seed: 1 });
  const losses: number[] = [];
  const trainer = new Trainer(
    model,
    {
      optimizer: { type: 'adam', learningRate: 0.03 },
      maxSteps: 20,
      progressBar: false,
      // In a browser the trainer's checkpoints go to IndexedDB.
      checkpointDir: 'indexeddb://smoke-run',
      checkpointEvery: 10,
    },
    { onStep: (m) => void losses.push(m.loss) },
  );
  await trainer.fit(data);
  trainer.dispose();
  const trainerCheckpoint = await loadCheckpoint('indexeddb://smoke-run/last');

  const prompt = tokenizer.encode('the ');
  const sample = async () => {
    const out = await generate(model, prompt, { temperature: 0.8, maxNewTokens: 24, seed: 7 });
    return tokenizer.decode((out.sequences[0] as { tokens: number[] }).tokens);
  };
  const sampled = await sample();
  const sampledAgain = await sample();
  const greedyOut = await generate(model, prompt, { temperature: 0, maxNewTokens: 24 });
  const greedy = tokenizer.decode((greedyOut.sequences[0] as { tokens: number[] }).tokens);

  const logits = logitsOf(model);
  await model.save('indexeddb://smoke-lm', { tokenizer, metadata: { where: 'browser' } });
  const bytes = await model.toBytes({ tokenizer });
  const fromIndexedDb = await RecurrentLanguageModel.load('indexeddb://smoke-lm');
  const fromBytes = await RecurrentLanguageModel.load(bytes);
  const fromBlob = await RecurrentLanguageModel.load(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const served = {
    file: await RecurrentLanguageModel.load(new URL('/checkpoints/served.seqgen', location.href)),
    folder: await RecurrentLanguageModel.load(`${location.origin}/checkpoints/served-folder/`),
    relative: await RecurrentLanguageModel.load('checkpoints/served.seqgen'),
  };
  const errors = {
    saveToPath: await errorOf(() => saveCheckpoint('runs/lm', { config: { type: 'x' }, weights: {} })),
    missingUrl: await errorOf(() => loadCheckpoint('/checkpoints/absent.seqgen')),
    damagedBytes: await errorOf(() => RecurrentLanguageModel.load(bytes.slice(0, bytes.byteLength - 3))),
    absentIndexedDb: await errorOf(() => loadCheckpoint('indexeddb://never-saved')),
  };
  const result: SmokeResult = {
    backend: report.active,
    losses,
    sampled,
    sampledAgain,
    greedy,
    logits,
    fromIndexedDb: logitsOf(fromIndexedDb.model),
    fromBytes: logitsOf(fromBytes.model),
    fromBlob: logitsOf(fromBlob.model),
    bytes: bytes.byteLength,
    trainerCheckpointStep: (trainerCheckpoint.metadata.trainer as { step?: unknown } | undefined)?.step,
    servedFile: logitsOf(served.file.model),
    servedFolder: logitsOf(served.folder.model),
    servedFromRelativePath: logitsOf(served.relative.model),
    errors,
  };
  for (const m of [
    model,
    fromIndexedDb.model,
    fromBytes.model,
    fromBlob.model,
    served.file.model,
    served.folder.model,
    served.relative.model,
  ]) {
    m.dispose();
  }
  return result;
}
