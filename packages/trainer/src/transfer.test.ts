import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, initBackend, ShapeError, saveCheckpoint, type WeightArray } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharRnn } from '../test/fixtures/char-rnn.js';
import { makeBatcher, makeModel, VOCAB } from '../test/fixtures/setup.js';
import { Trainer } from './trainer.js';
import { loadPretrained, remapVocabularyRows } from './transfer.js';

beforeAll(async () => {
  await initBackend();
});

const f32 = (shape: number[], data: number[]): WeightArray => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from(data),
});

describe('remapVocabularyRows', () => {
  it('keeps shared rows, seeds added ones, removes dropped ones, and reports them', () => {
    const weights = {
      embedding: f32([3, 2], [1, 1, 2, 2, 3, 3]), // rows: a, b, c
      'output/kernel': f32([2, 3], [10, 20, 30, 11, 21, 31]), // columns: a, b, c
      'output/bias': f32([3], [0.1, 0.2, 0.3]),
      'rnn/kernel': f32([1], [7]),
    };
    const { weights: out, report } = remapVocabularyRows(weights, ['a', 'b', 'c'], ['c', 'x', 'a'], {
      rowAxisByName: { embedding: 0, 'output/kernel': 1, 'output/bias': 0 },
      seed: 4,
      std: 0.5,
    });
    expect(report).toEqual({ kept: ['c', 'a'], added: ['x'], dropped: ['b'] });
    const emb = Array.from(out.embedding?.data ?? []);
    expect(emb.slice(0, 2)).toEqual([3, 3]);
    expect(emb.slice(4, 6)).toEqual([1, 1]);
    expect(emb.slice(2, 4).every((v) => v !== 0 && Math.abs(v) < 3)).toBe(true); // seeded normal draws
    expect(out['output/kernel']?.shape).toEqual([2, 3]);
    expect(Array.from(out['output/kernel']?.data ?? [])).toEqual([
      30,
      expect.any(Number),
      10,
      31,
      expect.any(Number),
      11,
    ]);
    expect(Array.from(out['output/bias']?.data ?? [])).toEqual([expect.closeTo(0.3, 6), 0, expect.closeTo(0.1, 6)]);
    expect(out['rnn/kernel']).toBe(weights['rnn/kernel']);
    const again = remapVocabularyRows(weights, ['a', 'b', 'c'], ['c', 'x', 'a'], {
      rowAxisByName: { embedding: 0 },
      seed: 4,
      std: 0.5,
    });
    expect(Array.from(again.weights.embedding?.data ?? [])).toEqual(emb); // same seed, same new rows
  });

  it('refuses a weight whose token axis does not match the old vocabulary', () => {
    expect(() =>
      remapVocabularyRows({ embedding: f32([2, 1], [1, 2]) }, ['a', 'b', 'c'], ['a'], {
        rowAxisByName: { embedding: 0 },
      }),
    ).toThrow(ShapeError);
  });
});

describe('transfer learning', () => {
  it('starts from a pretrained checkpoint with a new vocabulary, frozen layers and per-group learning rates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-transfer-'));
    const pretrained = makeModel();
    const pre = new Trainer(pretrained, {
      optimizer: { type: 'adam', learningRate: 0.02 },
      maxSteps: 15,
      progressBar: false,
    });
    await pre.fit(makeBatcher());
    await pre.save(join(dir, 'pretrained'));

    // The new task drops 'z' and adds '#'.
    const newVocab = [...VOCAB.filter((c) => c !== 'z'), '#'];
    const model = new CharRnn({ vocabSize: newVocab.length, embed: 8, hidden: 24, seed: 99 });
    const report = await loadPretrained(model.variables, join(dir, 'pretrained'), {
      vocabulary: { oldVocab: VOCAB, newVocab, rowAxisByName: { embedding: 0, 'output/kernel': 1, 'output/bias': 0 } },
    });
    expect(report.loaded.sort()).toEqual(Object.keys(model.variables).sort());
    expect(report.unexpected).toEqual([]);
    expect(report.vocabulary?.dropped).toEqual(VOCAB.includes('z') ? ['z'] : []);
    expect(report.vocabulary?.added).toEqual(['#']);
    const a = VOCAB.indexOf('a');
    const row = (m: CharRnn, i: number) => Array.from(m.variables.embedding?.dataSync().slice(i * 8, i * 8 + 8) ?? []);
    expect(row(model, newVocab.indexOf('a'))).toEqual(row(pretrained, a));
    expect(Array.from(model.variables['rnn/recurrent']?.dataSync() ?? [])).toEqual(
      Array.from(pretrained.variables['rnn/recurrent']?.dataSync() ?? []),
    );

    const frozenBefore = model.variables['rnn/recurrent']?.dataSync().slice();
    const biasBefore = model.variables['output/bias']?.dataSync().slice() as Float32Array;
    const kernelBefore = model.variables['rnn/kernel']?.dataSync().slice() as Float32Array;
    const trainer = new Trainer(model, {
      optimizer: { type: 'sgd', learningRate: 0.1 },
      clip: { type: 'none' },
      maxSteps: 1,
      freeze: ['rnn/recurrent'],
      learningRateGroups: [
        { match: /^output\//, factor: 1 },
        { match: '**', factor: 0 },
      ],
      progressBar: false,
    });
    expect(trainer.trainableNames).not.toContain('rnn/recurrent');
    await trainer.trainStep(makeBatcher().next());
    expect(model.variables['rnn/recurrent']?.dataSync()).toEqual(frozenBefore);
    expect(model.variables['rnn/kernel']?.dataSync()).toEqual(kernelBefore); // lr factor 0: pretrained layer held
    expect(model.variables['output/bias']?.dataSync()).not.toEqual(biasBefore); // new head trains
    trainer.unfreeze(['rnn/*']);
    expect(trainer.trainableNames).toContain('rnn/recurrent');
    trainer.dispose();
    pre.dispose();
    model.dispose();
    pretrained.dispose();
  });

  it('names the parameter whose shape does not fit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-transfer-'));
    const small = makeModel({ hidden: 8 });
    await saveCheckpoint(join(dir, 'small'), { config: small.getConfig(), weights: small.variables });
    const big = makeModel();
    const before = big.variables.embedding?.dataSync().slice();
    const error = await loadPretrained(big.variables, join(dir, 'small')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error).toMatchObject({ reason: 'invalid-weights', message: expect.stringMatching(/rnn\/kernel/) });
    // Refused as a whole: not even the weights that fit were assigned.
    expect(big.variables.embedding?.dataSync()).toEqual(before);
    small.dispose();
    big.dispose();
  });

  it('refuses to restore a trainer checkpoint whose weights do not fit the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-restore-'));
    const small = makeModel({ hidden: 8 });
    const trainer = new Trainer(small, { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 1 });
    await trainer.fit(makeBatcher());
    await trainer.save(join(dir, 'small'));
    const big = makeModel();
    const other = new Trainer(big, { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 2 });
    await expect(other.restore(join(dir, 'small'))).rejects.toMatchObject({
      name: 'CheckpointError',
      reason: 'invalid-weights',
      message: expect.stringMatching(/"rnn\/recurrent" has shape \[8,8\], the model needs \[24,24\]/),
    });
    trainer.dispose();
    other.dispose();
    small.dispose();
    big.dispose();
  });
});
