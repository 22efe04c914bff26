import { PassThrough } from 'node:stream';
import { initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBatcher, makeModel } from '../../test/fixtures/setup.js';
import { SineData, SineRegressor } from '../../test/fixtures/sine.js';
import { Trainer } from '../trainer.js';
import { ProgressBarLogger } from './progress-bar.js';

beforeAll(async () => {
  await initBackend();
});

/** A stream that is not a terminal, collecting what is written to it. */
function pipe(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d) => {
    out += d;
  });
  return { stream, text: () => out };
}

describe('ProgressBarLogger', () => {
  it('draws steps, ETA and the model’s own metrics to a non-TTY stream when forced', async () => {
    const { stream, text } = pipe();
    const model = makeModel();
    const trainer = new Trainer(model, {
      optimizer: { type: 'adam', learningRate: 0.01 },
      maxSteps: 3,
      progressBar: { stream, forceOutput: true },
    });
    await trainer.fit(makeBatcher());
    expect(text()).toContain('3/3 steps');
    expect(text()).toMatch(/loss \d+\.\d{4} \| bpt \d+\.\d{3} \| lr 1\.00e-2/);
    expect(text()).toMatch(/ETA \S+/);
    trainer.dispose();
    model.dispose();

    const sine = pipe();
    const regressor = new SineRegressor();
    const t2 = new Trainer(regressor, { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 2 }, [
      new ProgressBarLogger({ stream: sine.stream, forceOutput: true }),
    ]);
    await t2.fit(new SineData());
    expect(sine.text()).toContain('2/2 steps');
    expect(sine.text()).toMatch(/loss \d+\.\d{4} \| rmse \d/);
    expect(sine.text()).not.toContain('bpt');
    t2.dispose();
    regressor.dispose();
  });

  it('writes nothing to a non-TTY stream unless forced', async () => {
    const { stream, text } = pipe();
    const model = makeModel();
    const trainer = new Trainer(model, { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 2 }, [
      new ProgressBarLogger({ stream }),
    ]);
    await trainer.fit(makeBatcher());
    expect(text()).toBe('');
    trainer.dispose();
    model.dispose();
  });
});
