import { ConfigError, initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeModel } from '../../test/fixtures/setup.js';
import { fitOptions, trainBatcher } from '../../test/fixtures/validation.js';
import type { ValidationMetrics } from '../metrics.js';
import { Trainer } from '../trainer.js';
import { EarlyStopping } from './early-stopping.js';

beforeAll(async () => {
  await initBackend();
});

describe('EarlyStopping', () => {
  it('stops after `patience` validations without improvement, as a callback in the list', async () => {
    const model = makeModel();
    const stopper = new EarlyStopping({ patience: 2 });
    const seen: ValidationMetrics[] = [];
    // A learning rate this high makes validation worse after the first check.
    const trainer = new Trainer(
      model,
      { optimizer: { type: 'sgd', learningRate: 40 }, clip: { type: 'none' }, maxSteps: 200, validateEvery: 2 },
      [stopper, { onValidationEnd: (m) => void seen.push(m) }],
    );
    const result = await trainer.fit(trainBatcher(), fitOptions);
    expect(result.stoppedBy).toBe('early-stopping');
    const firstBad = seen.findIndex((m, i) => i > 0 && !(m.loss < Math.min(...seen.slice(0, i).map((s) => s.loss))));
    expect(firstBad).toBeGreaterThan(0);
    // It stopped at the `patience`-th validation in a row without a new best.
    expect(stopper.wait).toBe(2);
    expect(seen.slice(-2).every((m) => m.loss >= (stopper.best as number))).toBe(true);
    expect(result.steps).toBe(seen.at(-1)?.step);
    expect(stopper.getState()).toEqual({ best: stopper.best, wait: 2 });
    trainer.dispose();
    model.dispose();
  });

  it('counts an improvement only beyond minDelta, and round-trips its state', () => {
    const stopper = new EarlyStopping({ patience: 3, minDelta: 0.1 });
    let stopped: string | undefined;
    const ctx = { stop: (r?: string) => void (stopped = r) } as never;
    for (const loss of [2, 1.95, 1.91, 1.5, 1.45, 1.44]) {
      stopper.onValidationEnd({ step: 0, loss, tokens: 1, improved: false }, ctx);
    }
    expect(stopper.best).toBe(1.5);
    expect(stopper.wait).toBe(2);
    expect(stopped).toBeUndefined();
    stopper.onValidationEnd({ step: 0, loss: 1.41, tokens: 1, improved: true }, ctx);
    expect(stopped).toBe('early-stopping');
    const copy = new EarlyStopping({ patience: 3 });
    copy.setState(stopper.getState());
    expect(copy.getState()).toEqual({ best: 1.5, wait: 3 });
  });

  it('refuses a bad patience and a run without validation data', async () => {
    expect(() => new EarlyStopping({ patience: 0 })).toThrow(ConfigError);
    const model = makeModel();
    const trainer = new Trainer(model, { optimizer: { type: 'sgd', learningRate: 0.1 }, maxSteps: 3 }, [
      new EarlyStopping({ patience: 1 }),
    ]);
    await expect(trainer.fit(trainBatcher())).rejects.toMatchObject({ field: 'validation' });
    trainer.dispose();
    model.dispose();
  });
});
