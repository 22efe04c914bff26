import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignWeights, initBackend, loadCheckpoint, NonFiniteError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCS, makeBatcher, makeModel } from '../test/fixtures/setup.js';
import { splitByDocument } from './data/split.js';
import { streamBatches } from './data/stream-batcher.js';
import { evaluate } from './evaluate.js';
import { readJsonl } from './jsonl-log.js';
import type { ValidationMetrics } from './metrics.js';
import { BEST_CHECKPOINT, LAST_CHECKPOINT, LOG_FILE, PLOT_FILE, Trainer } from './trainer.js';

beforeAll(async () => {
  await initBackend();
});

const { train, validation } = splitByDocument(DOCS, { validationFraction: 0.2, seed: 1 });
const trainDocs = train.map((i) => DOCS[i] as number[]);
const valBatches = streamBatches({
  documents: validation.map((i) => DOCS[i] as number[]),
  batchSize: 4,
  seqLength: 12,
});

describe('validation, early stopping and checkpoints', () => {
  it('validates every N steps, keeps the best checkpoint, logs JSONL and draws the loss curve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-val-'));
    const model = makeModel();
    const seen: ValidationMetrics[] = [];
    const checkpoints: string[] = [];
    const trainer = new Trainer(
      model,
      {
        optimizer: { type: 'rmsprop', learningRate: 0.01 },
        schedule: { type: 'reduce-on-plateau', patience: 0 },
        maxSteps: 30,
        validateEvery: 10,
        checkpointDir: dir,
        checkpointEvery: 15,
        progressBar: false,
      },
      { onValidation: (m) => void seen.push(m), onCheckpoint: (e) => void checkpoints.push(`${e.kind}@${e.step}`) },
    );
    const result = await trainer.fit(makeBatcher({ documents: trainDocs }), { validation: () => valBatches });
    expect(seen.map((m) => m.step)).toEqual([10, 20, 30]);
    expect(seen[2]?.loss).toBeLessThan(seen[0]?.loss as number);
    for (const m of seen) expect(m.perplexity).toBeCloseTo(Math.exp(m.loss), 6);
    const best = Math.min(...seen.map((m) => m.loss));
    expect(result.bestValidationLoss).toBe(best);
    expect(checkpoints).toContain('last@15');
    expect(checkpoints).toContain('last@30');
    // The best checkpoint holds weights that reproduce the best validation loss.
    const saved = await loadCheckpoint(join(dir, BEST_CHECKPOINT));
    const bestStep = (saved.metadata.trainer as { step: number }).step;
    expect(seen.find((m) => m.step === bestStep)?.loss).toBe(best);
    const reloaded = makeModel();
    assignWeights(reloaded.variables, saved.weights, { source: 'best' });
    expect((await evaluate(reloaded, valBatches)).loss).toBeCloseTo(best, 5);
    const log = readJsonl(join(dir, LOG_FILE));
    expect(log.filter((r) => r.kind === 'step')).toHaveLength(30);
    expect(log.filter((r) => r.kind === 'validation')).toHaveLength(3);
    expect(log.at(-1)).toEqual(expect.objectContaining({ kind: 'end', steps: 30 }));
    const svg = readFileSync(join(dir, PLOT_FILE), 'utf8');
    expect(svg).toContain('data-series="validation"');
    trainer.dispose();
    model.dispose();
    reloaded.dispose();
  });

  it('stops early when validation stops improving', async () => {
    const model = makeModel();
    // A learning rate this high makes validation worse after the first check.
    const trainer = new Trainer(model, {
      optimizer: { type: 'sgd', learningRate: 40 },
      clip: { type: 'none' },
      maxSteps: 200,
      validateEvery: 2,
      earlyStopping: { patience: 2 },
      progressBar: false,
    });
    const result = await trainer.fit(makeBatcher({ documents: trainDocs }), { validation: () => valBatches });
    expect(result.stoppedBy).toBe('early-stopping');
    expect(result.steps).toBeLessThan(200);
    trainer.dispose();
    model.dispose();
  });

  it('never writes a checkpoint with non-finite weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-nan-'));
    const model = makeModel();
    const trainer = new Trainer(model, {
      optimizer: { type: 'adam', learningRate: 0.01 },
      maxSteps: 2,
      checkpointDir: dir,
      progressBar: false,
    });
    await trainer.fit(makeBatcher());
    const good = await loadCheckpoint(join(dir, LAST_CHECKPOINT));
    model.variables['rnn/bias']?.assign(tf.fill([24], Number.NaN));
    await expect(trainer.save(join(dir, LAST_CHECKPOINT))).rejects.toBeInstanceOf(NonFiniteError);
    const still = await loadCheckpoint(join(dir, LAST_CHECKPOINT));
    expect(still.manifest.createdAt).toBe(good.manifest.createdAt);
    expect(existsSync(join(dir, BEST_CHECKPOINT))).toBe(false);
    trainer.dispose();
    model.dispose();
  });
});
