import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, saveCheckpoint } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeVocabularyChange, transferVocabulary, vocabularyOf } from './vocabulary-transfer.js';

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-kit-vocab-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Test-only: embedding [V, 2] and output kernel [2, V]; it says which axes hold token rows. */
function model(vocab: number, fill: (v: number, k: number) => number = () => 0) {
  const e = Array.from({ length: vocab * 2 }, (_, i) => fill(Math.floor(i / 2), i % 2));
  const o = Array.from({ length: 2 * vocab }, (_, i) => fill(i % vocab, Math.floor(i / vocab)));
  return {
    variables: {
      embedding: tf.variable(tf.tensor2d(e, [vocab, 2])),
      'output/kernel': tf.variable(tf.tensor2d(o, [2, vocab])),
      other: tf.variable(tf.tensor1d([fill(9, 9), 1])),
    },
    vocabularyRowAxes: () => ({ embedding: 0, 'output/kernel': 1 }),
  };
}

describe('fine-tuning with a new vocabulary', () => {
  it("moves each shared token's rows, starts new ones at the mean, drops the rest", async () => {
    const old = model(3, (v, k) => 10 * v + k); // tokens a b c: rows [0,1] [10,11] [20,21]
    await saveCheckpoint(join(dir, 'old'), { config: { type: 'test' }, weights: old.variables });
    const fresh = model(3);
    const report = await transferVocabulary(fresh, {
      checkpoint: join(dir, 'old'),
      from: ['a', 'b', 'c'],
      to: ['c', 'a', 'z'],
    });
    expect(report.vocabulary).toEqual({ kept: ['c', 'a'], added: ['z'], dropped: ['b'] });
    expect(Array.from(fresh.variables.embedding.dataSync())).toEqual([20, 21, 0, 1, 10, 11]);
    expect(Array.from(fresh.variables['output/kernel'].dataSync())).toEqual([20, 0, 10, 21, 1, 11]);
    expect(Array.from(fresh.variables.other.dataSync())).toEqual([99, 1]);
    const text = describeVocabularyChange(report.vocabulary as NonNullable<typeof report.vocabulary>);
    expect(text.summary).toBe('vocabulary: kept 2, added 1, dropped 1 tokens');
    expect(text.details).toEqual(['  added: "z"', '  dropped: "b"']);
  });

  it('needs the model to say where its token rows are', async () => {
    const { vocabularyRowAxes: _, ...plain } = model(3);
    await expect(
      transferVocabulary(plain as never, { checkpoint: join(dir, 'old'), from: ['a'], to: ['a'] }),
    ).rejects.toThrow(/vocabularyRowAxes/);
    expect(vocabularyOf({ vocabSize: 2, idToToken: (i) => ['x', 'y'][i] })).toEqual(['x', 'y']);
  });
});
