import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, loadCheckpoint } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeModel } from '../../test/fixtures/setup.js';
import { fitOptions, trainBatcher } from '../../test/fixtures/validation.js';
import type { ValidationMetrics } from '../metrics.js';
import { Trainer } from '../trainer.js';
import type { CheckpointEvent } from './callback.js';
import { BEST_CHECKPOINT, LAST_CHECKPOINT, ModelCheckpoint } from './checkpoint.js';
import { EarlyStopping } from './early-stopping.js';

beforeAll(async () => {
  await initBackend();
});

const trainerStep = async (path: string) =>
  (await loadCheckpoint(path)).metadata.trainer as { step: number; callbacks: Record<string, unknown> };

describe('ModelCheckpoint', () => {
  it('writes last/ every N steps and at the end, best/ on each improved validation, after the validation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-ckpt-'));
    const model = makeModel();
    const events: CheckpointEvent[] = [];
    const validations: ValidationMetrics[] = [];
    const stopper = new EarlyStopping({ patience: 50 });
    const trainer = new Trainer(
      model,
      {
        optimizer: { type: 'adam', learningRate: 0.01 },
        maxSteps: 10,
        validateEvery: 4,
        preprocessors: { tokenizer: { type: 'test-char', version: 1 } },
      },
      [
        stopper,
        { onValidationEnd: (m) => void validations.push(m) },
        new ModelCheckpoint({ dir, every: 4 }),
        { onCheckpoint: (e) => void events.push(e) },
      ],
    );
    await trainer.fit(trainBatcher(), fitOptions);
    const improved = validations.filter((m) => m.improved).map((m) => m.step);
    expect(improved.length).toBeGreaterThan(0);
    expect(events.map((e) => `${e.kind}@${e.step}`)).toEqual([
      ...(improved.includes(4) ? ['best@4'] : []),
      'last@4',
      ...(improved.includes(8) ? ['best@8'] : []),
      'last@8',
      'last@10', // at the end
    ]);
    expect(events.find((e) => e.kind === 'last')?.path).toBe(join(dir, LAST_CHECKPOINT));
    const last = await trainerStep(join(dir, LAST_CHECKPOINT));
    expect(last.step).toBe(10);
    // The callbacks' states ride along, taken after the validation of that step.
    expect(last.callbacks).toEqual({ 'early-stopping': stopper.getState() });
    expect((await trainerStep(join(dir, BEST_CHECKPOINT))).step).toBe(improved.at(-1));
    expect((await loadCheckpoint(join(dir, LAST_CHECKPOINT))).preprocessors).toEqual({
      tokenizer: { type: 'test-char', version: 1 },
    });
    trainer.dispose();
    model.dispose();
  });

  it('saves last/ once when stopped, and can leave best/ or last/ out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-ckpt-'));
    const model = makeModel();
    const events: string[] = [];
    const trainer = new Trainer(
      model,
      { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 50, validateEvery: 2 },
      [
        new ModelCheckpoint({ dir, every: 3, saveBest: false }),
        {
          onCheckpoint: (e) => void events.push(`${e.kind}@${e.step}`),
          onStepEnd: (m, ctx) => {
            if (m.step === 6) ctx.stop();
          },
        },
      ],
    );
    const result = await trainer.fit(trainBatcher(), fitOptions);
    expect(result).toMatchObject({ steps: 6, stoppedBy: 'stop-requested' });
    expect(events).toEqual(['last@3', 'last@6']);
    expect(existsSync(join(dir, BEST_CHECKPOINT))).toBe(false);
    trainer.dispose();
    model.dispose();
  });

  it('refuses a bad cadence', () => {
    expect(() => new ModelCheckpoint({ dir: '/tmp/x', every: 1.5 })).toThrow(/checkpointEvery/);
    expect(() => new ModelCheckpoint({ dir: '' })).toThrow(/checkpointDir/);
  });
});
