import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, NonFiniteError } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeModel } from '../../test/fixtures/setup.js';
import { SineData, SineRegressor } from '../../test/fixtures/sine.js';
import { fitOptions, trainBatcher } from '../../test/fixtures/validation.js';
import { readJsonl } from '../jsonl-log.js';
import { Trainer } from '../trainer.js';
import { JsonlLogger } from './jsonl-logger.js';
import { LossPlot } from './loss-plot.js';

beforeAll(async () => {
  await initBackend();
});

describe('JsonlLogger and LossPlot', () => {
  it('records every event of a run, in order, one JSON object per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-jsonl-'));
    const model = makeModel({ poison: (step) => (step === 1 ? 'loss' : undefined) });
    const trainer = new Trainer(model, {
      optimizer: { type: 'adam', learningRate: 0.01 },
      maxSteps: 4,
      validateEvery: 2,
      checkpointDir: dir,
      checkpointEvery: 4,
      progressBar: false,
    });
    await trainer.fit(trainBatcher(), fitOptions);
    const records = readJsonl(join(dir, 'train-log.jsonl'));
    expect(records.map((r) => `${r.kind}@${r.step}`)).toEqual([
      'step@1',
      'non-finite@2',
      'validation@2',
      'checkpoint@2', // best
      'step@3',
      'step@4',
      'validation@4',
      ...(records.filter((r) => r.kind === 'validation')[1]?.improved ? ['checkpoint@4'] : []),
      'checkpoint@4', // last
      'end@4',
    ]);
    const step = records[0] as Record<string, unknown>;
    expect(Object.keys(step)).toEqual([
      'kind',
      'step',
      'loss',
      'perplexity',
      'bitsPerToken',
      'tokens',
      'tokensPerSecond',
      'gradNorm',
      'learningRate',
      'teacherForcingRatio',
    ]);
    expect(records[1]).toMatchObject({ what: 'loss', loss: 'NaN', consecutive: 1 });
    expect(records.at(-1)).toEqual({
      kind: 'end',
      step: 4,
      steps: 4,
      stoppedBy: 'max-steps',
      bestValidationLoss: expect.any(Number),
      lastLoss: expect.any(Number),
    });
    const svg = readFileSync(join(dir, 'loss.svg'), 'utf8');
    expect(svg).toContain('<title>loss (step 4)</title>');
    expect(/data-series="train"[^>]*points="([^"]+)"/.exec(svg)?.[1]?.split(' ')).toHaveLength(3);
    trainer.dispose();
    model.dispose();
  });

  it('logs only the loss (and rmse) of a regression model, and an end record after an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-jsonl-'));
    const model = new SineRegressor();
    const log = join(dir, 'log.jsonl');
    const trainer = new Trainer(model, { optimizer: { type: 'adam', learningRate: 0.05 }, maxSteps: 3 }, [
      new JsonlLogger(log),
      new LossPlot({ path: join(dir, 'plot.svg') }),
    ]);
    await trainer.fit(new SineData());
    const steps = readJsonl(log).filter((r) => r.kind === 'step');
    expect(steps).toHaveLength(3);
    for (const r of steps) {
      expect(r).not.toHaveProperty('perplexity');
      expect(r).not.toHaveProperty('bitsPerToken');
      expect(r.rmse).toBeCloseTo(Math.sqrt(r.loss as number), 9);
    }
    expect(readFileSync(join(dir, 'plot.svg'), 'utf8')).toContain('<title>loss (step 3)</title>');
    trainer.dispose();
    model.dispose();

    const broken = makeModel({ poison: () => 'loss' });
    const failing = new Trainer(
      broken,
      { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 5, nonFinite: { maxConsecutive: 2 } },
      [new JsonlLogger(log)],
    );
    await expect(failing.fit(trainBatcher())).rejects.toBeInstanceOf(NonFiniteError);
    expect(readJsonl(log).at(-1)).toMatchObject({
      kind: 'end',
      stoppedBy: 'error',
      error: expect.stringMatching(/2 steps in a row/),
    });
    failing.dispose();
    broken.dispose();
  });
});
