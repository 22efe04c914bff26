import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeModel, VOCAB } from '../../test/fixtures/setup.js';
import { fitOptions, trainBatcher, VALIDATION_BATCHES } from '../../test/fixtures/validation.js';
import { evaluate } from '../evaluate.js';
import type { ValidationMetrics } from '../metrics.js';
import { Trainer } from '../trainer.js';
import { BestWeights } from './best-weights.js';

beforeAll(async () => {
  await initBackend();
});

describe('BestWeights', () => {
  it('puts back the best validated weights when they beat the final ones', async () => {
    const model = makeModel();
    const best = new BestWeights();
    const seen: ValidationMetrics[] = [];
    const trainer = new Trainer(
      model,
      { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 12, validateEvery: 3 },
      [
        best,
        { onValidationEnd: (m) => void seen.push(m) },
        {
          // A run that goes wrong after step 7: the output layer is wrecked.
          onStepEnd: (m) => {
            if (m.step === 7)
              model.variables['output/bias']?.assign(tf.randomNormal([VOCAB.length], 0, 5, 'float32', 3));
          },
        },
      ],
    );
    await trainer.fit(trainBatcher(), fitOptions);
    const lowest = Math.min(...seen.map((m) => m.loss));
    const final = seen.at(-1)?.loss as number;
    expect(final).toBeGreaterThan(lowest);
    expect(best.report).toEqual({
      restored: true,
      bestStep: seen.find((m) => m.loss === lowest)?.step,
      bestLoss: lowest,
      finalLoss: final,
    });
    // The model now holds the best weights: validating gives the best loss again.
    expect((await evaluate(model, VALIDATION_BATCHES)).loss).toBeCloseTo(lowest, 5);
    trainer.dispose();
    model.dispose();
  });

  it('keeps the final weights when they are the best (config form, final step not validated)', async () => {
    const model = makeModel();
    const trainer = new Trainer(model, {
      optimizer: { type: 'adam', learningRate: 0.01 },
      maxSteps: 11,
      validateEvery: 5,
      restoreBestWeights: true,
      progressBar: false,
    });
    const result = await trainer.fit(trainBatcher(), fitOptions);
    const after = await evaluate(model, VALIDATION_BATCHES);
    // Validated at 5 and 10; the weights of step 11 were validated at the end and kept, being better.
    expect(after.loss).toBeLessThan(result.bestValidationLoss as number);
    trainer.dispose();
    model.dispose();
  });

  it('after a resume, restores from the best/ checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-best-'));
    const config = {
      optimizer: { type: 'sgd' as const, learningRate: 40 },
      clip: { type: 'none' as const },
      validateEvery: 2,
      checkpointDir: dir,
      restoreBestWeights: true,
      progressBar: false,
    };
    const model = makeModel();
    const first = new Trainer(model, { ...config, maxSteps: 4 });
    await first.fit(trainBatcher(), fitOptions);
    first.dispose();
    const best = new BestWeights({ checkpoint: join(dir, 'best') });
    const seen: ValidationMetrics[] = [];
    const second = new Trainer(model, { ...config, restoreBestWeights: false, maxSteps: 10 }, [
      best,
      { onValidationEnd: (m) => void seen.push(m) },
    ]);
    await second.fit(trainBatcher(), { ...fitOptions, resumeFrom: join(dir, 'last') });
    expect(best.report?.restored).toBe(true);
    expect((await evaluate(model, VALIDATION_BATCHES)).loss).toBeCloseTo(best.report?.bestLoss as number, 5);
    second.dispose();
    model.dispose();
  });
});
