import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@seqgen/core';
import {
  RecurrentLanguageModel,
  type RecurrentLMOptions,
  Seq2Seq,
  type Seq2SeqOptions,
  translateBatch,
} from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from './safetensors.js';
import { runPython, torchAvailable } from './test-fixtures/torch-python.js';
import { importTorchModel, saveTorchModel } from './torch-model.js';

const SCRIPT = fileURLToPath(new URL('./test-fixtures/torch_roundtrip.py', import.meta.url));
const hasTorch = torchAvailable();

// Small models of every cell kind, with the options PyTorch has counterparts for.
const CASES: Record<string, RecurrentLMOptions> = {
  'lstm 2 layers, projection, tied': {
    vocabSize: 11,
    embeddingSize: 6,
    hiddenSize: 9,
    projSize: 6,
    numLayers: 2,
    tieWeights: true,
    dropout: 0.2,
    seed: 3,
  },
  'gru 2 layers': { vocabSize: 13, embeddingSize: 5, hiddenSize: 8, numLayers: 2, cell: 'gru', seed: 4 },
  'rnn relu': { vocabSize: 7, embeddingSize: 4, hiddenSize: 6, cell: 'rnn', activation: 'relu', seed: 5 },
};
const PATTERN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

// The configuration apps/translate ships (GRU, Bahdanau, input feeding), smaller; then the other attention forms.
const SEQ2SEQ_CASES: Record<string, Seq2SeqOptions> = {
  'gru bahdanau input feeding (translate’s shape)': {
    sourceVocabSize: 12,
    targetVocabSize: 12,
    embeddingSize: 8,
    hiddenSize: 16,
    bosId: 1,
    eosId: 2,
    seed: 1,
  },
  'lstm bidirectional 2 layers, luong-general, tied': {
    sourceVocabSize: 9,
    targetVocabSize: 10,
    embeddingSize: 6,
    hiddenSize: 6,
    cell: 'lstm',
    bidirectional: true,
    encoderLayers: 2,
    decoderLayers: 2,
    attention: 'luong-general',
    tieWeights: true,
    seed: 2,
  },
  'gru luong-dot without input feeding': {
    sourceVocabSize: 8,
    targetVocabSize: 9,
    embeddingSize: 5,
    hiddenSize: 7,
    attention: 'luong-dot',
    inputFeeding: false,
    seed: 3,
  },
};
// Copy task: padded sources of different lengths, so packing and masking are exercised.
const COPY_PAIRS = [
  [3, 4, 5, 6],
  [7, 8, 9],
  [10, 11, 3, 5, 7],
  [4, 6, 8, 10],
  [11, 9, 7],
  [5, 3, 11, 4],
];
const SOURCES = [
  [3, 4, 5, 6, 7],
  [5, 6, 7],
];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(m) ? Number.POSITIVE_INFINITY : m;
}

function idsFor(vocab: number): number[][] {
  return [0, 1].map((row) => Array.from({ length: 7 }, (_, t) => (row * 5 + t * 3 + 1) % vocab));
}

function logitsOf(model: RecurrentLanguageModel, ids: number[][]): Float32Array {
  return tf.tidy(() => model.forward(tf.tensor2d(ids, undefined, 'int32')).logits.dataSync() as Float32Array);
}

/** Greedy continuation in seqgen: prefill with `forward`, then one `step` per token. */
function greedy(model: RecurrentLanguageModel, prompt: number[], length: number): number[] {
  const out: number[] = [];
  let { logits, state } = model.forward(tf.tensor2d([prompt], undefined, 'int32'));
  let last = tf.tidy(() => logits.slice([0, prompt.length - 1, 0], [1, 1, -1]).reshape([-1]));
  logits.dispose();
  for (let i = 0; i < length; i++) {
    const token = last.argMax().dataSync()[0] as number;
    out.push(token);
    const step = model.step(tf.tensor1d([token], 'int32'), state);
    tf.dispose([last, ...state]);
    state = step.state;
    last = tf.tidy(() => step.logits.reshape([-1]));
    step.logits.dispose();
  }
  tf.dispose([last, ...state]);
  return out;
}

describe.skipIf(!hasTorch)('seqgen ⇄ PyTorch whole-model round trip (python/seqgen_torch)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqgen-torch-roundtrip-'));
  const originals = new Map<string, { model: RecurrentLanguageModel; dir: string; ids: number[][] }>();
  const pairs = new Map<string, { model: Seq2Seq; dir: string; targets: number[][] }>();
  let results: Array<{ dir: string; greedy?: number[]; trainLoss?: number }> = [];

  beforeAll(async () => {
    await initBackend();
    const jobs = Object.entries(CASES).map(([name, options], k) => {
      const model = new RecurrentLanguageModel(options);
      const folder = join(dir, `model-${k}`);
      const ids = idsFor(options.vocabSize);
      saveTorchModel(model, folder, { tokenizer: null });
      originals.set(name, { model, dir: folder, ids });
      return {
        dir: folder,
        ids,
        ...(k === 0 ? { train: { pattern: PATTERN, steps: 200, prompt: [1, 2, 3], length: 12 } } : {}),
      };
    });
    const seq2seqJobs = Object.entries(SEQ2SEQ_CASES).map(([name, options], k) => {
      const model = Seq2Seq.create(options);
      const folder = join(dir, `seq2seq-${k}`);
      const targets = [
        [1, 4, 5, 6, 3, 2],
        [1, 3, 3, 2, 0, 0],
      ];
      saveTorchModel(model, folder);
      pairs.set(name, { model, dir: folder, targets });
      const padded = SOURCES.map((s) => [...s, ...Array(5 - s.length).fill(0)]);
      return {
        dir: folder,
        sources: padded,
        lengths: SOURCES.map((s) => s.length),
        targets,
        ...(k === 0 ? { train: { pairs: COPY_PAIRS, steps: 150, probe: COPY_PAIRS.slice(0, 3), length: 8 } } : {}),
      };
    });
    writeFileSync(join(dir, 'job.json'), JSON.stringify({ models: [...jobs, ...seq2seqJobs] }));
    // One Python process for the whole file: torch's import is the slow part.
    runPython([SCRIPT, join(dir, 'job.json'), join(dir, 'results.json')]);
    results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  }, 60_000);

  afterAll(() => {
    for (const { model } of originals.values()) model.dispose();
    for (const { model } of pairs.values()) model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: PyTorch's logits equal seqgen's, and the model comes back unchanged`, () => {
      const { model, dir: folder, ids } = originals.get(name)!;
      const ours = logitsOf(model, ids);
      const theirs = readSafetensors(join(folder, 'logits.safetensors')).tensors.logits!;
      expect(theirs.shape).toEqual([ids.length, ids[0]!.length, model.vocabSize]);
      expect(maxAbsDiff(ours, theirs.data)).toBeLessThan(1e-5);
      const back = importTorchModel(join(folder, 'resaved')).model as RecurrentLanguageModel;
      try {
        expect(back.getConfig()).toEqual(model.getConfig());
        expect(maxAbsDiff(logitsOf(back, ids), ours)).toBeLessThan(1e-5);
      } finally {
        back.dispose();
      }
    });
  }

  it('a model trained in PyTorch generates the same greedy continuation in seqgen', () => {
    const trained = results[0]!;
    // Training learned the pattern: the continuation is the pattern, not noise.
    expect(trained.trainLoss).toBeLessThan(0.5);
    const model = importTorchModel(join(trained.dir, 'trained')).model as RecurrentLanguageModel;
    try {
      const ours = greedy(model, [1, 2, 3], 12);
      expect(ours).toEqual(trained.greedy);
      expect(ours).toEqual([4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5]);
    } finally {
      model.dispose();
    }
  });

  for (const name of Object.keys(SEQ2SEQ_CASES)) {
    it(`seq2seq, ${name}: PyTorch's logits equal seqgen's, and the model comes back unchanged`, () => {
      const { model, dir: folder, targets } = pairs.get(name)!;
      const logitsOf = (m: Seq2Seq) =>
        tf.tidy(() => {
          const condition = m.encode(SOURCES);
          return m.decoder
            .forward(tf.tensor2d(targets, undefined, 'int32'), condition)
            .logits.dataSync() as Float32Array;
        });
      const ours = logitsOf(model);
      const theirs = readSafetensors(join(folder, 'logits.safetensors')).tensors.logits!;
      expect(theirs.shape).toEqual([2, 6, model.vocabSize]);
      expect(maxAbsDiff(ours, theirs.data)).toBeLessThan(1e-5);
      const back = importTorchModel(join(folder, 'resaved')).model as Seq2Seq;
      try {
        expect(back.getConfig()).toEqual(model.getConfig());
        expect(maxAbsDiff(logitsOf(back), ours)).toBeLessThan(1e-5);
      } finally {
        back.dispose();
      }
    });
  }

  it('a seq2seq trained in PyTorch translates greedily in seqgen as in PyTorch', async () => {
    const trained = results[Object.keys(CASES).length]!;
    expect(trained.trainLoss).toBeLessThan(0.3);
    const model = importTorchModel(join(trained.dir, 'trained')).model as Seq2Seq;
    try {
      const out = await translateBatch(model, COPY_PAIRS.slice(0, 3), { maxLength: 8 });
      const ours = out.map((r) => r.sequences[0]!.tokens);
      expect(ours).toEqual(trained.greedy);
      // It learned to copy.
      expect(ours).toEqual(COPY_PAIRS.slice(0, 3));
    } finally {
      model.dispose();
    }
  });
});
