import { initBackend, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCS, makeModel } from '../test/fixtures/setup.js';
import { SineRegressor, sineBatches } from '../test/fixtures/sine.js';
import { streamBatches } from './data/stream-batcher.js';
import { evaluate } from './evaluate.js';
import { Trainer } from './trainer.js';

beforeAll(async () => {
  await initBackend();
});

describe('evaluate', () => {
  it('gives the token-weighted loss with carried state, and perplexity and bits for a token model', async () => {
    const model = makeModel();
    const batches = streamBatches({ documents: DOCS.slice(0, 6), batchSize: 3, seqLength: 10 });
    // By hand: each batch's mean loss, state carried, weighted by its tokens.
    let state: tf.Tensor[] | undefined;
    let nats = 0;
    let tokens = 0;
    const ctx = { training: false, step: 0, teacherForcingRatio: 1, rng: new Rng(0) };
    for (const b of batches) {
      const out = model.loss(b, state, ctx);
      nats += (out.loss.dataSync()[0] as number) * out.tokens;
      tokens += out.tokens;
      state = out.state;
    }
    const before = tf.memory().numTensors;
    const result = await evaluate(model, batches);
    expect(tf.memory().numTensors).toBe(before); // nothing left behind
    expect(result.tokens).toBe(tokens);
    expect(result.batches).toBe(batches.length);
    expect(result.loss).toBeCloseTo(nats / tokens, 5);
    expect(result.perplexity).toBeCloseTo(Math.exp(result.loss), 6);
    expect(result.bitsPerToken).toBeCloseTo(result.loss / Math.LN2, 9);
    expect(result.rmse).toBeUndefined();
    // Trainer.evaluate is the same function; it leaves the trainer's RNG alone.
    const trainer = new Trainer(model, { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 1 });
    const rngBefore = trainer.rng.getState();
    expect(await trainer.evaluate(batches)).toEqual(result);
    expect(trainer.rng.getState()).toEqual(rngBefore);
    trainer.dispose();
    model.dispose();
  });

  it('reports only the loss and rmse for a regression model', async () => {
    const model = new SineRegressor();
    model.variables.kernel?.assign(tf.tensor2d([0, 0, 0, 1], [4, 1]));
    const batches = sineBatches(2);
    const result = await evaluate(model, batches);
    let sq = 0;
    for (const b of batches) {
      for (let i = 0; i < b.n; i++) sq += ((b.x[i * 4 + 3] as number) - (b.y[i] as number)) ** 2;
    }
    expect(result.loss).toBeCloseTo(sq / 64, 5);
    expect(result.rmse).toBeCloseTo(Math.sqrt(result.loss), 6);
    expect(result).not.toHaveProperty('perplexity');
    expect(result).not.toHaveProperty('bitsPerToken');
    model.dispose();
  });

  it('is NaN over no tokens, and refuses an unknown metric declaration', async () => {
    const model = new SineRegressor();
    expect((await evaluate(model, [])).loss).toBeNaN();
    const odd = Object.assign(new SineRegressor(), { metrics: ['accuracy'] as never });
    await expect(evaluate(odd, [])).rejects.toThrow(/model\.metrics\[0\]/);
    model.dispose();
    odd.dispose();
  });
});
