import { initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TinyBatch, TinyData, TinyModel } from './test-fixtures/tiny-model.js';
import { clockMs, secondsPerStep, stepsForBudget, TimeBudget } from './time-budget.js';

beforeAll(async () => {
  await initBackend();
});

describe('time budgets', () => {
  it('counts wall-clock or CPU time', () => {
    const cpu = clockMs('cpu');
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(clockMs('cpu')).toBeGreaterThan(cpu);
    expect(clockMs('wall')).toBeGreaterThan(0);
  });

  it('sizes a run, keeping a reserve, at least one step', () => {
    const budget = new TimeBudget(1, 'wall');
    expect(budget.limited).toBe(true);
    expect(budget.expired()).toBe(false);
    const steps = budget.stepsFor(0.5);
    expect(steps).toBeGreaterThan(100);
    expect(steps).toBeLessThanOrEqual(108); // 60 s × 0.9 / 0.5
    expect(new TimeBudget(1e-9).stepsFor(10)).toBe(1);
    expect(new TimeBudget(undefined).limited).toBe(false);
    expect(new TimeBudget(undefined).expired()).toBe(false);
    expect(() => new TimeBudget(0)).toThrow(/minutes: must be a positive number/);
  });

  it('times steps of any TrainableModel, then puts weights and data cursor back', async () => {
    const model = new TinyModel();
    const data = new TinyData();
    data.i = 7;
    const before = Array.from(model.variables.w?.dataSync() ?? []);
    const config = { optimizer: { type: 'sgd' as const, learningRate: 0.1 }, maxSteps: 100 };
    const perStep = await secondsPerStep(model, config, data, { clock: 'cpu', steps: 2 });
    expect(perStep).toBeGreaterThan(0);
    expect(Array.from(model.variables.w?.dataSync() ?? [])).toEqual(before);
    expect(data.i).toBe(7);
    const sized = await stepsForBudget(model, config, data, new TimeBudget(0.01, 'wall'));
    expect(sized.maxSteps).toBeGreaterThanOrEqual(1);
    model.dispose();
  });

  it('times batches after a warm-up on the same batches: a slow first sighting of a batch is not counted', async () => {
    // A model whose step costs 60 ms the first time it sees a batch and nothing after (as a backend's per-shape setup).
    class FirstSightSlow extends TinyModel {
      readonly seen = new Set<number>();
      override loss(batch: TinyBatch) {
        const key = batch.x[0] as number;
        if (!this.seen.has(key)) {
          this.seen.add(key);
          const until = performance.now() + 60;
          while (performance.now() < until);
        }
        return super.loss(batch);
      }
    }
    const model = new FirstSightSlow();
    const data = new TinyData();
    const config = { optimizer: { type: 'sgd' as const, learningRate: 0.1 }, maxSteps: 100 };
    const perStep = await secondsPerStep(model, config, data, { clock: 'wall', steps: 3 });
    expect(model.seen.size).toBe(3); // the three timed batches, each seen once before it was timed
    expect(perStep).toBeLessThan(0.03);
    expect(data.i).toBe(0);
    model.dispose();
  });
});
